"""Logic shared by the reference stores: key checks, folding appends, time as integers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from slakit._errors import InvalidValueError, NaiveDatetimeError
from slakit.workflow import Event, TicketState, Workflow, WrongTicketError, apply

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def check_key(tenant: str, ticket: str) -> None:
    """Refuse empty or non-string tenant and ticket ids (they would share one namespace)."""
    for what, value in (("tenant", tenant), ("ticket", ticket)):
        if not isinstance(value, str) or not value:
            raise InvalidValueError(f"{what} must be a non-empty string, got {value!r}")


def check_aware(what: str, value: datetime) -> None:
    """Refuse naive datetimes."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)


def to_micros(value: datetime) -> int:
    """Microseconds since the Unix epoch (UTC), exact."""
    return (value - _EPOCH) // _MICROSECOND


def micros_or_none(value: datetime | None) -> int | None:
    """:func:`to_micros`, passing None through."""
    return None if value is None else to_micros(value)


def from_micros(value: int) -> datetime:
    """Inverse of :func:`to_micros`, in UTC."""
    return _EPOCH + timedelta(microseconds=value)


def fold_new_events(
    state: TicketState | None,
    ticket: str,
    events: Sequence[Event],
    workflow: Workflow,
) -> tuple[TicketState | None, list[Event]]:
    """Apply ``events`` to ``state``; return the new state and the events that changed it.

    Events the ticket already has (redeliveries) are left out of the returned list.

    Raises:
        WrongTicketError: an event belongs to another ticket.
        InvalidTransition, LateEventError: from :func:`slakit.workflow.apply`.
    """
    fresh: list[Event] = []
    for event in events:
        if event.ticket != ticket:
            raise WrongTicketError(ticket, event.ticket)
        new = apply(state, event, workflow)
        if new is not state:
            fresh.append(event)
        state = new
    return state, fresh


def check_limit(limit: int) -> None:
    """Refuse a claim limit that is not a positive int."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidValueError(f"limit must be a positive int, got {limit!r}")
