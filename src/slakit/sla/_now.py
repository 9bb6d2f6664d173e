"""Checks of the ``now`` (and ``since``) a host passes to an evaluation."""

from __future__ import annotations

from datetime import datetime

from slakit._errors import WrongTypeError
from slakit._instants import check_instant
from slakit._message import Message
from slakit.sla._cycle import UTC
from slakit.sla._errors import SlaInputError


def utc_now(now: object, what: str = "now") -> datetime:
    """``now`` in UTC.

    Raises:
        NaiveDatetimeError: ``now`` has no time zone.
        WrongTypeError: ``now`` is not a datetime.
        InstantRangeError: ``now`` is outside the supported range (see :mod:`slakit._instants`).
    """
    tz = getattr(now, "tzinfo", None)
    if tz is UTC and isinstance(now, datetime) and 2 < now.year < 9998:
        return now  # a host's datetime.now(timezone.utc): nothing to convert
    if not isinstance(now, datetime):
        raise WrongTypeError(Message(
            "{what} must be a timezone-aware datetime, got {kind} {value!r}; pass e.g. "
            "datetime.now(timezone.utc)", what=what, kind=type(now).__name__, value=now))
    check_instant(what, now)  # NaiveDatetimeError for a naive one
    return now.astimezone(UTC)


def event_utc(at: datetime) -> datetime:
    """An event's time in UTC (nothing to check: it was checked when the event was built)."""
    return at.astimezone(UTC)


def state_now(now: object, event_at: object, last_event_at: datetime) -> datetime:
    """``now`` in UTC for an evaluation of a state, checked not to be before its last event.

    A host often passes the event it just folded as ``now`` (its ``at`` to
    :meth:`SlaEngine.advance`, then to :func:`next_wake_at`); the state keeps that object
    as ``event_at`` (see :class:`SlaState`), and its UTC value as ``last_event_at``, so
    the same object is answered without a zone conversion.

    Raises:
        NaiveDatetimeError: ``now`` has no time zone.
        WrongTypeError: ``now`` is not a datetime.
        SlaInputError: ``now`` is before the last folded event.
    """
    if now is event_at and now is not None:  # None: a state built without the engine
        return last_event_at
    u = utc_now(now)
    if u < last_event_at:
        check_not_before(now, u, last_event_at)  # type: ignore[arg-type]  # raises, saying why
    return u


def check_not_before(now: datetime, now_utc: datetime, last_event_at: datetime) -> None:
    """SlaInputError when ``now`` is before the last folded event."""
    if now_utc < last_event_at:
        raise SlaInputError(Message(
            "now ({now}) is before the last folded event ({last}); evaluate at or after it",
            now=now.isoformat(), last=last_event_at.isoformat()))
