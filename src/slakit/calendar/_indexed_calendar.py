"""The public arithmetic of every calendar that runs on the integer :class:`OpenTime` index.

``BusinessCalendar`` and the composed calendars differ only in how their open periods are
made; the questions they answer, and the conversions at the door, are the same code here.
The hot paths (``add`` and ``elapsed``) are inlined: one conversion in, a bisection each
way, one conversion out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from slakit.calendar._instants import EPOCH, ONE_US, from_us, to_duration_us, to_us
from slakit.calendar._open_time import OpenTime
from slakit.calendar._operators import CalendarOperators
from slakit.calendar._period import Period

if TYPE_CHECKING:
    pass


class IndexedCalendar(CalendarOperators):
    """Business-time arithmetic over an :class:`OpenTime`; see :class:`slakit.Calendar`."""

    __slots__ = ("_open_time", "_zone")

    def __init__(self, zone: ZoneInfo, open_time: OpenTime) -> None:
        self._zone = zone
        self._open_time = open_time

    @property
    def zone(self) -> ZoneInfo:
        """The zone results are expressed in."""
        return self._zone

    def prepare(self, first_year: int, last_year: int) -> None:
        """Compute the open periods of these local years now rather than on first use.

        Purely an optimisation (for a server's start-up, or a benchmark): the calendar
        computes any year it is asked about by itself.
        """
        self._open_time.prepare(first_year, last_year)

    def _spans(self, x: int, y: int | None) -> Iterator[tuple[int, int]]:
        """Open periods as epoch microseconds, clipped to ``[x, y)`` (for compositions)."""
        return self._open_time.periods(x, y)

    # -- arithmetic --------------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time after ``start``.

        A closed ``start`` counts from the next opening; a result exactly on a closing is
        moved to the next opening. ``add(t, timedelta(0))`` is ``t`` when open, else the
        next opening. A negative duration subtracts.
        """
        return self._add_utc(start, duration).astimezone(self._zone)

    def _add_utc(self, start: datetime, duration: timedelta) -> datetime:
        """:meth:`add` with the result in UTC.

        For callers that compute in UTC (the SLA clocks) and would otherwise convert to the
        calendar's zone and straight back.
        """
        # The hot path, inlined: one conversion in, a bisection each way, one conversion out.
        try:
            x = (start - EPOCH) // ONE_US
            n = duration // ONE_US
        except TypeError:
            x = to_us(start, "start")  # raises the precise error
            n = to_duration_us(duration)
        w = self._open_time.timeline
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
                    return EPOCH + ONE_US * r
        return EPOCH + ONE_US * self._open_time.shift(x, n)

    def subtract(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time before ``start``.

        A closed ``start`` counts back from the previous closing; a result exactly on an
        opening stays there. ``subtract(t, timedelta(0))`` is ``t`` when open, else the
        previous closing.
        """
        x = to_us(start, "start")
        n = to_duration_us(duration)
        if n == 0 and not self._open_time.is_open(x):
            return from_us(self._open_time.previous_closing(x), self._zone)
        return from_us(self._open_time.shift(x, -n), self._zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time in ``[start, end)``; signed, so ``elapsed(b, a) == -elapsed(a, b)``."""
        try:
            a = (start - EPOCH) // ONE_US
            b = (end - EPOCH) // ONE_US
        except TypeError:
            a = to_us(start, "start")  # raises the precise error
            b = to_us(end, "end")
        w = self._open_time.timeline
        if w is None or not (w.lo <= a < w.hi and w.lo <= b < w.hi):
            return timedelta(microseconds=self._open_time.elapsed(a, b))
        starts = w.starts
        ends = w.ends
        cum = w.cum
        i = bisect_right(starts, a) - 1
        pa = 0 if i < 0 else cum[i] + (a if a < ends[i] else ends[i]) - starts[i]
        i = bisect_right(starts, b) - 1
        pb = 0 if i < 0 else cum[i] + (b if b < ends[i] else ends[i]) - starts[i]
        return ONE_US * (pb - pa)

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` is in an open period (a closing instant is closed)."""
        return self._open_time.is_open(to_us(t, "t"))

    def next_opening(self, t: datetime) -> datetime:
        """The first period start at or after ``t``."""
        return from_us(self._open_time.next_opening(to_us(t, "t")), self._zone)

    def previous_opening(self, t: datetime) -> datetime:
        """The last period start at or before ``t``."""
        return from_us(self._open_time.previous_opening(to_us(t, "t")), self._zone)

    def next_closing(self, t: datetime) -> datetime:
        """The first period end at or after ``t``."""
        return from_us(self._open_time.next_closing(to_us(t, "t")), self._zone)

    def previous_closing(self, t: datetime) -> datetime:
        """The last period end at or before ``t``."""
        return from_us(self._open_time.previous_closing(to_us(t, "t")), self._zone)

    def periods(self, start: datetime, end: datetime | None = None) -> Iterator[Period]:
        """Open periods clipped to ``[start, end)``, forward; without ``end``, unbounded."""
        x = to_us(start, "start")
        y = None if end is None else to_us(end, "end")
        return self._as_periods(self._open_time.periods(x, y))

    def periods_before(self, end: datetime, start: datetime | None = None) -> Iterator[Period]:
        """Open periods clipped to ``[start, end)``, backward from ``end``."""
        y = to_us(end, "end")
        x = None if start is None else to_us(start, "start")
        return self._as_periods(self._open_time.periods_before(y, x))

    def _as_periods(self, spans: Iterator[tuple[int, int]]) -> Iterator[Period]:
        zone = self._zone
        for s, e in spans:
            yield Period(from_us(s, zone), from_us(e, zone))
