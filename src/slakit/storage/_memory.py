"""A ticket store in process memory, for tests, examples and single-process tools."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from slakit._errors import NotFoundError, SlakitError
from slakit._message import Message
from slakit.storage._common import (
    check_aware,
    check_claim_limit,
    check_key,
    check_limit,
    fold_new_events,
)
from slakit.storage._deprecated import DueAliases, wake_at_argument
from slakit.storage._desk_port import (
    BatchResult,
    DeliveryState,
    OutboxEntry,
    OutboxItem,
    TicketAppend,
    WakeClaim,
)
from slakit.storage._errors import ConcurrencyError, UnknownTicketError
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketSummary
from slakit.workflow import DEFAULT_WORKFLOW, Event, TicketState, Workflow

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen
class _Record:
    events: tuple[Event, ...]
    state: TicketState
    wake_at: datetime | None
    lease_until: datetime | None = None


class InMemoryStore(DueAliases):
    """A :class:`~slakit.storage.DeskStore` kept in dicts; thread-safe, not persistent.

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
        self._outbox: dict[tuple[str, str], OutboxItem] = {}
        self._outbox_leases: dict[tuple[str, str], datetime] = {}
        self._lock = threading.Lock()

    def append(
        self,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT,
        outbox: Sequence[OutboxEntry] = (),
        **legacy: Any,
    ) -> TicketState:
        """Append events atomically; see :meth:`slakit.storage.DeskStore.append`."""
        wake_at = wake_at_argument(wake_at, legacy)
        one = TicketAppend(tenant, ticket, events, expected_version, wake_at, outbox)
        one.check()
        with self._lock:
            return self._append(one)

    def append_batch(self, appends: Sequence[TicketAppend]) -> tuple[BatchResult, ...]:
        """Appends in order under one lock; see :meth:`slakit.storage.DeskStore.append_batch`."""
        for one in appends:
            one.check()
        results: list[BatchResult] = []
        with self._lock:
            for one in appends:
                try:
                    results.append(self._append(one))
                except SlakitError as exc:  # raised before the append changed anything
                    results.append(exc)
        return tuple(results)

    def _append(self, one: TicketAppend) -> TicketState:
        key = (one.tenant, one.ticket)
        record = self._records.get(key)
        actual = 0 if record is None else record.state.version
        if actual != one.expected_version:
            raise ConcurrencyError(one.tenant, one.ticket, one.expected_version, actual)
        old_state = None if record is None else record.state
        state, fresh = fold_new_events(old_state, one.ticket, one.events, self.workflow)
        if state is None:
            raise UnknownTicketError(one.tenant, one.ticket)
        old_wake = None if record is None else record.wake_at
        new_wake = old_wake if isinstance(one.wake_at, KeepWakeAt) else one.wake_at
        old_events = () if record is None else record.events
        self._records[key] = _Record(old_events + tuple(fresh), state, new_wake)
        for entry in one.outbox:
            self._outbox.setdefault((one.tenant, entry.key), OutboxItem(
                one.tenant, entry.key, entry.ticket, entry.body, "pending", 0, _EPOCH, None))
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

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        """Set or clear the ticket's wake-up time."""
        check_key(tenant, ticket)
        if wake_at is not None:
            check_aware("wake_at", wake_at)
        with self._lock:
            record = self._records.get((tenant, ticket))
            if record is None:
                raise UnknownTicketError(tenant, ticket)
            self._records[(tenant, ticket)] = attrs.evolve(record, wake_at=wake_at)

    def _summaries(self, tenant: str) -> list[TicketSummary]:
        with self._lock:
            items = [(t, r) for (owner, t), r in self._records.items() if owner == tenant]
        return [
            TicketSummary(
                ticket=t,
                status=r.state.status,
                version=r.state.version,
                wake_at=None if r.wake_at is None else r.wake_at.astimezone(UTC),
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

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` whose wake-up is strictly before ``before``, earliest first."""
        check_aware("before", before)
        check_limit(limit)
        limit_utc = before.astimezone(UTC)
        rows = sorted(
            (s for s in self._summaries(tenant)
             if s.wake_at is not None and s.wake_at < limit_utc),
            key=lambda s: (s.wake_at, s.ticket),
        )
        return tuple(rows[:limit])

    # -- the desk's capabilities (see slakit.storage.DeskStore) -----------------------------

    def claim_wakeups(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[WakeClaim, ...]:
        """Lease tickets whose wake-up has passed; see :meth:`DeskStore.claim_wakeups`."""
        check_aware("now", now)
        check_claim_limit(limit)
        now_u = now.astimezone(UTC)
        with self._lock:
            ready = sorted(
                ((r.wake_at.astimezone(UTC), key) for key, r in self._records.items()
                 if r.wake_at is not None and r.wake_at <= now_u
                 and (tenant is None or key[0] == tenant)
                 and (r.lease_until is None or r.lease_until <= now_u)),
            )[:limit]
            claims = []
            for wake, key in ready:
                record = self._records[key]
                self._records[key] = attrs.evolve(record, lease_until=now_u + lease)
                claims.append(WakeClaim(key[0], key[1], record.state.version, wake))
            return tuple(claims)

    def claim_deliveries(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[OutboxItem, ...]:
        """Lease pending outbox entries; see :meth:`DeskStore.claim_deliveries`."""
        check_aware("now", now)
        check_claim_limit(limit)
        now_u = now.astimezone(UTC)
        with self._lock:
            ready = sorted(
                (item for k, item in self._outbox.items()
                 if item.state == "pending" and item.next_attempt_at is not None
                 and item.next_attempt_at <= now_u and (tenant is None or k[0] == tenant)
                 and self._outbox_leases.get(k, _EPOCH) <= now_u),
                key=lambda i: (i.next_attempt_at, i.tenant, i.key),
            )[:limit]
            for item in ready:
                self._outbox_leases[(item.tenant, item.key)] = now_u + lease
            return tuple(ready)

    def finish_delivery(
        self, tenant: str, key: str, *, delivered: bool, retry_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Record a delivery attempt; see :meth:`DeskStore.finish_delivery`."""
        if retry_at is not None:
            check_aware("retry_at", retry_at)
        with self._lock:
            item = self._outbox.get((tenant, key))
            if item is None:
                raise NotFoundError(Message("tenant {tenant!r} has no outbox entry {key!r}", tenant=tenant,
                                            key=key))
            self._outbox_leases.pop((tenant, key), None)
            if delivered:
                item = attrs.evolve(item, state="delivered", attempts=item.attempts + 1,
                                    next_attempt_at=None)
            else:
                when = item.next_attempt_at if retry_at is None else retry_at.astimezone(UTC)
                item = attrs.evolve(item, attempts=item.attempts + 1, next_attempt_at=when,
                                    last_error=error)
            self._outbox[(tenant, key)] = item

    def next_wakeup(self, *, tenant: str | None = None) -> datetime | None:
        """The earliest wake-up or pending delivery; see :meth:`DeskStore.next_wakeup`."""
        with self._lock:
            times = [r.wake_at.astimezone(UTC) for (owner, _), r in self._records.items()
                     if r.wake_at is not None and tenant in (None, owner)]
            times += [i.next_attempt_at for (owner, _), i in self._outbox.items()
                      if i.state == "pending" and i.next_attempt_at is not None
                      and tenant in (None, owner)]
        return min(times, default=None)

    def list_outbox(
        self, tenant: str, *, state: DeliveryState | None = None, limit: int | None = None
    ) -> tuple[OutboxItem, ...]:
        """The tenant's outbox entries (of ``state``, if given), ordered by key."""
        with self._lock:
            items = sorted(
                (i for (owner, _), i in self._outbox.items()
                 if owner == tenant and (state is None or i.state == state)),
                key=lambda i: i.key,
            )
        return tuple(items[:limit])

    def enqueue(self, tenant: str, entries: Sequence[OutboxEntry]) -> None:
        """Add outbox entries outside a ticket append; see :meth:`OutboxQueue.enqueue`."""
        check_key(tenant, "-")
        with self._lock:
            for entry in entries:
                self._outbox.setdefault((tenant, entry.key), OutboxItem(
                    tenant, entry.key, entry.ticket, entry.body, "pending", 0, _EPOCH, None))
