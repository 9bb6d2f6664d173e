"""Checks of the ``now`` (and ``since``) a host passes to an evaluation."""

from __future__ import annotations

from datetime import datetime

from slakit._errors import WrongTypeError
from slakit._instants import check_instant
from slakit.sla._cycle import UTC
from slakit.sla._errors import SlaInputError

_NOTHING_YET: tuple[object, datetime] = (object(), datetime(1970, 1, 1, tzinfo=UTC))
"""The cache before any conversion: its key is an object no caller can hold, so nothing (not
even None) is answered from it."""
_last: tuple[object, datetime] = _NOTHING_YET
"""The last datetime :func:`utc_now` accepted, and its value in UTC. A host passes the same
object several times in a row (the event's ``at`` to ``SlaEngine.advance``, then as ``now``
to ``next_wake_at``), and a zone conversion costs more than the rest of the check. Datetimes
are immutable and the reference keeps the object alive, so the same object means the same
answer; the pair is replaced in one assignment, so threads see one pair or the other."""


def utc_now(now: object, what: str = "now") -> datetime:
    """``now`` in UTC.

    Raises:
        NaiveDatetimeError: ``now`` has no time zone.
        WrongTypeError: ``now`` is not a datetime.
        InstantRangeError: ``now`` is outside the supported range (see :mod:`slakit._instants`).
    """
    global _last
    last = _last
    if now is last[0]:
        return last[1]
    tz = getattr(now, "tzinfo", None)
    if tz is UTC and isinstance(now, datetime) and 2 < now.year < 9998:
        return now  # a host's datetime.now(timezone.utc): nothing to convert
    if not isinstance(now, datetime):
        raise WrongTypeError(
            f"{what} must be a timezone-aware datetime, got {type(now).__name__} {now!r}; "
            "pass e.g. datetime.now(timezone.utc)"
        )
    check_instant(what, now)  # NaiveDatetimeError for a naive one
    now_utc = now.astimezone(UTC)
    _last = (now, now_utc)
    return now_utc


def event_utc(at: datetime) -> datetime:
    """An event's time in UTC, remembered for :func:`utc_now`.

    Nothing to check: an event's time is aware, checked when the event was built.
    """
    global _last
    at_utc = at.astimezone(UTC)
    _last = (at, at_utc)
    return at_utc


def check_not_before(now: datetime, now_utc: datetime, last_event_at: datetime) -> None:
    """SlaInputError when ``now`` is before the last folded event."""
    if now_utc < last_event_at:
        raise SlaInputError(
            f"now ({now.isoformat()}) is before the last folded event "
            f"({last_event_at.isoformat()}); evaluate at or after it"
        )
