"""Values assignment works on: a snapshot of agents, a request, and the decision.

The host owns agents, loads and rosters; slakit only reads a snapshot of them. Nothing here is
mutable and nothing reads a clock: the request carries its instant, and round robin's cursor
travels in the request and comes back in the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from slakit._errors import NaiveDatetimeError, type_check
from slakit.calendar import Calendar


def _names(value: str | Iterable[str]) -> frozenset[str]:
    # A lone string is one name, not a set of characters.
    return frozenset((value,) if isinstance(value, str) else value)


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    if value.utcoffset() is None:
        raise NaiveDatetimeError(f"AssignmentRequest.{attribute.name}", value)


@attrs.frozen
class Agent:
    """One agent as the host sees them right now.

    Args:
        id: unique agent id.
        skills: what the agent can handle, e.g. ``{"payment", "zh"}``.
        groups: teams the agent belongs to.
        load: tickets currently assigned.
        capacity: most tickets the agent may hold; ``None`` is unlimited.
        calendar: the agent's working calendar; ``None`` means always on shift.
        available: ``False`` when the host marks the agent away (leave, sick) regardless of
            the calendar.
    """

    id: str = attrs.field(validator=type_check(str))
    skills: frozenset[str] = attrs.field(factory=frozenset, converter=_names)
    groups: frozenset[str] = attrs.field(factory=frozenset, converter=_names)
    load: int = 0
    capacity: int | None = None
    calendar: Calendar | None = attrs.field(default=None, repr=False)
    available: bool = True

    def unavailable_because(self, at: datetime) -> str | None:
        """Why the agent cannot take a ticket at ``at``, or ``None`` if they can."""
        if not self.available:
            return "marked away"
        if self.calendar is not None and not self.calendar.is_open(at):
            return f"off shift at {at.isoformat()}"
        if self.capacity is not None and self.load >= self.capacity:
            return f"at capacity ({self.load}/{self.capacity})"
        return None


@attrs.frozen
class AssignmentRequest:
    """The ticket-side facts assignment needs.

    Args:
        at: when the assignment happens (timezone-aware); calendars are checked at it.
        customer_id: the customer, for dedicated-advisor look-ups.
        advisor_id: the customer's dedicated advisor, if the host stores it on the customer.
        category: the ticket's category (e.g. from triage), for skill look-ups.
        skills: skills the ticket needs in any case.
        group: the team the ticket is routed to, if any.
        last_assigned: round robin's cursor: the agent the previous ticket went to.
    """

    at: datetime = attrs.field(validator=_aware)
    customer_id: str | None = None
    advisor_id: str | None = None
    category: str | None = None
    skills: frozenset[str] = attrs.field(factory=frozenset, converter=_names)
    group: str | None = None
    last_assigned: str | None = None


@attrs.frozen
class AssignmentDecision:
    """Who gets the ticket, and why.

    Attributes:
        agent_id: the chosen agent, or ``None`` if nobody could take it.
        decided_by: the name of the step that picked the agent.
        reasons: what each step saw and did, in order; the last names the agent and why.
        skipped: ``(agent id, why)`` for every agent left out as unavailable.
        cursor: pass this as ``last_assigned`` next time (round robin); unchanged from the
            request when round robin did not pick.
    """

    agent_id: str | None
    decided_by: str | None
    reasons: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    cursor: str | None = None

    @property
    def assigned(self) -> bool:
        """Whether an agent was chosen."""
        return self.agent_id is not None

    def explain(self) -> str:
        """The reasons, one per line."""
        return "\n".join(self.reasons)
