"""Business-time queries on integer epoch microseconds, over a self-extending timeline.

Design rules:

* All arithmetic is on Python ints (microseconds since the epoch, UTC): exact, and free of
  wall-clock and fold ambiguity. Conversion to datetimes happens in the public class.
* The :class:`~slakit.calendar._timeline.Timeline` grows (or moves) whenever a query, or its
  result, reaches outside the trusted range, so there is no fixed horizon. A search that
  finds nothing gives up ``SEARCH_YEARS`` years past both the query and the last dated
  setting, with a clear error, instead of looping.
* Timelines are immutable once built and replaced whole under a lock, so concurrent readers
  always see a consistent timeline.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slakit._errors import CalendarRangeError, NeverClosesError, NoOpenTimeError, SlakitError
from slakit._message import Message
from slakit.calendar._config import CalendarSpec
from slakit.calendar._instants import from_us
from slakit.calendar._timeline import MAX_YEAR, MIN_YEAR, Timeline, YearCache, build_timeline

SEARCH_YEARS = 10
"""How far past the query (and the last dated setting) a search looks before giving up."""

_NEAR_YEARS = 30
"""A query this close to the current timeline extends it; a farther one gets a new timeline."""


TimelineBuilder = Callable[[int, int], Timeline]
"""Builds the timeline of the local years ``first .. last`` (inclusive)."""


_SIDE = {True: Message("after"), False: Message("before")}  # said in the message's language


class OpenTime:
    """Integer business-time queries over the timelines that ``build`` makes."""

    __slots__ = ("_build_timeline", "_first_dated", "_last_dated", "_lock", "_zone", "timeline")

    def __init__(
        self, zone: ZoneInfo, build: TimelineBuilder, dated_years: tuple[int, int] | None
    ) -> None:
        self._zone = zone
        self._build_timeline = build
        self._lock = threading.Lock()
        self._first_dated = dated_years[0] if dated_years else MAX_YEAR
        self._last_dated = dated_years[1] if dated_years else MIN_YEAR
        self.timeline: Timeline | None = None

    def __getstate__(self) -> dict[str, object]:
        # Pickled without the lock (a process gets its own) and without the timeline or the
        # year cache, which the copy rebuilds on first use: calendars travel as their
        # configuration to worker processes.
        return {"zone": self._zone, "build": self._build_timeline,
                "first": self._first_dated, "last": self._last_dated}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._zone = state["zone"]
        self._build_timeline = state["build"]
        self._lock = threading.Lock()
        self._first_dated = state["first"]
        self._last_dated = state["last"]
        self.timeline = None

    @classmethod
    def for_spec(cls, spec: CalendarSpec) -> OpenTime:
        """The open-time index of a :class:`BusinessCalendar` configuration."""
        cache = YearCache(spec)
        # A partial, not a lambda, so calendars (and SLA states holding them) pickle.
        return cls(spec.zone, partial(build_timeline, spec, cache), spec.explicit_years)

    @property
    def dated_years(self) -> tuple[int, int] | None:
        """First and last year with a dated setting (None when there is none)."""
        if self._first_dated > self._last_dated:
            return None
        return self._first_dated, self._last_dated

    # -- windows -----------------------------------------------------------------------

    def _year_of(self, us: int) -> int:
        try:
            return from_us(us, self._zone).year
        except OverflowError:
            raise CalendarRangeError(
                Message("the calculation reaches past the years a calendar describes ({min_year} to "
                        "{max_year}); check the instants and durations given", min_year=MIN_YEAR,
                        max_year=MAX_YEAR)
            ) from None

    def covering(self, lo: int, hi: int) -> Timeline:
        """A timeline whose trusted range holds ``[lo, hi]``."""
        w = self.timeline
        if w is not None and w.lo <= lo and hi < w.hi:
            return w
        first, last = self._year_of(lo), self._year_of(hi)
        if w is not None and first >= w.first_year - _NEAR_YEARS and last <= w.last_year + _NEAR_YEARS:
            first, last = min(first, w.first_year), max(last, w.last_year)
        return self._build(first, last)

    def prepare(self, first_year: int, last_year: int) -> None:
        """Build the timeline for the local years ``first_year .. last_year`` now."""
        w = self.timeline
        if w is not None:
            first_year, last_year = min(first_year, w.first_year), max(last_year, w.last_year)
        self._build(first_year, last_year)

    def _build(self, first: int, last: int) -> Timeline:
        if first < MIN_YEAR or last > MAX_YEAR:
            raise CalendarRangeError(
                Message("years {first}..{last} are outside what a calendar describes ({min_year} to "
                        "{max_year}); check the instants and durations given", first=first, last=last,
                        min_year=MIN_YEAR, max_year=MAX_YEAR)
            )
        with self._lock:
            w = self.timeline
            if w is not None and w.first_year <= first and last <= w.last_year:
                return w
            w = self._build_timeline(first, last)
            self.timeline = w
            return w

    def _limit_passed(self, w: Timeline, forward: bool, query: int) -> bool:
        """Whether ``w`` already reaches ``SEARCH_YEARS`` past the query and dated settings."""
        if forward:
            return w.last_year >= max(self._year_of(query), self._last_dated) + SEARCH_YEARS
        return w.first_year <= min(self._year_of(query), self._first_dated) - SEARCH_YEARS

    def _grow(self, w: Timeline, forward: bool, years: int, query: int, error: SlakitError) -> Timeline:
        """Extend ``w`` by ``years``, or raise ``error`` when the search limit is passed."""
        if self._limit_passed(w, forward, query):
            raise error
        return self._extend(w, forward, years)

    def _extend(self, w: Timeline, forward: bool, years: int) -> Timeline:
        """``w`` grown by ``years`` on one side; raise at the edge of the supported years."""
        first, last = w.first_year, w.last_year
        if forward:
            last = min(last + years, MAX_YEAR)
        else:
            first = max(first - years, MIN_YEAR)
        if (first, last) == (w.first_year, w.last_year):
            raise CalendarRangeError(
                Message("the calculation reaches past the years a calendar describes ({min_year} to "
                        "{max_year}); check the instants and durations given", min_year=MIN_YEAR,
                        max_year=MAX_YEAR)
            )
        return self._build(first, last)

    # -- positions ---------------------------------------------------------------------

    @staticmethod
    def _position(w: Timeline, x: int) -> int:
        """Open time between the timeline's start and ``x``."""
        i = bisect_right(w.starts, x) - 1
        if i < 0:
            return 0
        end = w.ends[i]
        return w.cum[i] + (x if x < end else end) - w.starts[i]

    def elapsed(self, a: int, b: int) -> int:
        """Open microseconds in ``[a, b)``, negative when ``b < a``."""
        w = self.covering(min(a, b), max(a, b))
        return self._position(w, b) - self._position(w, a)

    def shift(self, x: int, amount: int) -> int:
        """The instant ``amount`` (signed) of open time away from ``x``.

        Forward, a closed ``x`` counts from the next opening; backward, from the previous
        closing. Both are the same position, so one formula serves both directions.
        """
        w = self.covering(x, x)
        n_years = w.last_year - w.first_year + 1
        before = -1
        while True:
            target = self._position(w, x) + amount
            cum = w.cum
            j = bisect_right(cum, target) - 1
            if 0 <= j < len(w.starts) and target >= 0:
                r = w.starts[j] + target - cum[j]
                if w.lo <= r < w.hi:
                    return r
            # Estimate the years still needed from the open time per year seen so far.
            missing = (target - cum[-1]) if amount >= 0 else -target
            per_year = cum[-1] // n_years
            # At least one year: a result past the trusted edge can sit inside the timeline.
            years = max(1, min(missing // per_year + 1, 1000)) if per_year else 1
            # No open time in sight: fail once the search limit is passed.
            if (per_year == 0 or cum[-1] == before) and self._limit_passed(w, amount >= 0, x):
                raise NoOpenTimeError(
                    Message("the calendar has no open time {value} {isoformat} within {search_years} "
                            "years of it and of its last dated setting; give it weekly hours or more "
                            "dated ones", value=_SIDE[amount >= 0],
                            isoformat=from_us(x, self._zone).isoformat(), search_years=SEARCH_YEARS)
                )
            before = cum[-1]
            w = self._extend(w, amount >= 0, years)
            n_years = w.last_year - w.first_year + 1

    def is_open(self, x: int) -> bool:
        """Whether ``x`` lies in an open period."""
        w = self.covering(x, x)
        i = bisect_right(w.starts, x) - 1
        return i >= 0 and x < w.ends[i]

    # -- boundaries --------------------------------------------------------------------

    def next_opening(self, x: int) -> int:
        """First period start >= ``x``."""
        w = self.covering(x, x)
        while True:
            i = bisect_left(w.starts, x)
            if i < len(w.starts) and w.starts[i] < w.hi:
                return w.starts[i]
            w = self._grow(w, True, 1, x, self._no_open(x, "after"))

    def previous_opening(self, x: int) -> int:
        """Last period start <= ``x``."""
        w = self.covering(x, x)
        while True:
            i = bisect_right(w.starts, x) - 1
            if i >= 0 and w.starts[i] >= w.lo:
                return w.starts[i]
            w = self._grow(w, False, 1, x, self._no_open(x, "before"))

    def next_closing(self, x: int) -> int:
        """First period end >= ``x``."""
        w = self.covering(x, x)
        while True:
            i = bisect_left(w.ends, x)
            if i < len(w.ends) and w.ends[i] < w.hi:
                return w.ends[i]
            w = self._grow(w, True, 1, x, self._never_closes(x, "after"))

    def previous_closing(self, x: int) -> int:
        """Last period end <= ``x``."""
        w = self.covering(x, x)
        while True:
            i = bisect_right(w.ends, x) - 1
            if i >= 0 and w.ends[i] >= w.lo:
                return w.ends[i]
            w = self._grow(w, False, 1, x, self._never_closes(x, "before"))

    def _no_open(self, x: int, side: str) -> NoOpenTimeError:
        return NoOpenTimeError(
            Message("the calendar has no opening {side} {isoformat} within {search_years} years of it and "
                    "of its last dated setting", side=_SIDE[side == "after"],
                    isoformat=from_us(x, self._zone).isoformat(), search_years=SEARCH_YEARS)
        )

    def _never_closes(self, x: int, side: str) -> NeverClosesError:
        return NeverClosesError(
            Message("the calendar has no closing {side} {isoformat} within {search_years} years (it is "
                    "open around the clock); bound the search with an end instant",
                    side=_SIDE[side == "after"], isoformat=from_us(x, self._zone).isoformat(),
                    search_years=SEARCH_YEARS)
        )

    # -- iteration ---------------------------------------------------------------------

    def periods(self, x: int, y: int | None) -> Iterator[tuple[int, int]]:
        """Open periods clipped to ``[x, y)``, forward; ``y=None`` runs on without end."""
        w = self.covering(x, x)
        cur = x
        while y is None or cur < y:
            i = bisect_right(w.starts, cur) - 1
            if i < 0 or w.ends[i] <= cur:
                i += 1
            bounded = y is not None and y <= w.hi
            if i < len(w.starts) and w.starts[i] < w.hi and (w.ends[i] < w.hi or bounded):
                s = max(w.starts[i], cur)
                e = w.ends[i] if y is None else min(w.ends[i], y)
                if s >= e:
                    return
                yield s, e
                cur = e
                continue
            if bounded:
                return  # no period starts before y
            opening = i < len(w.starts) and w.starts[i] < w.hi
            error: SlakitError = (
                self._never_closes(cur, "after") if opening else self._no_open(cur, "after")
            )
            try:
                w = self._grow(w, True, 1, cur, error)
            except NoOpenTimeError:
                return  # finite open time: the iteration simply ends

    def periods_before(self, y: int, x: int | None) -> Iterator[tuple[int, int]]:
        """Open periods clipped to ``[x, y)``, backward; ``x=None`` runs on without end."""
        w = self.covering(y, y)
        cur = y
        while x is None or cur > x:
            i = bisect_left(w.ends, cur)  # first period ending at or after cur
            if i >= len(w.ends) or w.starts[i] >= cur:
                i -= 1
            bounded = x is not None and x >= w.lo
            if i >= 0 and w.ends[i] > w.lo and (w.starts[i] >= w.lo or bounded):
                e = min(w.ends[i], cur)
                s = w.starts[i] if x is None else max(w.starts[i], x)
                if s >= e:
                    return
                yield s, e
                cur = s
                continue
            if bounded:
                return
            closing = i >= 0 and w.ends[i] > w.lo
            error: SlakitError = (
                self._never_closes(cur, "before") if closing else self._no_open(cur, "before")
            )
            try:
                w = self._grow(w, False, 1, cur, error)
            except NoOpenTimeError:
                return
