"""The examples in slakit.testing's docstrings run (docs/testing.md runs via --doctest-glob)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["_calendar_checks", "_calendars", "_events", "_instants", "_invalid", "_policies",
           "_policy_check"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"slakit.testing.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
