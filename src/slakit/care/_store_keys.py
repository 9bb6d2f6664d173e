"""Key, instant and input checks shared by the care stores (the ticket store has its own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from slakit._errors import InvalidValueError, NaiveDatetimeError
from slakit._message import Message
from slakit.care._followups import FollowUpCompleted
from slakit.care._schedule import CareSchedule
from slakit.plans._errors import PlanInputError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def check_key(tenant: str, subject: str) -> None:
    """Refuse empty or non-string tenant and subject ids (they would share one namespace)."""
    for what, value in (("tenant", tenant), ("subject", subject)):
        if not isinstance(value, str) or not value:
            raise InvalidValueError(Message("{what} must be a non-empty string, got {value!r}", what=what,
                                            value=value))


def check_aware(what: str, value: datetime) -> None:
    """Refuse naive datetimes."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)


def to_micros(value: datetime) -> int:
    """Microseconds since the Unix epoch (UTC), exact."""
    return (value - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    """The UTC instant ``micros`` microseconds after the Unix epoch (inverse of to_micros)."""
    return _EPOCH + micros * _MICROSECOND


def check_schedules(subject: str, schedules: Sequence[CareSchedule]) -> tuple[CareSchedule, ...]:
    """Refuse what is not a CareSchedule, and repeated names (a key is per schedule name)."""
    kept = tuple(schedules)
    if not all(isinstance(s, CareSchedule) for s in kept):
        raise PlanInputError(Message("put_schedules takes CareSchedule values; nothing was stored"))
    if len({s.name for s in kept}) != len(kept):
        raise PlanInputError(Message("schedule names of {subject!r} must be unique; nothing was stored",
                                     subject=subject))
    return kept


def check_subject_events(
    subject: str, events: Sequence[FollowUpCompleted]
) -> tuple[FollowUpCompleted, ...]:
    """Refuse care events of another subject (they would be stored under the wrong one)."""
    for e in events:
        if e.subject != subject:
            raise PlanInputError(Message("event {event_id!r} is for {subject!r}, not {subject2!r}; "
                                         "nothing was stored", event_id=e.event_id, subject=e.subject,
                                         subject2=subject))
    return tuple(events)
