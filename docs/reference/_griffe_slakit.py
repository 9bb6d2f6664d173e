"""A griffe extension used by the docs build only (mkdocs.yml loads it; it is not shipped).

griffe reads the source statically, so it does not see the ``__init__`` that attrs writes for
``@attrs.frozen`` classes: their "Args:" sections would name parameters missing from the
signature, and ``mkdocs build --strict`` fails on that. This extension re-creates those
``__init__`` signatures from the annotated class attributes, the way attrs does: fields in
definition order (base classes first), ``attrs.field(init=False)`` left out, ``kw_only``
respected, a leading underscore dropped from the parameter name, defaults from ``default=``
or ``factory=``.

It also fences doctest blocks outside an "Examples:" section (left as Markdown, ``>>>`` is a
nested quote and a result such as ``['ladder/1', 'ladder/2']`` reads as a reference link,
which fails the strict build), and turns Sphinx roles such as ``:class:`~slakit.Calendar```
into cross-references (optional ones: a target that is not rendered stays plain code).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ATTRS_DECORATORS = frozenset({
    "attrs.frozen", "attrs.define", "attrs.mutable", "attr.s", "attr.attrs", "attr.frozen",
    "attr.define", "attr.mutable",
})
_FIELD_CALLS = frozenset({"attrs.field", "attr.ib", "attr.field", "attr.attrib"})


def _attrs_decorator(cls: griffe.Class) -> griffe.Expr | str | None:
    for decorator in cls.decorators:
        value = decorator.value
        path = value.canonical_path if isinstance(value, griffe.Expr) else str(value)
        if isinstance(value, griffe.ExprCall):
            path = value.function.canonical_path if isinstance(value.function, griffe.Expr) else path
        if path in _ATTRS_DECORATORS:
            return value
    return None


def _call_arguments(expr: griffe.Expr | str | None) -> dict[str, Any]:
    if not isinstance(expr, griffe.ExprCall):
        return {}
    found: dict[str, Any] = {}
    for argument in expr.arguments:
        if isinstance(argument, griffe.ExprKeyword):
            found[argument.name] = argument.value
    return found


def _field_call(attribute: griffe.Attribute) -> griffe.ExprCall | None:
    value = attribute.value
    if (isinstance(value, griffe.ExprCall) and isinstance(value.function, griffe.Expr)
            and value.function.canonical_path in _FIELD_CALLS):
        return value
    return None


def _own_parameters(cls: griffe.Class, kw_only: bool) -> list[griffe.Parameter]:
    parameters = []
    for member in cls.members.values():
        if member.is_alias or not isinstance(member, griffe.Attribute):
            continue
        if member.annotation is None or "property" in member.labels:
            continue
        if "class-attribute" in member.labels and "instance-attribute" not in member.labels:
            continue  # a ClassVar: not a field
        field = _field_call(member)
        args = _call_arguments(field)
        if str(args.get("init")) == "False":
            continue
        if field is None:
            default: str | griffe.Expr | None = member.value
        elif "default" in args:
            default = args["default"]
        elif "factory" in args:
            factory = args["factory"]  # show what it makes: the body of a lambda, or a call
            default = (factory.body if isinstance(factory, griffe.ExprLambda)
                       else griffe.ExprCall(function=factory, arguments=[]))
        else:
            default = None
        kind = (
            griffe.ParameterKind.keyword_only
            if kw_only or str(args.get("kw_only")) == "True"
            else griffe.ParameterKind.positional_or_keyword
        )
        parameters.append(griffe.Parameter(
            member.name.lstrip("_"), annotation=member.annotation, kind=kind, default=default,
            docstring=member.docstring,
        ))
    return parameters


def _set_attrs_init(cls: griffe.Class) -> None:
    decorator = _attrs_decorator(cls)
    if decorator is None or "__init__" in cls.members:
        return
    if str(_call_arguments(decorator).get("init")) == "False":
        return
    try:
        mro = list(reversed(cls.mro()))
    except ValueError:
        mro = []
    by_name: dict[str, griffe.Parameter] = {}
    for owner in [*mro, cls]:
        owner_decorator = _attrs_decorator(owner)
        if owner_decorator is None:
            continue
        kw_only = str(_call_arguments(owner_decorator).get("kw_only")) == "True"
        for parameter in _own_parameters(owner, kw_only):
            by_name.pop(parameter.name, None)  # a redefined field moves to the end, as in attrs
            by_name[parameter.name] = parameter
    ordered = sorted(by_name.values(),
                     key=lambda p: p.kind is griffe.ParameterKind.keyword_only)
    self_parameter = griffe.Parameter(
        "self", annotation=None, kind=griffe.ParameterKind.positional_or_keyword, default=None)
    cls.set_member("__init__", griffe.Function(
        "__init__", lineno=0, endlineno=0, parent=cls,
        parameters=griffe.Parameters(self_parameter, *ordered), returns="None",
    ))


_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const):`(~?)([^`<>]+)`")


def _fence_doctests(docstring: griffe.Docstring) -> None:
    """Fence runs of ``>>>`` lines, except in an "Examples:" section (griffe parses those)."""
    out: list[str] = []
    in_fence = False
    doctest_indent: str | None = None
    section = ""
    for line in docstring.value.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if doctest_indent is not None and (not stripped or not line.startswith(doctest_indent)):
            out.append(f"{doctest_indent}```")
            doctest_indent = None
        if not indent and re.fullmatch(r"[A-Z][A-Za-z ]*:", stripped):
            section = stripped[:-1].lower()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if (stripped.startswith(">>> ") and not in_fence and doctest_indent is None
                and section != "examples"):
            out.append(f"{indent}```pycon")
            doctest_indent = indent
        out.append(line)
    if doctest_indent is not None:
        out.append(f"{doctest_indent}```")
    docstring.value = "\n".join(out)


def _lookup(path: str, obj: griffe.Object) -> str | None:
    try:
        found = obj.modules_collection.get_member(path)
    except Exception:  # any failure means "not ours": leave it unlinked
        return None
    try:
        return str(found.canonical_path)
    except Exception:  # an alias to something not loaded
        return str(found.path)


def _identifier(target: str, obj: griffe.Object) -> str:
    """The canonical path of a role's target, looked up from ``obj``'s scope."""
    target = target.strip().lstrip(".")
    head, _, rest = target.partition(".")
    candidates = [target]
    scope: griffe.Object | None = obj
    while scope is not None:
        try:
            resolved = scope.resolve(head)
        except Exception:  # griffe raises NameResolutionError and friends
            scope = scope.parent
            continue
        candidates.append(f"{resolved}.{rest}" if rest else resolved)
        break
    for candidate in candidates:
        found = _lookup(candidate, obj)
        if found:
            return found
    return target


def _link_roles(docstring: griffe.Docstring, obj: griffe.Object) -> None:
    """Turn Sphinx roles (``:class:`~slakit.Calendar```) into optional cross-references."""

    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2).strip()
        title = target.rsplit(".", 1)[-1] if short else target
        return (f'<autoref identifier="{_identifier(target, obj)}" optional>'
                f"<code>{title}</code></autoref>")

    docstring.value = _ROLE.sub(replace, docstring.value)


def _polish(obj: griffe.Object) -> None:
    if obj.docstring is not None:
        _fence_doctests(obj.docstring)
        _link_roles(obj.docstring, obj)


def _walk(obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    _polish(obj)
    if isinstance(obj, griffe.Class):
        _set_attrs_init(obj)
    for member in list(obj.members.values()):
        if member.is_alias:
            continue
        if isinstance(member, griffe.Module | griffe.Class):
            _walk(member, seen)
        elif isinstance(member, griffe.Object):
            _polish(member)


class SlakitDocsExtension(griffe.Extension):
    """Fill in attrs ``__init__`` signatures and fence bare doctests, once a package is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Walk the loaded package (griffe calls this after loading it)."""
        _walk(pkg, set())
