"""Calendar configuration: parse plain data, validate it once, freeze it.

Design rules:

* Every problem is collected before anything is raised, so a user fixes a configuration in
  one round trip (:class:`slakit.CalendarConfigError` lists them all).
* Times of day become integer microseconds after local midnight. An interval whose end is
  at or before its start runs past midnight: its end gets 24 h added, and it belongs to the
  day it starts on. ``"24:00"`` is accepted as an end only.
* The frozen :class:`CalendarSpec` is the single source of truth for both the arithmetic and
  the JSON-able mapping form, so ``from_mapping(m).to_mapping()`` round-trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from slakit._errors import CalendarConfigError
from slakit._message import Message
from slakit._zone import read_zone
from slakit.calendar._holiday_source import HolidaySource

US_PER_MINUTE = 60_000_000
US_PER_HOUR = 60 * US_PER_MINUTE
DAY_US = 24 * US_PER_HOUR

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_INDEX = {**{d: i for i, d in enumerate(WEEKDAYS)}, **{d: i for i, d in enumerate(_FULL_NAMES)}}

Interval = tuple[int, int]
"""``(start, end)`` in microseconds after local midnight; ``start < end <= start + 24 h``."""

TimeLike = str | time
IntervalLike = Sequence[TimeLike]


@attrs.frozen
class CalendarSpec:
    """A validated, normalised calendar configuration."""

    zone: ZoneInfo
    weekly: tuple[tuple[Interval, ...], ...]
    holidays: HolidaySource
    makeup_workdays: frozenset[date]
    makeup_hours: tuple[Interval, ...] | None
    overrides: Mapping[date, tuple[Interval, ...]]
    breaks: Mapping[date, tuple[Interval, ...]]

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The intervals that start on ``day``, before breaks are cut out.

        Precedence: an override, then a makeup workday, then a holiday, then the week.
        """
        override = self.overrides.get(day)
        if override is not None:
            return override
        holidays, makeup = self.holidays.year(day.year)
        if day in self.makeup_workdays or day in makeup:
            return self.makeup_hours if self.makeup_hours is not None else self.weekly[0]
        if day in holidays:
            return ()
        return self.weekly[day.weekday()]

    @property
    def explicit_years(self) -> tuple[int, int] | None:
        """First and last year named by a dated setting, or None when there is none."""
        days = [*self.makeup_workdays, *self.overrides, *self.breaks, *self.holidays.dates]
        if not days:
            return None
        return min(days).year, max(days).year


class _Problems:
    """Collects configuration problems; each parser returns a best-effort value."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)


def parse_time(value: object, where: str, problems: _Problems, *, is_end: bool) -> int | None:
    """Microseconds after midnight for ``"HH:MM"``, ``"HH:MM:SS[.ffffff]"`` or a ``time``."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            problems.add(Message("{where}: time {value!r} has a tzinfo; give wall-clock times only",
                                 where=where, value=value))
            return None
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    if not isinstance(value, str):
        problems.add(Message("{where}: expected a time like '09:00', got {value!r}", where=where,
                             value=value))
        return None
    if value.strip() in ("24:00", "24:00:00"):
        if is_end:
            return DAY_US
        problems.add(Message("{where}: '24:00' is only valid as an end; start at '00:00' instead",
                             where=where))
        return None
    try:
        parsed = time.fromisoformat(value.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is not None or len(value.strip()) < 5:
        problems.add(Message("{where}: cannot read time {value!r}; write it as 'HH:MM' (24-hour clock)",
                             where=where, value=value))
        return None
    return parse_time(parsed, where, problems, is_end=is_end)


def format_time(us: int) -> str:
    """The inverse of :func:`parse_time` for offsets within one day (24 h becomes '24:00')."""
    if us == DAY_US:
        return "24:00"
    seconds, micro = divmod(us, 1_000_000)
    t = time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)
    if micro:
        return t.isoformat(timespec="microseconds")
    return t.isoformat(timespec="seconds" if t.second else "minutes")


