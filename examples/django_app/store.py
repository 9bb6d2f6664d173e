"""The app's models behind slakit's ``TicketStore`` port.

Optimistic concurrency in Django terms: the version check is part of the UPDATE
(``filter(version=seen).update(...)`` changes one row or none), and a brand-new ticket is an
INSERT guarded by the unique ``(tenant, key)`` constraint. Either way a writer that lost the
race changes nothing and gets slakit's ``ConcurrencyError``; no lock is held between the load
and the write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from slakit import NaiveDatetimeError
from slakit.storage import KEEP_WAKE_AT, ConcurrencyError, KeepWakeAt, TicketSummary, UnknownTicketError
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

from .models import Ticket, TicketEvent


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
    """A slakit ``TicketStore`` on the ``Ticket`` and ``TicketEvent`` models.

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
    ) -> TicketState:
        """Append events in one transaction; see ``slakit.storage.TicketStore.append``."""
        _check_key(tenant, ticket)
        if not isinstance(wake_at, KeepWakeAt):
            _check_aware("wake_at", wake_at)
        with transaction.atomic(using=self.using):
            row = self._tickets().filter(tenant=tenant, key=ticket).first()
            actual = 0 if row is None else row.version
            if actual != expected_version:
                raise ConcurrencyError(tenant, ticket, expected_version, actual)
            state = None if row is None else state_from_dict(row.snapshot)
            fresh: list[Event] = []
            for item in events:
                if item.ticket != ticket:
                    raise WrongTicketError(ticket, item.ticket)
                after = apply(state, item, self.workflow)
                if after is not state:  # the same object back: a redelivered event id
                    fresh.append(item)
                state = after
            if state is None:
                raise UnknownTicketError(tenant, ticket)
            changes = {"version": state.version, "status": state.status,
                       "snapshot": state_to_dict(state)}
            if not isinstance(wake_at, KeepWakeAt):
                changes["wake_at"] = wake_at
            if row is None:
                row = self._create(tenant, ticket, changes)
            elif not self._tickets().filter(pk=row.pk, version=actual).update(**changes):
                actual = self._version(tenant, ticket)
                raise ConcurrencyError(tenant, ticket, expected_version, actual)
            TicketEvent.objects.using(self.using).bulk_create(
                TicketEvent(ticket=row, seq=actual + i, event_id=e.event_id, type=e.event_type,
                            at=e.at, body=event_to_dict(e))
                for i, e in enumerate(fresh, start=1)
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

    # -- helpers ----------------------------------------------------------------------------

    def _tickets(self) -> QuerySet[Ticket]:
        return Ticket.objects.using(self.using)

    def _create(self, tenant: str, ticket: str, changes: dict[str, object]) -> Ticket:
        try:
            with transaction.atomic(using=self.using):  # a savepoint: the INSERT may lose a race
                return self._tickets().create(tenant=tenant, key=ticket, **changes)
        except IntegrityError:
            raise ConcurrencyError(tenant, ticket, 0, self._version(tenant, ticket)) from None

    def _version(self, tenant: str, ticket: str) -> int:
        rows = self._tickets().filter(tenant=tenant, key=ticket)
        return next(iter(rows.values_list("version", flat=True)), 0)
