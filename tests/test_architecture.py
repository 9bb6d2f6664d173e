"""The package map holds: imports run one way, the one stated cycle is the only one.

The graph is read from the source with ``ast`` (module-level *and* function-level imports),
so a deferred ``import`` inside a function counts like any other. Imports under
``if TYPE_CHECKING:`` never run: they count for the package direction but not for cycles.
The tiers below are the package map of docs/architecture.md (a test compares the two).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import slakit

SRC = Path(slakit.__file__).parent
ROOT = SRC.parents[1]

# Lowest first. A package may import itself, the FOUNDATION and packages of lower tiers.
TIERS: tuple[tuple[str, ...], ...] = (
    ("calendar", "workflow", "text", "i18n"),
    ("policies", "triage"),
    ("sla", "assignment", "plans"),
    ("care",),
    ("storage", "replay"),
    ("desk", "reports"),
    ("cli", "contrib"),
    ("testing",),
)
# Modules outside any package: the facade re-exports everything, ``python -m slakit`` runs
# the command line; the errors module, the problem collector of the loaders, the range of
# instants every package accepts, the zone reader, the deprecated-name resolver and the one
# writer past the frozen guard (_fast) are the foundation every package may import.
FREE = {"slakit", "slakit.__main__"}
FOUNDATION = {
    "slakit._errors", "slakit._problems", "slakit._instants", "slakit._zone", "slakit._deprecated",
    "slakit._fast", "slakit._message",
}

# The one cycle, stated at the top of calendar/_operators.py: the operators build a
# composition, and composition reads the calendars that inherit the operators.
DEFERRED = {("slakit.calendar._operators", "slakit.calendar._compose")}

# Modules longer than ~350 lines (LONG lines, a little slack), each with its reason.
LONG = 360
LONG_MODULES = {
    "triage/_data.py": "one loader and dumper for six rule kinds, each listing every problem",
    "sla/_engine.py": "the fold is one pass over the event; splitting it would split its rules",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(module: str) -> Iterator[tuple[str, int, bool]]:
    """(imported slakit module, line, runs at import or call time) for each import."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    typing_only = _type_checking_lines(tree)
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                       for a in node.names]
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        for target in targets:
            if target in MODULES and target != module:
                yield target, node.lineno, node.lineno not in typing_only


def _package(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def _tier(package: str) -> int | None:
    for rank, tier in enumerate(TIERS):
        if package in tier:
            return rank
    return None


def test_every_package_is_on_the_map() -> None:
    packages = {_package(m) for m in MODULES if m not in FREE | FOUNDATION}
    missing = sorted(p for p in packages if _tier(p) is None)
    assert missing == [], f"add {missing} to TIERS here and to docs/architecture.md"


def test_imports_run_down_the_package_map() -> None:
    against = []
    for module in MODULES:
        if module in FREE:
            continue
        here = _package(module)
        for target, line, _ in _imports(module):
            there = _package(target)
            if target in FOUNDATION or there == here:
                continue
            if module in FOUNDATION or there in FREE:
                against.append(f"{module}:{line} imports {target}")
                continue
            mine, theirs = _tier(here), _tier(there)
            if mine is None or theirs is None or theirs >= mine:
                against.append(f"{module}:{line} imports {target} ({here} -> {there})")
    assert against == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _runtime_edges() -> dict[str, set[str]]:
    return {m: {t for t, _, runs in _imports(m) if runs} for m in MODULES}


def test_no_import_cycle_but_the_stated_one() -> None:
    edges = _runtime_edges()
    for source, target in DEFERRED:
        assert target in edges[source], f"the stated deferred import {source} -> {target} is gone"
        edges[source].discard(target)
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_deferred_import_is_stated_at_the_top_of_its_module() -> None:
    for source, target in DEFERRED:
        docstring = ast.get_docstring(ast.parse(MODULES[source].read_text(encoding="utf-8"))) or ""
        assert "deferred import" in docstring
        assert target.rpartition(".")[2] in docstring


# The pure core (the two lowest tiers and sla/assignment) loads everything at import time, so
# a function-level import there can only be hiding a cycle. Outer layers may defer imports
# to start faster (the command line loads each sub-command's code when it runs).
CORE = {p for tier in TIERS[:3] for p in tier}


def test_function_level_imports_in_the_core_are_only_the_stated_one() -> None:
    deferred = set()
    for module, path in MODULES.items():
        if _package(module) not in CORE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("slakit"):
                        deferred.add((module, inner.module or ""))
    assert deferred - DEFERRED == set()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_short_or_say_why(module: str) -> None:
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    relative = path.relative_to(SRC).as_posix()
    assert lines <= LONG or relative in LONG_MODULES, f"{relative} has {lines} lines"


def test_the_long_module_list_is_not_stale() -> None:
    for relative in LONG_MODULES:
        assert len((SRC / relative).read_text(encoding="utf-8").splitlines()) > LONG, relative


def test_the_architecture_page_shows_the_same_map() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| ([^|]+) \|", page, flags=re.MULTILINE)
    documented = {int(rank): tuple(re.findall(r"`slakit\.(\w+)`", names)) for rank, names in rows}
    existing = {_package(m) for m in MODULES}
    # Planned packages are named on the page without the ``slakit.`` prefix until they exist.
    assert documented == {
        rank + 1: tuple(p for p in tier if p in existing) for rank, tier in enumerate(TIERS)
    }


def test_zone_names_are_read_in_one_place() -> None:
    """``ZoneInfo(name)`` with a computed name only in slakit/_zone.py (a literal is fine)."""
    found = []
    for module, path in MODULES.items():
        if module in ("slakit._zone",) or _package(module) == "testing":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ZoneInfo"
                    and not all(isinstance(a, ast.Constant) for a in node.args)):
                found.append(f"{module}:{node.lineno}")
    assert found == [], "read user-given zones with slakit._zone.read_zone"
