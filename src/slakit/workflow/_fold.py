"""The fold: ``apply(state, event) -> new state``, pure and deterministic.

Design rules (h11-style sans-I/O core):

- No I/O, no clock, no randomness: the new state depends only on the old state, the event and
  the workflow, so any host replaying the same events gets the same state.
- Inputs are never changed. An event that is not allowed raises and the caller still holds the
  unchanged old state, because nothing was mutated.
- Order of checks: unknown ticket (needs ``opened``), wrong ticket, redelivered event id (a
  no-op: hosts deliver at least once), late event, transition table, event-specific values.
  The ticket comes before the id because ids are unique per ticket only: another ticket's
  event with a colliding id is an error, never a redelivery.
- Events may share a timestamp (logs with minute precision do); equal times keep their order.
  Times are compared in UTC, since Python compares two datetimes sharing a tzinfo by wall clock.
- ``escalated`` (the desk's record of an escalation) and ``deadline_overridden`` (a due time
  set by hand) are accepted in every status of every workflow, final ones included, and move
  nothing: they are history, not transitions, so they are in no transition table.
- Speed: one dict lookup for the transition and one dict merge for the new state (TicketState
  is a non-slots frozen class for this reason); ``attrs.evolve`` is several times slower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timezone
from typing import Any

from slakit._fast import build
from slakit._message import Message
from slakit.workflow._default import DEFAULT_WORKFLOW
from slakit.workflow._definition import Workflow
from slakit.workflow._errors import InvalidTransition, LateEventError, WrongTicketError
from slakit.workflow._events import (
    AgentReplied,
    CustomerReplied,
    DeadlineOverridden,
    Escalated,
    Event,
    FactsChanged,
    PriorityChanged,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketRated,
    TicketReopened,
    TicketResolved,
)
from slakit.workflow._state import NO_FACTS, FactMap, Satisfaction, TicketState

_UTC = UTC
_Changes = dict[str, Any]


def _is_before(a: datetime, b: datetime) -> bool:
    """``a < b`` as instants."""
    if a.tzinfo is b.tzinfo and (type(a.tzinfo) is timezone or a.utcoffset() == b.utcoffset()):
        # Fast path: same zone and the same offset (a fixed-offset zone, or both instants on
        # the same side of any DST change), so wall clock order is instant order.
        return a < b
    return a.astimezone(_UTC) < b.astimezone(_UTC)


def _open(event: TicketOpened, workflow: Workflow) -> TicketState:
    # Every field, from a dict (a test compares this with the constructor): TicketState has
    # more fields than CPython shares one key table for (29 in 3.11), so its __init__ would
    # leave a dict grown for 90 keys that every later state copies; this one is sized for 30.
    at = event.at
    return build(TicketState, {
        "ticket": event.ticket, "status": workflow.initial, "stage": None,
        "priority": event.priority, "category": event.category, "channel": event.channel,
        "customer": event.customer, "customer_tier": event.customer_tier,
        "subject": event.subject, "tags": event.tags, "organisation": None,
        "custom": NO_FACTS, "assignee": None, "group": None, "opened_at": at,
        "status_since": at, "first_response_at": None, "last_agent_reply_at": None,
        "last_customer_reply_at": None, "first_resolved_at": None, "resolved_at": None,
        "resolution_code": None, "closed_at": None, "auto_closed": False,
        "cancelled_at": None, "reopen_count": 0, "satisfaction": None, "version": 1,
        "last_event_at": at, "event_ids": frozenset((event.event_id,)),
    })


def _assigned(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {"assignee": e.assignee, "group": e.group}


def _stage_changed(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    if e.stage not in wf.stages:
        raise InvalidTransition(
            s.status,
            e.event_type,
            wf.allowed_events(s.status),
            Message("unknown stage {stage!r}; stages: {stages}", stage=e.stage,
                    stages=", ".join(wf.stages)),
        )
    return {"stage": e.stage}


def _agent_replied(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    if not e.public:
        return {}  # an internal note is not a response to the customer
    if s.first_response_at is None:
        return {"first_response_at": e.at, "last_agent_reply_at": e.at}
    return {"last_agent_reply_at": e.at}


def _customer_replied(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {"last_customer_reply_at": e.at}


def _nothing(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {}


def _priority_changed(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {"priority": e.priority}


def _resolved(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    changes: _Changes = {"resolved_at": e.at, "resolution_code": e.resolution_code}
    if s.first_resolved_at is None:
        changes["first_resolved_at"] = e.at
    return changes


def _reopened(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {
        "reopen_count": s.reopen_count + 1,
        "resolved_at": None,
        "resolution_code": None,
        "closed_at": None,
        "auto_closed": False,
    }


def _closed(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {"closed_at": e.at, "auto_closed": e.auto}


def _cancelled(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {"cancelled_at": e.at}


def _rated(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    return {"satisfaction": Satisfaction(e.response_speed, e.resolution, e.attitude)}


_BUILTIN = frozenset(("category", "channel", "customer_tier", "group", "organisation"))


def _facts_changed(s: TicketState, e: Any, wf: Workflow) -> _Changes:
    changes: _Changes = {}
    custom = dict(s.custom.items())  # a FactMap's own items(): no per-name look-up
    touched = False
    for name in e.clear:
        if name in _BUILTIN:
            changes[name] = None
        else:
            touched = custom.pop(name, None) is not None or touched
    for name, value in e.set.items():
        if name in _BUILTIN:
            changes[name] = value
        else:
            custom[name] = value
            touched = True
    if touched:
        changes["custom"] = FactMap(custom)
    if e.tags_added or e.tags_removed:
        changes["tags"] = (s.tags - e.tags_removed) | e.tags_added
    return changes


_HANDLERS: dict[type[Any], Callable[[TicketState, Any, Workflow], _Changes]] = {
    TicketAssigned: _assigned,
    StageChanged: _stage_changed,
    AgentReplied: _agent_replied,
    CustomerReplied: _customer_replied,
    StatusChanged: _nothing,
    PriorityChanged: _priority_changed,
    TicketResolved: _resolved,
    TicketReopened: _reopened,
    TicketClosed: _closed,
    TicketCancelled: _cancelled,
    TicketRated: _rated,
    FactsChanged: _facts_changed,
    Escalated: _nothing,
    DeadlineOverridden: _nothing,
}
_HISTORY = (Escalated, DeadlineOverridden)
"""Events accepted in every status that move nothing (see the module docstring)."""


def _refusal(
    state: TicketState | None, event: Event, workflow: Workflow
) -> InvalidTransition | LateEventError | WrongTicketError | None:
    """The error ``apply`` would raise for ``event`` on ``state``, or None when it applies."""
    if state is None:
        if isinstance(event, TicketOpened):
            return None
        return InvalidTransition(None, event.event_type, ("opened",))
    if event.ticket != state.ticket:
        return WrongTicketError(state.ticket, event.ticket)
    if event.event_id in state.event_ids:
        return None
    if _is_before(event.at, state.last_event_at):
        return LateEventError(event.ticket, event.event_id, event.at, state.last_event_at)
    if type(event) not in _HISTORY and workflow.target(state.status, event) is None:
        detail = ""
        if isinstance(event, StatusChanged):
            targets = ", ".join(sorted(workflow.status_change_targets(state.status))) or "none"
            detail = Message("cannot change to {to!r}; status_changed may go to: {targets}",
                             to=event.to, targets=targets)
        return InvalidTransition(
            state.status, event.event_type, workflow.allowed_events(state.status), detail
        )
    if isinstance(event, StageChanged) and event.stage not in workflow.stages:
        try:
            _stage_changed(state, event, workflow)
        except InvalidTransition as exc:
            return exc
    return None


def apply(
    state: TicketState | None, event: Event, workflow: Workflow = DEFAULT_WORKFLOW
) -> TicketState:
    """Return the ticket state after ``event``; ``state`` is left unchanged.

    ``None`` stands for a ticket that does not exist yet: only ``TicketOpened`` applies to it.
    An event of this ticket whose ``event_id`` the ticket already has is a no-op (``state`` is
    returned); another ticket's event raises even when its id collides with one of these.

    Raises:
        InvalidTransition: the event is not allowed in the current status (or carries a value
            the workflow does not know, such as an unknown stage).
        LateEventError: the event is older than the ticket's last event.
        WrongTicketError: the event belongs to another ticket.

    Example:
        >>> from datetime import UTC, datetime, timezone
        >>> t0 = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)
        >>> s = apply(None, TicketOpened(ticket="T-1", at=t0, event_id="e1", priority="high",
        ...           category=None, channel="email", customer="c-7", customer_tier=None))
        >>> s = apply(s, TicketAssigned(ticket="T-1", at=t0, event_id="e2",
        ...           assignee="ana", group="returns"))
        >>> s.status, s.assignee, s.version
        ('assigned', 'ana', 2)
    """
    if state is None:
        if type(event) is TicketOpened:
            return _open(event, workflow)
        raise _refusal(state, event, workflow) or AssertionError("unreachable")
    if event.event_id in state.event_ids and event.ticket == state.ticket:
        return state
    status = state.status
    cls = type(event)
    target: str | None
    if cls is Escalated or cls is DeadlineOverridden:
        target = status
    elif cls is StatusChanged:
        target = event.to if event.to in workflow._status_targets.get(status, ()) else None  # type: ignore[union-attr]
    else:
        target = workflow._moves.get((status, cls))
    if target is None or event.ticket != state.ticket or _is_before(event.at, state.last_event_at):
        raise _refusal(state, event, workflow) or AssertionError("unreachable")
    at = event.at
    changes = _HANDLERS[cls](state, event, workflow)
    changes["version"] = state.version + 1
    changes["last_event_at"] = at
    changes["event_ids"] = state.event_ids | {event.event_id}
    if target != status:
        changes["status"] = target
        changes["status_since"] = at
        if target not in workflow._keeps_stage:
            changes["stage"] = None
    return build(TicketState, state.__dict__ | changes)


def can_apply(
    state: TicketState | None, event: Event, workflow: Workflow = DEFAULT_WORKFLOW
) -> bool:
    """Whether :func:`apply` would accept ``event`` (a redelivered event counts as accepted)."""
    return _refusal(state, event, workflow) is None


def refusal(
    state: TicketState | None, event: Event, workflow: Workflow = DEFAULT_WORKFLOW
) -> InvalidTransition | LateEventError | WrongTicketError | None:
    """The error :func:`apply` would raise for ``event``, without raising it; None if accepted.

    Useful to explain to a user why an action is unavailable.
    """
    return _refusal(state, event, workflow)


def apply_all(
    events: Iterable[Event],
    workflow: Workflow = DEFAULT_WORKFLOW,
    *,
    start: TicketState | None = None,
) -> TicketState:
    """Fold ``events`` in order, from ``start`` (a snapshot) or from no ticket.

    Raises:
        InvalidTransition: for the first illegal event, or when there is no event at all
            and no ``start`` (there is no ticket to return).
        LateEventError: when an event is older than the one before it.
        WrongTicketError: when the events belong to several tickets.
    """
    state = start
    for event in events:
        state = apply(state, event, workflow)
    if state is None:
        raise InvalidTransition(None, "(no event)", ("opened",),
                                Message("apply_all needs at least one event"))
    return state
