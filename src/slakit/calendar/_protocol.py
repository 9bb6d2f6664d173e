"""The ``Calendar`` protocol: what every business-time calendar answers.

Design rules shared by every implementation (``BusinessCalendar``, ``AlwaysOpen`` and the
compositions built from them):

* Inputs are timezone-aware datetimes in any zone; a naive datetime raises
  :class:`slakit.NaiveDatetimeError`. Results are aware datetimes in the calendar's zone.
* Open time is a union of half-open periods ``[open, close)``: the closing instant itself is
  closed. Touching periods are one period.
* Durations are real elapsed time (``timedelta``), exact to the microsecond.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit.calendar._operators import CalendarOperators
from slakit.calendar._period import Period


@runtime_checkable
class Calendar(Protocol):
    """Business-time arithmetic over a set of open periods."""

    @property
    def zone(self) -> ZoneInfo:
        """The zone results are expressed in."""
        ...

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time after ``start``."""
        ...

    def subtract(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time before ``start``."""
        ...

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time in ``[start, end)``; negative when ``end < start``."""
        ...

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` lies in an open period."""
        ...

    def next_opening(self, t: datetime) -> datetime:
        """The first period start at or after ``t``."""
        ...

    def previous_opening(self, t: datetime) -> datetime:
        """The last period start at or before ``t``."""
        ...

    def next_closing(self, t: datetime) -> datetime:
        """The first period end at or after ``t``."""
        ...

    def previous_closing(self, t: datetime) -> datetime:
        """The last period end at or before ``t``."""
        ...

    def periods(self, start: datetime, end: datetime | None = None) -> Iterator[Period]:
        """Open periods clipped to ``[start, end)``, forward in time."""
        ...

    def periods_before(self, end: datetime, start: datetime | None = None) -> Iterator[Period]:
        """Open periods clipped to ``[start, end)``, backward in time."""
        ...


def open_at_or_after(calendar: Calendar, t: datetime) -> datetime:
    """``t`` if ``calendar`` is open then, else its next opening (in the calendar's zone).

    The instant at which something due at ``t`` can happen: a visit moved off a holiday, a
    reminder that came due at night.

    Raises:
        WrongTypeError: ``calendar`` is not a calendar.
        NaiveDatetimeError: ``t`` has no time zone.
    """
    # slakit's own calendars first: a runtime protocol check walks every member (slow), and
    # the SLA clocks call this per threshold of a rule that came into force late.
    if not isinstance(calendar, CalendarOperators) and not isinstance(calendar, Calendar):
        raise WrongTypeError(Message(
            "calendar must be a slakit calendar (BusinessCalendar, AlwaysOpen or a "
            "composition), got {value!r}", value=calendar))
    if calendar.is_open(t):
        return t.astimezone(calendar.zone)
    return calendar.next_opening(t)
