"""One scheduler for everything: SLA escalations, plan reminders, care visits, ticket timers.

Design rules:

- :class:`Scheduler` is the single entry point a host runs: :meth:`Scheduler.wake` runs the
  :class:`~slakit.desk.Desk`'s ticket wake-ups (SLA escalations, exactly once through the
  tickets' ``escalated`` events and the outbox) and then every subject of the
  :class:`~slakit.care.CareStore` whose wake-up has passed; :meth:`Scheduler.next_wake_at`
  is the earlier of the two stores' next wake-ups.
- **Subjects.** A customer (or organisation) is a care subject: its plan reminders and care
  schedules. A ticket with timer rules is the care subject ``ticket:<id>``; its wake-up is
  the earliest timer decision not yet fired, set again after every :meth:`record`.
- **Exactly once, retried until delivered.** A due care decision not yet fired is first
  queued in the desk store's outbox (:meth:`~slakit.storage.OutboxQueue.enqueue`, keyed
  ``care:<key>``, skipped when queued before), then its key is recorded with
  :meth:`~slakit.care.CareStore.mark_fired`; the worker whose ``mark_fired`` returned the
  key reports it. The desk delivers the outbox (:meth:`Desk.deliver_pending`, its
  ``"care"`` courier calls ``deliver``): a ``deliver`` that raises leaves the decision
  pending, retried after the desk's ``retry_delay`` backoff, never dropped; once delivered
  it is never handed over again. A worker killed between queueing and ``mark_fired`` leaves
  the key unfired: the next wake queues it again (skipped) and records it; one killed
  during a delivery leaves a lease that expires, and the decision is delivered again
  (at least once, as the escalations: receivers deduplicate on the key).
  An auto-close is recorded instead as the ``TicketClosed(auto=True)`` event whose id is the
  decision's key, through :meth:`Desk.record`: the ticket's history is its record (a second
  worker's close is a redelivery), as for the escalations.
- **Plan facts.** When a ticket of a customer with plans is opened, :meth:`record` adds the
  ``FactsChanged`` of :func:`slakit.plans.plan_fact_changes` right after the opening (id
  ``<opening id>/plan``), so the SLA policies select on ``plan_active`` and the ticket's
  facts carry ``plan_reason``. The policy set declares :data:`slakit.plans.PLAN_FIELDS`.
  A plan change reaches the tickets opened after it; a ticket already open keeps the facts
  it opened with until :meth:`refresh_plan_facts` records their update (a ``FactsChanged``
  at that instant, see :mod:`slakit.desk._plan_refresh`).
- Ticket events must go through :meth:`record` (not the desk's own ``record``) for their
  timers to be scheduled: that is where the ticket's timer wake-up is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import attrs

from slakit._errors import InvalidValueError, SlakitError
from slakit._message import Message
from slakit.calendar import Calendar
from slakit.care import (
    CareSchedule,
    CareState,
    CareStore,
    CareSubject,
    FollowUpCompleted,
    TimerRule,
    apply_care_event,
    closing_event,
    timer_candidates,
)
from slakit.desk._desk import Desk
from slakit.desk._plan_refresh import open_tickets, plan_facts_update
from slakit.desk._results import Recorded
from slakit.desk._scheduler_report import SchedulerReport
from slakit.plans import DueDecision, PlanEvent, ReminderRule, plan_fact_changes
from slakit.plans._decision import CARE_KIND
from slakit.storage import OutboxEntry, OutboxItem, OutboxQueue
from slakit.storage._common import check_aware
from slakit.workflow import Event, FactsChanged, TicketOpened, TicketState

TICKET_SUBJECT = "ticket:"
"""Prefix of the care subject that holds a ticket's timers (``ticket:T-9``)."""


