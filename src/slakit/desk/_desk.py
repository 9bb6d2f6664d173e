"""The host loop, built in: record events, keep the SLA state, wake up, escalate once, notify.

Design rules:

- The desk is the one non-pure layer over the pure core: it talks to a
  :class:`~slakit.storage.DeskStore` and a :class:`~slakit.desk.Notifier`, and may sleep
  between retries. ``now`` is always a parameter; slakit never reads the clock.
- **One transaction per ticket change.** :meth:`Desk.record` folds the new events through the
  workflow and the SLA clocks, records the escalations due by ``now`` as ``escalated``
  events, and appends all of it with the ticket's next wake-up and the outbox entries in one
  store append, retrying on ConcurrencyError. :meth:`Desk.wake` does the same for tickets
  whose wake-up has passed, with no new host events, for a whole claimed batch in ONE
  store transaction (:meth:`~slakit.storage.DeskStore.append_batch`).
- **A batch is a grouping, not a unit.** Each ticket of a wake batch succeeds or fails
  alone: a ticket whose version moved (a ``record`` or another worker got there first) is
  left out and counted as a conflict, its new writer having recorded what was due; the
  others commit. If the batch's transaction fails as a whole, nothing of it was stored and
  each ticket is retried on its own append, so one ticket never loses or doubles another's
  escalations; a ticket not reached keeps its lease until it expires and is redone.
- **SLA state.** Not stored: it is a pure function of the events. The desk rebuilds it with
  one replay when it meets a ticket, and caches it by the ticket's version (a version
  identifies one history, so a cached state whose version matches the store is current).
  The escalation keys already fired are the ``escalated`` events of that history.
- **Exactly once.** An ``escalated`` event's id is derived from its key, so two workers
  racing on a ticket cannot both record it: the append's version check stops the second,
  and a redo after a crash is a redelivery. The same key is the outbox entry's key.
- **Same answers as the pure core.** At every ``record`` and ``wake`` instant, the keys
  recorded are :func:`slakit.sla.due_escalations` of the ticket's events at that instant
  (tests/desk/test_desk_properties.py checks it for any event sequence and wake schedule).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from slakit._errors import InvalidValueError
from slakit._message import Message
from slakit.desk._decision import LANGUAGES, Decision, Language, outbox_kind
from slakit.desk._notifier import Notifier
from slakit.desk._plan import KnownTicket, Plan, plan_append
from slakit.desk._results import Recorded, WakeReport
from slakit.policies import PolicySet
from slakit.sla import SlaEngine, SlaState
from slakit.storage import KEEP_WAKE_AT, ConcurrencyError, DeskStore, OutboxItem, TicketAppend
from slakit.storage._common import check_aware
from slakit.workflow import Escalated, Event, TicketState, Workflow, WrongTicketError, apply

_CACHE_LIMIT = 4096


def _default_backoff(attempt: int) -> float:
    # Full jitter, capped: spreads retrying writers apart; a hot ticket never waits long.
    return float(random.uniform(0.0, min(0.05, 0.001 * 2**attempt)))


def _default_retry_delay(attempt: int) -> timedelta:
    # Delivery retries: 30 s, 1 min, 2 min, ... capped at one hour.
    return timedelta(seconds=min(3600, 30 * 2 ** (attempt - 1)))


class Desk:
    """Runs a help desk's tickets on a store: record events, wake up, escalate, notify.

    Args:
        workflow: The workflow the store's tickets follow.
        policies: The SLA policy set.
        store: Any :class:`~slakit.storage.DeskStore` (InMemoryStore, SQLiteStore, ...).
        notifier: Where decisions are delivered by :meth:`wake`; without one, decisions are
            only returned (and recorded in the tickets' histories), nothing is queued.
        engine: The SLA engine; by default one over ``policies`` pausing in the workflow's
            pausing statuses.
        lease: How long a wake-up or delivery claim holds before another worker may redo it.
        language: Language of the decisions' sentences, ``"en"`` or ``"zh-CN"`` (``"zh"`` for short).
        max_attempts: Conflicting rounds before :meth:`record` raises ConcurrencyError.
        backoff: Seconds to wait before conflict retry number ``attempt``.
        retry_delay: Delay before delivery retry number ``attempt`` after a notifier failed.
        sleep: How to wait (replace it in tests).
    """

    def __init__(
        self,
        workflow: Workflow,
        policies: PolicySet,
        store: DeskStore,
        notifier: Notifier | None = None,
        *,
        engine: SlaEngine | None = None,
        lease: timedelta = timedelta(minutes=5),
        language: Language = "en",
        max_attempts: int = 50,
        backoff: Callable[[int], float] = _default_backoff,
        retry_delay: Callable[[int], timedelta] = _default_retry_delay,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if language not in LANGUAGES:
            raise InvalidValueError(Message("language must be one of {languages}, got {language!r}",
                                            languages=LANGUAGES, language=language))
        if lease <= timedelta(0):
            raise InvalidValueError(Message("lease must be positive, got {lease!r}", lease=lease))
        self.workflow = workflow
        self.policies = policies
        self.store = store
        self.notifier = notifier
        self.engine = engine or SlaEngine(policies, pausing_statuses=workflow.pausing_statuses)
        self.lease = lease
        self.language = language
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.retry_delay = retry_delay
        self.sleep = sleep
        self._cache: dict[tuple[str, str], KnownTicket] = {}
        self.couriers: dict[str, Callable[[OutboxItem], None]] = {}
        """Deliverers of outbox entries that are not escalations, by their body's ``kind``
        (the :class:`~slakit.desk.Scheduler` adds ``"care"``); raising means not delivered."""

    def __repr__(self) -> str:
        return (f"Desk(workflow={self.workflow.name!r}, store={type(self.store).__name__}, "
                f"notifier={self.notifier!r}, language={self.language!r})")

    # -- record ------------------------------------------------------------------------------

    def record(self, tenant: str, events: Sequence[Event], now: datetime) -> Recorded:
        """Store ``events`` (all of one ticket, in order) with the SLA consequences.

        In one store transaction: the new events, an ``escalated`` event for each
        escalation due by ``now`` and not yet recorded, the ticket's next wake-up, and (with
        a notifier) their outbox entries, which the next :meth:`wake` (or
        :meth:`deliver_pending`) delivers. Redelivered events are skipped.

        Raises:
            InvalidTransition, LateEventError: an event is illegal; nothing is stored.
            WrongTicketError: the events belong to several tickets; nothing is stored.
            SlaInputError: ``now`` is before an event; nothing is stored.
            ConcurrencyError: still conflicting after ``max_attempts`` rounds.
        """
        check_aware("now", now)
        if not events:
            raise InvalidValueError(Message("record needs at least one event; pass the new events"))
        ticket = events[0].ticket
        for event in events:
            if event.ticket != ticket:
                raise WrongTicketError(ticket, event.ticket)
        attempt = 0
        while True:
            attempt += 1
            # First round: trust the cache (a stale entry fails the append's version check,
            # costing one retry); later rounds read the store.
            known = self._load(tenant, ticket, trust_cache=attempt == 1)
            state = None if known is None else known.state
            sla = None if known is None else known.sla
            fresh: list[Event] = []
            for event in events:
                after = apply(state, event, self.workflow)
                if after is not state:
                    fresh.append(event)
                    sla = self.engine.advance(sla, event, after)
                state = after
            assert state is not None
            assert sla is not None
            if not fresh:
                return Recorded(state, (), sla, now, (), None, attempt)
            fired = frozenset() if known is None else known.fired
            try:
                done = self._commit(tenant, known, state, sla, fired, fresh, now)
            except ConcurrencyError:
                self._cache.pop((tenant, ticket), None)
                if attempt >= self.max_attempts:
                    raise
                if attempt > 1:
                    self.sleep(self.backoff(attempt))
                continue
            state, sla, decisions, wake = done
            return Recorded(state, tuple(fresh), sla, now, decisions, wake, attempt)

    # -- wake --------------------------------------------------------------------------------

    def wake(self, now: datetime, tenant: str | None = None, limit: int = 100) -> WakeReport:
        """Run the escalations of tickets whose wake-up has passed, then deliver decisions.

        Up to ``limit`` tickets, then up to ``limit`` pending decisions to the notifier.
        Safe to run in many processes at once (see the module docs). Call it again while
        ``report.claimed == limit`` to drain a backlog.
        """
        check_aware("now", now)
        claims = self.store.claim_wakeups(now, lease=self.lease, tenant=tenant, limit=limit)
        plans: list[Plan] = []
        for claim in claims:
            known = self._load(claim.tenant, claim.ticket, version=claim.version)
            if known is None:
                continue
            if now < known.sla.last_event_at:
                # The ticket has events after this worker's now: release the claim and leave
                # the wake-up to a later call.
                plans.append(Plan(TicketAppend(claim.tenant, claim.ticket, (),
                                                known.state.version, KEEP_WAKE_AT), None, ()))
                continue
            plans.append(self._plan(claim.tenant, known, known.state, known.sla, known.fired,
                                    [], now))
        fired, conflicts = self._commit_batch(plans)
        delivered, failed = self.deliver_pending(now, tenant=tenant, limit=limit)
        return WakeReport(now, len(claims), tuple(fired), conflicts, delivered, failed)

    def deliver_pending(
        self, now: datetime, tenant: str | None = None, limit: int = 100
    ) -> tuple[int, int]:
        """Hand up to ``limit`` pending outbox decisions to the notifier.

        Returns:
            ``(delivered, failed)``; a failed one is retried after ``retry_delay``.
        """
        if self.notifier is None and not self.couriers:
            return 0, 0
        delivered = failed = 0
        items = self.store.claim_deliveries(now, lease=self.lease, tenant=tenant, limit=limit)
        for item in items:
            try:
                self._hand_over(item)
            except Exception as exc:
                failed += 1
                self.store.finish_delivery(
                    item.tenant, item.key, delivered=False,
                    retry_at=now + self.retry_delay(item.attempts + 1),
                    error=f"{type(exc).__name__}: {exc}")
            else:
                delivered += 1
                self.store.finish_delivery(item.tenant, item.key, delivered=True)
        return delivered, failed

    def next_wake_at(self, tenant: str | None = None) -> datetime | None:
        """When :meth:`wake` next has work: the earliest ticket wake-up or pending delivery.

        For a loop that sleeps until then instead of polling (in UTC; may be in the past
        while another worker holds a claim, so sleep at least a little).
        """
        return self.store.next_wakeup(tenant=tenant)

    # -- internals ---------------------------------------------------------------------------

    def _hand_over(self, item: OutboxItem) -> None:
        """Deliver one outbox entry: to its kind's courier, or an escalation to the notifier."""
        kind = outbox_kind(item.body)
        courier = self.couriers.get(kind) if kind is not None else None
        if courier is not None:
            courier(item)
        elif kind is not None or self.notifier is None:
            raise InvalidValueError(
                Message("outbox entry {key!r} is a {value!r} decision and this desk has nothing to "
                        "deliver it with; run it in a Scheduler (care) or give the desk a notifier (it "
                        "stays pending and is retried)", key=item.key, value=kind or 'escalation'))
        else:
            self.notifier.deliver(Decision.from_json(item.body))

    def _commit(
        self, tenant: str, known: KnownTicket | None, state: TicketState, sla: SlaState,
        fired: frozenset[str], fresh: list[Event], now: datetime,
    ) -> tuple[TicketState, SlaState, tuple[Decision, ...], datetime | None]:
        plan = self._plan(tenant, known, state, sla, fired, fresh, now)
        a = plan.append
        self.store.append(tenant, a.ticket, a.events, expected_version=a.expected_version,
                          wake_at=a.wake_at, outbox=a.outbox)
        assert plan.after is not None
        self._remember(tenant, plan.after)
        return plan.after.state, plan.after.sla, plan.decisions, plan.wake

    def _commit_batch(self, plans: list[Plan]) -> tuple[list[Decision], int]:
        """Store the plans in one batch; returns the decisions recorded and the conflicts.

        A ticket whose version moved (its new writer recorded what was due, in its own
        append) is a conflict. If the batch fails as a whole, nothing of it was stored and
        each plan is tried on its own, so one ticket cannot hold back the others.
        """
        if not plans:
            return [], 0
        try:
            results: Sequence[TicketState | Exception] = self.store.append_batch(
                [p.append for p in plans])
        except Exception:
            results = [self._append_alone(p.append) for p in plans]
        decisions: list[Decision] = []
        conflicts = 0
        problem: Exception | None = None
        for plan, result in zip(plans, results, strict=True):
            a = plan.append
            if isinstance(result, TicketState):
                if plan.after is not None:
                    self._remember(a.tenant, plan.after)
                decisions.extend(plan.decisions)
                continue
            self._cache.pop((a.tenant, a.ticket), None)
            if isinstance(result, ConcurrencyError):
                conflicts += plan.after is not None  # a lost release is no conflict
            elif problem is None:
                problem = result
        if problem is not None:
            raise problem  # the others are stored; a ticket the store refuses is a bug to see
        return decisions, conflicts

    def _append_alone(self, a: TicketAppend) -> TicketState | Exception:
        try:
            return self.store.append(a.tenant, a.ticket, a.events,
                                     expected_version=a.expected_version, wake_at=a.wake_at,
                                     outbox=a.outbox)
        except ConcurrencyError as exc:
            return exc

    def _plan(
        self, tenant: str, known: KnownTicket | None, state: TicketState, sla: SlaState,
        fired: frozenset[str], fresh: list[Event], now: datetime,
    ) -> Plan:
        return plan_append(self.engine, self.workflow, self.language, self.notifier is not None,
                           tenant, known, state, sla, fired, fresh, now)

    def _load(self, tenant: str, ticket: str, *, trust_cache: bool = False,
              version: int | None = None) -> KnownTicket | None:
        cached = self._cache.get((tenant, ticket))
        if cached is not None and (trust_cache or cached.state.version == version):
            return cached
        if cached is not None:
            state = self.store.load_state(tenant, ticket)
            if state is not None and cached.state.version == state.version:
                return cached
        events = self.store.load_events(tenant, ticket)
        if not events:
            return None
        ticket_state, sla = self.engine.apply_all(events, self.workflow)
        fired = frozenset(e.key for e in events if type(e) is Escalated)
        known = KnownTicket(ticket_state, sla, fired)
        self._remember(tenant, known)
        return known

    def _remember(self, tenant: str, known: KnownTicket) -> None:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()  # crude bound: the cache only saves replays
        self._cache[(tenant, known.state.ticket)] = known
