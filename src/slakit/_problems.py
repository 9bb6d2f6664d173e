"""Reading plain-data definitions: the one problem collector every loader uses.

Design rules:

* A loader reads the whole document before it raises. Each reader records a problem (its
  path, what is wrong, how to fix it) and returns a best-effort value, ``None`` when the
  value cannot be read, so one run lists every problem and the user fixes them in one go.
* Paths are written the way a user finds the spot in the file: ``policies[2].targets[0].within``,
  ``calendars.office.timezone``, ``fields.priority.column``.
* Unknown keys are problems, never ignored: a misspelt key would silently drop part of a
  definition. The problem names the known keys and, when one is close, suggests it
  (``did you mean 'opened_at'?``, found with :mod:`difflib`).
* Types are exact: a string is not a bool (``grouped = "no"`` is refused, not read as true),
  a bool is not an integer, a list is a list (or tuple).
* Nesting deeper than :data:`MAX_DEPTH` is refused by :func:`too_deep` before any recursive
  reader runs, so a hostile document ends in a slakit error, not ``RecursionError``.
* The collector never raises; the loader turns the problems into its own error class (a
  :class:`slakit.SlakitError` with a ``problems`` tuple).
* Every sentence is a :class:`slakit._message.Message`: English text, as before, that the
  command line or a host can render in Chinese. A ``what`` phrase a loader passes ("a
  policy") is rendered through the catalogue too; loaders mark it with ``N_`` so the
  catalogue test finds it (an unmarked phrase stays English, never a wrong word).
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from slakit._message import Message

MAX_DEPTH = 64
"""Deepest nesting of tables and lists a definition may use (real ones use under 10)."""

_RELATIVE = re.compile(r"^(?:[A-Za-z_]\w*|\[[^\]]*\])(?:\.\w+|\[[^\]]*\])*: ")
_SHORT = reprlib.Repr()
_SHORT.maxstring = 60
_SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = 4
_SHORT.maxlevel = 2


def shown(value: object) -> str:
    """A short repr of an input value for a problem message (long or deep values elided)."""
    return _SHORT.repr(value)


def described(value: object) -> str:
    """``"int 5"``, ``"str 'x'"``: the type and a short repr, for "expected ..., got ..."."""
    return f"{type(value).__name__} {shown(value)}"


def join(path: str, key: object) -> str:
    """The path of ``key`` (a table key, or a list index when an int) under ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


# Templates of placeholders alone: not sentences, so not in the catalogue (see _message).
_AT = "{path}: {problem}"
_UNDER = "{path}{problem}"
_UNDER_DOT = "{path}.{problem}"


def said(what: str) -> Message:
    """A phrase a loader passes (``"a policy"``) as a message rendered through the catalogue."""
    return what if isinstance(what, Message) else Message(what.replace("{", "{{").replace(
        "}", "}}"))


