"""One scheduler: SLA escalations, plan reminders, care visits and ticket timers, each once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit._errors import InvalidValueError, NaiveDatetimeError
from slakit.calendar import BusinessCalendar
from slakit.care import (
    CareSchedule,
    CareStore,
    InMemoryCareStore,
    SQLiteCareStore,
    load_policy_file,
)
from slakit.desk import Desk, InMemoryNotifier, Scheduler
from slakit.plans import (
    PLAN_FIELDS,
    DueDecision,
    Plan,
    PlanRenewed,
    PlanStarted,
    Quota,
    QuotaConsumed,
    ReminderRule,
)
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    fact,
    notify,
    on_breach,
    why_selected,
)
from slakit.storage import DeskStore, InMemoryStore, SQLiteStore
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    FactsChanged,
    TicketOpened,
    TicketReopened,
    TicketResolved,
)
from tests.storage.storage_testkit import SQLAlchemySQLiteBackend

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")
OFFICE = NamedCalendar("cn-office", CN)
POLICIES = PolicySet(
    [SlaPolicy("annual", "1", fact("plan_active").eq(True),
               [MetricTarget("resolution", "normal", timedelta(hours=8), OFFICE)],
               escalations=[EscalationRule("late", "resolution", on_breach(),
                                           [notify("lead")])])],
    fallback=SlaPolicy("best_effort", "1",
                       targets=[MetricTarget("resolution", "normal", timedelta(hours=72), OFFICE)]),
    priorities=("normal",), fields=PLAN_FIELDS)
FILE = load_policy_file({
    "priorities": ["normal"], "fallback": {"name": "x", "version": "1", "targets": []},
    "timers": {"auto_close": {"kind": "auto_close", "after": "3 working days"},
               "survey": {"kind": "survey", "after": "4 business hours"}}})


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


def opened(ticket: str, when: datetime) -> TicketOpened:
    return TicketOpened(ticket=ticket, at=when, event_id=f"{ticket}-o", priority="normal",
                        category=None, channel="email", customer="shop-1", customer_tier=None)


@pytest.fixture(params=["memory", "sqlite", "sqlalchemy-sqlite"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[DeskStore, CareStore]]:
    if request.param == "memory":
        yield InMemoryStore(), InMemoryCareStore()
    elif request.param == "sqlalchemy-sqlite":
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with SQLAlchemySQLiteBackend(tmp_path).fresh() as alchemy:
            yield alchemy, alchemy  # one store object is both
    else:
        desk_store = SQLiteStore(tmp_path / "desk.db")
        care_store = SQLiteCareStore(tmp_path / "desk.db")
        yield desk_store, care_store
        care_store.close()
        desk_store.close()


def scheduler(stores: tuple[DeskStore, CareStore], delivered: list[DueDecision],
              notifier: InMemoryNotifier) -> Scheduler:
    desk_store, care_store = stores
    return Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, desk_store, notifier), care_store,
                     calendar=CN, reminders=[ReminderRule("renewal-30d", "before_expiry", days=30)],
                     timers=FILE.timers, deliver=delivered.append)


def test_everything_falls_due_and_is_delivered_once(stores: tuple[DeskStore, CareStore]) -> None:
    delivered: list[DueDecision] = []
    notifier = InMemoryNotifier()
    one, two = scheduler(stores, delivered, notifier), scheduler(stores, delivered, notifier)
    annual = Plan("annual", "annual", at(2025, 3, 6), at(2025, 5, 6))
    one.record_plan("acme", "shop-1", [PlanStarted(subject="shop-1", at=at(2025, 3, 6),
                                                   event_id="p1", plan=annual)], at(2025, 3, 6))
    one.put_schedules("acme", "shop-1", [CareSchedule(
        "quarterly-visit", at(2025, 1, 6), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1")],
        at(2025, 3, 6))
    rec = one.record("acme", [opened("T-1", at(2025, 3, 31, 10))], at(2025, 3, 31, 10))
    assert rec.state.custom["plan_active"] is True
    assert rec.sla.choice.describe() == "policy 'annual' v1 (matched)"
    one.record("acme", [opened("T-2", at(2025, 3, 31, 10)),
                        TicketResolved(ticket="T-2", at=at(2025, 3, 31, 11), event_id="T-2-r")],
               at(2025, 3, 31, 11))
    assert one.next_wake_at("acme") == at(2025, 3, 31, 15)
    log = []
    t = at(2025, 3, 31, 11)
    while t < at(2025, 4, 8):  # hourly ticks, each run by three workers in turn
        for worker in (one, two, one):
            r = worker.wake(t, "acme")
            log += [(t, "escalate", d.key) for d in r.tickets.decisions]
            log += [(t, d.action, d.key) for d in r.care]
        t += timedelta(hours=1)
    assert log == [
        (at(2025, 3, 31, 15), "send_survey", "acme/T-2/survey/2025-03-31T11:00:00+08:00"),
        (at(2025, 4, 1, 9), "escalate", "T-1/resolution/1/late/1"),
        (at(2025, 4, 1, 9), "visit", "acme/shop-1/quarterly-visit/2025-04-01T00:00"),
        (at(2025, 4, 3, 11), "close", "acme/T-2/auto_close/2025-03-31T11:00:00+08:00"),
        (at(2025, 4, 6), "remind_renewal", "acme/shop-1/renewal-30d/2025-05-06T00:00+08:00"),
    ]
    assert [d.key for d in delivered] == [key for _, action, key in log
                                          if action in ("send_survey", "visit", "remind_renewal")]
    assert [d.key for d in notifier.delivered] == ["T-1/resolution/1/late/1"]
    closed = stores[0].load_state("acme", "T-2")
    assert closed is not None
    assert (closed.status, closed.auto_closed) == ("closed", True)
    assert closed.closed_at == at(2025, 4, 3, 11)


def test_a_lapsed_plan_gives_the_best_effort_policy_and_says_why() -> None:
    delivered: list[DueDecision] = []
    sched = scheduler((InMemoryStore(), InMemoryCareStore()), delivered, InMemoryNotifier())
    annual = Plan("annual", "annual", at(2025, 3, 6), at(2025, 5, 6))
    sched.record_plan("acme", "shop-1", [PlanStarted(subject="shop-1", at=at(2025, 3, 6),
                                                     event_id="p1", plan=annual)], at(2025, 3, 6))
    lapsed = sched.record("acme", [opened("T-1", at(2025, 5, 7, 10))], at(2025, 5, 7, 10))
    assert lapsed.sla.choice.describe() == "policy 'best_effort' v1 (fallback)"
    assert why_selected(POLICIES, lapsed.sla.facts) == (
        "policy 'best_effort' v1 (fallback); policy 'annual' v1 did not match: it needs "
        "fact(\"plan_active\").eq(True), the ticket has plan_active=False (plan 'annual' "
        "expired at 2025-05-06T00:00:00+08:00; not renewed)")
    sched.record_plan("acme", "shop-1", [PlanRenewed(subject="shop-1", at=at(2025, 5, 8),
                                                     event_id="p2")], at(2025, 5, 8))
    renewed = sched.record("acme", [opened("T-2", at(2025, 5, 8, 10))], at(2025, 5, 8, 10))
    assert renewed.sla.choice.describe() == "policy 'annual' v1 (matched)"
    assert renewed.state.custom["plan_reason"] == (
        "plan 'annual' active until 2026-05-08T00:00:00+08:00")
    # A customer without plans gets no plan facts at all (the fallback, as before).
    other = sched.record("acme", [attrs.evolve(opened("T-3", at(2025, 5, 8, 10)),
                                               customer="walk-in")], at(2025, 5, 8, 10))
    assert other.state.custom == {}
    assert other.state.version == 1


def test_a_reopened_ticket_is_not_closed_and_a_new_resolution_is_a_new_close() -> None:
    delivered: list[DueDecision] = []
    store = InMemoryStore()
    sched = scheduler((store, InMemoryCareStore()), delivered, InMemoryNotifier())
    sched.record("acme", [opened("T-1", at(2025, 3, 31, 10)),
                          TicketResolved(ticket="T-1", at=at(2025, 3, 31, 11), event_id="r1")],
                 at(2025, 3, 31, 11))
    assert [d.action for d in sched.wake(at(2025, 3, 31, 16), "acme").care] == ["send_survey"]
    sched.record("acme", [TicketReopened(ticket="T-1", at=at(2025, 4, 2, 10), event_id="x")],
                 at(2025, 4, 2, 10))
    assert sched.wake(at(2025, 4, 3, 12), "acme").closed == ()
    sched.record("acme", [TicketResolved(ticket="T-1", at=at(2025, 4, 7, 10), event_id="r2")],
                 at(2025, 4, 7, 10))
    assert sched.next_wake_at("acme") == at(2025, 4, 7, 14)  # the second survey
    report = sched.wake(at(2025, 4, 10, 10), "acme")
    assert report.closed == ("T-1",)
    assert [d.key for d in report.care] == [
        "acme/T-1/survey/2025-04-07T10:00:00+08:00",
        "acme/T-1/auto_close/2025-04-07T10:00:00+08:00"]
    assert [d.key for d in delivered] == ["acme/T-1/survey/2025-03-31T11:00:00+08:00",
                                          "acme/T-1/survey/2025-04-07T10:00:00+08:00"]
    assert sched.wake(at(2025, 5, 1), "acme").care == ()
    assert sched.next_wake_at("acme") is None


def test_a_failed_timer_delivery_is_reported_and_retried_not_acted_on_again() -> None:
    def refuse(decision: DueDecision) -> None:
        raise ConnectionError("mail server down")

    desk = Desk(DEFAULT_WORKFLOW, POLICIES, InMemoryStore())
    sched = Scheduler(desk, InMemoryCareStore(), calendar=CN, timers=FILE.timers,
                      deliver=refuse)
    sched.record("acme", [opened("T-1", at(2025, 3, 31, 10)),
                          TicketResolved(ticket="T-1", at=at(2025, 3, 31, 11), event_id="r")],
                 at(2025, 3, 31, 11))
    report = sched.wake(at(2025, 3, 31, 15), "acme")
    assert [(d.key, why) for d, why in report.failed] == [
        ("acme/T-1/survey/2025-03-31T11:00:00+08:00", "ConnectionError: mail server down")]
    again = sched.wake(at(2025, 3, 31, 16), "acme")  # retried from the outbox, not re-fired
    assert again.care == ()
    assert [d.key for d, _ in again.failed] == ["acme/T-1/survey/2025-03-31T11:00:00+08:00"]
    (item,) = desk.store.list_outbox("acme")
    assert (item.state, item.attempts) == ("pending", 2)


def test_bad_input_raises_and_stores_nothing() -> None:
    care = InMemoryCareStore()
    sched = scheduler((InMemoryStore(), care), [], InMemoryNotifier())
    with pytest.raises(InvalidValueError, match="ticket timers"):
        sched.put_schedules("acme", "ticket:T-1", [], at(2025, 1, 1))
    with pytest.raises(NaiveDatetimeError):
        sched.wake(datetime(2025, 1, 1), "acme")
    with pytest.raises(NaiveDatetimeError):
        sched.record("acme", [opened("T-1", at(2025, 3, 31, 10))], datetime(2025, 3, 31, 10))
    assert care.next_wake("acme") is None
    assert sched.desk.store.load_state("acme", "T-1") is None
    assert "Scheduler(desk=Desk(" in repr(sched)


def _run(ticks: list[datetime]) -> list[tuple[str, str]]:
    """The shop of the first test, woken at ``ticks`` by two workers: (kind, key) acted on."""
    stores = (InMemoryStore(), InMemoryCareStore())
    one, two = (scheduler(stores, [], InMemoryNotifier()) for _ in range(2))
    annual = Plan("annual", "annual", at(2025, 3, 6), at(2025, 5, 6))
    one.record_plan("acme", "shop-1", [PlanStarted(subject="shop-1", at=at(2025, 3, 6),
                                                   event_id="p1", plan=annual)], at(2025, 3, 6))
    one.put_schedules("acme", "shop-1", [CareSchedule(
        "quarterly-visit", at(2025, 1, 6), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1")],
        at(2025, 3, 6))
    one.record("acme", [opened("T-1", at(2025, 3, 31, 10))], at(2025, 3, 31, 10))
    one.record("acme", [opened("T-2", at(2025, 3, 31, 10)),
                        TicketResolved(ticket="T-2", at=at(2025, 3, 31, 11), event_id="T-2-r")],
               at(2025, 3, 31, 11))
    acted: list[tuple[str, str]] = []
    for i, t in enumerate(ticks):
        r = (one, two)[i % 2].wake(t, "acme")
        acted += [("escalate", d.key) for d in r.tickets.decisions]
        acted += [(d.action, d.key) for d in r.care]
    return acted


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 8 * 24 * 4), max_size=12))
def test_any_tick_schedule_acts_on_each_decision_once(quarters: list[int]) -> None:
    start, end = at(2025, 3, 31, 11), at(2025, 4, 8)
    ticks = sorted(start + timedelta(minutes=15 * q) for q in quarters)
    acted = _run([*ticks, end])
    assert len(acted) == len(set(acted))
    assert sorted(acted) == sorted(_run([end]))
    assert len(acted) == 5


def test_a_close_found_late_is_dated_at_the_last_event() -> None:
    store = InMemoryStore()
    sched = scheduler((store, InMemoryCareStore()), [], InMemoryNotifier())
    sched.record("acme", [opened("T-1", at(2025, 3, 31, 10)),
                          TicketResolved(ticket="T-1", at=at(2025, 3, 31, 11), event_id="r")],
                 at(2025, 3, 31, 11))
    # A fact set after the close fell due (04-03 11:00), before any wake ran.
    sched.record("acme", [FactsChanged(ticket="T-1", at=at(2025, 4, 4, 9), event_id="f",
                                       set={"category": "refund"})], at(2025, 4, 4, 9))
    assert sched.wake(at(2025, 4, 5), "acme").closed == ("T-1",)
    state = store.load_state("acme", "T-1")
    assert state is not None
    assert state.closed_at == at(2025, 4, 4, 9)


def test_a_used_up_quota_sends_the_next_ticket_to_the_remote_policy() -> None:
    office = NamedCalendar("cn-office", CN)
    policies = PolicySet(
        [SlaPolicy("onsite", "1", fact("quota_left.onsite_visit").gt(0),
                   [MetricTarget("resolution", "normal", timedelta(hours=8), office)])],
        fallback=SlaPolicy("remote", "1",
                           targets=[MetricTarget("resolution", "normal", timedelta(hours=24),
                                                 office)]),
        priorities=("normal",), fields={**PLAN_FIELDS, "quota_left.onsite_visit": "number"})
    sched = Scheduler(Desk(DEFAULT_WORKFLOW, policies, InMemoryStore()), InMemoryCareStore(),
                      calendar=CN)
    plan = Plan("annual", "annual", at(2025, 1, 6), at(2026, 1, 6),
                quotas=(Quota("onsite_visit", 1),))
    sched.record_plan("acme", "shop-1", [PlanStarted(subject="shop-1", at=at(2025, 1, 6),
                                                     event_id="p1", plan=plan)], at(2025, 1, 6))
    first = sched.record("acme", [opened("T-1", at(2025, 3, 3, 10))], at(2025, 3, 3, 10))
    assert first.state.custom["quota_left.onsite_visit"] == 1
    assert first.sla.choice.describe() == "policy 'onsite' v1 (matched)"
    sched.record_plan("acme", "shop-1", [QuotaConsumed(subject="shop-1", at=at(2025, 3, 4),
                                                       event_id="q1", quota="onsite_visit")],
                      at(2025, 3, 4))
    second = sched.record("acme", [opened("T-2", at(2025, 3, 5, 10))], at(2025, 3, 5, 10))
    assert second.state.custom["quota_left.onsite_visit"] == 0
    assert second.sla.choice.describe() == "policy 'remote' v1 (fallback)"
    assert "quota_left.onsite_visit=0" in why_selected(policies, second.sla.facts)
