"""Every case of pandas' business-hour test tables, replayed against BusinessCalendar.

The table (tests/data/calendar/pandas_business_hour_cases.json, see ATTRIBUTION.md) states
pandas' naive wall-clock cases as UTC instants; its ``conventions`` block defines each op and
matches the semantics of slakit's calendar (add landing on a close -> next opening, subtract
landing on an opening stays, closed starts count from the next opening / previous close).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slakit.calendar import BusinessCalendar
from tests.calendar.calendar_testkit import assert_in_zone, assert_instant

CASES_FILE = Path(__file__).resolve().parent.parent / "data" / "calendar" / "pandas_business_hour_cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]

_CALENDAR_KEYS = {
    "tz": "timezone",
    "weekly": "weekly",
    "holidays": "holidays",
    "overrides": "overrides",
    "breaks": "breaks",
}


def build_calendar(block: dict[str, Any]) -> BusinessCalendar:
    unknown = set(block) - set(_CALENDAR_KEYS)
    assert not unknown, f"case calendar has keys this test does not map: {unknown}"
    return BusinessCalendar.from_mapping({_CALENDAR_KEYS[k]: v for k, v in block.items()})


def test_table_is_complete() -> None:
    assert len(CASES) == 464
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {c["op"] for c in CASES} <= {
        "add",
        "sub",
        "elapsed",
        "is_open",
        "next_opening_event",
        "prev_opening_event",
        "periods_after",
        "periods_before",
    }


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_pandas_case(case: dict[str, Any]) -> None:
    cal = build_calendar(case["calendar"])
    start = datetime.fromisoformat(case["start"])
    op = case["op"]
    expected = case["expected"]
    if op == "is_open":
        assert cal.is_open(start) is expected
        return
    if op in ("periods_after", "periods_before"):  # not in the current table; kept for reuse
        count = len(expected)
        produced = cal.periods(start) if op == "periods_after" else cal.periods_before(start)
        got = [next(produced) for _ in range(count)]
        for period, (want_start, want_end) in zip(got, expected, strict=True):
            assert_instant(period.start, datetime.fromisoformat(want_start), cal.zone)
            assert_instant(period.end, datetime.fromisoformat(want_end), cal.zone)
        return
    if op == "elapsed":
        end = datetime.fromisoformat(case["end"])
        assert cal.elapsed(start, end) == timedelta(seconds=expected)
        return
    if op == "add":
        result = cal.add(start, timedelta(seconds=case["amount_seconds"]))
    elif op == "sub":
        result = cal.subtract(start, timedelta(seconds=case["amount_seconds"]))
    elif op == "next_opening_event":
        result = cal.next_opening(start)
    elif op == "prev_opening_event":
        result = cal.previous_opening(start)
    else:  # pragma: no cover - guarded by test_table_is_complete
        pytest.fail(f"unknown op {op}")
    assert_instant(result, datetime.fromisoformat(expected), cal.zone)
    assert_in_zone(result, cal.zone)
