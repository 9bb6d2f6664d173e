"""Conversions between aware datetimes and integer UTC microseconds.

The calendar arithmetic computes on integers (microseconds since the Unix epoch, UTC) so that
results are exact and comparisons never depend on wall clocks or folds. This module is the
only place that crosses between the two representations.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from slakit._errors import NaiveDatetimeError, WrongTypeError
from slakit._message import Message

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
ONE_US = timedelta(microseconds=1)
US_PER_DAY = 86_400_000_000


def to_us(t: datetime, what: str = "the instant") -> int:
    """Microseconds since the epoch of the aware datetime ``t``.

    Raises:
        NaiveDatetimeError: ``t`` has no time zone.
        WrongTypeError: ``t`` is not a datetime.
    """
    if not isinstance(t, datetime):
        raise WrongTypeError(
            Message("{what} must be a timezone-aware datetime, got {kind} {t!r}", what=what,
                    kind=type(t).__name__, t=t)
        )
    if t.tzinfo is None:
        raise NaiveDatetimeError(what, t)
    try:
        # Subtracting an aware UTC epoch converts through utcoffset(): real elapsed time.
        return (t - EPOCH) // ONE_US
    except TypeError:  # a tzinfo whose utcoffset() returns None: naive in all but name
        raise NaiveDatetimeError(what, t) from None


def to_duration_us(d: timedelta, what: str = "the duration") -> int:
    """Whole microseconds of a timedelta (timedeltas are exact to the microsecond)."""
    if not isinstance(d, timedelta):
        raise WrongTypeError(Message("{what} must be a datetime.timedelta, got {kind} {d!r}", what=what,
                                     kind=type(d).__name__, d=d))
    return d // ONE_US


def from_us(us: int, zone: ZoneInfo) -> datetime:
    """The aware datetime in ``zone`` for epoch microseconds ``us``."""
    return (EPOCH + ONE_US * us).astimezone(zone)


def local_to_us(day: date, offset_us: int, zone: ZoneInfo) -> int:
    """Epoch microseconds of the wall-clock time ``offset_us`` after local midnight of ``day``.

    ``offset_us`` may reach past 24 h (an overnight shift's end). A wall time in a DST gap
    resolves with fold=0, which places it later by the gap; an ambiguous one takes its first
    occurrence.
    """
    wall = datetime.combine(day, time()) + timedelta(microseconds=offset_us)
    return (wall.replace(tzinfo=zone) - EPOCH) // ONE_US


def local_date(us: int, zone: ZoneInfo) -> date:
    """The local calendar date in ``zone`` of epoch microseconds ``us``."""
    return from_us(us, zone).date()
