"""One scheduler over a desk and a care store: setting wake-ups and waking many customers.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_scheduler.py [--customers N]
[--store memory|sqlite|sqlalchemy]`` (2,000 customers by default; ``sqlalchemy`` is one
SQLAlchemyStore on a SQLite file, both the desk and the care store). Each customer has an annual plan
(started on a random day of the first quarter of 2025, with a 30-day renewal reminder), a
quarterly visit on the first working day of each quarter from April 2025 on the CN
09:00-18:00 calendar, and one resolved ticket with the auto-close and survey timers.

Rows: ``Scheduler.record_plan`` + ``put_schedules`` + the ticket's ``record`` per
customer, then ``wake`` at 1 April 2025 09:00 (every customer's visit and every ticket's
survey and auto-close are due) in batches of ``--limit``. Prints a Markdown table with wall
and CPU time per customer.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slakit.calendar import BusinessCalendar
from slakit.care import (
    CareSchedule,
    CareStore,
    InMemoryCareStore,
    SQLiteCareStore,
    timers_from_mapping,
)
from slakit.desk import Desk, Scheduler
from slakit.plans import PLAN_FIELDS, Plan, PlanStarted, ReminderRule
from slakit.policies import MetricTarget, NamedCalendar, PolicySet, SlaPolicy, fact
from slakit.storage import DeskStore, InMemoryStore, SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW, TicketOpened, TicketResolved

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")
OFFICE = NamedCalendar("cn-office", CN)
POLICIES = PolicySet(
    [SlaPolicy("annual", "1", fact("plan_active").eq(True),
               [MetricTarget("resolution", "normal", timedelta(hours=8), OFFICE)])],
    fallback=SlaPolicy("best_effort", "1",
                       targets=[MetricTarget("resolution", "normal", timedelta(hours=72), OFFICE)]),
    priorities=("normal",), fields=PLAN_FIELDS)
TIMERS = timers_from_mapping({"auto_close": {"kind": "auto_close", "after": "3 working days"},
                              "survey": {"kind": "survey", "after": "4 business hours"}})
VISIT = CareSchedule("quarterly-visit", datetime(2025, 4, 1, tzinfo=SH),
                     "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", until=datetime(2027, 1, 1, tzinfo=SH))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--store", choices=("memory", "sqlite", "sqlalchemy"), default="memory")
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        desk_store: DeskStore
        care_store: CareStore
        if args.store == "memory":
            desk_store, care_store = InMemoryStore(), InMemoryCareStore()
        elif args.store == "sqlalchemy":
            from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata, sqlite_engine

            engine = sqlite_engine(f"sqlite:///{Path(tmp) / 'desk.db'}")
            sqlalchemy_metadata.create_all(engine)
            desk_store = care_store = SQLAlchemyStore(engine)
        else:
            path = Path(tmp) / "desk.db"
            desk_store, care_store = SQLiteStore(path), SQLiteCareStore(path)
        sent: list[object] = []
        scheduler = Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, desk_store), care_store,
                              calendar=CN, reminders=[ReminderRule("renewal-30d",
                                                                   "before_expiry", days=30)],
                              timers=TIMERS, deliver=sent.append)
        rng = random.Random(15)
        n = args.customers
        rows = []
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            shop = f"shop-{i}"
            start = datetime(2025, 1, 1, tzinfo=SH) + timedelta(days=rng.randrange(80))
            plan = Plan("annual", "annual", start, start.replace(year=2026))
            scheduler.record_plan("acme", shop, [PlanStarted(subject=shop, at=start,
                                                             event_id="p", plan=plan)], start)
            scheduler.put_schedules("acme", shop, [VISIT], start)
            opened = datetime(2025, 3, 20, 10, tzinfo=SH)
            scheduler.record("acme", [
                TicketOpened(ticket=f"T-{i}", at=opened, event_id="o", priority="normal",
                             category=None, channel="email", customer=shop, customer_tier=None),
                TicketResolved(ticket=f"T-{i}", at=opened + timedelta(hours=1), event_id="r")],
                opened + timedelta(hours=1))
        rows.append(("record_plan + put_schedules + record (per customer)",
                     time.perf_counter() - wall, time.process_time() - cpu))
        now = datetime(2025, 4, 1, 9, tzinfo=SH)
        wall, cpu = time.perf_counter(), time.process_time()
        acted = closed = 0
        while True:
            report = scheduler.wake(now, "acme", limit=args.limit)
            acted += len(report.care)
            closed += len(report.closed)
            if not (report.care or report.tickets.claimed or report.delivered):
                break
        rows.append(("wake at 2025-04-01 09:00 (per customer)",
                     time.perf_counter() - wall, time.process_time() - cpu))
        pending = len(desk_store.list_outbox("acme", state="pending"))
        print(f"{n} customers, {args.store} stores: {acted} decisions acted on "
              f"({closed} auto-closes), {len(sent)} delivered, {pending} pending\n")
        print("| step | wall s | CPU s | CPU µs/customer |\n| --- | ---: | ---: | ---: |")
        for name, w, c in rows:
            print(f"| {name} | {w:.1f} | {c:.1f} | {c / n * 1e6:.0f} |")
        if args.store == "sqlite":
            care_store.close()  # type: ignore[attr-defined]
            desk_store.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
