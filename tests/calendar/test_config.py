"""Configuration and errors of BusinessCalendar (and AlwaysOpen for naive datetimes).

Covers: naive datetimes rejected by every method (and nothing changed by the failed call);
invalid configurations reporting every problem at once; the empty week; from_mapping and
to_mapping round trips. The exact semantics live in test_semantics.py.
"""

from __future__ import annotations

import itertools
import json
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slakit import (
    CalendarConfigError,
    NaiveDatetimeError,
    NeverClosesError,
    NoOpenTimeError,
    SlakitError,
)
from slakit.calendar import AlwaysOpen, BusinessCalendar, Calendar, Period
from tests.calendar.calendar_testkit import UTC, as_utc, assert_instant, instants, scenarios

BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
NINE_TO_FIVE = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}


def u(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def spans(periods: Iterator[Period]) -> list[tuple[datetime, datetime]]:
    return [(as_utc(p.start), as_utc(p.end)) for p in periods]


@contextmanager
def fails_after(seconds: int) -> Iterator[None]:
    """Turn a hang (an endless search for open time) into a test failure."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- naive datetimes ---------------------------------------------------------------------

NAIVE = datetime(2025, 6, 2, 10)
AWARE = datetime(2025, 6, 2, 10, tzinfo=UTC)
CALLS: dict[str, Callable[[Calendar], object]] = {
    "add": lambda c: c.add(NAIVE, H),
    "subtract": lambda c: c.subtract(NAIVE, H),
    "elapsed-start": lambda c: c.elapsed(NAIVE, AWARE),
    "elapsed-end": lambda c: c.elapsed(AWARE, NAIVE),
    "is_open": lambda c: c.is_open(NAIVE),
    "next_opening": lambda c: c.next_opening(NAIVE),
    "previous_opening": lambda c: c.previous_opening(NAIVE),
    "next_closing": lambda c: c.next_closing(NAIVE),
    "previous_closing": lambda c: c.previous_closing(NAIVE),
    # Generators may check eagerly or on first use; both must raise.
    "periods-start": lambda c: list(itertools.islice(c.periods(NAIVE), 1)),
    "periods-end": lambda c: list(itertools.islice(c.periods(AWARE, NAIVE), 1)),
    "periods_before-end": lambda c: list(itertools.islice(c.periods_before(NAIVE), 1)),
    "periods_before-start": lambda c: list(itertools.islice(c.periods_before(AWARE, NAIVE), 1)),
}


@pytest.mark.parametrize("kind", ["business", "always"])
@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
def test_naive_datetimes_are_rejected(kind: str, call: str) -> None:
    cal: Calendar = BusinessCalendar("Europe/Berlin", NINE_TO_FIVE) if kind == "business" else AlwaysOpen()
    before = cal.add(AWARE, 3 * H)
    with pytest.raises(NaiveDatetimeError) as caught:
        CALLS[call](cal)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, SlakitError)
    assert cal.add(AWARE, 3 * H) == before  # the failed call changed nothing


# --- invalid configurations ---------------------------------------------------------------

BAD_PARTS: dict[str, tuple[str, dict[str, Any], str | None]] = {
    "overlap in a day": (
        "Europe/Berlin",
        {"mon": [("09:00", "12:00"), ("11:00", "13:00")]},
        None,
    ),
    "overnight overlaps next day": (
        "Europe/Berlin",
        {"tue": [("22:00", "07:00")], "wed": [("06:00", "10:00")]},
        None,
    ),
    "unreadable time": ("Europe/Berlin", {"thu": [("9am", "17:00")]}, "9am"),
    "hour 25": ("Europe/Berlin", {"fri": [("09:00", "25:00")]}, "25:00"),
    "unknown weekday": ("Europe/Berlin", {"funday": [("09:00", "17:00")]}, "funday"),
    "unknown zone": ("Mars/Olympus", {"sat": [("09:00", "17:00")]}, "Mars/Olympus"),
}


@pytest.mark.parametrize("name", list(BAD_PARTS))
def test_each_bad_part_is_one_problem(name: str) -> None:
    zone, weekly, token = BAD_PARTS[name]
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar(zone, weekly)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, SlakitError)
    assert len(caught.value.problems) == 1, caught.value.problems
    if token is not None:
        assert token in caught.value.problems[0]


def test_all_problems_are_reported_at_once() -> None:
    weekly: dict[str, Any] = {}
    for _, part, _ in BAD_PARTS.values():
        weekly.update(part)
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar("Mars/Olympus", weekly)
    problems = caught.value.problems
    assert len(problems) == len(BAD_PARTS), problems
    for _, _, token in BAD_PARTS.values():
        if token is not None:
            assert any(token in p for p in problems), (token, problems)
    assert all(p in str(caught.value) for p in problems)


def test_overnight_shift_overlapping_monday_wraps_the_week() -> None:
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar("UTC", {"sun": [("22:00", "07:00")], "mon": [("06:00", "10:00")]})
    assert len(caught.value.problems) == 1


def test_touching_intervals_are_not_overlaps() -> None:
    BusinessCalendar("UTC", {"mon": [("09:00", "12:00"), ("12:00", "17:00")]})
    BusinessCalendar("UTC", {"mon": [("22:00", "06:00")], "tue": [("06:00", "10:00")]})


def test_from_mapping_reports_every_problem() -> None:
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar.from_mapping(
            {
                "timezone": "Mars/Olympus",
                "weekly": {"mon": [["9am", "17:00"]]},
                "holidays": ["2025-13-01"],
                "overrides": {"2025-06-02": [["10:00", "25:00"]]},
            }
        )
    assert len(caught.value.problems) == 4, caught.value.problems


# --- empty week -----------------------------------------------------------------------------


def test_empty_week_has_no_open_time() -> None:
    cal = BusinessCalendar("Europe/Berlin", {})
    with fails_after(10):
        with pytest.raises(NoOpenTimeError):
            cal.add(AWARE, H)
        with pytest.raises(NoOpenTimeError):
            cal.add(AWARE, timedelta(0))
        with pytest.raises(NoOpenTimeError):
            cal.subtract(AWARE, H)
        with pytest.raises(NoOpenTimeError):
            cal.next_opening(AWARE)
        with pytest.raises(NoOpenTimeError):
            cal.previous_opening(AWARE)
        with pytest.raises((NoOpenTimeError, NeverClosesError)):
            cal.next_closing(AWARE)
        assert not cal.is_open(AWARE)
        assert cal.elapsed(AWARE, AWARE + timedelta(days=30)) == timedelta(0)
        assert list(cal.periods(AWARE, AWARE + timedelta(days=30))) == []


def test_week_empty_but_for_one_override() -> None:
    cal = BusinessCalendar("UTC", {}, overrides={date(2025, 6, 4): [("09:00", "17:00")]})
    with fails_after(10):
        assert_instant(cal.add(u(2025, 6, 1), H), u(2025, 6, 4, 10), cal.zone)
        assert_instant(cal.subtract(u(2025, 7, 1), H), u(2025, 6, 4, 16), cal.zone)
        with pytest.raises(NoOpenTimeError):
            cal.add(u(2025, 6, 5), H)
        with pytest.raises(NoOpenTimeError):
            cal.subtract(u(2025, 6, 3), H)


# --- mappings -----------------------------------------------------------------------------

FULL_MAPPING: dict[str, Any] = {
    "timezone": "Europe/Berlin",
    "weekly": {
        "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
        "fri": [["22:00", "06:00"]],
    },
    "holidays": ["2025-12-25", "2025-12-26"],
    "country": None,
    "subdivision": None,
    "holiday_breaks": None,
    "makeup_workdays": ["2025-12-27"],
    "makeup_hours": [["10:00", "14:00"]],
    "overrides": {"2025-11-11": [["08:00", "23:00"]], "2025-12-01": []},
    "breaks": {"2025-12-22": [["12:00", "13:00"]]},
}


def test_normalized_mapping_round_trips_exactly() -> None:
    assert BusinessCalendar.from_mapping(FULL_MAPPING).to_mapping() == FULL_MAPPING


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_to_mapping_round_trips_and_answers_identically(data: st.DataObject) -> None:
    scn = data.draw(scenarios(days=14))
    cal = BusinessCalendar.from_mapping(scn.mapping)
    normal = cal.to_mapping()
    assert json.loads(json.dumps(normal)) == normal, "to_mapping must be plain JSON data"
    again = BusinessCalendar.from_mapping(json.loads(json.dumps(normal)))
    assert again.to_mapping() == normal
    assert spans(again.periods(scn.window_start, scn.window_end)) == spans(
        cal.periods(scn.window_start, scn.window_end)
    )
    t = data.draw(instants(scn))
    assert as_utc(again.add(t, 5 * H)) == as_utc(cal.add(t, 5 * H))
    assert as_utc(again.subtract(t, 5 * H)) == as_utc(cal.subtract(t, 5 * H))
