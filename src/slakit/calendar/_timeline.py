"""The open periods of a calendar over a range of years, as integer arrays.

Theory of operation: a :class:`Timeline` holds the merged open periods of the local years
``first_year .. last_year`` as sorted lists of epoch microseconds (``starts``, ``ends``) and
``cum``, the open time before each period (``cum[i]``; ``cum[-1]`` is the timeline's total).
Every query is then a bisection plus integer arithmetic:

* the *position* of an instant x is the open time from the timeline's start to x;
* an instant at a position p lies in the period ``j = bisect_right(cum, p) - 1``. Taking the
  right-most period makes a position that is both a closing and the next opening resolve to
  the opening, which is the rule for ``add`` (a result on a close moves to the next opening)
  and for ``subtract`` (a result on an opening stays there).

Warts, named: a timeline is only *trusted* inside ``[lo, hi)`` (local midnight of Jan 1 of the
first year to local midnight of Jan 1 after the last). Periods of dates outside the timeline
are unknown, so a period touching the edge may continue beyond it. The timeline is therefore
built from two extra days before ``first_year`` (their overnight shifts reach into it), and
callers extend it whenever a query or a result falls outside ``[lo, hi)``.
"""

from __future__ import annotations

from datetime import date, timedelta

from slakit.calendar._config import DAY_US, CalendarSpec, Interval
from slakit.calendar._instants import local_to_us

# Years a calendar can describe: datetime's range, less a year on each side for shifts.
MIN_YEAR = 2
MAX_YEAR = 9998

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class Timeline:
    """Merged open periods of the local years ``first_year .. last_year``."""

    __slots__ = ("cum", "ends", "first_year", "hi", "last_year", "lo", "starts")

    def __init__(
        self,
        first_year: int,
        last_year: int,
        starts: list[int],
        ends: list[int],
        lo: int,
        hi: int,
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.starts = starts
        self.ends = ends
        self.lo = lo
        self.hi = hi
        cum = [0] * (len(starts) + 1)
        total = 0
        for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
            total += e - s
            cum[i + 1] = total
        self.cum = cum

    def __repr__(self) -> str:
        return f"<Timeline {self.first_year}..{self.last_year}: {len(self.starts)} periods>"


def _day_ranges(spec: CalendarSpec, day: date, source: tuple[Interval, ...]) -> list[Interval]:
    """UTC microsecond ranges of local intervals that start on ``day``."""
    out = []
    for start, end in source:
        s = local_to_us(day, start, spec.zone)
        e = local_to_us(day, end, spec.zone)
        if s < e:  # an interval wholly inside a DST gap is empty
            out.append((s, e))
    return out


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class YearCache:
    """Raw (unmerged, unbroken) UTC ranges per local year, computed once per year."""

    __slots__ = ("_spec", "_years")

    def __init__(self, spec: CalendarSpec) -> None:
        self._spec = spec
        self._years: dict[int, list[Interval]] = {}

    def __getstate__(self) -> dict[str, CalendarSpec]:
        # Pickled as its configuration only: the copy recomputes the years it is asked about.
        return {"spec": self._spec}

    def __setstate__(self, state: dict[str, CalendarSpec]) -> None:
        self._spec = state["spec"]
        self._years = {}

    def ranges_for_year(self, year: int) -> list[Interval]:
        """Ranges of the periods that start on the dates of local year ``year``."""
        cached = self._years.get(year)
        if cached is None:
            cached = self.ranges_for_dates(date(year, 1, 1), date(year, 12, 31))
            self._years[year] = cached
        return cached

    def ranges_for_dates(self, first: date, last: date) -> list[Interval]:
        """Ranges of the periods that start on the dates ``first .. last``."""
        spec = self._spec
        zone = spec.zone
        days = _dates(first, last + timedelta(days=2))
        # UTC offset at each local midnight. Where it is the same on a day, the next and the
        # one after, no DST switch touches that day's intervals (overnight ones included),
        # so local time converts with one subtraction; other days take the exact slow path.
        offsets = [local_to_us(d, 0, zone) - (d.toordinal() - _EPOCH_ORDINAL) * DAY_US
                   for d in days]
        out: list[Interval] = []
        for k, day in enumerate(days[:-2]):
            hours = spec.hours_on(day)
            if not hours:
                continue
            off = offsets[k]
            if off == offsets[k + 1] == offsets[k + 2]:
                base = (day.toordinal() - _EPOCH_ORDINAL) * DAY_US + off
                out.extend((base + s, base + e) for s, e in hours)
            else:
                out.extend(_day_ranges(spec, day, hours))
        return out

    def break_ranges(self, first: date, last: date) -> list[Interval]:
        """UTC ranges of the breaks on the dates ``first .. last``."""
        spec = self._spec
        out: list[Interval] = []
        for day, cuts in spec.breaks.items():
            if first <= day <= last:
                out.extend(_day_ranges(spec, day, cuts))
        return sorted(out)


def _merge(ranges: list[Interval]) -> tuple[list[int], list[int]]:
    """Union of ranges; touching ranges become one."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(ranges):
        if ends and s <= ends[-1]:
            if e > ends[-1]:
                ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _cut(starts: list[int], ends: list[int], cuts: list[Interval]) -> tuple[list[int], list[int]]:
    """Remove the (sorted) ``cuts`` from merged periods."""
    if not cuts:
        return starts, ends
    cut_starts, cut_ends = _merge(cuts)
    out_s: list[int] = []
    out_e: list[int] = []
    k = 0
    for s, e in zip(starts, ends, strict=True):
        while k < len(cut_starts) and cut_ends[k] <= s:
            k += 1
        j = k
        cur = s
        while j < len(cut_starts) and cut_starts[j] < e:
            if cut_starts[j] > cur:
                out_s.append(cur)
                out_e.append(cut_starts[j])
            cur = max(cur, cut_ends[j])
            j += 1
        if cur < e:
            out_s.append(cur)
            out_e.append(e)
    return out_s, out_e


def build_timeline(spec: CalendarSpec, cache: YearCache, first_year: int, last_year: int) -> Timeline:
    """The timeline of local years ``first_year .. last_year`` (inclusive)."""
    jan1 = date(first_year, 1, 1)
    lead_in = cache.ranges_for_dates(jan1 - timedelta(days=2), jan1 - timedelta(days=1))
    ranges = list(lead_in)
    for year in range(first_year, last_year + 1):
        ranges.extend(cache.ranges_for_year(year))
    starts, ends = _merge(ranges)
    cuts = cache.break_ranges(jan1 - timedelta(days=3), date(last_year, 12, 31) + timedelta(days=1))
    starts, ends = _cut(starts, ends, cuts)
    lo = local_to_us(jan1, 0, spec.zone)
    hi = local_to_us(date(last_year + 1, 1, 1), 0, spec.zone)
    return Timeline(first_year, last_year, starts, ends, lo, hi)