def did_you_mean(key: object, known: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` when a known key is close to ``key``, else ``""``."""
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return Message(" (did you mean {key!r}?)", key=close[0]) if close else ""


def unknown_key(key: object, known: Collection[str], what: str) -> str:
    """The message for an unknown key: the suggestion and the keys ``what`` takes."""
    if not known:
        return Message("unknown key; {what} takes no keys", what=said(what))
    return Message("unknown key{suggestion}; {what} takes {known}",
                   suggestion=did_you_mean(key, known), what=said(what), known=", ".join(known))


def too_deep(data: object, path: str = "", limit: int = MAX_DEPTH) -> str | None:
    """The path of the first table or list nested deeper than ``limit``, or ``None``.

    Iterative, so it is safe on any depth. Paths are only built for a document that is too
    deep (the common, valid case walks the values alone).

    >>> too_deep({"a": [[[]]]}, limit=2)
    'a[0][0]'
    >>> too_deep({"a": [1]}) is None
    True
    """
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return _path_past(data, path, limit)
        children = _children(value)
        if children:
            stack.extend((v, depth + 1) for _, v in children if _is_container(v))
    return None


def _is_container(value: object) -> bool:
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:
        return True
    if kind in _SCALARS:  # most values: skip the slower Mapping check
        return False
    return isinstance(value, list | tuple | Mapping)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _children(value: object) -> list[tuple[object, object]]:
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, list | tuple):
        return list(enumerate(value))
    return []


def _path_past(data: object, path: str, limit: int) -> str:
    """The path of a container at depth ``limit + 1`` (one exists)."""
    stack: list[tuple[object, str, int]] = [(data, path, 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > limit:
            return where
        stack.extend((v, join(where, k), depth + 1) for k, v in _children(value)
                     if _is_container(v))
    raise AssertionError("too_deep found a container past the limit")  # pragma: no cover


def depth_problem(data: object, path: str = "", limit: int = MAX_DEPTH) -> str | None:
    """A problem sentence when ``data`` nests deeper than ``limit``, else ``None``."""
    where = too_deep(data, path, limit)
    if where is None:
        return None
    return Message("{where}: nested deeper than {limit} levels; a definition never needs that "
                   "many, flatten it", where=where or Message("the document"), limit=limit)


_NON_EMPTY = Message("a non-empty string")


class Problems:
    """The problems found so far in one document, each ``"path: message"``."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        """Record that the value at ``path`` is wrong, and why (and how to fix it)."""
        self.items.append(Message(_AT, path=path, problem=message) if path else message)

    def extend(self, path: str, found: Iterable[str]) -> None:
        """Record the problems a nested builder raised, under ``path`` unless they have it."""
        for problem in found:
            if not path or problem.startswith(path):
                self.items.append(problem)
            elif _RELATIVE.match(problem):  # "timezone: ..." from a nested builder
                self.items.append(Message(_UNDER if problem[0] == "[" else _UNDER_DOT,
                                          path=path, problem=problem))
            else:
                self.items.append(Message(_AT, path=path, problem=problem))

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"Problems({self.items!r})"


class Table:
    """One mapping of a document: typed reads that record problems under its path.

    Getters return ``None`` (or the given default when the key is absent) and record a
    problem when the value is there but wrong.
    """

    def __init__(self, raw: Mapping[Any, Any], path: str, problems: Problems) -> None:
        self.raw = raw
        self.path = path
        self.problems = problems
        self.before = len(problems)

    @classmethod
    def of(cls, value: object, path: str, problems: Problems, what: str) -> Table | None:
        """The value as a table, or ``None`` (recorded) when it is not a mapping."""
        if isinstance(value, Mapping):
            return cls(value, path, problems)
        problems.add(path, Message("expected a table ({what}), got {got}", what=said(what),
                                   got=described(value)))
        return None

    @property
    def failed(self) -> bool:
        """Whether a problem was recorded since this table was opened."""
        return len(self.problems) > self.before

    def at(self, key: object) -> str:
        """The path of ``key`` in this table."""
        return join(self.path, key)

    def bad(self, key: object, message: str) -> None:
        """Record a problem with the value of ``key``."""
        self.problems.add(self.at(key), message)

    def __contains__(self, key: str) -> bool:
        return key in self.raw

    def get(self, key: str, default: Any = None) -> Any:
        """The raw value of ``key`` (no check)."""
        return self.raw.get(key, default)

    def only(self, known: Collection[str], what: str) -> None:
        """Record every key not in ``known``, with a suggestion."""
        for key in self.raw:
            if key not in known:
                self.bad(key if isinstance(key, str) else repr(key), unknown_key(key, known, what))

    def require(self, keys: Iterable[str], what: str) -> bool:
        """Record every missing key of ``keys``; whether all were there."""
        missing = [k for k in keys if k not in self.raw]
        for key in missing:
            self.bad(key, Message("missing; {what} needs it", what=said(what)))
        return not missing

    def text(self, key: str, default: str | None = None, *, what: str = _NON_EMPTY,
             required: bool = False) -> str | None:
        """A non-empty string."""
        if key not in self.raw:
            if required:
                self.bad(key, Message("missing; give {what}", what=said(what)))
            return default
        value = self.raw[key]
        if isinstance(value, str) and value.strip():
            return value
        self.bad(key, Message("expected {what}, got {got}", what=said(what),
                              got=described(value)))
        return None

    def flag(self, key: str, default: bool) -> bool | None:
        """``true`` or ``false`` (a string such as ``"no"`` is refused, not read as true)."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        if isinstance(value, bool):
            return value
        self.bad(key, Message("expected true or false, got {got}", got=described(value)))
        return None

    def integer(self, key: str, default: int | None = None, *, minimum: int | None = None
                ) -> int | None:
        """An integer (not a bool), at least ``minimum``."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.bad(key, Message("expected an integer, got {got}", got=described(value)))
            return None
        if minimum is not None and value < minimum:
            self.bad(key, Message("must be {minimum} or more, got {value}", minimum=minimum,
                                  value=value))
            return None
        return value

    def items(self, key: str, what: str, *, required: bool = False) -> list[Any] | None:
        """A list (TOML array, JSON array; a tuple is accepted)."""
        if key not in self.raw:
            if required:
                self.bad(key, Message("missing; give a list of {what}", what=said(what)))
            return None
        value = self.raw[key]
        if isinstance(value, list | tuple):
            return list(value)
        self.bad(key, Message("expected a list of {what}, got {got}", what=said(what),
                              got=described(value)))
        return None

    def texts(self, key: str, what: str = "strings", *, required: bool = False,
              empty: bool = False) -> tuple[str, ...] | None:
        """A list of strings, non-empty unless ``empty`` (every bad item recorded)."""
        values = self.items(key, what, required=required)
        if values is None:
            return None
        ok = True
        for place, item in enumerate(values):
            if not isinstance(item, str) or not (item or empty):
                kind = Message("a string") if empty else _NON_EMPTY
                self.bad(f"{key}[{place}]", Message("expected {what}, got {got}", what=kind,
                                                    got=described(item)))
                ok = False
        return tuple(values) if ok else None

    def table(self, key: str, what: str, *, required: bool = False) -> Table | None:
        """The nested table at ``key``."""
        if key not in self.raw:
            if required:
                self.bad(key, Message("missing; give a table ({what})", what=said(what)))
            return None
        return Table.of(self.raw[key], self.at(key), self.problems, what)
