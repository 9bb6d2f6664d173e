"""The shared reader of named tables: the schedules and timers tables list the same problems
in the same shape, and an unknown key does not hide a value's own problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from slakit.care import schedules_from_mapping, timers_from_mapping
from slakit.plans import CareDataError

READERS: list[tuple[str, Callable[[Any], Any], dict[str, Any]]] = [
    ("schedule", schedules_from_mapping,
     {"start": "2025-01-06T00:00:00+08:00", "rule": "FREQ=MONTHLY", "offset_days": "x"}),
    ("timer", timers_from_mapping, {"kind": "auto_close", "after": "3 working days",
                                    "repeat": 0}),
]


@pytest.mark.parametrize(("what", "read", "bad_value"), READERS)
def test_every_problem_of_a_table_in_one_error(
    what: str, read: Callable[[Any], Any], bad_value: dict[str, Any]
) -> None:
    with pytest.raises(CareDataError, match=f"^invalid {what}s") as info:
        read({"a": [], "b": {**bad_value, "colour": "red"}})
    paths = [p.split(":")[0] for p in info.value.problems]
    assert paths == [f"{what}s.a", f"{what}s.b.colour", f"{what}s.b"]
    assert info.value.problems[0] == f"{what}s.a: expected a mapping, got list"
    assert f"unknown key; a {what} takes " in info.value.problems[1]
    with pytest.raises(CareDataError) as info:
        read(["not", "a", "table"])
    assert info.value.problems == (f"{what}s: expected a mapping of {what} names, got list",)
    assert isinstance(info.value, ValueError)
