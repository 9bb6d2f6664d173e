"""docs/reference/errors.md lists exactly the error classes slakit exports, each correctly.

The table's rows are ``| [`Name`][slakit.path.Name] | `BuiltIn` | raised by |``. Every
exception class in ``slakit.__all__`` (which is every subpackage's, see the facade test) must
have a row; every row must name a current class (a renamed or merged one fails, since the
old names only resolve with a DeprecationWarning, an error here) whose built-in is the one
the row states.
"""

from __future__ import annotations

import builtins
import importlib
import re
import warnings
from pathlib import Path

import pytest

import slakit

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "errors.md"
ROWS = re.findall(r"^\| \[`(\w+)`\]\[([\w.]+)\] \| `(\w+)` \|", PAGE.read_text("utf-8"), re.M)


def _resolve(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return getattr(importlib.import_module(module), name)


def exported_errors() -> set[str]:
    return {n for n in slakit.__all__
            if isinstance(getattr(slakit, n), type) and issubclass(getattr(slakit, n), Exception)}


def test_the_page_has_rows() -> None:
    assert len(ROWS) > 30


def test_every_exported_error_has_a_row() -> None:
    assert exported_errors() - {name for name, _, _ in ROWS} == set()


def test_no_row_names_an_error_twice() -> None:
    names = [name for name, _, _ in ROWS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("name", "target", "builtin"), ROWS)
def test_each_row_names_a_current_error_and_its_builtin(name: str, target: str, builtin: str) -> None:
    assert target.endswith(f".{name}")
    error = _resolve(target)
    assert isinstance(error, type)
    assert issubclass(error, slakit.SlakitError) or error is slakit.SlakitError
    assert name in exported_errors() or target.startswith(("slakit.cli", "slakit.testing"))
    assert issubclass(error, getattr(builtins, builtin))


def test_definition_errors_share_one_base_that_lists_problems() -> None:
    subclasses = {n for n in exported_errors() if issubclass(getattr(slakit, n), slakit.DefinitionError)}
    assert subclasses == {"DefinitionError", "CalendarConfigError", "PolicyDataError",
                          "WorkflowDefinitionError", "TriageConfigError", "MappingError",
                          "CareDataError"}
    error = slakit.CalendarConfigError(["timezone: unknown zone 'X'", "weekly.mon: bad"])
    assert error.problems == ("timezone: unknown zone 'X'", "weekly.mon: bad")
    assert str(error).splitlines() == ["invalid calendar configuration (2 problems):",
                                       "  - timezone: unknown zone 'X'", "  - weekly.mon: bad"]
