"""Calendar composition: intersection, union and difference against a minute-grid oracle.

Every boundary in these calendars falls on a whole minute (in UTC too, for the zones used),
so openness is constant within each minute and counting open minutes is an exact,
independent measure of open time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import (
    AlwaysOpen,
    BusinessCalendar,
    CalendarConfigError,
    ComposedCalendar,
    NaiveDatetimeError,
    calendar_from_mapping,
    calendar_to_mapping,
    difference,
    intersection,
    union,
)

UTC = timezone.utc
MINUTE = timedelta(minutes=1)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Shanghai")


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    zone = draw(st.sampled_from(ZONES))
    weekly: dict[str, list[tuple[str, str]]] = {}
    days = draw(st.sets(st.sampled_from(DAYS), min_size=1))
    for i, day in enumerate(DAYS):
        if day not in days:
            continue
        start = draw(st.integers(0, 22)) * 60 + draw(st.sampled_from([0, 30]))
        end = start + draw(st.integers(1, 14)) * 60
        if DAYS[(i + 1) % 7] in days:  # the next day is open: stay within this one
            end = min(end, 24 * 60)
        weekly[day] = [(f"{start // 60:02}:{start % 60:02}",
                        "24:00" if end == 24 * 60 else f"{end // 60 % 24:02}:{end % 60:02}")]
    holidays = draw(st.lists(st.dates(date(2025, 3, 20), date(2025, 4, 5)), max_size=2))
    return BusinessCalendar(zone, weekly, holidays=holidays)


OPS: dict[str, Callable[[bool, bool], bool]] = {
    "intersection": lambda a, b: a and b,
    "union": lambda a, b: a or b,
    "difference": lambda a, b: a and not b,
}


def open_minutes(pred: Callable[[datetime], bool], start: datetime, end: datetime) -> int:
    n, t = 0, start
    while t < end:
        n += pred(t)
        t += MINUTE
    return n


@settings(max_examples=25, deadline=None)
@given(a=calendars(), b=calendars(), op=st.sampled_from(sorted(OPS)),
       offset=st.integers(0, 9 * 24 * 60))
def test_composition_matches_the_minute_grid(
    a: BusinessCalendar, b: BusinessCalendar, op: str, offset: int
) -> None:
    composed = ComposedCalendar(op, [a, b], "UTC")  # type: ignore[arg-type]
    start = datetime(2025, 3, 24, tzinfo=UTC) + offset * MINUTE
    end = start + timedelta(days=2)

    def oracle(t: datetime) -> bool:
        return OPS[op](a.is_open(t), b.is_open(t))

    expected = open_minutes(oracle, start, end)
    assert composed.elapsed(start, end) == expected * MINUTE
    probe = start
    while probe < end:
        assert composed.is_open(probe) == oracle(probe), probe
        probe += 37 * MINUTE
    if expected:
        # add() lands exactly where the grid says the n-th open minute ends.
        n = (expected + 1) // 2
        t, seen = start, 0
        while seen < n:
            seen += oracle(t)
            t += MINUTE
        result = composed.add(start, n * MINUTE)
        assert result == composed.next_opening(t) if not oracle(t) else result == t


def test_intersection_of_two_zones_is_the_overlap_of_office_hours() -> None:
    team = BusinessCalendar.weekdays("08:00", "16:00", timezone="Europe/Berlin")
    customer = BusinessCalendar.weekdays("09:00", "17:00", timezone="America/New_York")
    both = team & customer
    monday = datetime(2025, 1, 6, tzinfo=ZoneInfo("Europe/Berlin"))
    periods = list(both.periods(monday, monday + timedelta(days=1)))
    assert [(p.start.hour, p.end.hour) for p in periods] == [(15, 16)]
    assert both.zone == ZoneInfo("Europe/Berlin")


def test_follow_the_sun_union_covers_a_day_and_merges_touching_shifts() -> None:
    shanghai = BusinessCalendar.weekdays("08:00", "16:00", timezone="Asia/Shanghai")  # 00-08 UTC
    berlin = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")    # 08-16 UTC
    new_york = BusinessCalendar.weekdays("11:00", "19:00", timezone="America/New_York")  # 16-24
    desk = union(shanghai, berlin, new_york, timezone="UTC")
    tuesday = datetime(2025, 1, 7, tzinfo=UTC)
    (period,) = list(desk.periods(tuesday, tuesday + timedelta(days=1)))
    assert (period.start, period.end) == (tuesday, tuesday + timedelta(days=1))
    assert desk.elapsed(tuesday, tuesday + timedelta(days=1)) == timedelta(hours=24)


def test_difference_removes_a_maintenance_window() -> None:
    office = BusinessCalendar.weekdays("09:00", "17:00", timezone="UTC")
    maintenance = BusinessCalendar("UTC", {"wed": [("12:00", "14:00")]})
    usable = office - maintenance
    wednesday = datetime(2025, 1, 8, tzinfo=UTC)
    assert usable.elapsed(wednesday, wednesday + timedelta(days=1)) == timedelta(hours=6)
    assert usable.add(wednesday.replace(hour=11), timedelta(hours=2)) == wednesday.replace(hour=15)
    assert usable.next_closing(wednesday.replace(hour=10)) == wednesday.replace(hour=12)


def test_always_open_in_a_composition() -> None:
    office = BusinessCalendar.weekdays("09:00", "17:00", timezone="UTC")
    assert isinstance(AlwaysOpen("UTC") - office, ComposedCalendar)
    nights_and_weekends = AlwaysOpen("UTC") - office
    monday = datetime(2025, 1, 6, tzinfo=UTC)
    assert nights_and_weekends.elapsed(monday, monday + timedelta(days=7)) == timedelta(hours=128)


def test_compositions_round_trip_through_plain_data() -> None:
    office = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin", country="DE")
    composed = difference(intersection(office, AlwaysOpen("UTC")),
                          BusinessCalendar("UTC", {"sat": [("00:00", "24:00")]}))
    data = calendar_to_mapping(composed)
    assert data["kind"] == "difference"
    assert data["parts"][0]["kind"] == "intersection"
    rebuilt = calendar_from_mapping(data)
    assert rebuilt == composed
    t = datetime(2025, 12, 24, 10, tzinfo=UTC)
    assert rebuilt.add(t, timedelta(hours=30)) == composed.add(t, timedelta(hours=30))


def test_bad_compositions_are_refused() -> None:
    office = BusinessCalendar.weekdays("09:00", "17:00", timezone="UTC")
    with pytest.raises(CalendarConfigError, match="needs at least two calendars"):
        union(office)
    with pytest.raises(CalendarConfigError, match="unknown calendar kind 'sometimes'"):
        calendar_from_mapping({"kind": "sometimes"})
    with pytest.raises(NaiveDatetimeError):
        (office | office).add(datetime(2025, 1, 1), timedelta(hours=1))


def _minute_aligned(cal: BusinessCalendar) -> bool:
    data = cal.to_mapping()
    times = [t for day in data["weekly"].values() for pair in day for t in pair]
    times += [t for hours in (*data["overrides"].values(), *data["breaks"].values())
              for pair in hours for t in pair]
    return all(len(t) == 5 for t in times)


@settings(max_examples=15, deadline=None)
@given(data=st.data(), op=st.sampled_from(sorted(OPS)))
def test_composition_of_slakit_testing_calendars(data: st.DataObject, op: str) -> None:
    """The same oracle over the calendars hosts get from slakit.testing (DST zones included)."""
    from slakit.testing import calendars as host_calendars

    a = data.draw(host_calendars(dated_settings=False).filter(_minute_aligned))
    b = data.draw(host_calendars(zones=[a.zone.key], dated_settings=False)
                  .filter(_minute_aligned))
    composed = ComposedCalendar(op, [a, b])  # type: ignore[arg-type]
    start = datetime(2025, 3, 29, tzinfo=UTC)  # across Europe's 2025 spring-forward night
    end = start + timedelta(days=2)

    def oracle(t: datetime) -> bool:
        return OPS[op](a.is_open(t), b.is_open(t))

    assert composed.elapsed(start, end) == open_minutes(oracle, start, end) * MINUTE
