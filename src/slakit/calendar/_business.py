"""``BusinessCalendar``: weekly hours, holidays, makeup workdays, overrides and breaks.

The public face of the calendar engine: it validates the configuration once (every problem
listed at once), converts datetimes to integer microseconds at the door and back on the way
out, and leaves the arithmetic to :class:`~slakit.calendar._engine.Engine`.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slakit._errors import CalendarConfigError
from slakit.calendar._config import build_spec, spec_to_mapping
from slakit.calendar._engine import Engine
from slakit.calendar._instants import EPOCH, ONE_US, from_us, to_duration_us, to_us
from slakit.calendar._period import Period

TimeOfDay = str | time
Hours = Sequence[Sequence[TimeOfDay]]

_MAPPING_KEYS = frozenset(
    {"timezone", "weekly", "holidays", "country", "subdivision", "makeup_workdays",
     "makeup_hours", "overrides", "breaks"}
)


class BusinessCalendar:
    """Open hours of a desk: a weekly schedule in a zone, less holidays, plus exceptions.

    Args:
        timezone: IANA zone name (``"Europe/Berlin"``) or a ``ZoneInfo``; results come back
            in this zone.
        weekly: ``{"mon": [("09:00", "12:00"), ("13:00", "17:00")], ...}``; missing days are
            closed. An interval whose end is at or before its start runs past midnight and
            belongs to the day it starts on; ``"24:00"`` is a valid end.
        holidays: dates, or a ``holidays`` package object (its ``weekend_workdays`` then
            count as makeup workdays).
        country: ISO code whose public holidays and makeup workdays the ``holidays``
            package supplies (with optional ``subdivision``).
        subdivision: state or province code for ``country``.
        makeup_workdays: extra open dates given by hand.
        makeup_hours: hours of a makeup workday; Monday's hours by default.
        overrides: date -> intervals that replace that date's hours, beating the weekly
            hours *and* a holiday; an empty list closes the date.
        breaks: date -> intervals cut out of that date's open time.

    Raises:
        CalendarConfigError: listing every problem of the configuration.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
        >>> friday = datetime(2025, 1, 24, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add(friday, timedelta(hours=2)).isoformat()
        '2025-01-27T10:00:00+01:00'
    """

    __slots__ = ("_engine", "_key", "_spec")

    def __init__(
        self,
        timezone: str | ZoneInfo,
        weekly: Mapping[str, Hours],
        *,
        holidays: Iterable[date | str] | Any = (),
        country: str | None = None,
        subdivision: str | None = None,
        makeup_workdays: Iterable[date | str] = (),
        makeup_hours: Hours | None = None,
        overrides: Mapping[date | str, Hours] | None = None,
        breaks: Mapping[date | str, Hours] | None = None,
    ) -> None:
        self._spec = build_spec(
            timezone,
            weekly,
            holidays=holidays,
            country=country,
            subdivision=subdivision,
            makeup_workdays=makeup_workdays,
            makeup_hours=makeup_hours,
            overrides={} if overrides is None else overrides,
            breaks={} if breaks is None else breaks,
        )
        self._engine = Engine(self._spec)
        self._key: str | None = None

    # -- named constructors ------------------------------------------------------------

    @classmethod
    def weekdays(
        cls, opens: TimeOfDay, closes: TimeOfDay, *, timezone: str | ZoneInfo, **options: Any
    ) -> BusinessCalendar:
        """Monday to Friday from ``opens`` to ``closes``; ``options`` as for the constructor."""
        hours = [(opens, closes)]
        return cls(timezone, {d: hours for d in ("mon", "tue", "wed", "thu", "fri")}, **options)

    @classmethod
    def every_day(
        cls, opens: TimeOfDay, closes: TimeOfDay, *, timezone: str | ZoneInfo, **options: Any
    ) -> BusinessCalendar:
        """Seven days a week from ``opens`` to ``closes`` (a 7x12 desk, say)."""
        hours = [(opens, closes)]
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        return cls(timezone, {d: hours for d in days}, **options)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> BusinessCalendar:
        """Build from the plain, JSON-able form that :meth:`to_mapping` returns.

        Keys: ``timezone`` (required), ``weekly``, ``holidays`` (ISO dates), ``country``,
        ``subdivision``, ``makeup_workdays``, ``makeup_hours``, ``overrides`` and ``breaks``
        (ISO date keys).
        """
        if not isinstance(mapping, Mapping):
            raise CalendarConfigError([f"expected a mapping, got {type(mapping).__name__}"])
        unknown = sorted(set(mapping) - _MAPPING_KEYS)
        problems = [f"unknown key {k!r}; known keys: {', '.join(sorted(_MAPPING_KEYS))}"
                    for k in unknown]
        if "timezone" not in mapping:
            problems.append("timezone: missing; give an IANA zone name such as 'Asia/Shanghai'")
        if problems:
            raise CalendarConfigError(problems)
        return cls(
            mapping["timezone"],
            mapping.get("weekly") or {},
            holidays=mapping.get("holidays") or (),
            country=mapping.get("country"),
            subdivision=mapping.get("subdivision"),
            makeup_workdays=mapping.get("makeup_workdays") or (),
            makeup_hours=mapping.get("makeup_hours"),
            overrides=mapping.get("overrides") or {},
            breaks=mapping.get("breaks") or {},
        )

    def to_mapping(self) -> dict[str, Any]:
        """The plain, JSON-able form of this calendar; :meth:`from_mapping` reads it back.

        A ``holidays`` package object is stored by its country and subdivision.

        Raises:
            CalendarConfigError: the calendar uses a custom holidays object with no country.
        """
        if not self._spec.holidays.stored_as_data:
            raise CalendarConfigError(
                ["holidays: a custom holidays object without a country cannot be stored as "
                 "data; pass its dates as a list instead"]
            )
        return spec_to_mapping(self._spec)

    # -- identity ----------------------------------------------------------------------

    def _identity(self) -> str:
        if self._key is None:
            try:
                self._key = json.dumps(self.to_mapping(), sort_keys=True)
            except CalendarConfigError:
                self._key = f"object:{id(self)}"
        return self._key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        spec = self._spec
        week = spec_to_mapping(spec)["weekly"]
        extras = [f"country={spec.holidays.country!r}"] if spec.holidays.country else []
        if spec.holidays.dates:
            extras.append(f"{len(spec.holidays.dates)} holidays")
        if spec.overrides or spec.breaks:
            extras.append(f"{len(spec.overrides)} overrides, {len(spec.breaks)} breaks")
        tail = "".join(f", {e}" for e in extras)
        return f"BusinessCalendar({spec.zone.key!r}, {week!r}{tail})"

    @property
    def zone(self) -> ZoneInfo:
        """The zone results are expressed in."""
        return self._spec.zone

    def prepare(self, first_year: int, last_year: int) -> None:
        """Compute the open periods of these local years now rather than on first use.

        Purely an optimisation (for a server's start-up, or a benchmark): the calendar
        computes any year it is asked about by itself.
        """
        self._engine.prepare(first_year, last_year)

    # -- arithmetic --------------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time after ``start``.

        A closed ``start`` counts from the next opening; a result exactly on a closing is
        moved to the next opening. ``add(t, timedelta(0))`` is ``t`` when open, else the
        next opening. A negative duration subtracts.
        """
        # The hot path, inlined: one conversion in, a bisection each way, one conversion out.
        try:
            x = (start - EPOCH) // ONE_US
            n = duration // ONE_US
        except TypeError:
            x = to_us(start, "start")  # raises the precise error
            n = to_duration_us(duration)
        w = self._engine.window
        if n >= 0 and w is not None and w.lo <= x < w.hi:
            starts = w.starts
            cum = w.cum
            i = bisect_right(starts, x) - 1
            if i < 0:
                target = n
            else:
                end = w.ends[i]
                target = cum[i] + (x if x < end else end) - starts[i] + n
            j = bisect_right(cum, target) - 1
            if j < len(starts):
                r = starts[j] + target - cum[j]
                if r < w.hi:
                    return (EPOCH + timedelta(microseconds=r)).astimezone(self._spec.zone)
        return from_us(self._engine.shift(x, n), self._spec.zone)

    def subtract(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time before ``start``.

        A closed ``start`` counts back from the previous closing; a result exactly on an
        opening stays there. ``subtract(t, timedelta(0))`` is ``t`` when open, else the
        previous closing.
        """
        x = to_us(start, "start")
        n = to_duration_us(duration)
        if n == 0 and not self._engine.is_open(x):
            return from_us(self._engine.previous_closing(x), self._spec.zone)
        return from_us(self._engine.shift(x, -n), self._spec.zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time in ``[start, end)``; signed, so ``elapsed(b, a) == -elapsed(a, b)``."""
        try:
            a = (start - EPOCH) // ONE_US
            b = (end - EPOCH) // ONE_US
        except TypeError:
            a = to_us(start, "start")  # raises the precise error
            b = to_us(end, "end")
        w = self._engine.window
        if w is None or not (w.lo <= a < w.hi and w.lo <= b < w.hi):
            return timedelta(microseconds=self._engine.elapsed(a, b))
        starts = w.starts
        ends = w.ends
        cum = w.cum
        i = bisect_right(starts, a) - 1
        pa = 0 if i < 0 else cum[i] + (a if a < ends[i] else ends[i]) - starts[i]
        i = bisect_right(starts, b) - 1
        pb = 0 if i < 0 else cum[i] + (b if b < ends[i] else ends[i]) - starts[i]
        return timedelta(microseconds=pb - pa)

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` is in an open period (a closing instant is closed)."""
        return self._engine.is_open(to_us(t, "t"))

    def next_opening(self, t: datetime) -> datetime:
        """The first period start at or after ``t``."""
        return from_us(self._engine.next_opening(to_us(t, "t")), self._spec.zone)

    def previous_opening(self, t: datetime) -> datetime:
        """The last period start at or before ``t``."""
        return from_us(self._engine.previous_opening(to_us(t, "t")), self._spec.zone)

    def next_closing(self, t: datetime) -> datetime:
        """The first period end at or after ``t``."""
        return from_us(self._engine.next_closing(to_us(t, "t")), self._spec.zone)

    def previous_closing(self, t: datetime) -> datetime:
        """The last period end at or before ``t``."""
        return from_us(self._engine.previous_closing(to_us(t, "t")), self._spec.zone)

    def periods(self, start: datetime, end: datetime | None = None) -> Iterator[Period]:
        """Open periods clipped to ``[start, end)``, forward; without ``end``, unbounded."""
        x = to_us(start, "start")
        y = None if end is None else to_us(end, "end")
        return self._as_periods(self._engine.periods(x, y))

    def periods_before(self, end: datetime, start: datetime | None = None) -> Iterator[Period]:
        """Open periods clipped to ``[start, end)``, backward from ``end``."""
        y = to_us(end, "end")
        x = None if start is None else to_us(start, "start")
        return self._as_periods(self._engine.periods_before(y, x))

    def _as_periods(self, spans: Iterator[tuple[int, int]]) -> Iterator[Period]:
        zone = self._spec.zone
        for s, e in spans:
            yield Period(from_us(s, zone), from_us(e, zone))
