"""What a store needs for the desk loop: wake-up claims with a lease, and a delivery outbox.

Design rules:

- A :class:`DeskStore` is a :class:`~slakit.storage.TicketStore` with two more capabilities.
  The SLA state is not stored: it is a pure function of the ticket's events (the desk
  rebuilds it with one replay and caches it by version), and the keys of the escalations
  already fired are the ``escalated`` events in the same history.
- **Wake-up claims.** :meth:`DeskStore.claim_wakeups` takes, in one transaction, tickets whose
  wake-up has passed and that no live lease holds, and leases them until ``now + lease``.
  A lease is a hint that spreads workers over tickets, not a lock: correctness comes from the
  append's version check (a worker whose ticket changed meanwhile gets ConcurrencyError) and
  from escalation event ids derived from their keys (a redo is a redelivery, stored once).
  Any append on a ticket releases its lease. A worker killed between claim and commit
  leaves a lease that expires; another worker then redoes the work.
- **Outbox.** Entries are appended in the same transaction as the events that fired them
  (``append(..., outbox=...)``), at most once per ``(tenant, key)``; their delivery state
  (pending or delivered, attempts, next attempt, last error) lives in the store, so a
  notifier that fails leaves them pending for a retry with backoff, never dropped.
- **Batches.** :meth:`DeskStore.append_batch` runs many tickets' appends in ONE transaction
  (a wake-up worker's claimed batch: one commit instead of one per ticket). Each append is
  checked as if alone, in order, before it writes anything; one that fails its checks (its
  version moved: ConcurrencyError; an illegal event; an unknown ticket) is left out and its
  error returned in its slot, and the others commit. An error while writing (the database
  fails, a constraint no check foresaw) rolls the WHOLE batch back and is raised, so nothing
  is half stored: the caller redoes the appends one by one (the desk does), and a ticket
  whose redo is not reached keeps its lease until it expires, then is redone. A batch
  never loses, doubles or reorders another ticket's events.
- **Queueing outside a ticket.** A store that is also an :class:`OutboxQueue` takes outbox
  entries without a ticket append (:meth:`OutboxQueue.enqueue`, same skip of known keys):
  the :class:`~slakit.desk.Scheduler` queues care decisions there, so they are delivered
  and retried exactly as the escalations are.
- Times are the caller's ``now``: slakit never reads the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol, TypeAlias, runtime_checkable

import attrs

from slakit._errors import SlakitError
from slakit.storage._common import check_aware, check_key
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketStore
from slakit.workflow import Event, TicketState

DeliveryState = Literal["pending", "delivered"]


@attrs.frozen
class WakeClaim:
    """A ticket a worker has leased to run its wake-up.

    Attributes:
        tenant: Tenant owning the ticket.
        ticket: Ticket id.
        version: The ticket's version when claimed (pass it as ``expected_version``).
        wake_at: The wake-up time that had passed, in UTC.
    """

    tenant: str
    ticket: str
    version: int
    wake_at: datetime


@attrs.frozen
class OutboxEntry:
    """Something to deliver, appended with the events that caused it.

    Attributes:
        key: Unique per tenant (an escalation key); a second entry with it is ignored.
        ticket: The ticket it is about.
        body: The JSON text handed back by :meth:`DeskStore.claim_deliveries`.
    """

    key: str
    ticket: str
    body: str


def _tuple(items: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(items)


@attrs.frozen
class TicketAppend:
    """One ticket's append in a :meth:`DeskStore.append_batch`: the arguments of ``append``.

    Attributes:
        tenant: Tenant owning the ticket.
        ticket: Ticket id.
        events: The events to append, in order (may be empty: a lease release).
        expected_version: The version the caller saw.
        wake_at: The new wake-up, None to clear it, or KEEP_WAKE_AT.
        outbox: Entries to add with the events.
    """

    tenant: str
    ticket: str
    events: tuple[Event, ...] = attrs.field(converter=_tuple)
    expected_version: int
    wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT
    outbox: tuple[OutboxEntry, ...] = attrs.field(default=(), converter=_tuple)

    def check(self) -> None:
        """Refuse an empty tenant or ticket, or a naive ``wake_at`` (raises, as append)."""
        check_key(self.tenant, self.ticket)
        if isinstance(self.wake_at, datetime):
            check_aware("wake_at", self.wake_at)


BatchResult: TypeAlias = TicketState | SlakitError
"""One slot of :meth:`DeskStore.append_batch`'s answer: the new state, or why it was left out."""


