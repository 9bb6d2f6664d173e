"""PriorityScale: order, raising with caps, and errors that name the fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import SlakitError
from slakit.triage import PriorityScale, TriageConfigError, UnknownPriorityError

DEFAULT = PriorityScale.default()
ITIL = PriorityScale.itil()


def test_levels_and_numbers() -> None:
    assert DEFAULT.levels == ("urgent", "important", "normal", "suggestion")
    assert (DEFAULT.top, DEFAULT.bottom, len(DEFAULT)) == ("urgent", "suggestion", 4)
    assert [ITIL.number(p) for p in ITIL.levels] == [1, 2, 3, 4]
    assert ITIL.at_number(3) == "moderate"


@pytest.mark.parametrize(
    ("priority", "steps", "expected"),
    [
        ("normal", 1, "important"),
        ("normal", 2, "urgent"),
        ("normal", 9, "urgent"),
        ("urgent", 1, "urgent"),
        ("normal", 0, "normal"),
        ("normal", -1, "suggestion"),
        ("suggestion", -3, "suggestion"),
    ],
)
def test_raise_by_moves_and_caps(priority: str, steps: int, expected: str) -> None:
    assert DEFAULT.raise_by(priority, steps) == expected


def test_comparisons() -> None:
    assert DEFAULT.is_higher("urgent", "normal")
    assert not DEFAULT.is_higher("normal", "normal")
    assert DEFAULT.highest(["normal", "suggestion", "important"]) == "important"
    assert sorted(["normal", "urgent", "suggestion"], key=DEFAULT.sort_key) == [
        "urgent",
        "normal",
        "suggestion",
    ]
    assert "urgent" in DEFAULT
    assert "critical" not in DEFAULT
    assert 3 not in DEFAULT


@pytest.mark.parametrize("bad", ["critical", "", None, 1])
def test_unknown_priority_raises_lookup_error_naming_the_levels(bad: object) -> None:
    with pytest.raises(UnknownPriorityError) as info:
        DEFAULT.rank(bad)  # type: ignore[arg-type]
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, SlakitError)
    assert "'urgent', 'important', 'normal', 'suggestion'" in str(info.value)


@pytest.mark.parametrize("number", [0, 5, -1])
def test_at_number_out_of_range(number: int) -> None:
    with pytest.raises(UnknownPriorityError):
        ITIL.at_number(number)


def test_bad_scales_list_every_problem() -> None:
    with pytest.raises(TriageConfigError) as info:
        PriorityScale(("high", "", "high", 3))  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert len(info.value.problems) == 3
    with pytest.raises(TriageConfigError, match="at least one level"):
        PriorityScale(())


def test_scales_are_values() -> None:
    assert PriorityScale(["a", "b"]) == PriorityScale(("a", "b"))
    assert hash(PriorityScale(["a", "b"])) == hash(PriorityScale(("a", "b")))
    assert repr(PriorityScale(("a", "b"))) == "PriorityScale(levels=('a', 'b'))"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(DEFAULT.levels), st.integers(-10, 10), st.integers(-10, 10))
def test_raising_is_monotonic_and_bounded(priority: str, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert DEFAULT.rank(DEFAULT.raise_by(priority, high)) <= DEFAULT.rank(
        DEFAULT.raise_by(priority, low)
    )
    assert DEFAULT.raise_by(priority, high) in DEFAULT
