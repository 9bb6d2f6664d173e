"""Helpers shared by the calendar tests: exact instant checks and Hypothesis strategies.

The strategies build random calendar *mappings* (the plain-data form accepted by
``BusinessCalendar.from_mapping``) on a quarter-hour grid, so that interval boundaries often
fall on DST transitions (02:00, 02:30, 03:00, midnight in Sao Paulo).

Generated calendars keep two simplifying rules so that every answer is fixed by the documented
semantics alone (no guessing about undocumented corner cases):

* overnight weekly intervals end by 08:00 of the next day and never overlap that day's hours;
* overrides, breaks and makeup hours lie within 08:00-24:00 of their own date, so a break or an
  override never touches a shift that started the day before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from dateutil import tz as dateutil_tz
from hypothesis import strategies as st

UTC = timezone.utc
MICRO = timedelta(microseconds=1)
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
QUARTERS_PER_DAY = 96
OVERNIGHT_MAX_END = 32  # 08:00, in quarter hours
LATE_DAY_START = 32  # overrides / breaks / makeup hours start at 08:00 or later

# Zones with DST (and the years to draw from) plus UTC.
ZONE_YEARS: dict[str, tuple[int, ...]] = {
    "UTC": (2024, 2025),
    "Europe/Berlin": (2024, 2025),
    "America/New_York": (2025,),
    "Australia/Lord_Howe": (2025,),
    "America/Sao_Paulo": tuple(range(2010, 2019)),
}
ALL_ZONES = tuple(ZONE_YEARS)

T = TypeVar("T")


def as_utc(t: datetime) -> datetime:
    """The same instant in UTC (the only safe way to compare or subtract)."""
    return t.astimezone(UTC)


def local(zone: tzinfo, y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    """A wall-clock datetime in ``zone`` (fold 0 = first occurrence / before a gap)."""
    return datetime(y, mo, d, h, mi, tzinfo=zone, fold=fold)


def assert_in_zone(result: datetime, zone: ZoneInfo) -> None:
    """``result`` is expressed in ``zone`` and is a real (canonical) wall-clock time there."""
    assert result.tzinfo is not None, f"naive result {result!r}"
    assert result.tzinfo == zone, f"{result.isoformat()} is in {result.tzinfo!r}, want {zone!r}"
    canonical = as_utc(result).astimezone(zone)
    assert (result.replace(tzinfo=None), result.utcoffset()) == (
        canonical.replace(tzinfo=None),
        canonical.utcoffset(),
    ), f"{result!r} is not a canonical wall time (expected {canonical!r})"


def assert_instant(result: datetime, expected: datetime, zone: ZoneInfo) -> None:
    """Same instant as ``expected`` and expressed in the calendar zone."""
    assert as_utc(result) == as_utc(expected), (
        f"got {result.isoformat()} ({as_utc(result).isoformat()}), "
        f"want {expected.isoformat()} ({as_utc(expected).isoformat()})"
    )
    assert_in_zone(result, zone)


def hhmm(quarter: int) -> str:
    """Quarter-hour index (0..96) to ``"HH:MM"``; 96 is ``"24:00"``."""
    return "24:00" if quarter == QUARTERS_PER_DAY else f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


def minutes_of(text: str) -> int:
    """``"HH:MM"`` to minutes after midnight (``"24:00"`` is 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@functools.cache
def dst_transitions(zone_name: str) -> tuple[datetime, ...]:
    """UTC instants where the zone's offset changes, in the years of ``ZONE_YEARS``."""
    zone = ZoneInfo(zone_name)
    found: list[datetime] = []
    for year in ZONE_YEARS[zone_name]:
        t = datetime(year, 1, 1, tzinfo=UTC)
        end = datetime(year + 1, 1, 1, tzinfo=UTC)
        offset = t.astimezone(zone).utcoffset()
        while t < end:
            t += timedelta(minutes=30)  # every transition of these zones is on a half hour
            new_offset = t.astimezone(zone).utcoffset()
            if new_offset != offset:
                found.append(t)
                offset = new_offset
    return tuple(found)


@dataclass(frozen=True)
class Scenario:
    """A random calendar mapping plus the window of local dates it was built around."""

    mapping: dict[str, Any]
    zone: ZoneInfo
    first: date
    days: int
    boundary_minutes: tuple[int, ...] = field(default=())

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    @property
    def window_start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=self.zone)

    @property
    def window_end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=self.zone)

    def transitions(self) -> list[datetime]:
        lo, hi = as_utc(self.window_start), as_utc(self.window_end)
        return [t for t in dst_transitions(self.zone.key) if lo <= t < hi]


