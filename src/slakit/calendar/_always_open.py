"""``AlwaysOpen``: the 24/7 calendar, where business time is plain elapsed time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from slakit._errors import CalendarConfigError, NeverClosesError
from slakit._message import Message
from slakit.calendar._config import _Problems, parse_zone
from slakit.calendar._instants import EPOCH, ONE_US, from_us, to_duration_us, to_us
from slakit.calendar._operators import CalendarOperators
from slakit.calendar._period import Period

UTC = timezone.utc

_NEVER = (
    "an AlwaysOpen calendar never closes, so it has no {what}; bound the question with an "
    "end instant, or use a BusinessCalendar"
)

if TYPE_CHECKING:
    pass


class AlwaysOpen(CalendarOperators):
    """A calendar that is always open (7x24): business time equals real elapsed time.

    It answers every :class:`~slakit.Calendar` question, so a 24/7 target and an office-hours
    target are computed by the same code. Arithmetic is on real (UTC) time, never on the
    wall clock, so a day across a DST switch is 23 or 25 hours.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> cal = AlwaysOpen("Europe/Berlin")
        >>> start = datetime(2025, 3, 29, 12, 0, tzinfo=cal.zone)
        >>> cal.add(start, timedelta(hours=24)).isoformat()
        '2025-03-30T13:00:00+02:00'
    """

    __slots__ = ("_zone",)

    def __init__(self, timezone: str | ZoneInfo = "UTC") -> None:
        problems = _Problems()
        self._zone = parse_zone(timezone, problems)
        if problems.items:
            raise CalendarConfigError(problems.items)

    def __repr__(self) -> str:
        return f"AlwaysOpen({self._zone.key!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AlwaysOpen):
            return NotImplemented
        return self._zone.key == other._zone.key

    def __hash__(self) -> int:
        return hash(("AlwaysOpen", self._zone.key))

    @property
    def zone(self) -> ZoneInfo:
        """The zone results are expressed in."""
        return self._zone

    def in_zone(self, timezone: str | ZoneInfo) -> AlwaysOpen:
        """The 24/7 calendar reporting in ``timezone`` (open time itself is unchanged)."""
        return AlwaysOpen(timezone)

    def to_mapping(self) -> dict[str, str]:
        """Plain data form: ``{"always_open": true, "timezone": ...}``."""
        return {"kind": "always_open", "timezone": self._zone.key}

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """``start + duration`` in real time."""
        return from_us(to_us(start, "start") + to_duration_us(duration), self._zone)

    def _add_utc(self, start: datetime, duration: timedelta) -> datetime:
        """:meth:`add` with the result in UTC (see ``IndexedCalendar._add_utc``)."""
        if type(start) is datetime and start.tzinfo is UTC and type(duration) is timedelta:
            return start + duration  # aware UTC arithmetic is real time already
        return EPOCH + ONE_US * (to_us(start, "start") + to_duration_us(duration))

    def subtract(self, start: datetime, duration: timedelta) -> datetime:
        """``start - duration`` in real time."""
        return from_us(to_us(start, "start") - to_duration_us(duration), self._zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """``end - start`` in real time."""
        if (type(start) is datetime and type(end) is datetime and start.tzinfo is UTC
                and end.tzinfo is UTC):
            return end - start  # both in UTC: plain subtraction is real elapsed time
        return timedelta(microseconds=to_us(end, "end") - to_us(start, "start"))

    def is_open(self, t: datetime) -> bool:
        """Always True (after checking that ``t`` is aware)."""
        to_us(t, "t")
        return True

    def next_opening(self, t: datetime) -> datetime:
        """``t`` itself: every instant is open."""
        return from_us(to_us(t, "t"), self._zone)

    def previous_opening(self, t: datetime) -> datetime:
        """``t`` itself: every instant is open."""
        return from_us(to_us(t, "t"), self._zone)

    def next_closing(self, t: datetime) -> datetime:
        """Never: raises :class:`slakit.NeverClosesError`."""
        to_us(t, "t")
        raise NeverClosesError(_NEVER.format(what=Message("next closing")))

    def previous_closing(self, t: datetime) -> datetime:
        """Never: raises :class:`slakit.NeverClosesError`."""
        to_us(t, "t")
        raise NeverClosesError(_NEVER.format(what=Message("previous closing")))

    def periods(self, start: datetime, end: datetime | None = None) -> Iterator[Period]:
        """The one period ``[start, end)``; ``end`` is required (raises NeverClosesError)."""
        x = to_us(start, "start")
        if end is None:
            raise NeverClosesError(_NEVER.format(what=Message("end to its period")))
        y = to_us(end, "end")
        spans = [Period(from_us(x, self._zone), from_us(y, self._zone))] if x < y else []
        return iter(spans)

    def periods_before(self, end: datetime, start: datetime | None = None) -> Iterator[Period]:
        """The one period ``[start, end)``; ``start`` is required (raises NeverClosesError)."""
        y = to_us(end, "end")
        if start is None:
            raise NeverClosesError(_NEVER.format(what=Message("start to its period")))
        return self.periods(start, from_us(y, self._zone))
