"""Errors raised by the workflow core; each is a SlakitError and a ValueError."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from slakit._errors import DefinitionError, SlakitError
from slakit._message import Message


class InvalidTransition(SlakitError, ValueError):
    """An event is not allowed in the ticket's current status; the ticket is unchanged.

    Attributes:
        status: The ticket's status, or ``None`` when the ticket does not exist yet.
        event_type: The JSON ``type`` name of the refused event.
        allowed: The event types the status accepts, sorted.
        detail: Extra explanation (e.g. the refused target of a ``status_changed``).
    """

    def __init__(
        self,
        status: str | None,
        event_type: str,
        allowed: Iterable[str],
        detail: str = "",
    ) -> None:
        self.status = status
        self.event_type = event_type
        self.allowed: tuple[str, ...] = tuple(sorted(allowed))
        self.detail = detail
        where = (Message("a ticket that does not exist yet") if status is None
                 else Message("status {status!r}", status=status))
        allowed_text = ", ".join(self.allowed) or Message("nothing (the status is terminal)")
        extra = Message(" ({detail})", detail=detail) if detail else ""
        super().__init__(Message(
            "event {event!r} is not allowed in {where}{extra}; allowed here: {allowed}",
            event=event_type, where=where, extra=extra, allowed=allowed_text))


class LateEventError(SlakitError, ValueError):
    """An event is older than the last event applied to its ticket; the ticket is unchanged."""

    def __init__(self, ticket: str, event_id: str, at: datetime, last_event_at: datetime) -> None:
        self.ticket = ticket
        self.event_id = event_id
        self.at = at
        self.last_event_at = last_event_at
        super().__init__(Message(
            "event {event!r} of ticket {ticket!r} happened at {at}, before the ticket's last "
            "event at {last}; events must be applied in time order: sort the ticket's events by "
            "time (equal times keep their order) and replay", event=event_id, ticket=ticket,
            at=at.isoformat(), last=last_event_at.isoformat()))


class WrongTicketError(SlakitError, ValueError):
    """An event was applied to the state of another ticket."""

    def __init__(self, state_ticket: str, event_ticket: str) -> None:
        self.state_ticket = state_ticket
        self.event_ticket = event_ticket
        super().__init__(Message(
            "event for ticket {event_ticket!r} applied to the state of ticket {state_ticket!r}; "
            "fold each ticket's events separately", event_ticket=event_ticket,
            state_ticket=state_ticket))


class WorkflowDefinitionError(DefinitionError):
    """A workflow definition is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(Message("workflow definition"), problems)


class EventDecodeError(SlakitError, ValueError):
    """A JSON document is not a valid event or ticket snapshot."""