def parse_intervals(raw: object, where: str, problems: _Problems) -> tuple[Interval, ...]:
    """Parse a list of ``(start, end)`` pairs; report overlaps within the list."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        problems.add(Message("{where}: expected a list of [start, end] pairs, got {raw!r}", where=where,
                             raw=raw))
        return ()
    out: list[Interval] = []
    for n, pair in enumerate(raw):
        here = f"{where}[{n}]"
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            problems.add(Message("{here}: expected a [start, end] pair, got {pair!r}", here=here, pair=pair))
            continue
        start = parse_time(pair[0], here, problems, is_end=False)
        end = parse_time(pair[1], here, problems, is_end=True)
        if start is None or end is None:
            continue
        if end <= start:  # runs past midnight, belongs to the start day
            end += DAY_US
        out.append((start, end))
    out.sort()
    for (s1, e1), (s2, e2) in pairwise(out):
        if s2 < e1:
            problems.add(
                Message("{where}: intervals {format_interval} and {format_interval2} overlap; merge them "
                        "or fix one end", where=where, format_interval=format_interval((s1, e1)),
                        format_interval2=format_interval((s2, e2)))
            )
    return tuple(out)


def format_interval(interval: Interval) -> list[str]:
    """``[start, end]`` as wall-clock strings (an overnight end shows its next-day time)."""
    start, end = interval
    return [format_time(start), format_time(end if end <= DAY_US else end - DAY_US)]


def _check_week_wraps(weekly: Sequence[tuple[Interval, ...]], problems: _Problems) -> None:
    """Report a shift running past midnight into the next day's first interval."""
    for i, day in enumerate(weekly):
        nxt = weekly[(i + 1) % 7]
        if not day or not nxt:
            continue
        spill = max(end for _, end in day) - DAY_US
        if spill > nxt[0][0]:
            problems.add(
                Message("weekly: {weekdays} runs until {format_time} the next morning, past the start of "
                        "{weekdays2} at {format_time2}; shorten one", weekdays=WEEKDAYS[i],
                        format_time=format_time(spill), weekdays2=WEEKDAYS[(i + 1) % 7],
                        format_time2=format_time(nxt[0][0]))
            )


def parse_weekly(raw: object, problems: _Problems) -> tuple[tuple[Interval, ...], ...]:
    """Parse ``{"mon": [["09:00", "17:00"]], ...}`` into seven interval tuples."""
    week: list[tuple[Interval, ...]] = [()] * 7
    if not isinstance(raw, Mapping):
        problems.add(Message("weekly: expected a mapping like {{'mon': [['09:00', '17:00']]}}, got {raw!r}",
                             raw=raw))
        return tuple(week)
    seen: dict[int, str] = {}
    for key, intervals in raw.items():
        index = _DAY_INDEX.get(key.strip().lower()) if isinstance(key, str) else None
        if index is None:
            problems.add(Message("weekly: unknown weekday {key!r}; use one of {items}", key=key,
                                 items=', '.join(WEEKDAYS)))
            continue
        if index in seen:
            problems.add(Message("weekly: {key!r} repeats {seen!r}; give each weekday once", key=key,
                                 seen=seen[index]))
            continue
        seen[index] = key
        week[index] = parse_intervals(intervals, f"weekly[{key!r}]", problems)
    _check_week_wraps(week, problems)
    return tuple(week)


def parse_zone(raw: object, problems: _Problems) -> ZoneInfo:
    """An IANA zone name or a ``ZoneInfo``; UTC stands in when it is invalid (reported)."""
    zone = read_zone(raw)
    if zone is not None:
        return zone
    problems.add(
        Message("timezone: unknown zone {raw!r}; give an IANA name such as 'Europe/Berlin' or a ZoneInfo",
                raw=raw)
    )
    return ZoneInfo("UTC")


