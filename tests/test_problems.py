"""The problem collector every loader shares: paths, suggestions, exact types, depth guard."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit._problems import (
    MAX_DEPTH,
    Problems,
    Table,
    depth_problem,
    described,
    did_you_mean,
    join,
    too_deep,
    unknown_key,
)
from tests.problems_testkit import nested


def test_paths_are_written_as_the_user_finds_them() -> None:
    assert join("", "policies") == "policies"
    assert join("policies", 2) == "policies[2]"
    assert join("policies[2]", "targets") == "policies[2].targets"


def test_suggestions_only_when_a_key_is_close() -> None:
    known = ("opened_at", "status", "fields")
    assert did_you_mean("opend_at", known) == " (did you mean 'opened_at'?)"
    assert did_you_mean("colour", known) == ""
    assert did_you_mean(5, known) == ""
    assert unknown_key("stauts", known, "a log mapping") == (
        "unknown key (did you mean 'status'?); a log mapping takes opened_at, status, fields")
    assert unknown_key("x", (), "an empty table") == "unknown key; an empty table takes no keys"


def test_long_values_are_shortened_in_messages() -> None:
    assert described(5) == "int 5"
    text = described("x" * 1000)
    assert text.startswith("str 'xxx") and len(text) < 80  # noqa: PT018


@given(st.integers(0, 200), st.integers(0, 100))
def test_too_deep_finds_exactly_the_levels_past_the_limit(levels: int, limit: int) -> None:
    found = too_deep(nested(levels), limit=limit)
    assert (found is None) is (levels <= limit + 1)
    if found is not None:  # the path of the first container past the limit
        assert _steps(found) == limit + 1


def _steps(path: str) -> int:
    return path.count("[0]") + path.count("all")


def test_depth_guard_is_iterative_and_names_the_path() -> None:
    problem = depth_problem({"policies": nested(100_000)}, limit=MAX_DEPTH)
    assert problem is not None
    where = problem.partition(":")[0]
    assert where.startswith("policies.all[0].all[0]")
    assert _steps(where) + 1 == MAX_DEPTH + 1  # "policies" is the first step
    assert problem.endswith(f"nested deeper than {MAX_DEPTH} levels; a definition never needs "
                            "that many, flatten it")
    assert depth_problem({"a": [1, {"b": 2}]}) is None
    assert depth_problem(nested(10), limit=3) == (
        "all[0].all[0]: nested deeper than 3 levels; a definition never needs that many, "
        "flatten it")


def test_nested_problems_are_put_under_their_path() -> None:
    problems = Problems()
    problems.extend("calendars.office", [
        "timezone: unknown zone 'X'",                 # relative to the table: joined with '.'
        "weekly['mon'][0]: cannot read time '9'",
        "[0]: an index",                               # an index joins without a dot
        "2025-10-01 is both a holiday and a makeup workday",  # a sentence: after a colon
        "calendars.office.country: already has the path",
    ])
    assert problems.items == [
        "calendars.office.timezone: unknown zone 'X'",
        "calendars.office.weekly['mon'][0]: cannot read time '9'",
        "calendars.office[0]: an index",
        "calendars.office: 2025-10-01 is both a holiday and a makeup workday",
        "calendars.office.country: already has the path",
    ]


def _table(raw: dict[str, Any]) -> tuple[Table, Problems]:
    problems = Problems()
    return Table(raw, "t", problems), problems


@pytest.mark.parametrize("value", ["no", "false", 0, 1, None, [True]])
def test_a_flag_is_true_or_false_and_nothing_else(value: object) -> None:
    table, problems = _table({"grouped": value})
    assert table.flag("grouped", True) is None
    assert problems.items == [f"t.grouped: expected true or false, got {described(value)}"]


def test_typed_reads_record_problems_and_return_none() -> None:
    table, problems = _table({"n": True, "s": "", "l": "a", "ok": ["a", ""], "d": date(2025, 1, 1),
                              "sub": 5, "low": -1})
    assert table.integer("n") is None
    assert table.integer("low", minimum=0) is None
    assert table.text("s") is None
    assert table.items("l", "names") is None
    assert table.texts("ok") is None
    assert table.texts("ok", empty=True) == ("a", "")
    assert table.table("sub", "a sub-table") is None
    assert table.text("absent", "default") == "default"
    assert table.text("needed", required=True, what="a name") is None
    table.only(("n", "s", "l", "ok", "sub", "low"), "a test table")
    assert problems.items == [
        "t.n: expected an integer, got bool True",
        "t.low: must be 0 or more, got -1",
        "t.s: expected a non-empty string, got str ''",
        "t.l: expected a list of names, got str 'a'",
        "t.ok[1]: expected a non-empty string, got str ''",
        "t.sub: expected a table (a sub-table), got int 5",
        "t.needed: missing; give a name",
        "t.d: unknown key; a test table takes n, s, l, ok, sub, low",
    ]
    assert table.failed