@attrs.frozen
class OutboxItem:
    """One outbox entry with its delivery state.

    Attributes:
        tenant: Tenant owning the entry.
        key: The entry's key.
        ticket: The ticket it is about.
        body: The JSON text given when it was appended.
        state: ``"pending"`` or ``"delivered"``.
        attempts: Delivery attempts made so far.
        next_attempt_at: When it may be tried next (UTC), None once delivered.
        last_error: The last failed attempt's error, or None.
    """

    tenant: str
    key: str
    ticket: str
    body: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


@runtime_checkable
class DeskStore(TicketStore, Protocol):
    """A ticket store the :class:`~slakit.desk.Desk` can run on.

    :class:`~slakit.storage.InMemoryStore` and :class:`~slakit.storage.SQLiteStore`
    implement it; tests/storage/test_store_desk_contract.py shows the behaviour required.
    """

    def append(
        self,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT,
        outbox: Sequence[OutboxEntry] = (),
    ) -> TicketState:
        """As :meth:`TicketStore.append`, also adding ``outbox`` entries and releasing a lease.

        All in the one transaction; entries whose key the tenant already has are skipped.
        """
        ...

    def append_batch(self, appends: Sequence[TicketAppend]) -> tuple[BatchResult, ...]:
        """Run ``appends`` in order in one transaction; see the module's rule on batches.

        Returns:
            One slot per append, in order: the ticket's new state, or the SlakitError its
            checks raised (ConcurrencyError, InvalidTransition, UnknownTicketError, ...),
            in which case nothing of that append is stored.

        Raises:
            SlakitError: an argument is wrong (naive ``wake_at``, empty key); nothing stored.
            Exception: the transaction failed while writing; nothing of the batch stored.
        """
        ...

    def claim_wakeups(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[WakeClaim, ...]:
        """Lease up to ``limit`` tickets whose wake-up is at or before ``now``.

        Only tickets without a lease, or whose lease expired by ``now``; earliest wake-up
        first; of ``tenant``, or of every tenant.
        """
        ...

    def claim_deliveries(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[OutboxItem, ...]:
        """Lease up to ``limit`` pending outbox entries due by ``now``, oldest due first."""
        ...

    def finish_delivery(
        self, tenant: str, key: str, *, delivered: bool, retry_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Record one delivery attempt: delivered, or failed and due again at ``retry_at``.

        Raises:
            LookupError (NotFoundError): the tenant has no outbox entry ``key``.
        """
        ...

    def list_outbox(
        self, tenant: str, *, state: DeliveryState | None = None, limit: int | None = None
    ) -> tuple[OutboxItem, ...]:
        """The tenant's outbox entries (of ``state``, if given), ordered by key."""
        ...

    def next_wakeup(self, *, tenant: str | None = None) -> datetime | None:
        """The earliest ticket wake-up or pending delivery time (UTC), or None.

        Leases are ignored (an index lookup, not a scan): the answer may be in the past
        while a worker holds a claim, so a loop sleeping until it waits at least a little.
        """
        ...


@runtime_checkable
class OutboxQueue(Protocol):
    """A desk store whose outbox also takes entries outside a ticket append.

    The reference stores (InMemoryStore, SQLiteStore, SQLAlchemyStore) are outbox queues.
    """

    def enqueue(self, tenant: str, entries: Sequence[OutboxEntry]) -> None:
        """Add ``entries`` as pending, in one transaction; keys the tenant has are skipped."""
        ...