def _pairs(points: list[int]) -> list[tuple[int, int]]:
    """Sorted points to intervals; touching intervals are kept, empty ones dropped."""
    points = sorted(points)
    return [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2) if points[i] < points[i + 1]]


def day_hours(
    lo: int = 0, max_intervals: int = 3, min_intervals: int = 0
) -> st.SearchStrategy[list[tuple[int, int]]]:
    """Same-day intervals in quarter hours within ``[lo, 96]``, sorted, possibly touching."""
    return (
        st.integers(min_intervals, max_intervals)
        .flatmap(lambda k: st.lists(st.integers(lo, QUARTERS_PER_DAY), min_size=2 * k, max_size=2 * k))
        .map(_pairs)
        .filter(lambda ivs: len(ivs) >= min_intervals)
    )


def _as_text(intervals: Iterable[tuple[int, int]]) -> list[list[str]]:
    return [[hhmm(s), hhmm(e)] for s, e in intervals]


def dates_in(first: date, days: int) -> st.SearchStrategy[date]:
    return st.integers(0, days - 1).map(lambda i: first + timedelta(days=i))


@st.composite
def weekly_hours(draw: st.DrawFn) -> list[list[tuple[int, int]]]:
    """Seven days of hours (Monday first) with optional overnight last intervals."""
    days = [draw(day_hours()) for _ in range(7)]
    if not any(days):
        days[0] = [(36, 68)]  # keep some open time every week
    for i, intervals in enumerate(days):
        if not intervals:
            continue
        start = intervals[-1][0]
        shape = draw(st.sampled_from(("keep", "until 24:00", "overnight", "overnight")))
        if shape == "until 24:00":
            intervals[-1] = (start, QUARTERS_PER_DAY)
        elif shape == "overnight":
            following = days[(i + 1) % 7]
            first_next = following[0][0] if following else QUARTERS_PER_DAY
            limit = min(start - 1, first_next, OVERNIGHT_MAX_END)
            if limit >= 0:  # end 0 ("00:00") means "until midnight", like "24:00"
                intervals[-1] = (start, draw(st.integers(0, limit)))
    if all(d == [(0, QUARTERS_PER_DAY)] for d in days):
        days[0] = [(36, 68)]  # and some closed time, so closings exist
    return days


