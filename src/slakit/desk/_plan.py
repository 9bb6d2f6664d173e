"""What one ticket's desk append holds: its events, escalations, next wake-up and outbox.

Design rules:

- Pure: from a ticket's state, SLA state and the escalation keys already fired, and the new
  host events (none for a wake-up), :func:`plan_append` computes the ``escalated`` events
  due by ``now``, their decisions, the next wake-up and the outbox entries, as one
  :class:`~slakit.storage.TicketAppend`; nothing is read or written. The desk stores plans
  one by one (``record``) or a claimed batch at once (``wake``).
- An ``escalated`` event is dated when it fell due, or at the ticket's last event when found
  late, never at ``now``: an event that arrives late is refused only if the desk already
  acted on the history before it.
- A wake-up plans thousands of escalations, so the work per escalation is kept to what its
  answer reads: only the cycles that fired are judged, for the two figures a decision reads
  (:func:`_fired_clocks`), events are built by
  :meth:`~slakit.workflow.Escalated.for_key`'s checked fast path and sentences from
  per-language templates (:mod:`slakit.desk._decision`). Each shortcut has a test comparing
  it with the general path (tests/desk/test_plan.py, test_decision.py,
  tests/workflow/test_events_escalated.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slakit.desk._decision import Decision, Language, judged
from slakit.sla import (
    CycleState,
    EscalationDecision,
    SlaEngine,
    SlaState,
    due_escalations,
    next_wake_at,
)
from slakit.sla._cycle import elapsed_at
from slakit.sla._now import utc_now
from slakit.sla._results import _local, deadline_and_breach
from slakit.storage import OutboxEntry, TicketAppend
from slakit.workflow import Escalated, Event, TicketState, Workflow, apply


class KnownTicket:
    """A ticket as the desk last saw it: state, SLA state and the keys already fired."""

    __slots__ = ("fired", "sla", "state")

    def __init__(self, state: TicketState, sla: SlaState, fired: frozenset[str]) -> None:
        self.state = state
        self.sla = sla
        self.fired = fired


class Plan:
    """One ticket's append as the desk computed it, and what it means once stored."""

    __slots__ = ("after", "append", "decisions", "wake")

    def __init__(self, append: TicketAppend, after: KnownTicket | None,
                 decisions: tuple[Decision, ...], wake: datetime | None = None) -> None:
        self.append = append
        self.after = after  # None for a lease release
        self.decisions = decisions
        self.wake = wake


def plan_append(
    engine: SlaEngine, workflow: Workflow, language: Language, queue: bool, tenant: str,
    known: KnownTicket | None, state: TicketState, sla: SlaState, fired: frozenset[str],
    fresh: list[Event], now: datetime,
) -> Plan:
    """The append recording ``fresh`` and the escalations due by ``now``.

    ``known`` is the ticket as stored (None for a new one), ``state`` and ``sla`` after
    ``fresh``; with ``queue``, each decision gets an outbox entry.
    """
    due = due_escalations(sla, now, already_fired=fired)  # raises if now < last event
    decisions: tuple[Decision, ...] = ()
    events = list(fresh)
    if due:
        clocks = _fired_clocks(sla, due, now)
        decisions = tuple(
            judged(tenant, d, *clocks[d.metric, d.cycle], now, language) for d in due)
        for d in due:
            # Dated when it fell due (or at the last event, when found late), not at
            # ``now``: an event that arrives late is refused only if the desk already
            # acted on the history before it.
            at = d.fire_at if d.fire_at >= state.last_event_at else state.last_event_at
            event = Escalated.for_key(
                ticket=d.ticket, at=at, key=d.key, metric=d.metric, rule=d.rule,
                level=d.level, due_at=d.fire_at,
                actions=tuple([(a.kind, a.targets) for a in d.actions]))
            state = apply(state, event, workflow)
            sla = engine.advance(sla, event, state)
            events.append(event)
        fired = fired | {d.key for d in due}
    wake = next_wake_at(sla, now, already_fired=fired)
    outbox = () if not queue else tuple(
        OutboxEntry(d.key, d.ticket, d.to_json()) for d in decisions)
    append = TicketAppend(tenant, state.ticket, tuple(events),
                          0 if known is None else known.state.version, wake, outbox)
    return Plan(append, KnownTicket(state, sla, fired), decisions, wake)


def _fired_clocks(
    sla: SlaState, due: Sequence[EscalationDecision], now: datetime
) -> dict[tuple[str, int], tuple[datetime | None, datetime | None]]:
    """What a decision reads of its clock: ``sla.at(now)``'s ``(due_at, breached_at)``.

    Given for the cycles that ``due`` fired in, by (metric, cycle).
    ``sla.at`` judges each cycle on its own (``result_of``), so only the cycles that fired
    are judged, and of each only these two figures (``deadline_and_breach``, which
    ``result_of`` uses too); a whole result (spans, pauses, 20 fields) costs three times as
    much.
    tests/desk/test_plan.py compares them with ``sla.at(now)`` for any history, on 24x7 and
    office-hours clocks. ``now`` was checked by ``due_escalations``.
    """
    fired = {(d.metric, d.cycle) for d in due}
    now_u = utc_now(now)
    return {(c.metric, c.number): _deadline_and_breach(c, now_u)
            for clock in sla.clocks for c in clock.cycles if (c.metric, c.number) in fired}


def _deadline_and_breach(
    c: CycleState, now: datetime
) -> tuple[datetime | None, datetime | None]:
    # As slakit.sla._results.result_of gives its due_at and breached_at, in the clock's zone.
    until = now if c.ended_at is None else min(now, c.ended_at)
    due, breached = deadline_and_breach(c, elapsed_at(c, until))
    zone = None if c.calendar is None else c.calendar.calendar.zone
    return _local(due, zone), _local(breached, zone)
