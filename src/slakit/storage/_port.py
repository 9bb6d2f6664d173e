"""The storage port: what slakit needs from wherever a host keeps its tickets.

Design rules:

- A store is an append-only log of events per ``(tenant, ticket)`` plus a cached state
  snapshot per ticket (so loading is cheap and tickets can be listed by status or wake-up time).
- Optimistic concurrency: every append names the version the writer saw (the number of events
  stored for the ticket; 0 for a new ticket). A stale writer gets :class:`ConcurrencyError`
  and must reload, re-decide and retry; nothing is ever overwritten.
- The store folds appended events onto its snapshot with the workflow (see
  :func:`slakit.workflow.apply`), so an illegal event stores nothing, and a redelivered event
  id is skipped (not stored twice). Hence a ticket's version always equals
  ``state.version``.
- Everything is scoped by tenant: no call made with tenant B reads or writes tenant A's data.
- ``wake_at`` is an optional instant per ticket that the host (or the SLA engine) sets, so it
  can ask which tickets need a wake-up; slakit never reads the clock, ``before`` is given.
  (It was ``due_at`` in 0.1; ``due_at`` now always means a clock's deadline.)
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from slakit.workflow import Event, TicketState


class KeepWakeAt(enum.Enum):
    """Marker type of :data:`KEEP_WAKE_AT`."""

    KEEP = "keep"


KEEP_WAKE_AT = KeepWakeAt.KEEP
"""Pass as ``wake_at`` to leave a ticket's wake-up time as it is (the default)."""


@attrs.frozen
class TicketSummary:
    """One row of a ticket listing.

    Attributes:
        ticket: Ticket id.
        status: Current status.
        version: Number of events stored for the ticket.
        wake_at: The wake-up time set by the host (or the desk), in UTC, or None.
    """

    ticket: str
    status: str
    version: int
    wake_at: datetime | None

    @property
    def due_at(self) -> datetime | None:
        """Deprecated name of :attr:`wake_at`."""
        warnings.warn("TicketSummary.due_at is deprecated; use wake_at", DeprecationWarning,
                      stacklevel=2)
        return self.wake_at


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
        wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT,
    ) -> TicketState:
        """Append ``events`` to a ticket atomically and return its new state.

        Args:
            tenant: Tenant owning the ticket.
            ticket: Ticket id; every event must belong to it.
            events: Events in order; ids the ticket already has are skipped.
            expected_version: The ticket's version the caller saw (0: the ticket is new).
            wake_at: New wake-up time (aware), None to clear it, or KEEP_WAKE_AT to keep it.

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

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        """Set (or clear, with None) the ticket's wake-up time.

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

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` whose wake-up is strictly before ``before``, earliest first.

        ``limit`` as in :meth:`list_by_status`. ``before`` must be inside the supported
        range of instants (see :mod:`slakit._instants`), as must any wake-up time.
        """
        ...
