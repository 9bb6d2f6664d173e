"""A ticket store in process memory, for tests, examples and single-process tools."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

import attrs

from slakit.storage._common import check_aware, check_key, check_limit, fold_new_events
from slakit.storage._errors import ConcurrencyError, UnknownTicketError
from slakit.storage._port import KEEP_DUE, KeepDue, TicketSummary
from slakit.workflow import DEFAULT_WORKFLOW, Event, TicketState, Workflow


@attrs.frozen
class _Record:
    events: tuple[Event, ...]
    state: TicketState
    due_at: datetime | None


class InMemoryStore:
    """A :class:`~slakit.storage.TicketStore` kept in a dict; thread-safe, not persistent.

    Example:
        >>> from datetime import datetime, timezone
        >>> from slakit.workflow import TicketOpened
        >>> store = InMemoryStore()
        >>> opened = TicketOpened(ticket="T-1", event_id="e1", priority="low",
        ...     at=datetime(2025, 3, 3, 9, tzinfo=timezone.utc), category=None,
        ...     channel=None, customer=None, customer_tier=None)
        >>> store.append("shop-a", "T-1", [opened], expected_version=0).status
        'new'
        >>> store.load_state("shop-b", "T-1") is None
        True
    """

    def __init__(self, *, workflow: Workflow = DEFAULT_WORKFLOW) -> None:
        self.workflow = workflow
        self._records: dict[tuple[str, str], _Record] = {}
        self._lock = threading.Lock()

    def append(
        self,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        due_at: datetime | KeepDue | None = KEEP_DUE,
    ) -> TicketState:
        """Append events atomically; see :meth:`slakit.storage.TicketStore.append`."""
        check_key(tenant, ticket)
        if isinstance(due_at, datetime):
            check_aware("due_at", due_at)
        with self._lock:
            record = self._records.get((tenant, ticket))
            actual = 0 if record is None else record.state.version
            if actual != expected_version:
                raise ConcurrencyError(tenant, ticket, expected_version, actual)
            old_state = None if record is None else record.state
            state, fresh = fold_new_events(old_state, ticket, events, self.workflow)
            if state is None:
                raise UnknownTicketError(tenant, ticket)
            old_due = None if record is None else record.due_at
            new_due = old_due if isinstance(due_at, KeepDue) else due_at
            old_events = () if record is None else record.events
            self._records[(tenant, ticket)] = _Record(old_events + tuple(fresh), state, new_due)
            return state

    def load_events(self, tenant: str, ticket: str) -> tuple[Event, ...]:
        """The ticket's events in order; empty when it does not exist."""
        check_key(tenant, ticket)
        record = self._records.get((tenant, ticket))
        return () if record is None else record.events

    def load_state(self, tenant: str, ticket: str) -> TicketState | None:
        """The ticket's state, or None when it does not exist."""
        check_key(tenant, ticket)
        record = self._records.get((tenant, ticket))
        return None if record is None else record.state

    def set_due(self, tenant: str, ticket: str, due_at: datetime | None) -> None:
        """Set or clear the ticket's due time."""
        check_key(tenant, ticket)
        if due_at is not None:
            check_aware("due_at", due_at)
        with self._lock:
            record = self._records.get((tenant, ticket))
            if record is None:
                raise UnknownTicketError(tenant, ticket)
            self._records[(tenant, ticket)] = attrs.evolve(record, due_at=due_at)

    def _summaries(self, tenant: str) -> list[TicketSummary]:
        with self._lock:
            items = [(t, r) for (owner, t), r in self._records.items() if owner == tenant]
        return [
            TicketSummary(
                ticket=t,
                status=r.state.status,
                version=r.state.version,
                due_at=None if r.due_at is None else r.due_at.astimezone(UTC),
            )
            for t, r in items
        ]

    def list_by_status(
        self, tenant: str, status: str, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` in ``status``, ordered by ticket id."""
        check_limit(limit)
        rows = sorted(
            (s for s in self._summaries(tenant) if s.status == status), key=lambda s: s.ticket
        )
        return tuple(rows[:limit])

    def list_due(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` due strictly before ``before``, earliest first."""
        check_aware("before", before)
        check_limit(limit)
        limit_utc = before.astimezone(UTC)
        rows = sorted(
            (s for s in self._summaries(tenant) if s.due_at is not None and s.due_at < limit_utc),
            key=lambda s: (s.due_at, s.ticket),
        )
        return tuple(rows[:limit])
