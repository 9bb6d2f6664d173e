"""Every name the documentation shows imports from where the documentation says.

Scanned: README.md and docs/**/*.md. Two forms count: ``from slakit... import A, B`` (in a
doctest, with ``...`` continuation lines, or in a code block) and a dotted mention
``slakit.x.Y`` (in backticks, a mkdocs cross-reference ``[...][slakit.x.Y]`` or a ``:::``
reference directive). Deprecated aliases warn, and a warning fails here: the docs show the
current names only.
"""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

_IMPORT = re.compile(
    r"from (slakit(?:\.\w+)*) import (\((?:[^()])*\)|[^\n(;\"']*)", re.DOTALL
)
_DOTTED = re.compile(r"(?<![\w/.-])slakit(?:\.[A-Za-z_]\w*)+")


def _clean(text: str) -> str:
    """Doctest continuation prompts removed, so a wrapped import reads as Python."""
    return re.sub(r"^\s*(?:>>>|\.\.\.) ?", "", text, flags=re.MULTILINE)


def documented() -> set[tuple[str, str]]:
    """(module, name) pairs; name "" means the dotted path itself must resolve."""
    found: set[tuple[str, str]] = set()
    for page in PAGES:
        text = _clean(page.read_text(encoding="utf-8"))
        for module, names in _IMPORT.findall(text):
            for clause in names.split("#")[0].strip("()").split(","):
                name = clause.split(" as ")[0].strip()
                if name.isidentifier():
                    found.add((module, name))
        for dotted in _DOTTED.findall(text):
            found.add((dotted, ""))
    return found


def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ModuleNotFoundError(dotted)


def test_the_scan_finds_the_documented_names() -> None:
    names = documented()
    assert ("slakit", "BusinessCalendar") in names
    assert ("slakit.sla.SlaEngine", "") in names
    assert len(names) > 150


@pytest.mark.parametrize(("module", "name"), sorted(documented()))
def test_documented_name_imports(module: str, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if name:
            importlib.import_module(module).__dict__.get(name) or _resolve(f"{module}.{name}")
        else:
            _resolve(module)
