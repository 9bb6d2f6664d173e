"""``calendars()``: random, always valid ``BusinessCalendar`` configurations.

Design rules:

* Every drawn configuration passes the calendar's own validation: intervals of a day never
  overlap, and an overnight shift ends at or before the next day's first start (Sunday's
  wraps into Monday). A drawn calendar that the constructor refuses is a bug here.
* Times sit on a grid drawn per calendar (an hour, half hour, quarter hour or any minute),
  so boundaries often meet DST transitions (02:00, 02:30, 03:00, midnight in Sao Paulo).
* Dated settings (holidays, makeup days, overrides, breaks) cluster within three weeks of
  an anchor date, usually a DST transition of the zone, so they interact with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from slakit._message import Message
from slakit.calendar import BusinessCalendar
from slakit.testing._errors import TestingArgumentError
from slakit.testing._instants import DST_ZONES, _window, zone_transitions

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
_SPREAD_DAYS = 21

Minutes = tuple[int, int]
"""``(start, end)`` in minutes after local midnight; an end at or before the start is overnight."""


def _hhmm(minute: int) -> str:
    return "24:00" if minute == DAY_MINUTES else f"{minute // 60:02d}:{minute % 60:02d}"


def _text(intervals: Sequence[Minutes]) -> list[list[str]]:
    return [[_hhmm(s), _hhmm(e)] for s, e in intervals]


@st.composite
def _same_day(draw: st.DrawFn, grain: int, max_intervals: int, min_intervals: int = 0) -> list[Minutes]:
    """Sorted, non-overlapping intervals within one day (touching ones allowed)."""
    k = draw(st.integers(min_intervals, max_intervals))
    points = sorted(draw(st.lists(st.integers(0, DAY_MINUTES // grain), min_size=2 * k,
                                  max_size=2 * k)))
    out = [(points[i] * grain, points[i + 1] * grain) for i in range(0, 2 * k, 2)
           if points[i] < points[i + 1]]
    if len(out) < min_intervals:
        out = [(9 * 60, 17 * 60)]
    return out


def _overnight(draw: st.DrawFn, day: list[Minutes], next_first: int | None, grain: int) -> None:
    """Maybe make the day's last interval run past midnight, ending by ``next_first``."""
    if not day or not draw(st.booleans()):
        return
    start = day[-1][0]
    limit = min(start, DAY_MINUTES if next_first is None else next_first)
    # An end at or before the start reads as "the next day"; 00:00 means midnight.
    day[-1] = (start, draw(st.integers(0, limit // grain)) * grain)


@st.composite
def _overridden_day(draw: st.DrawFn, grain: int) -> list[Minutes]:
    day = draw(_same_day(grain, 2))
    _overnight(draw, day, None, grain)
    return day


@st.composite
def _weekly(draw: st.DrawFn, grain: int, max_intervals: int) -> list[list[Minutes]]:
    week = [draw(_same_day(grain, max_intervals)) for _ in range(7)]
    if not any(week):
        week[0] = [(9 * 60, 17 * 60)]  # some open time every week, or nothing is ever due
    firsts = [day[0][0] if day else None for day in week]  # before any end moves
    for i, day in enumerate(week):
        _overnight(draw, day, firsts[(i + 1) % 7], grain)
    return week


def _anchor_years(zone: str) -> tuple[int, int]:
    """The years :func:`~slakit.testing.aware_datetimes` favours for this zone by default."""
    lo, hi = _window(ZoneInfo(zone), (), None, None)
    return lo.year, (hi - timedelta(days=1)).year


@st.composite
def _calendar(
    draw: st.DrawFn,
    zones: Sequence[str],
    countries: Sequence[str],
    max_intervals: int,
    dated: bool,
) -> BusinessCalendar:
    zone = draw(st.sampled_from(zones))
    grain = draw(st.sampled_from([60, 30, 15, 1]))
    week = draw(_weekly(grain, max_intervals))
    mapping: dict[str, Any] = {
        "timezone": zone,
        "weekly": {WEEKDAYS[i]: _text(day) for i, day in enumerate(week) if day},
    }
    if countries and draw(st.integers(0, 3)) == 0:
        mapping["country"] = draw(st.sampled_from(countries))
    if not dated:
        return BusinessCalendar.from_mapping(mapping)
    first_year, last_year = _anchor_years(zone)
    transitions = [t.date() for y in range(first_year, last_year + 1)
                   for t in zone_transitions(zone, y)]
    if transitions and draw(st.integers(0, 2)) > 0:
        anchor = draw(st.sampled_from(transitions))
    else:
        span = (date(last_year, 12, 31) - date(first_year, 1, 1)).days
        anchor = date(first_year, 1, 1) + timedelta(days=draw(st.integers(0, span)))
    near = st.integers(-_SPREAD_DAYS, _SPREAD_DAYS).map(lambda n: anchor + timedelta(days=n))
    holidays = draw(st.lists(near, max_size=3, unique=True))
    makeup = [d for d in draw(st.lists(near, max_size=2, unique=True)) if d not in holidays]
    overrides = draw(st.dictionaries(near, _overridden_day(grain), max_size=2))
    breaks = draw(st.dictionaries(near, _same_day(grain, 2, min_intervals=1), max_size=2))
    mapping["holidays"] = [d.isoformat() for d in holidays]
    mapping["makeup_workdays"] = [d.isoformat() for d in makeup]
    own_hours = draw(st.booleans())
    if makeup and own_hours:
        mapping["makeup_hours"] = _text(draw(_same_day(grain, 2, min_intervals=1)))
    mapping["overrides"] = {d.isoformat(): _text(v) for d, v in overrides.items()}
    mapping["breaks"] = {d.isoformat(): _text(v) for d, v in breaks.items()}
    return BusinessCalendar.from_mapping(mapping)


def calendars(
    *,
    zones: Sequence[str] = DST_ZONES,
    countries: Sequence[str] = (),
    max_intervals_per_day: int = 3,
    dated_settings: bool = True,
) -> st.SearchStrategy[BusinessCalendar]:
    """Random valid ``BusinessCalendar`` values, awkward on purpose.

    Weekly hours have split shifts (up to ``max_intervals_per_day`` intervals a day, often
    touching), shifts ending at 24:00 and overnight shifts, some ending exactly where the
    next day starts. Zones default to :data:`DST_ZONES` (Lord Howe's half-hour DST, Sao
    Paulo's midnight DST in its last DST years, plus UTC and a zone without DST).

    Args:
        zones: IANA zone names to draw from.
        countries: ISO codes whose public holidays (and makeup workdays) a calendar may take
            from the ``holidays`` package, e.g. ``("CN", "DE")``.
        max_intervals_per_day: the most weekly intervals on one weekday.
        dated_settings: also draw holidays, makeup workdays (with their own hours or
            Monday's), overrides (an empty one closes a day; one may run overnight) and
            breaks, clustered around a DST transition of the zone.

    Example:
        >>> from hypothesis import find
        >>> cal = find(calendars(), lambda c: any(
        ...     e <= s for day in c.to_mapping()["weekly"].values() for s, e in day))
        >>> "overnight shift found"
        'overnight shift found'
    """
    if max_intervals_per_day < 1:
        raise TestingArgumentError(
            Message("max_intervals_per_day must be at least 1, got {max_intervals_per_day}",
                    max_intervals_per_day=max_intervals_per_day))
    if not zones:
        raise TestingArgumentError(Message("zones must name at least one IANA zone"))
    return _calendar(tuple(zones), tuple(countries), max_intervals_per_day, dated_settings)
