"""Calendars made of calendars: intersection, union and difference.

"Our team's hours, but only while the customer's office is open" is an intersection;
a follow-the-sun desk staffed from three zones is a union; "office hours minus Saturday's
maintenance window" is a difference. The result is a calendar like any other: the same
questions, the same exactness, the same speed (it runs on the same integer open-time index).

Theory of operation: to build the timeline of local years ``first .. last`` (in the result's
zone), each part hands over its open periods over that range plus a few days of margin on
each side, as epoch microseconds; the set operation runs as a sweep over the sorted
boundaries. The margin only ever produces artificial boundaries outside the trusted range,
which the open-time index never reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from slakit._errors import CalendarConfigError, WrongTypeError
from slakit._message import Message
from slakit.calendar._always_open import AlwaysOpen
from slakit.calendar._business import BusinessCalendar
from slakit.calendar._config import _Problems, parse_zone
from slakit.calendar._indexed_calendar import IndexedCalendar
from slakit.calendar._instants import from_us, local_to_us, to_us
from slakit.calendar._open_time import OpenTime
from slakit.calendar._protocol import Calendar
from slakit.calendar._timeline import Timeline

Operation = Literal["intersection", "union", "difference"]
Span = tuple[int, int]

_MARGIN_DAYS = 3


def _spans_of(part: Calendar, lo: int, hi: int) -> list[Span]:
    """Open periods of ``part`` clipped to ``[lo, hi)``, as microsecond pairs."""
    if isinstance(part, AlwaysOpen):
        return [(lo, hi)]
    if isinstance(part, IndexedCalendar):
        return list(part._spans(lo, hi))
    # Any other Calendar: through its public API.
    return [(to_us(p.start), to_us(p.end))
            for p in part.periods(from_us(lo, part.zone), from_us(hi, part.zone))]


def _sweep(layers: list[list[Span]], keep: Any) -> list[Span]:
    """Spans where ``keep(depths)`` holds; ``depths[i]`` = how many periods of layer i cover."""
    marks: list[tuple[int, int, int]] = []
    for index, spans in enumerate(layers):
        for s, e in spans:
            marks.append((s, 1, index))
            marks.append((e, -1, index))
    marks.sort()
    depth = [0] * len(layers)
    out: list[Span] = []
    start: int | None = None
    k = 0
    while k < len(marks):
        at = marks[k][0]
        while k < len(marks) and marks[k][0] == at:  # apply every change at one instant
            depth[marks[k][2]] += marks[k][1]
            k += 1
        inside = keep(depth)
        if inside and start is None:
            start = at
        elif not inside and start is not None:
            if at > start:
                if out and out[-1][1] == start:
                    out[-1] = (out[-1][0], at)
                else:
                    out.append((start, at))
            start = None
    return out


_KEEP = {
    "intersection": lambda d: all(d),
    "union": lambda d: any(d),
    "difference": lambda d: d[0] > 0 and not any(d[1:]),
}


class ComposedCalendar(IndexedCalendar):
    """The intersection, union or difference of calendars, itself a calendar.

    Build one with :func:`intersection`, :func:`union` or :func:`difference`, or with the
    operators ``a & b``, ``a | b`` and ``a - b`` on slakit calendars.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from slakit import BusinessCalendar
        >>> team = BusinessCalendar.weekdays("08:00", "16:00", timezone="Europe/Berlin")
        >>> customer = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
        >>> both = team & customer          # 10:00-16:00 Berlin time
        >>> t = datetime(2025, 1, 6, 12, 0, tzinfo=both.zone)
        >>> both.add(t, timedelta(hours=5)).isoformat()
        '2025-01-07T11:00:00+01:00'
    """

    __slots__ = ("_operation", "_parts")

    def __init__(self, operation: Operation, parts: Sequence[Calendar],
                 timezone: str | ZoneInfo | None = None) -> None:
        problems = _Problems()
        if operation not in _KEEP:
            problems.add(Message("operation: {operation!r} is not intersection, union or difference",
                                 operation=operation))
        if len(parts) < 2:
            problems.add(Message("{operation} needs at least two calendars, got {n}", operation=operation,
                                 n=len(parts)))
        for n, part in enumerate(parts):
            if not isinstance(part, Calendar):
                raise WrongTypeError(Message("part {n} of the {operation} is not a calendar: {part!r}", n=n,
                                             operation=operation, part=part))
        zone = parse_zone(timezone, problems) if timezone is not None else (
            parts[0].zone if parts else ZoneInfo("UTC"))
        if problems.items:
            raise CalendarConfigError(problems.items)
        self._operation: Operation = operation
        self._parts = tuple(parts)
        super().__init__(zone, OpenTime(zone, self._build, _dated_years(self._parts)))

    def _build(self, first: int, last: int) -> Timeline:
        zone = self._zone
        lo = local_to_us(date(first, 1, 1), 0, zone)
        hi = local_to_us(date(last + 1, 1, 1), 0, zone)
        margin = int(timedelta(days=_MARGIN_DAYS).total_seconds()) * 1_000_000
        layers = [_spans_of(p, lo - margin, hi + margin) for p in self._parts]
        spans = _sweep(layers, _KEEP[self._operation])
        return Timeline(first, last, [s for s, _ in spans], [e for _, e in spans], lo, hi)

    @property
    def operation(self) -> Operation:
        """``"intersection"``, ``"union"`` or ``"difference"``."""
        return self._operation

    @property
    def parts(self) -> tuple[Calendar, ...]:
        """The calendars combined, in order (for a difference: the base first)."""
        return self._parts

    def in_zone(self, timezone: str | ZoneInfo) -> ComposedCalendar:
        """Every part read in ``timezone`` (parts without ``in_zone`` are kept as they are)."""
        parts = [p.in_zone(timezone) if hasattr(p, "in_zone") else p for p in self._parts]
        return ComposedCalendar(self._operation, parts, timezone)

    def __repr__(self) -> str:
        inner = ", ".join(repr(p) for p in self._parts)
        return f"{self._operation}({inner}, timezone={self._zone.key!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ComposedCalendar):
            return NotImplemented
        return (self._operation, self._parts, self._zone.key) == (
            other._operation, other._parts, other._zone.key)

    def __hash__(self) -> int:
        return hash((self._operation, self._parts, self._zone.key))

    def to_mapping(self) -> dict[str, Any]:
        """``{"kind": operation, "timezone": ..., "parts": [...]}`` (parts stored the same way)."""
        return {"kind": self._operation, "timezone": self._zone.key,
                "parts": [tagged_mapping(p) for p in self._parts]}


def tagged_mapping(calendar: Calendar) -> dict[str, Any]:
    """Plain data for any slakit calendar, with its ``kind`` (``calendar_to_mapping``'s body).

    It lives here, not in ``_mapping``, because a composition stores its parts with it and
    ``_mapping`` reads compositions back: this way neither module imports the other.
    """
    if isinstance(calendar, BusinessCalendar):
        return {"kind": "business", **calendar.to_mapping()}
    if isinstance(calendar, AlwaysOpen | ComposedCalendar):
        return calendar.to_mapping()
    raise WrongTypeError(
        Message("cannot store {kind} as data; only slakit's own calendars can be",
                kind=type(calendar).__name__)
    )


def _dated_years(parts: Iterable[Calendar]) -> tuple[int, int] | None:
    years = [p._open_time.dated_years for p in parts if isinstance(p, IndexedCalendar)]
    known = [y for y in years if y is not None]
    if not known:
        return None
    return min(y[0] for y in known), max(y[1] for y in known)


def intersection(*calendars: Calendar, timezone: str | ZoneInfo | None = None) -> ComposedCalendar:
    """Open when *every* calendar is open (team hours within the customer's hours)."""
    return ComposedCalendar("intersection", calendars, timezone)


def union(*calendars: Calendar, timezone: str | ZoneInfo | None = None) -> ComposedCalendar:
    """Open when *any* calendar is open (a follow-the-sun desk)."""
    return ComposedCalendar("union", calendars, timezone)


def difference(base: Calendar, *removed: Calendar,
               timezone: str | ZoneInfo | None = None) -> ComposedCalendar:
    """Open when ``base`` is open and none of ``removed`` is (minus a maintenance window)."""
    return ComposedCalendar("difference", (base, *removed), timezone)
