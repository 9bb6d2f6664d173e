"""The examples in the triage modules' docstrings run (pytest only collects docs/*.md)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "slakit.text._normalise",
    "slakit.triage._priority",
    "slakit.triage._input",
    "slakit.triage._itil_matrix",
    "slakit.triage._peak",
    "slakit.triage._default_rules",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