class Scheduler:
    """Runs a desk and a care store as one scheduler (see the module docs).

    Args:
        desk: The desk (tickets, SLA clocks, escalations, the ticket outbox).
        care: The care store (plans, schedules, follow-ups, fired keys, subject wake-ups).
        calendar: The desk calendar (working days, business hours, moving occurrences).
        reminders: Plan reminder rules, for every customer.
        timers: Ticket timer rules (a policy file's ``timers`` table).
        deliver: Hands a care decision to people or systems, or raises to have it retried
            later (through the desk store's outbox, which must be an
            :class:`~slakit.storage.OutboxQueue`); without it, decisions are only returned.

    Raises:
        InvalidValueError: ``deliver`` is given and the desk store cannot queue care
            decisions (it has no ``enqueue``).
    """

    def __init__(
        self,
        desk: Desk,
        care: CareStore,
        *,
        calendar: Calendar | None,
        reminders: Sequence[ReminderRule] = (),
        timers: Sequence[TimerRule] = (),
        deliver: Callable[[DueDecision], None] | None = None,
    ) -> None:
        self.desk = desk
        self.care = care
        self.calendar = calendar
        self.reminders = tuple(reminders)
        self.timers = tuple(timers)
        self.deliver = deliver
        self._local = threading.local()  # this thread's wake: deliveries done and failed
        if deliver is not None:
            if not isinstance(desk.store, OutboxQueue):
                raise InvalidValueError(Message(
                    "deliver needs a desk store that queues care decisions in its outbox (an "
                    "OutboxQueue, with enqueue); {store} is not one: use InMemoryStore, "
                    "SQLiteStore or SQLAlchemyStore, or add enqueue",
                    store=type(desk.store).__name__))
            desk.couriers[CARE_KIND] = self._courier

    def __repr__(self) -> str:
        return (f"Scheduler(desk={self.desk!r}, care={type(self.care).__name__}, "
                f"timers={[t.name for t in self.timers]})")

    # -- recording ---------------------------------------------------------------------------

    def record(self, tenant: str, events: Sequence[Event], now: datetime) -> Recorded:
        """:meth:`Desk.record` the ticket's events (with plan facts), then set its timers' wake.

        It raises what :meth:`Desk.record` raises, and then stores nothing.
        """
        check_aware("now", now)
        out: list[Event] = []
        for event in events:
            out.append(event)
            if isinstance(event, TicketOpened) and event.customer:
                plans = self.care.load_plan(tenant, event.customer)
                if plans is not None:
                    set_, clear = plan_fact_changes(plans, event.at, channel=event.channel)
                    out.append(FactsChanged(ticket=event.ticket, at=event.at,
                                            event_id=f"{event.event_id}/plan", set=set_,
                                            clear=clear))
        recorded = self.desk.record(tenant, out, now)
        self._set_ticket_wake(tenant, recorded.state)
        return recorded

    def record_plan(self, tenant: str, subject: str, events: Sequence[PlanEvent],
                    now: datetime) -> None:
        """Store a customer's plan events and set its next wake-up."""
        self._customer(subject)
        self.care.append_plan_events(tenant, subject, events)
        self._set_subject_wake(tenant, subject, now)

    def record_care(self, tenant: str, subject: str, events: Sequence[FollowUpCompleted],
                    now: datetime) -> None:
        """Store a customer's completed follow-ups and set its next wake-up."""
        self._customer(subject)
        self.care.append_care_events(tenant, subject, events)
        self._set_subject_wake(tenant, subject, now)

    def put_schedules(self, tenant: str, subject: str, schedules: Sequence[CareSchedule],
                      now: datetime) -> None:
        """Replace a customer's care schedules and set its next wake-up."""
        self._customer(subject)
        self.care.put_schedules(tenant, subject, schedules)
        self._set_subject_wake(tenant, subject, now)

    def refresh_plan_facts(self, tenant: str, customer: str, now: datetime) -> tuple[Recorded, ...]:
        """Bring the plan facts of ``customer``'s open tickets up to date at ``now``.

        Call it after a plan change (:meth:`record_plan`: renewal, upgrade, cancellation,
        a quota used) and when a plan lapses (an ``on_expiry`` reminder). Each open ticket
        whose plan facts differ gets a ``FactsChanged`` at ``now`` through :meth:`record`:
        the SLA engine selects its policy again from then on, and
        :func:`slakit.policies.why_selected` says why. Up-to-date tickets are left alone,
        so a second call records nothing. Returns what was recorded, one per ticket.
        """
        check_aware("now", now)
        self._customer(customer)
        plans = self.care.load_plan(tenant, customer)
        if plans is None:
            return ()
        changes = [update for state in open_tickets(self.desk.store, self.desk.workflow,
                                                    tenant, customer)
                   if (update := plan_facts_update(state, plans, now)) is not None]
        return tuple(self.record(tenant, [update], now) for update in changes)

    # -- waking ------------------------------------------------------------------------------

    def wake(self, now: datetime, tenant: str, limit: int = 100) -> SchedulerReport:
        """Everything due by ``now`` for ``tenant``, each decision acted on once."""
        check_aware("now", now)
        self._local.failed, self._local.delivered = [], []
        tickets = self.desk.wake(now, tenant=tenant, limit=limit)  # and earlier care retries
        acted: list[DueDecision] = []
        closed: list[str] = []
        failed: list[tuple[DueDecision, str]] = []
        subjects = self.care.due_subjects(tenant, now)[:limit]
        for subject in subjects:
            if subject.startswith(TICKET_SUBJECT):
                ticket = subject[len(TICKET_SUBJECT):]
                state = self.desk.store.load_state(tenant, ticket)
                candidates = [] if state is None else timer_candidates(
                    tenant, state, self.timers, self.calendar)
                due = [d for d in candidates if d.fire_at <= now]
                for d in [d for d in due if d.action == "close"]:
                    assert state is not None
                    # Dated when it fell due, or at the last event when found late (as the
                    # desk dates escalations): a close never lands before the history's end.
                    close = attrs.evolve(closing_event(d, d.key),
                                         at=max(d.fire_at, state.last_event_at))
                    try:
                        rec = self.desk.record(tenant, [close], now)
                    except SlakitError as exc:  # left due: retried by the next wake
                        failed.append((d, f"{type(exc).__name__}: {exc}"))
                        continue
                    if rec.applied:
                        acted.append(d)
                        closed.append(ticket)
                    self.care.mark_fired(tenant, [d.key])
                mine = self._queue(tenant, [d for d in due if d.action != "close"])
                state = self.desk.store.load_state(tenant, ticket)
                if state is None:
                    self.care.set_wake(tenant, subject, None)
                else:
                    self._set_ticket_wake(tenant, state)
            else:
                care_subject = self._load(tenant, subject)
                mine = self._queue(tenant, care_subject.due(now))
                self.care.set_wake(tenant, subject, care_subject.next_wake_at(now))
            acted += mine
        if self.deliver is not None and subjects:
            self.desk.deliver_pending(now, tenant=tenant, limit=limit)
        failed += self._local.failed
        delivered: list[DueDecision] = self._local.delivered
        self._local.failed = self._local.delivered = None
        acted.sort(key=lambda d: (d.fire_at.astimezone(UTC), d.key))
        return SchedulerReport(tickets, tuple(acted), tuple(closed), tuple(failed),
                               tuple(delivered))

    def next_wake_at(self, tenant: str) -> datetime | None:
        """When :meth:`wake` next has work for ``tenant`` (in UTC), or None."""
        times = [t for t in (self.desk.next_wake_at(tenant), self.care.next_wake(tenant))
                 if t is not None]
        return min(times, key=lambda t: t.astimezone(UTC)) if times else None

    # -- internals ---------------------------------------------------------------------------

    def _queue(self, tenant: str, due: Sequence[DueDecision]) -> list[DueDecision]:
        """Queue the due decisions not fired yet, then fire them; those this call fired."""
        fired = self.care.fired(tenant, [d.key for d in due])
        pending = [d for d in due if d.key not in fired]
        if not pending:
            return []
        if self.deliver is not None:  # first queued, then fired: a crash in between loses none
            queue = self.desk.store
            assert isinstance(queue, OutboxQueue)
            queue.enqueue(tenant, [OutboxEntry(f"{CARE_KIND}:{d.key}", d.subject, d.to_json())
                                   for d in pending])
        fresh = set(self.care.mark_fired(tenant, [d.key for d in pending]))
        return [d for d in pending if d.key in fresh]

    def _courier(self, item: OutboxItem) -> None:
        """The desk's courier for care entries: ``deliver`` the decision (raise: retried)."""
        decision = DueDecision.from_json(item.body)
        assert self.deliver is not None
        try:
            self.deliver(decision)
        except Exception as exc:
            if getattr(self._local, "failed", None) is not None:
                self._local.failed.append((decision, f"{type(exc).__name__}: {exc}"))
            raise
        if getattr(self._local, "delivered", None) is not None:
            self._local.delivered.append(decision)

    @staticmethod
    def _customer(subject: str) -> None:
        if subject.startswith(TICKET_SUBJECT):
            raise InvalidValueError(Message("subject {subject!r}: names starting {ticket_subject!r} hold "
                                            "ticket timers; name the customer without it", subject=subject,
                                            ticket_subject=TICKET_SUBJECT))

    def _load(self, tenant: str, subject: str) -> CareSubject:
        care = CareState(tenant, subject, self.care.load_schedules(tenant, subject))
        for event in self.care.load_care_events(tenant, subject):
            care = apply_care_event(care, event, self.calendar)
        return CareSubject(self.calendar, self.care.load_plan(tenant, subject), self.reminders,
                           care)

    def _set_subject_wake(self, tenant: str, subject: str, now: datetime) -> None:
        check_aware("now", now)
        care_subject = self._load(tenant, subject)
        pending = care_subject.due(now)
        fired = self.care.fired(tenant, [d.key for d in pending])
        wake = now if any(d.key not in fired for d in pending) else (
            care_subject.next_wake_at(now))
        self.care.set_wake(tenant, subject, wake)

    def _set_ticket_wake(self, tenant: str, state: TicketState) -> None:
        if not self.timers:
            return
        candidates = timer_candidates(tenant, state, self.timers, self.calendar)
        fired = self.care.fired(tenant, [d.key for d in candidates])
        pending = [d.fire_at for d in candidates if d.key not in fired]
        self.care.set_wake(tenant, TICKET_SUBJECT + state.ticket,
                           min(pending, key=lambda t: t.astimezone(UTC)) if pending else None)
