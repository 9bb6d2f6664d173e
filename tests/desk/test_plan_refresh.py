"""A plan change reaches tickets already open through Scheduler.refresh_plan_facts: the issue's
worked example (the annual plan lapses while a ticket is open, a renewal restores it), and
the pure update (only what changed, stale quota facts cleared, nothing when current)."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from slakit._errors import InvalidValueError, NaiveDatetimeError
from slakit.care import InMemoryCareStore
from slakit.desk import Desk, InMemoryNotifier, Scheduler
from slakit.desk._plan_refresh import plan_facts_update
from slakit.plans import (
    Plan,
    PlanRenewed,
    PlanStarted,
    PlanState,
    PlanUpgraded,
    Quota,
    apply_plan_event,
)
from slakit.policies import why_selected
from slakit.storage import InMemoryStore
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    FactsChanged,
    TicketClosed,
    TicketResolved,
    apply,
)
from tests.desk.test_scheduler import CN, POLICIES, at, opened

FREE = Plan("free_after_golive", "fixed_term", at(2025, 1, 6), at(2025, 4, 6))
ANNUAL = Plan("annual", "annual", at(2025, 4, 6), at(2026, 4, 6), grace_days=14)


def shop() -> tuple[Scheduler, InMemoryNotifier]:
    notifier = InMemoryNotifier()
    sched = Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, InMemoryStore(), notifier),
                      InMemoryCareStore(), calendar=CN)
    sched.record_plan("acme", "shop-1", [
        PlanStarted(subject="shop-1", at=at(2025, 1, 6), event_id="p1", plan=FREE),
        PlanStarted(subject="shop-1", at=at(2025, 3, 20), event_id="p2", plan=ANNUAL)],
        at(2025, 3, 20))
    return sched, notifier


def test_the_plan_lapses_while_a_ticket_is_open_and_a_renewal_restores_it() -> None:
    sched, notifier = shop()
    # Friday 17:00, in the grace period: the annual policy (8 business hours, escalate late).
    first = sched.record("acme", [opened("T-1", at(2026, 4, 17, 17))], at(2026, 4, 17, 17))
    assert first.sla.choice.describe() == "policy 'annual' v1 (matched)"
    assert first.state.custom["plan_reason"] == (
        "plan 'annual' ended at 2026-04-06T00:00:00+08:00; in grace until "
        "2026-04-20T00:00:00+08:00")
    assert sched.next_wake_at("acme") == at(2026, 4, 20, 16)  # the breach: 1 h + 7 h
    # Another customer's ticket, and one of the shop's already closed: not touched.
    sched.record("acme", [attrs.evolve(opened("T-2", at(2026, 4, 17, 17)), customer="walk-in")],
                 at(2026, 4, 17, 17))
    sched.record("acme", [opened("T-3", at(2026, 4, 17, 17)),
                          TicketResolved(ticket="T-3", at=at(2026, 4, 17, 18), event_id="r"),
                          TicketClosed(ticket="T-3", at=at(2026, 4, 17, 18), event_id="c")],
                 at(2026, 4, 17, 18))
    # Monday 09:00: the grace ended at midnight; the host brings the open tickets up to date.
    (lapsed,) = sched.refresh_plan_facts("acme", "shop-1", at(2026, 4, 20, 9))
    assert lapsed.state.ticket == "T-1"
    (event,) = lapsed.applied
    assert isinstance(event, FactsChanged)
    assert (event.event_id, event.at) == ("T-1/plan@2026-04-20T01:00:00+00:00",
                                          at(2026, 4, 20, 9))
    assert dict(event.set) == {"plan_active": False, "plan_in_grace": False, "plan_reason": (
        "plan 'annual' expired at 2026-04-06T00:00:00+08:00 (grace ended "
        "2026-04-20T00:00:00+08:00); not renewed")}
    assert event.clear == frozenset({"plan"})
    assert lapsed.sla.choice.describe() == "policy 'best_effort' v1 (fallback)"
    assert why_selected(POLICIES, lapsed.sla.facts) == (
        "policy 'best_effort' v1 (fallback); policy 'annual' v1 did not match: it needs "
        "fact(\"plan_active\").eq(True), the ticket has plan_active=False (plan 'annual' "
        "expired at 2026-04-06T00:00:00+08:00 (grace ended 2026-04-20T00:00:00+08:00); "
        "not renewed)")
    assert sched.refresh_plan_facts("acme", "shop-1", at(2026, 4, 20, 10)) == ()  # current
    # The annual policy's breach at 16:00 no longer applies: nothing escalates.
    for hour in (16, 17):
        assert sched.wake(at(2026, 4, 20, hour), "acme").tickets.decisions == ()
    assert notifier.delivered == []
    others = [sched.desk.store.load_state("acme", t) for t in ("T-2", "T-3")]
    assert [(s.version, s.custom.get("plan_active")) for s in others if s] == [
        (1, None), (4, True)]
    # Tuesday: renewed; the refresh puts the open ticket back on the annual policy.
    sched.record_plan("acme", "shop-1", [PlanRenewed(subject="shop-1", at=at(2026, 4, 21, 9),
                                                     event_id="p3")], at(2026, 4, 21, 9))
    (renewed,) = sched.refresh_plan_facts("acme", "shop-1", at(2026, 4, 21, 9))
    assert renewed.sla.choice.describe() == "policy 'annual' v1 (matched)"
    assert renewed.state.custom["plan_reason"] == (
        "plan 'annual' active until 2027-04-21T09:00:00+08:00")
    # Back on the annual policy, whose 8 hours ran out on Monday 16:00: late, escalated now.
    assert [d.key for d in renewed.decisions] == ["T-1/resolution/1/late/1"]
    assert [type(e).__name__ for e in sched.desk.store.load_events("acme", "T-1")] == [
        "TicketOpened", "FactsChanged", "FactsChanged", "FactsChanged", "Escalated"]


def test_the_update_names_only_what_changed_and_clears_stale_quotas() -> None:
    visits = Plan("onsite", "annual", at(2025, 1, 6), at(2026, 1, 6),
                  quotas=(Quota("onsite_visit", 3),))
    state = PlanState("acme", "shop-1")
    state = apply_plan_event(state, PlanStarted(subject="shop-1", at=at(2025, 1, 6),
                                                event_id="p1", plan=visits))
    ticket = apply(None, opened("T-1", at(2025, 3, 3, 10)), DEFAULT_WORKFLOW)
    first = plan_facts_update(ticket, state, at(2025, 3, 3, 10))
    assert first is not None
    assert dict(first.set) == {
        "plan": "onsite", "plan_active": True, "plan_in_grace": False,
        "plan_reason": "plan 'onsite' active until 2026-01-06T00:00:00+08:00",
        "quota_left.onsite_visit": 3}
    assert first.clear == frozenset()  # plan_hours is cleared only where the ticket has it
    ticket = apply(ticket, first, DEFAULT_WORKFLOW)
    assert plan_facts_update(ticket, state, at(2025, 3, 4)) is None
    remote = Plan("remote", "annual", at(2025, 3, 10), at(2026, 3, 10))
    state = apply_plan_event(state, PlanUpgraded(subject="shop-1", at=at(2025, 3, 10),
                                                 event_id="u1", plan=remote))
    upgrade = plan_facts_update(ticket, state, at(2025, 3, 10, 9))
    assert upgrade is not None
    assert dict(upgrade.set) == {
        "plan": "remote", "plan_reason": "plan 'remote' active until 2026-03-10T00:00:00+08:00"}
    assert upgrade.clear == frozenset({"quota_left.onsite_visit"})


def test_bad_input_raises_and_records_nothing() -> None:
    sched, _ = shop()
    sched.record("acme", [opened("T-1", at(2026, 4, 17, 17))], at(2026, 4, 17, 17))
    with pytest.raises(NaiveDatetimeError):
        sched.refresh_plan_facts("acme", "shop-1", at(2026, 4, 20, 9).replace(tzinfo=None))
    with pytest.raises(InvalidValueError, match="ticket timers"):
        sched.refresh_plan_facts("acme", "ticket:T-1", at(2026, 4, 20, 9))
    assert sched.refresh_plan_facts("acme", "no-plans", at(2026, 4, 20, 9)) == ()
    assert sched.refresh_plan_facts("other", "shop-1", at(2026, 4, 20, 9)) == ()
    state = sched.desk.store.load_state("acme", "T-1")
    assert state is not None
    assert state.version == 2
    assert timedelta(0) == state.last_event_at - at(2026, 4, 17, 17)
