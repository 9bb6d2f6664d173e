"""Which instants slakit accepts: the one range check shared by events, stores and the CLI.

Design rules:

- Python's ``datetime`` covers years 1 to 9999 in its own wall clock, but an instant near
  either end cannot be converted to UTC (or to another offset) or have a day added without
  ``OverflowError``. Such a value (often a placeholder like 9999-12-31 in an export) would
  be accepted, then break every later calculation of its ticket or tenant.
- So instants are refused where they enter (event construction, store due times, ``now``),
  against one stated range: UTC instants from 0002-01-01 to the end of 9998, the years a
  business calendar can describe. Any offset (under a day) and any SLA target of up to a
  year stay inside ``datetime``'s range from there.
- The check is cheap: a local year from 3 to 9997 is in range whatever the offset, so only
  the edge years compare instants.
"""

from __future__ import annotations

from datetime import UTC, datetime

from slakit._errors import InstantRangeError, NaiveDatetimeError
from slakit._message import Message

MIN_INSTANT = datetime(2, 1, 1, tzinfo=UTC)
"""The earliest instant slakit accepts."""
MAX_INSTANT = datetime(9998, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
"""The latest instant slakit accepts."""
SUPPORTED_RANGE = "0002-01-01T00:00:00Z to 9998-12-31T23:59:59.999999Z"


def check_instant(what: str, value: datetime) -> None:
    """Refuse a naive datetime, or an instant outside :data:`MIN_INSTANT`..:data:`MAX_INSTANT`.

    Args:
        what: What the value is, for the message (e.g. ``"event field 'at'"``, ``"--now"``).
        value: The datetime to check.

    Raises:
        NaiveDatetimeError: ``value`` has no UTC offset.
        InstantRangeError: ``value`` is outside the supported range.

    Example:
        >>> from datetime import timedelta, timezone
        >>> check_instant("now", datetime(2025, 3, 3, tzinfo=UTC))
        >>> check_instant("now", datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))))
        Traceback (most recent call last):
        ...
        slakit._errors.InstantRangeError: now 9999-12-31T23:00:00-05:00 is outside the ...
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)
    if 2 < value.year < 9998:
        return
    # Comparing aware datetimes subtracts their offsets in day arithmetic: it never overflows.
    if not MIN_INSTANT <= value <= MAX_INSTANT:
        raise InstantRangeError(
            Message("{what} {isoformat} is outside the supported range {supported_range} (instants in "
                    "UTC); a date like 9999-12-31 or 0001-01-01 is usually a placeholder for 'no date': "
                    "leave the value out (None) instead", what=what, isoformat=value.isoformat(),
                    supported_range=SUPPORTED_RANGE)
        )


def instant_key(value: datetime | None) -> datetime | None:
    """Equality key of an aware time: the same instant in UTC (None stays None).

    For attrs ``eq=``: Python never calls two aware datetimes of different zones equal when
    one falls in a DST fold (PEP 495), so an event at Sydney's ambiguous 02:30 would differ
    from itself decoded from JSON, which keeps the offset and not the zone name.
    """
    return None if value is None else value.astimezone(UTC)
