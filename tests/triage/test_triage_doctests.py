"""The examples in the triage modules' docstrings run (pytest only collects docs/*.md)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "slakit.policies._text_normalise",
    "slakit.policies._triage_priority",
    "slakit.policies._triage_input",
    "slakit.policies._itil_matrix",
    "slakit.policies._triage_peak",
    "slakit.policies._default_rules",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
