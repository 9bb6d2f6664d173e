"""One scheduler: SLA escalations, plan reminders, care visits and ticket timers, each once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slakit.calendar import BusinessCalendar
from slakit.care import (
    CareSchedule,
    CareStore,
    InMemoryCareStore,
    SQLiteCareStore,
    load_policy_file,
)
from slakit.desk import Desk, InMemoryNotifier, Scheduler
from slakit.plans import PLAN_FIELDS, DueDecision, Plan, PlanStarted, ReminderRule
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    fact,
    notify,
    on_breach,
)
from slakit.storage import DeskStore, InMemoryStore, SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW, TicketOpened, TicketResolved

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


@pytest.fixture(params=["memory", "sqlite"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[DeskStore, CareStore]]:
    if request.param == "memory":
        yield InMemoryStore(), InMemoryCareStore()
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