@st.composite
def scenarios(draw: st.DrawFn, zones: tuple[str, ...] = ALL_ZONES, days: int = 21) -> Scenario:
    """A random calendar around a DST transition (or a random date) of a random zone."""
    zone_name = draw(st.sampled_from(zones))
    zone = ZoneInfo(zone_name)
    transitions = dst_transitions(zone_name)
    if transitions and draw(st.integers(0, 3)) > 0:
        anchor = draw(st.sampled_from(transitions)).astimezone(zone).date()
    else:
        year = draw(st.sampled_from(ZONE_YEARS[zone_name]))
        anchor = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    first = anchor - timedelta(days=draw(st.integers(1, max(1, days - 2))))
    weekly = draw(weekly_hours())
    in_window = dates_in(first, days)
    holidays = draw(st.lists(in_window, max_size=3, unique=True))
    overrides = draw(st.dictionaries(in_window, day_hours(lo=LATE_DAY_START, max_intervals=2), max_size=2))
    breaks = draw(
        st.dictionaries(in_window, day_hours(lo=LATE_DAY_START, max_intervals=1, min_intervals=1), max_size=2)
    )
    # Makeup days only where the weekly schedule is empty and nothing else claims the date.
    makeup = [
        d
        for d in draw(st.lists(in_window, max_size=3, unique=True))
        if not weekly[d.weekday()] and d not in holidays and d not in overrides
    ]
    makeup_hours = draw(st.none() | day_hours(lo=LATE_DAY_START, max_intervals=2, min_intervals=1))
    mapping: dict[str, Any] = {
        "timezone": zone_name,
        "weekly": {WEEKDAY_KEYS[i]: _as_text(ivs) for i, ivs in enumerate(weekly) if ivs},
        "holidays": [d.isoformat() for d in holidays],
        "overrides": {d.isoformat(): _as_text(ivs) for d, ivs in overrides.items()},
        "breaks": {d.isoformat(): _as_text(ivs) for d, ivs in breaks.items()},
        "makeup_workdays": [d.isoformat() for d in makeup],
    }
    if makeup_hours is not None:
        mapping["makeup_hours"] = _as_text(makeup_hours)
    boundaries = {q * 15 for ivs in weekly for iv in ivs for q in iv}
    for group in (overrides.values(), breaks.values()):
        boundaries |= {q * 15 for ivs in group for iv in ivs for q in iv}
    return Scenario(mapping, zone, first, days, tuple(sorted(boundaries)))


INPUT_ZONES: tuple[tzinfo, ...] = (
    timezone(timedelta(hours=5, minutes=30)),
    ZoneInfo("America/Los_Angeles"),
    UTC,
    dateutil_tz.gettz("Europe/Paris") or UTC,
)

_NUDGES = (
    timedelta(0),
    timedelta(0),
    MICRO,
    -MICRO,
    timedelta(minutes=1),
    -timedelta(minutes=1),
    timedelta(minutes=30),
    -timedelta(minutes=30),
    timedelta(hours=1),
    -timedelta(hours=1),
)


@st.composite
def instants(draw: st.DrawFn, scn: Scenario) -> datetime:
    """An aware instant in the scenario window that favours boundaries and DST transitions.

    It is expressed in the calendar zone or in another zone (results must not depend on it).
    """
    lo, hi = as_utc(scn.window_start), as_utc(scn.window_end)
    kind = draw(st.integers(0, 2))
    transitions = scn.transitions()
    if kind == 0 and transitions:
        t = draw(st.sampled_from(transitions))
    elif kind <= 1 and scn.boundary_minutes:
        day = draw(dates_in(scn.first, scn.days))
        minute = draw(st.sampled_from(scn.boundary_minutes))
        wall = datetime.combine(
            day + timedelta(days=minute // 1440),
            time(minute % 1440 // 60, minute % 60),
            tzinfo=scn.zone,
        ).replace(fold=draw(st.integers(0, 1)))
        t = as_utc(wall)
    else:
        span = int((hi - lo) / MICRO)
        t = lo + MICRO * draw(st.integers(0, span - 1))
    t += draw(st.sampled_from(_NUDGES))
    t = min(max(t, lo), hi - MICRO)
    return t.astimezone(draw(st.sampled_from((scn.zone, *INPUT_ZONES))))


def durations(max_hours: int = 120) -> st.SearchStrategy[timedelta]:
    """Non-negative durations: zero, whole quarter hours (hit boundaries) or any microseconds."""
    return st.one_of(
        st.just(timedelta(0)),
        st.integers(1, max_hours * 4).map(lambda q: timedelta(minutes=15 * q)),
        st.integers(1, max_hours * 3600 * 10**6).map(lambda us: us * MICRO),
    )


def first_or_none(items: Iterable[T], keep: Callable[[T], bool]) -> T | None:
    """The first item satisfying ``keep`` or None."""
    return next((x for x in items if keep(x)), None)
