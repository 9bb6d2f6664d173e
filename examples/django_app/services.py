"""What the desk does with slakit: record events, and run the escalations that fell due.

``record_events`` is slakit's load -> apply -> append loop: read the ticket's events, apply
the new ones with the workflow (an illegal event raises and stores nothing), compute the SLA
clocks' next wake-up, and append with the version that was read. When another writer got
there first the append raises ``ConcurrencyError`` and the loop starts again from a fresh load.

``run_due_escalations`` visits the tickets whose ``wake_at`` has passed, asks slakit which
decisions fell due (minus those already acted on), records them (a unique key per decision,
so two runners never both act) and schedules the next wake-up. The SLA state is replayed from
the events each time: simple and exact; a busy desk would store it beside the snapshot.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path

import attrs
from django.conf import settings
from django.db import transaction

from slakit import NaiveDatetimeError
from slakit.policies import load_policies
from slakit.sla import EscalationDecision, SlaEngine, SlaState, due_escalations, next_wake_at
from slakit.storage import ConcurrencyError, TicketStore
from slakit.workflow import Event, TicketState, WrongTicketError, apply, apply_all

from .models import FiredEscalation, Ticket
from .store import DjangoTicketStore

DEFAULT_POLICIES = Path(__file__).with_name("policies.toml")


@functools.cache
def sla_engine() -> SlaEngine:
    """The SLA engine for the policy file named by ``settings.SLAKIT_POLICIES``."""
    path = Path(getattr(settings, "SLAKIT_POLICIES", DEFAULT_POLICIES))
    with path.open("rb") as policy_file:
        return SlaEngine(load_policies(tomllib.load(policy_file)))


@attrs.frozen
class Recorded:
    """What ``record_events`` did: the new state, the events stored, the next wake-up."""

    state: TicketState
    applied: tuple[Event, ...]
    wake_at: datetime | None
    attempts: int


@attrs.frozen
class FiredDecision:
    """An escalation decision that fell due, with the tenant owning the ticket."""

    tenant: str
    decision: EscalationDecision


def wake_time(sla: SlaState, now: datetime, already_fired: Collection[str]) -> datetime | None:
    """When escalations must next be run for this ticket (``now`` if some are due already)."""
    at = max(now, sla.last_event_at)  # an event stamped ahead of our clock: judge from it
    if due_escalations(sla, at, already_fired=already_fired):
        return at
    return next_wake_at(sla, at, already_fired=already_fired)


def _fired_keys(tenant: str, ticket: str) -> set[str]:
    rows = FiredEscalation.objects.filter(ticket__tenant=tenant, ticket__key=ticket)
    return set(rows.values_list("key", flat=True))


def record_events(
    tenant: str,
    events: Sequence[Event],
    now: datetime,
    *,
    store: TicketStore | None = None,
    engine: SlaEngine | None = None,
    max_attempts: int = 20,
) -> Recorded:
    """Apply ``events`` (of one ticket, in order) to the stored ticket, retrying on conflicts.

    Raises:
        InvalidTransition, LateEventError: an event is illegal now; nothing is stored.
        ConcurrencyError: still losing races after ``max_attempts`` rounds.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveDatetimeError("now", now)
    if not events:
        raise ValueError("record_events needs at least one event")
    ticket = events[0].ticket
    if any(e.ticket != ticket for e in events):
        raise WrongTicketError(ticket, next(e.ticket for e in events if e.ticket != ticket))
    store = DjangoTicketStore() if store is None else store
    engine = sla_engine() if engine is None else engine
    for attempt in range(1, max_attempts + 1):
        history = store.load_events(tenant, ticket)  # load
        state = apply_all(history) if history else None
        fresh: list[Event] = []
        for event in events:  # apply
            after = apply(state, event)
            if after is not state:
                fresh.append(event)
            state = after
        assert state is not None  # events is not empty
        if not fresh:
            return Recorded(state, (), None, attempt)  # all redelivered: nothing to do
        _, sla = engine.apply_all([*history, *fresh])
        wake = wake_time(sla, now, _fired_keys(tenant, ticket))
        try:  # append, if nobody else did since the load
            stored = store.append(tenant, ticket, fresh, expected_version=len(history), wake_at=wake)
        except ConcurrencyError:
            if attempt == max_attempts:
                raise
            continue
        return Recorded(stored, tuple(fresh), wake, attempt)
    raise AssertionError("unreachable: the loop returns or raises")


def run_due_escalations(now: datetime, *, engine: SlaEngine | None = None) -> list[FiredDecision]:
    """Record and return every escalation decision due by ``now``, each exactly once.

    Sorted by fire time, then tenant and key.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveDatetimeError("now", now)
    engine = sla_engine() if engine is None else engine
    store = DjangoTicketStore()
    fired: list[FiredDecision] = []
    due = Ticket.objects.filter(wake_at__lte=now).order_by("wake_at", "tenant", "key")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked until commit on databases that can (PostgreSQL, MySQL): a second runner
            # waits here, then finds the wake-up moved and the decisions recorded.
            row = Ticket.objects.select_for_update().get(pk=pk)
            if row.wake_at is None or row.wake_at > now:
                continue
            _, sla = engine.apply_all(store.load_events(row.tenant, row.key))
            done = _fired_keys(row.tenant, row.key)
            at = max(now, sla.last_event_at)
            decisions = due_escalations(sla, at, already_fired=done)
            FiredEscalation.objects.bulk_create(
                FiredEscalation(ticket=row, key=d.key, fire_at=d.fire_at, reason=d.reason,
                                actions=[a.to_data() for a in d.actions])
                for d in decisions
            )
            row.wake_at = next_wake_at(sla, at, already_fired=done | {d.key for d in decisions})
            row.save(update_fields=["wake_at"])
            fired += (FiredDecision(row.tenant, d) for d in decisions)
    fired.sort(key=lambda f: (f.decision.fire_at, f.tenant, f.decision.key))
    return fired
