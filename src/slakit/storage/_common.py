"""Logic shared by the reference stores: key checks, folding appends, time as integers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from slakit._errors import InvalidValueError, WrongTypeError, check_text
from slakit._fast import build
from slakit._instants import check_instant
from slakit._message import Message
from slakit.workflow import Event, TicketState, Workflow, WrongTicketError, apply

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def check_key(tenant: str, ticket: str) -> None:
    """Refuse empty or non-string tenant and ticket ids, and ids with a lone surrogate.

    An empty id would share one namespace; a lone surrogate cannot be stored as UTF-8.
    """
    for what, value in (("tenant", tenant), ("ticket", ticket)):
        if not isinstance(value, str) or not value:
            raise InvalidValueError(Message("{what} must be a non-empty string, got {value!r}", what=what,
                                            value=value))
        check_text(what, value)


def check_limit(limit: int | None) -> None:
    """Refuse a listing limit that is not None or an int >= 0.

    A negative limit meant "no limit" to SQLite and "all but the last rows" to a Python
    slice, so the stores disagreed; None is the one way to ask for every row.
    """
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise WrongTypeError(Message("limit must be an int >= 0 or None, got {limit!r}", limit=limit))
    if limit < 0:
        raise InvalidValueError(
            Message("limit must be an int >= 0 or None, got {limit}; pass None for every row", limit=limit)
        )


def check_aware(what: str, value: datetime) -> None:
    """Refuse naive datetimes and instants outside the supported range."""
    check_instant(what, value)


def to_micros(value: datetime) -> int:
    """Microseconds since the Unix epoch (UTC), exact."""
    return (value - _EPOCH) // _MICROSECOND


def micros_or_none(value: datetime | None) -> int | None:
    """:func:`to_micros`, passing None through."""
    return None if value is None else to_micros(value)


def from_micros(value: int) -> datetime:
    """Inverse of :func:`to_micros`, in UTC."""
    return _EPOCH + timedelta(microseconds=value)


def with_event_ids(state: TicketState, event_ids: frozenset[str]) -> TicketState:
    """``attrs.evolve(state, event_ids=event_ids)``, without its cost.

    A store makes two or three such copies per append. A copy of a valid state with one field
    of the same type replaced is valid, so ``__init__``'s checks are skipped (see
    :mod:`slakit._fast`).
    """
    return build(TicketState, state.__dict__ | {"event_ids": event_ids})


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
    # The fold runs on a copy without the stored ids, which are checked here instead: apply
    # copies the id set per event, which made a batch cost (events x ids already stored).
    known = frozenset() if state is None else state.event_ids
    work = None if state is None else with_event_ids(state, frozenset())
    fresh: list[Event] = []
    for event in events:
        if event.ticket != ticket:
            raise WrongTicketError(ticket, event.ticket)
        if event.event_id in known:
            continue  # a stored event delivered again
        new = apply(work, event, workflow)
        if new is not work:
            fresh.append(event)
        work = new
    if not fresh or work is None:
        return state, fresh
    return with_event_ids(work, known | work.event_ids), fresh


def check_claim_limit(limit: int) -> None:
    """Refuse a claim limit that is not a positive int."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidValueError(Message("limit must be a positive int, got {limit!r}", limit=limit))
