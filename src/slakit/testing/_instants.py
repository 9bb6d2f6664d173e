"""``aware_datetimes()``: instants that tend to break business-time code.

Uniformly random instants almost never land where bugs live. This strategy favours:

* the open/close boundaries of a calendar (found through its public ``periods``, so any
  :class:`~slakit.Calendar` works, compositions included);
* DST transitions of the zone (the instant itself and its neighbours fall in or next to the
  gap or the fold), and, for a zone that stopped observing DST after 2010, the last years
  it did;
* local midnights, holidays, makeup days, overrides and breaks of a ``BusinessCalendar``;
* instants the caller names (``anchors``);

each nudged by nothing, a microsecond, a second, a minute, half an hour or an hour either
way, and expressed in the calendar's zone or another one (results must not depend on it).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from slakit._errors import NaiveDatetimeError, SlakitError
from slakit._message import Message
from slakit.calendar import BusinessCalendar, Calendar
from slakit.testing._errors import TestingArgumentError

UTC = timezone.utc
US = timedelta(microseconds=1)

DST_ZONES: tuple[str, ...] = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "America/Sao_Paulo",  # DST until 2019, switching at midnight
    "Asia/Shanghai",
    "UTC",
)
"""Zones the strategies draw from by default: DST both ways, half-hour DST, midnight DST, none."""

OTHER_ZONES: tuple[tzinfo, ...] = (
    UTC,
    timezone(timedelta(hours=5, minutes=30)),
    ZoneInfo("America/Los_Angeles"),
)
"""Zones an instant may be expressed in besides its home zone."""

NUDGES: tuple[timedelta, ...] = (
    timedelta(0), timedelta(0), timedelta(0), US, -US, timedelta(seconds=1), -timedelta(seconds=1),
    timedelta(minutes=1), -timedelta(minutes=1), timedelta(minutes=30), -timedelta(minutes=30),
    timedelta(hours=1), -timedelta(hours=1),
)

_DEFAULT_YEARS = (2024, 2026)
_OLDEST_DST_SEARCH = 2010  # a zone without DST for longer is a zone without DST


@functools.cache
def zone_transitions(key: str, year: int) -> tuple[datetime, ...]:
    """UTC instants in ``year`` at which the zone ``key`` changes its UTC offset."""
    zone = ZoneInfo(key)
    found: list[datetime] = []
    step = timedelta(hours=6)  # no zone changes its offset twice within six hours
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    offset = t.astimezone(zone).utcoffset()
    while t < end:
        nxt = t + step
        new_offset = nxt.astimezone(zone).utcoffset()
        if new_offset != offset:
            lo, hi = 0, int(step.total_seconds())  # bisect to the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if (t + timedelta(seconds=mid)).astimezone(zone).utcoffset() == offset:
                    lo = mid
                else:
                    hi = mid
            found.append(t + timedelta(seconds=hi))
        t, offset = nxt, new_offset
    return tuple(found)


@functools.cache
def last_dst_years(key: str, before: int) -> tuple[int, ...]:
    """The last two years before ``before`` with offset changes (none for a zone without)."""
    for year in range(before - 1, _OLDEST_DST_SEARCH - 1, -1):
        if zone_transitions(key, year):
            return (year - 1, year)
    return ()


def special_dates(calendar: Calendar, years: range) -> tuple[date, ...]:
    """Dated settings of a ``BusinessCalendar``; empty for other calendars.

    Holidays (a country's too), makeup days, overrides and breaks.
    """
    if not isinstance(calendar, BusinessCalendar):
        return ()
    try:
        data = calendar.to_mapping()
    except SlakitError:
        return ()
    found = {date.fromisoformat(d) for d in (*data["holidays"], *data["makeup_workdays"])}
    found |= {date.fromisoformat(d) for d in (*data["overrides"], *data["breaks"])}
    if data["country"]:
        import holidays

        package = holidays.country_holidays(data["country"], subdiv=data["subdivision"],
                                            years=list(years))
        found |= set(package)
        found |= set(getattr(package, "weekend_workdays", ()))
    return tuple(sorted(found))


def _window(
    zone: ZoneInfo, dates: Sequence[date], lo: datetime | None, hi: datetime | None
) -> tuple[datetime, datetime]:
    """The default range: 2024-2026, widened to dated settings and the zone's last DST years."""
    years = [*_DEFAULT_YEARS, *(d.year for d in dates)]
    if not any(zone_transitions(zone.key, y) for y in range(_DEFAULT_YEARS[0], _DEFAULT_YEARS[1] + 1)):
        years += last_dst_years(zone.key, _DEFAULT_YEARS[0])
    start = lo or datetime(min(years), 1, 1, tzinfo=zone)
    end = hi or datetime(max(years) + 1, 1, 1, tzinfo=zone)
    if end.astimezone(UTC) <= start.astimezone(UTC):
        raise TestingArgumentError(
            Message("max_value {isoformat} must be after min_value {isoformat2}", isoformat=end.isoformat(),
                    isoformat2=start.isoformat()))
    return start.astimezone(UTC), end.astimezone(UTC)


def _boundaries_near(calendar: Calendar, t: datetime) -> list[datetime]:
    """Openings and closings of ``calendar`` within three days either side of ``t``."""
    u = t.astimezone(UTC)  # compare in UTC: same-zone datetimes compare by wall clock
    lo, hi = u - timedelta(days=3), u + timedelta(days=3)
    out: list[datetime] = []
    try:
        for p in calendar.periods(lo, hi):
            out += [p.start, p.end]
    except SlakitError:  # e.g. a calendar that cannot describe that far
        return []
    return [x for x in out if lo < x.astimezone(UTC) < hi]  # clip edges are not boundaries


@st.composite
def _instant(
    draw: st.DrawFn,
    calendar: Calendar | None,
    homes: Sequence[ZoneInfo],
    bounds: dict[str, tuple[datetime, datetime, tuple[date, ...]]],
    zones: Sequence[tzinfo] | None,
    anchors: Sequence[datetime],
    allow_imaginary: bool,
) -> datetime:
    home = calendar.zone if calendar is not None else draw(st.sampled_from(homes))
    lo, hi, dates = bounds[home.key]
    total_minutes = int((hi - lo) / timedelta(minutes=1))
    uniform = lo + timedelta(minutes=draw(st.integers(0, total_minutes - 1)))
    uniform += US * draw(st.sampled_from([0, 0, draw(st.integers(0, 59_999_999))]))
    kind = draw(st.sampled_from(["uniform", "boundary", "boundary", "dst", "dst", "midnight",
                                 "special", "anchor"]))
    t = uniform
    if kind == "boundary" and calendar is not None:
        near = _boundaries_near(calendar, uniform)
        t = draw(st.sampled_from(near)) if near else uniform
    elif kind == "dst":
        years = range(lo.year, hi.year + 1)
        found = [x for y in years for x in zone_transitions(home.key, y) if lo <= x < hi]
        t = draw(st.sampled_from(found)) if found else uniform
    elif kind in ("midnight", "special"):
        day = uniform.astimezone(home).date()
        if kind == "special" and dates:
            day = draw(st.sampled_from(dates))
        t = datetime.combine(day, time(0), tzinfo=home)
        if calendar is not None and draw(st.booleans()):
            near = [b for b in _boundaries_near(calendar, t) if b.astimezone(home).date() == day]
            t = draw(st.sampled_from(near)) if near else t
    elif kind == "anchor" and anchors:
        t = draw(st.sampled_from(anchors))
    t = t.astimezone(UTC) + draw(st.sampled_from(NUDGES))
    t = min(max(t, lo), hi - US)  # a boundary or nudge may step outside the window
    if allow_imaginary and kind == "dst" and draw(st.booleans()):
        return _imaginary(t, home)
    return t.astimezone(draw(st.sampled_from(zones or (home, home, *OTHER_ZONES))))


def _imaginary(t: datetime, zone: ZoneInfo) -> datetime:
    """A wall time in the DST gap at ``t`` (a time that never happened there), if there is one."""
    before = (t - timedelta(hours=3)).astimezone(zone).utcoffset()
    after = (t + timedelta(hours=3)).astimezone(zone).utcoffset()
    if before is None or after is None or after <= before:
        return t.astimezone(zone)
    wall = (t + timedelta(hours=3)).astimezone(zone).replace(tzinfo=None) - timedelta(hours=3)
    return (wall - (after - before) / 2).replace(tzinfo=zone)


def aware_datetimes(
    calendar: Calendar | None = None,
    *,
    min_value: datetime | None = None,
    max_value: datetime | None = None,
    zones: Sequence[tzinfo] | None = None,
    anchors: Sequence[datetime] = (),
    allow_imaginary: bool = False,
) -> st.SearchStrategy[datetime]:
    """Timezone-aware instants that favour the awkward ones.

    Args:
        calendar: favour its open/close boundaries, its zone's DST transitions, and (for a
            ``BusinessCalendar``) its holidays, makeup days, overrides and breaks. Without
            one, instants favour the DST transitions and midnights of :data:`DST_ZONES`.
        min_value: earliest instant (aware); by default 1 January 2024 in the home zone,
            earlier when the calendar has older dated settings, or when its zone last
            observed DST before 2024 (America/Sao_Paulo: 2017-2018).
        max_value: latest instant, exclusive (aware); by default the end of 2026 or of the
            last dated setting's year.
        zones: zones the instants are expressed in; by default the home zone, UTC, +05:30
            and America/Los_Angeles.
        anchors: instants to favour as well (a peak window's first day, say).
        allow_imaginary: sometimes give a wall time inside a DST gap, which never happened
            (``datetime`` accepts it; code that trusts wall clocks trips on it).

    Example:
        >>> from hypothesis import find
        >>> from slakit.calendar import BusinessCalendar
        >>> office = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
        >>> t = find(aware_datetimes(office), lambda t: office.is_open(t) and t.minute == 0
        ...          and t.tzinfo == office.zone)
        >>> 9 <= t.hour < 17, t.weekday() < 5
        (True, True)
    """
    if min_value is not None and min_value.utcoffset() is None:
        raise NaiveDatetimeError("min_value", min_value)
    if max_value is not None and max_value.utcoffset() is None:
        raise NaiveDatetimeError("max_value", max_value)
    homes = (calendar.zone,) if calendar is not None else tuple(ZoneInfo(z) for z in DST_ZONES)
    bounds: dict[str, tuple[datetime, datetime, tuple[date, ...]]] = {}
    for home in homes:
        lo, hi = _window(home, (), min_value, max_value)
        dates: tuple[date, ...] = ()
        if calendar is not None:
            dates = special_dates(calendar, range(lo.year, hi.year + 1))
            lo, hi = _window(home, dates, min_value, max_value)
            dates = tuple(d for d in dates if lo.date() <= d <= hi.date())
        bounds[home.key] = (lo, hi, dates)
    return _instant(calendar, homes, bounds, zones, tuple(anchors), allow_imaginary)
