"""The storage port: what slakit needs from wherever a host keeps its tickets.

Design rules:

- A store is an append-only log of events per ``(tenant, ticket)`` plus a cached state
  snapshot per ticket (so loading is cheap and tickets can be listed by status or due time).
- Optimistic concurrency: every append names the version the writer saw (the number of events
  stored for the ticket; 0 for a new ticket). A stale writer gets :class:`ConcurrencyError`
  and must reload, re-decide and retry; nothing is ever overwritten.
- The store folds appended events onto its snapshot with the workflow (see
  :func:`slakit.workflow.apply`), so an illegal event stores nothing, and a redelivered event
  id is skipped (not stored twice). Hence a ticket's version always equals
  ``state.version``.
- Everything is scoped by tenant: no call made with tenant B reads or writes tenant A's data.
- ``due_at`` is an optional instant per ticket that the host (or the SLA engine) sets, so it
  can ask which tickets fall due; slakit never reads the clock, ``before`` is given.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from slakit.workflow import Event, TicketState


class KeepDue(enum.Enum):
    """Marker type of :data:`KEEP_DUE`."""

    KEEP = "keep"


KEEP_DUE = KeepDue.KEEP
"""Pass as ``due_at`` to leave a ticket's due time as it is (the default)."""


@attrs.frozen
class TicketSummary:
    """One row of a ticket listing.

    Attributes:
        ticket: Ticket id.
        status: Current status.
        version: Number of events stored for the ticket.
        due_at: The due time set by the host, in UTC, or None.
    """

    ticket: str
    status: str
    version: int
    due_at: datetime | None


@runtime_checkable
class TicketStore(Protocol):
    """Where tickets live: implement this over your own database, or use a reference store.

    :class:`InMemoryStore` and :class:`SQLiteStore` implement it; their tests show the
    behaviour any implementation must have.
    """

    def append(
        self,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        due_at: datetime | KeepDue | None = KEEP_DUE,
    ) -> TicketState:
        """Append ``events`` to a ticket atomically and return its new state.

        Args:
            tenant: Tenant owning the ticket.
            ticket: Ticket id; every event must belong to it.
            events: Events in order; ids the ticket already has are skipped.
            expected_version: The ticket's version the caller saw (0: the ticket is new).
            due_at: New due time (aware), None to clear it, or KEEP_DUE to keep it.

        Raises:
            ConcurrencyError: the ticket's version is not ``expected_version``.
            InvalidTransition: an event is illegal; nothing is stored.
            LateEventError: an event goes back in time; nothing is stored.
            WrongTicketError: an event belongs to another ticket; nothing is stored.
            UnknownTicketError: ``events`` is empty and the ticket does not exist.
        """
        ...

    def load_events(self, tenant: str, ticket: str) -> tuple[Event, ...]:
        """The ticket's stored events, in order (empty when the ticket does not exist)."""
        ...

    def load_state(self, tenant: str, ticket: str) -> TicketState | None:
        """The ticket's current state, or None when the ticket does not exist."""
        ...

    def set_due(self, tenant: str, ticket: str, due_at: datetime | None) -> None:
        """Set (or clear, with None) the ticket's due time.

        Raises:
            UnknownTicketError: the ticket does not exist.
        """
        ...

    def list_by_status(
        self, tenant: str, status: str, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` in ``status``, ordered by ticket id.

        ``limit`` caps the number of rows (None: every row; a negative limit is refused with
        InvalidValueError, as it meant different things to different databases).
        """
        ...

    def list_due(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` due strictly before ``before``, earliest first.

        ``limit`` as in :meth:`list_by_status`. ``before`` must be inside the supported
        range of instants (see :mod:`slakit._instants`), as must any due time.
        """
        ...