def parse_date(raw: object, where: str, problems: _Problems) -> date | None:
    """A ``date`` or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    problems.add(Message("{where}: cannot read date {raw!r}; write it as 'YYYY-MM-DD' or a datetime.date",
                         where=where, raw=raw))
    return None


def parse_dates(raw: object, where: str, problems: _Problems) -> frozenset[date]:
    """A collection of dates."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        problems.add(Message("{where}: expected a list of dates, got {raw!r}", where=where, raw=raw))
        return frozenset()
    parsed = (parse_date(d, f"{where}[{n}]", problems) for n, d in enumerate(raw))
    return frozenset(d for d in parsed if d is not None)


def parse_dated_intervals(
    raw: object, where: str, problems: _Problems
) -> dict[date, tuple[Interval, ...]]:
    """``{date: [[start, end], ...]}`` for overrides and breaks."""
    if not isinstance(raw, Mapping):
        problems.add(Message("{where}: expected a mapping of date to intervals, got {raw!r}", where=where,
                             raw=raw))
        return {}
    out: dict[date, tuple[Interval, ...]] = {}
    for key, intervals in raw.items():
        day = parse_date(key, f"{where} key", problems)
        if day is None:
            continue
        if day in out:
            problems.add(Message("{where}: {isoformat} is given twice; give each date once", where=where,
                                 isoformat=day.isoformat()))
            continue
        out[day] = parse_intervals(intervals, f"{where}[{day.isoformat()}]", problems)
    return out


def build_spec(
    timezone: object,
    weekly: object,
    *,
    holidays: object,
    country: str | None,
    subdivision: str | None,
    makeup_workdays: object,
    makeup_hours: object,
    overrides: object,
    breaks: object,
    holiday_breaks: object = None,
) -> CalendarSpec:
    """Validate every setting and return the frozen spec, or raise listing all problems."""
    problems = _Problems()
    zone = parse_zone(timezone, problems)
    week = parse_weekly(weekly, problems)
    source = HolidaySource.build(
        holidays, country, subdivision, problems.add,
        lambda raw: parse_dates(raw, "holidays", problems),
        holiday_breaks,
    )
    makeup = parse_dates(makeup_workdays, "makeup_workdays", problems)
    hours = None if makeup_hours is None else parse_intervals(makeup_hours, "makeup_hours", problems)
    over = parse_dated_intervals(overrides, "overrides", problems)
    cut = parse_dated_intervals(breaks, "breaks", problems)
    for day in sorted(makeup & source.dates):
        problems.add(
            Message("{isoformat} is both a holiday and a makeup workday; remove it from one (or use "
                    "overrides to give it explicit hours)", isoformat=day.isoformat())
        )
    if problems.items:
        raise CalendarConfigError(problems.items)
    return CalendarSpec(zone, week, source, makeup, hours, over, cut)


def spec_to_mapping(spec: CalendarSpec) -> dict[str, Any]:
    """The plain JSON-able form of a spec (the input of :func:`build_spec` via from_mapping)."""

    def intervals(items: Iterable[Interval]) -> list[list[str]]:
        return [format_interval(i) for i in items]

    def dated(m: Mapping[date, tuple[Interval, ...]]) -> dict[str, list[list[str]]]:
        return {d.isoformat(): intervals(v) for d, v in sorted(m.items())}

    return {
        "timezone": spec.zone.key,
        "weekly": {WEEKDAYS[i]: intervals(day) for i, day in enumerate(spec.weekly) if day},
        "holidays": sorted(d.isoformat() for d in spec.holidays.dates),
        "country": spec.holidays.country,
        "subdivision": spec.holidays.subdivision,
        "holiday_breaks": spec.holidays.breaks,
        "makeup_workdays": sorted(d.isoformat() for d in spec.makeup_workdays),
        "makeup_hours": None if spec.makeup_hours is None else intervals(spec.makeup_hours),
        "overrides": dated(spec.overrides),
        "breaks": dated(spec.breaks),
    }
