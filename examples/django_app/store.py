"""The app's models behind slakit's ``DeskStore`` port, so a ``slakit.desk.Desk`` runs on them.

Optimistic concurrency in Django terms: the version check is part of the UPDATE
(``filter(version=seen).update(...)`` changes one row or none), and a brand-new ticket is an
INSERT guarded by the unique ``(tenant, key)`` constraint. Either way a writer that lost the
race changes nothing and gets slakit's ``ConcurrencyError``; no lock is held between the load
and the write.

The desk's part: a wake-up claim leases due tickets (``lease_until``) with a guarded UPDATE
per row (``SELECT ... FOR UPDATE SKIP LOCKED`` first where the database has it), any append
releases the lease, and decisions wait in the ``Delivery`` outbox, added in the append's
transaction, once per key. A batch of appends is one transaction, each append checked
before it writes, so one refused ticket leaves the others stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connections, transaction
from django.db.models import Q, QuerySet

from slakit import NaiveDatetimeError, SlakitError
from slakit._errors import NotFoundError
from slakit.storage import (
    KEEP_WAKE_AT,
    BatchResult,
    ConcurrencyError,
    DeliveryState,
    KeepWakeAt,
    OutboxEntry,
    OutboxItem,
    TicketAppend,
    TicketSummary,
    UnknownTicketError,
    WakeClaim,
)
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    Event,
    TicketState,
    Workflow,
    WrongTicketError,
    apply,
    event_from_dict,
    event_to_dict,
    state_from_dict,
    state_to_dict,
)

from .models import Delivery, Ticket, TicketEvent

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _check_key(tenant: str, ticket: str) -> None:
    for what, value in (("tenant", tenant), ("ticket", ticket)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{what} must be a non-empty string, got {value!r}")


def _check_aware(what: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise NaiveDatetimeError(what, value)


def _summary(row: Ticket) -> TicketSummary:
    return TicketSummary(row.key, row.status, row.version, row.wake_at)


class DjangoTicketStore:
    """A slakit ``DeskStore`` on the ``Ticket``, ``TicketEvent`` and ``Delivery`` models.

    The port's ``wake_at`` is the model's ``wake_at``: when escalations should be run next.
    """

    def __init__(self, *, workflow: Workflow = DEFAULT_WORKFLOW, using: str = "default") -> None:
        self.workflow = workflow
        self.using = using

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
        """Append events in one transaction; see ``slakit.storage.DeskStore.append``."""
        one = TicketAppend(tenant, ticket, events, expected_version, wake_at, outbox)
        one.check()  # slakit's checks: keys, an aware wake_at
        with transaction.atomic(using=self.using):
            return self._append(one)

    def append_batch(self, appends: Sequence[TicketAppend]) -> tuple[BatchResult, ...]:
        """Appends in one transaction; see ``slakit.storage.DeskStore.append_batch``."""
        for one in appends:
            one.check()  # slakit's checks: keys, an aware wake_at
        results: list[BatchResult] = []
        with transaction.atomic(using=self.using):
            for one in appends:
                try:
                    results.append(self._append(one))
                except SlakitError as exc:  # a check failed before this append wrote
                    results.append(exc)
        return tuple(results)

    def _append(self, one: TicketAppend) -> TicketState:
        tenant, ticket, expected_version = one.tenant, one.ticket, one.expected_version
        row = self._tickets().filter(tenant=tenant, key=ticket).first()
        actual = 0 if row is None else row.version
        if actual != expected_version:
            raise ConcurrencyError(tenant, ticket, expected_version, actual)
        state = None if row is None else state_from_dict(row.snapshot)
        fresh: list[Event] = []
        for item in one.events:
            if item.ticket != ticket:
                raise WrongTicketError(ticket, item.ticket)
            after = apply(state, item, self.workflow)
            if after is not state:  # the same object back: a redelivered event id
                fresh.append(item)
            state = after
        if state is None:
            raise UnknownTicketError(tenant, ticket)
        changes = {"version": state.version, "status": state.status,
                   "snapshot": state_to_dict(state), "lease_until": None}
        if not isinstance(one.wake_at, KeepWakeAt):
            changes["wake_at"] = one.wake_at
        if row is None:
            row = self._create(tenant, ticket, changes)  # a savepoint: nothing written on error
        elif not self._tickets().filter(pk=row.pk, version=actual).update(**changes):
            actual = self._version(tenant, ticket)
            raise ConcurrencyError(tenant, ticket, expected_version, actual)
        TicketEvent.objects.using(self.using).bulk_create(
            TicketEvent(ticket=row, seq=actual + i, event_id=e.event_id, type=e.event_type,
                        at=e.at, body=event_to_dict(e))
            for i, e in enumerate(fresh, start=1)
        )
        Delivery.objects.using(self.using).bulk_create(
            (Delivery(tenant=tenant, key=e.key, ticket=e.ticket, body=e.body,
                      next_attempt_at=_EPOCH) for e in one.outbox),
            ignore_conflicts=True,  # a key the tenant already has: skipped
        )
        return state

    def load_events(self, tenant: str, ticket: str) -> tuple[Event, ...]:
        """The ticket's events in order; empty when it does not exist."""
        _check_key(tenant, ticket)
        bodies = (
            TicketEvent.objects.using(self.using)
            .filter(ticket__tenant=tenant, ticket__key=ticket)
            .order_by("seq")
            .values_list("body", flat=True)
        )
        return tuple(event_from_dict(body) for body in bodies)

    def load_state(self, tenant: str, ticket: str) -> TicketState | None:
        """The ticket's state (from its snapshot), or None when it does not exist."""
        _check_key(tenant, ticket)
        row = self._tickets().filter(tenant=tenant, key=ticket).first()
        return None if row is None else state_from_dict(row.snapshot)

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        """Set or clear the ticket's wake-up time."""
        _check_key(tenant, ticket)
        _check_aware("wake_at", wake_at)
        if not self._tickets().filter(tenant=tenant, key=ticket).update(wake_at=wake_at):
            raise UnknownTicketError(tenant, ticket)

    def list_by_status(
        self, tenant: str, status: str, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` in ``status``, ordered by ticket id."""
        rows = self._tickets().filter(tenant=tenant, status=status).order_by("key")
        return tuple(_summary(row) for row in (rows if limit is None else rows[:limit]))

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` due strictly before ``before``, earliest first."""
        _check_aware("before", before)
        rows = self._tickets().filter(tenant=tenant, wake_at__lt=before).order_by("wake_at", "key")
        return tuple(_summary(row) for row in (rows if limit is None else rows[:limit]))

    # -- the desk's capabilities (see slakit.storage.DeskStore) -----------------------------

    def claim_wakeups(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[WakeClaim, ...]:
        """Lease tickets whose wake-up has passed; see ``DeskStore.claim_wakeups``."""
        rows = self._claim(self._tickets(), Q(wake_at__lte=now), ("wake_at", "tenant", "key"),
                           now, lease, tenant, limit)
        return tuple(WakeClaim(r.tenant, r.key, r.version, r.wake_at.astimezone(UTC))
                     for r in rows if r.wake_at is not None)

    def claim_deliveries(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[OutboxItem, ...]:
        """Lease pending outbox entries due by ``now``; see ``DeskStore.claim_deliveries``."""
        rows = self._claim(Delivery.objects.using(self.using),
                           Q(state="pending", next_attempt_at__lte=now),
                           ("next_attempt_at", "tenant", "key"), now, lease, tenant, limit)
        return tuple(_item(row) for row in rows)

    def finish_delivery(
        self, tenant: str, key: str, *, delivered: bool, retry_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Record one delivery attempt; see ``DeskStore.finish_delivery``."""
        _check_aware("retry_at", retry_at)
        with transaction.atomic(using=self.using):
            row = Delivery.objects.using(self.using).filter(tenant=tenant, key=key).first()
            if row is None:
                raise NotFoundError(f"tenant {tenant!r} has no outbox entry {key!r}")
            row.attempts += 1
            row.lease_until = None
            if delivered:
                row.state, row.next_attempt_at = "delivered", None
            else:
                row.next_attempt_at = retry_at or row.next_attempt_at
                row.last_error = error
            row.save()

    def next_wakeup(self, *, tenant: str | None = None) -> datetime | None:
        """The earliest wake-up or pending delivery; see ``DeskStore.next_wakeup``."""
        mine = Q() if tenant is None else Q(tenant=tenant)
        times = [
            self._tickets().filter(mine, wake_at__isnull=False).order_by("wake_at")
            .values_list("wake_at", flat=True).first(),
            Delivery.objects.using(self.using).filter(mine, state="pending")
            .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first(),
        ]
        return min((t.astimezone(UTC) for t in times if t is not None), default=None)

    def list_outbox(
        self, tenant: str, *, state: DeliveryState | None = None, limit: int | None = None
    ) -> tuple[OutboxItem, ...]:
        """The tenant's outbox entries (of ``state``, if given), ordered by key."""
        rows = Delivery.objects.using(self.using).filter(tenant=tenant).order_by("key")
        if state is not None:
            rows = rows.filter(state=state)
        return tuple(_item(row) for row in (rows if limit is None else rows[:limit]))

    # -- helpers ----------------------------------------------------------------------------

    def _tickets(self) -> QuerySet[Ticket]:
        return Ticket.objects.using(self.using)

    def _claim(self, rows: QuerySet[Any], due: Q, order: tuple[str, ...], now: datetime,
               lease: timedelta, tenant: str | None, limit: int) -> list[Any]:
        """Lease up to ``limit`` rows that are ``due`` and free, each by a guarded UPDATE."""
        _check_aware("now", now)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive int, got {limit!r}")
        free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
        if tenant is not None:
            due &= Q(tenant=tenant)
        taken = []
        with transaction.atomic(using=self.using):
            candidates = rows.filter(due, free).order_by(*order)
            if connections[self.using].features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            for row in candidates[:limit]:
                if rows.filter(free, pk=row.pk).update(lease_until=now + lease):
                    taken.append(row)
        return taken

    def _create(self, tenant: str, ticket: str, changes: dict[str, object]) -> Ticket:
        try:
            with transaction.atomic(using=self.using):  # a savepoint: the INSERT may lose a race
                return self._tickets().create(tenant=tenant, key=ticket, **changes)
        except IntegrityError:
            raise ConcurrencyError(tenant, ticket, 0, self._version(tenant, ticket)) from None

    def _version(self, tenant: str, ticket: str) -> int:
        rows = self._tickets().filter(tenant=tenant, key=ticket)
        return next(iter(rows.values_list("version", flat=True)), 0)


def _item(row: Delivery) -> OutboxItem:
    state: DeliveryState = "delivered" if row.state == "delivered" else "pending"
    when = None if row.next_attempt_at is None else row.next_attempt_at.astimezone(UTC)
    return OutboxItem(row.tenant, row.key, row.ticket, row.body, state, row.attempts, when,
                      row.last_error)
