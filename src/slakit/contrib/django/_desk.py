"""The configured desk, and keeping the ticket index in step with its store."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import import_module

from slakit._errors import InvalidValueError
from slakit._message import Message
from slakit.desk import Desk, Recorded
from slakit.sla import ClockResult, due_escalations, next_wake_at
from slakit.storage._common import check_aware
from slakit.workflow import Escalated, Event

_OPEN = ("running", "paused", "breached")


@functools.cache
def get_desk() -> Desk:
    """The desk built by the factory named in ``settings.SLAKIT_DESK`` (built once).

    Raises:
        InvalidValueError: the setting is missing, malformed or names no callable.
    """
    from django.conf import settings

    path = getattr(settings, "SLAKIT_DESK", None)
    if not isinstance(path, str) or path.count(":") != 1:
        raise InvalidValueError(
            Message("settings.SLAKIT_DESK must name a desk factory as 'module:function', got {path!r}; "
                    "e.g. SLAKIT_DESK = 'myshop.desk:build_desk'", path=path))
    module, name = path.split(":")
    factory: Callable[[], Desk] | None = getattr(import_module(module), name, None)
    if not callable(factory):
        raise InvalidValueError(Message("settings.SLAKIT_DESK: {module} has no callable {name!r}",
                                        module=module, name=name))
    desk = factory()
    if not isinstance(desk, Desk):
        raise InvalidValueError(
            Message("settings.SLAKIT_DESK: {path} returned {kind}, not a slakit Desk", path=path,
                    kind=type(desk).__name__))
    return desk


def record(tenant: str, events: Sequence[Event], now: datetime) -> Recorded:
    """Record ``events`` on the configured desk and update the ticket's index row.

    Raises what :meth:`Desk.record <slakit.desk.Desk.record>` raises; on an error nothing
    is stored and the index is unchanged.
    """
    done = get_desk().record(tenant, events, now)
    _save(tenant, done.state.ticket, done.state.status, done.state.priority,
          done.state.version, done.clocks, done.wake_at, now)
    return done


def reindex_ticket(tenant: str, ticket: str, now: datetime, desk: Desk | None = None) -> bool:
    """Rebuild one ticket's index row from the desk's store, as of ``now``.

    Returns:
        False when the store has no such ticket (its row, if any, is deleted).
    """
    from slakit.contrib.django.models import TicketIndex

    check_aware("now", now)
    desk = desk or get_desk()
    events = desk.store.load_events(tenant, ticket)
    if not events:
        TicketIndex.objects.filter(tenant=tenant, ticket=ticket).delete()
        return False
    state, sla = desk.engine.apply_all(events, desk.workflow)
    at = max(now, state.last_event_at)
    fired = frozenset(e.key for e in events if type(e) is Escalated)
    overdue = due_escalations(sla, at, already_fired=fired)  # waiting for the next wake
    wake_at = overdue[0].fire_at if overdue else next_wake_at(sla, at, already_fired=fired)
    _save(tenant, ticket, state.status, state.priority, state.version, sla.at(at), wake_at, at)
    return True


def reindex_tenant(tenant: str, now: datetime, desk: Desk | None = None) -> int:
    """Rebuild the index rows of every ticket ``tenant`` has in the desk's store.

    Returns:
        The number of tickets indexed.
    """
    desk = desk or get_desk()
    count = 0
    for status in desk.workflow.statuses:
        for summary in desk.store.list_by_status(tenant, status.name):
            count += reindex_ticket(tenant, summary.ticket, now, desk)
    return count


def _save(tenant: str, ticket: str, status: str, priority: str, version: int,
          clocks: Sequence[ClockResult], wake_at: datetime | None, now: datetime) -> None:
    from django.db import transaction

    from slakit.contrib.django.models import TicketIndex

    open_clocks = [c for c in clocks if c.status in _OPEN]
    deadlines = [c.due_at.astimezone(UTC) for c in open_clocks if c.due_at is not None]
    breached = sorted({c.metric for c in open_clocks if c.status == "breached"})
    values = {
        "status": status, "priority": priority, "version": version,
        "next_deadline": min(deadlines) if deadlines else None,
        "breached": bool(breached), "breached_metrics": ",".join(breached),
        "wake_at": wake_at, "updated_at": now,
    }
    with transaction.atomic():
        row = TicketIndex.objects.select_for_update().filter(tenant=tenant, ticket=ticket).first()
        if row is None:
            TicketIndex.objects.create(tenant=tenant, ticket=ticket, **values)
        elif (row.version, row.updated_at) <= (version, now):  # never go back in time
            TicketIndex.objects.filter(pk=row.pk).update(**values)
