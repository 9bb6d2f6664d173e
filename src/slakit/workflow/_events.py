"""The event vocabulary: frozen, typed facts about a ticket, each with a fixed JSON ``type`` name.

Design rules:

- An event is a fact that already happened (past tense). It carries no behaviour; the fold in
  :mod:`slakit.workflow._fold` decides what it does to a ticket.
- Every event has ``ticket``, ``at`` (timezone-aware), ``event_id`` (unique within the ticket;
  hosts deliver at least once, so a repeated id is a no-op) and an optional ``actor``.
- Values are checked when the event is built, so a fold never meets a malformed event: times
  are aware and inside the supported range (:mod:`slakit._instants`), strings hold no lone
  surrogate (they could not be stored or printed).
- The ``event_type`` class constant is the JSON ``type`` name; logs and the CLI use these names,
  so they never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, TypeAlias

import attrs

from slakit.workflow._escalated import ESCALATED_ID_PREFIX, ESCALATION_ACTION_KINDS, Escalated
from slakit.workflow._event_base import (
    _BaseEvent,
    _bool,
    _check_non_empty,
    _check_score,
    _optional_str,
    _str,
    _to_tags,
)
from slakit.workflow._sla_events import BUILTIN_FACTS, DeadlineOverridden, FactsChanged, FactValue

__all__ = [
    "BUILTIN_FACTS", "ESCALATED_ID_PREFIX", "ESCALATION_ACTION_KINDS", "EVENT_CLASSES",
    "EVENT_TYPES", "AgentReplied", "CustomerReplied", "DeadlineOverridden", "Escalated",
    "Event", "FactValue", "FactsChanged", "PriorityChanged", "StageChanged", "StatusChanged",
    "TicketAssigned", "TicketCancelled", "TicketClosed", "TicketOpened", "TicketRated",
    "TicketReopened", "TicketResolved",
]

@attrs.frozen(kw_only=True)
class TicketOpened(_BaseEvent):
    """A customer (or an agent on their behalf) registered a ticket; it starts the ticket.

    Example:
        >>> from datetime import datetime, timezone
        >>> e = TicketOpened(ticket="T-1", at=datetime(2025, 3, 3, 9, tzinfo=timezone.utc),
        ...                  event_id="e1", priority="high", category="delivery",
        ...                  channel="email", customer="c-7", customer_tier="gold")
        >>> e.event_type
        'opened'
    """

    event_type: ClassVar[str] = "opened"

    priority: str = attrs.field(validator=_check_non_empty)
    category: str | None = attrs.field(validator=_optional_str)
    channel: str | None = attrs.field(validator=_optional_str)
    customer: str | None = attrs.field(validator=_optional_str)
    customer_tier: str | None = attrs.field(validator=_optional_str)
    subject: str = attrs.field(default="", validator=_str)
    body: str = attrs.field(default="", validator=_str)
    tags: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=_to_tags,
        validator=attrs.validators.deep_iterable(_str),
    )


@attrs.frozen(kw_only=True)
class TicketAssigned(_BaseEvent):
    """The ticket was given to an engineer and/or a group (``None`` leaves that side empty)."""

    event_type: ClassVar[str] = "assigned"

    assignee: str | None = attrs.field(validator=_optional_str)
    group: str | None = attrs.field(validator=_optional_str)


@attrs.frozen(kw_only=True)
class StageChanged(_BaseEvent):
    """Work moved to another stage (default stages: investigating, planning, fixing)."""

    event_type: ClassVar[str] = "stage_changed"

    stage: str = attrs.field(validator=_check_non_empty)


@attrs.frozen(kw_only=True)
class AgentReplied(_BaseEvent):
    """An agent wrote on the ticket; only a public reply counts as a response to the customer."""

    event_type: ClassVar[str] = "agent_replied"

    public: bool = attrs.field(default=True, validator=_bool)


@attrs.frozen(kw_only=True)
class CustomerReplied(_BaseEvent):
    """The customer wrote on the ticket."""

    event_type: ClassVar[str] = "customer_replied"


@attrs.frozen(kw_only=True)
class StatusChanged(_BaseEvent):
    """An explicit move to another status (e.g. to ``waiting_on_customer``)."""

    event_type: ClassVar[str] = "status_changed"

    to: str = attrs.field(validator=_check_non_empty)


@attrs.frozen(kw_only=True)
class PriorityChanged(_BaseEvent):
    """The ticket's priority was changed, with an optional reason."""

    event_type: ClassVar[str] = "priority_changed"

    priority: str = attrs.field(validator=_check_non_empty)
    reason: str | None = attrs.field(default=None, validator=_optional_str)


@attrs.frozen(kw_only=True)
class TicketResolved(_BaseEvent):
    """A fix or answer was delivered; the ticket waits for the customer's acceptance."""

    event_type: ClassVar[str] = "resolved"

    resolution_code: str | None = attrs.field(default=None, validator=_optional_str)
    note: str | None = attrs.field(default=None, validator=_optional_str)


@attrs.frozen(kw_only=True)
class TicketReopened(_BaseEvent):
    """A resolved or closed ticket was opened again (the fix did not hold)."""

    event_type: ClassVar[str] = "reopened"


@attrs.frozen(kw_only=True)
class TicketClosed(_BaseEvent):
    """The resolution was accepted, or the desk closed the ticket automatically (``auto``)."""

    event_type: ClassVar[str] = "closed"

    auto: bool = attrs.field(default=False, validator=_bool)


@attrs.frozen(kw_only=True)
class TicketCancelled(_BaseEvent):
    """The ticket was withdrawn: a duplicate, spam, or not a real request."""

    event_type: ClassVar[str] = "cancelled"

    reason: str | None = attrs.field(default=None, validator=_optional_str)


@attrs.frozen(kw_only=True)
class TicketRated(_BaseEvent):
    """The customer rated the service from 1 (worst) to 5 (best); unanswered scores are None."""

    event_type: ClassVar[str] = "rated"

    response_speed: int | None = attrs.field(validator=_check_score)
    resolution: int | None = attrs.field(validator=_check_score)
    attitude: int | None = attrs.field(validator=_check_score)

Event: TypeAlias = (
    TicketOpened
    | TicketAssigned
    | StageChanged
    | AgentReplied
    | CustomerReplied
    | StatusChanged
    | PriorityChanged
    | TicketResolved
    | TicketReopened
    | TicketClosed
    | TicketCancelled
    | TicketRated
    | FactsChanged
    | Escalated
    | DeadlineOverridden
)
"""Any workflow event (a union type, also usable with ``isinstance``)."""

EVENT_CLASSES: tuple[type[Event], ...] = (
    TicketOpened,
    TicketAssigned,
    StageChanged,
    AgentReplied,
    CustomerReplied,
    StatusChanged,
    PriorityChanged,
    TicketResolved,
    TicketReopened,
    TicketClosed,
    TicketCancelled,
    TicketRated,
    FactsChanged,
    Escalated,
    DeadlineOverridden,
)
"""Every event class, in vocabulary order."""

EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType(
    {cls.event_type: cls for cls in EVENT_CLASSES}
)
"""JSON ``type`` name -> event class."""
