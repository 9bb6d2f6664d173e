"""Plans and scheduled care for many customers: next wake-up and due items, one core.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_care.py [--customers N] [--quick]``
(100,000 customers by default, 5,000 with ``--quick``). Prints a Markdown table with wall
time and CPU time (on a busy machine the CPU column is the steadier one). Each customer goes
live on a random day of 2025 with three months of free support
followed by an annual plan (one in five lapses and renews later, one in three has used an
on-site visit), reminder rules (30 days and 5 working days before expiry, on expiry, quota
low), and two schedules on the CN 09:00-18:00 calendar: quarterly visits on the first working
day of each quarter for two years (with an overdue escalation) and a monthly inspection. The
schedules are shared per go-live month (as a per-plan schedule would be), so the rrule
expansion is cached and the per-customer work is folding, candidates and selection.

Rows: building the states (fold of the plan events), ``CareSubject.next_wake_at(now)`` and
``CareSubject.due(now, since=previous wake)`` per customer; the peak traced memory of the
states for all customers (tracemalloc, measured in a separate pass).
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slakit.calendar import BusinessCalendar
from slakit.care import CareSchedule, CareState, CareSubject
from slakit.plans import (
    Plan,
    PlanEvent,
    PlanRenewed,
    PlanStarted,
    Quota,
    QuotaConsumed,
    ReminderRule,
    apply_plan_events,
)

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")
RULES = (ReminderRule("renewal-30d", "before_expiry", days=30),
         ReminderRule("renewal-5wd", "before_expiry", days=5, working=True),
         ReminderRule("expired", "on_expiry"),
         ReminderRule("visits-low", "quota_below", quota="onsite_visit", threshold=1))


def schedules(month: int) -> tuple[CareSchedule, ...]:
    start = datetime(2025, month, 1, tzinfo=SH)
    return (CareSchedule("quarterly-visit", start, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
                         until=start.replace(year=2027), overdue_after=timedelta(hours=18)),
            CareSchedule("monthly-inspection", start, "FREQ=MONTHLY;BYMONTHDAY=1",
                         until=start.replace(year=2027), action="inspect"))


SCHEDULES = {m: schedules(m) for m in range(1, 13)}


def customer(i: int, rng: random.Random) -> CareSubject:
    golive = datetime(2025, 1, 1, tzinfo=SH) + timedelta(days=rng.randrange(365))
    free_end = golive + timedelta(days=90)
    annual_end = free_end.replace(year=free_end.year + 1)
    annual = Plan("annual", "annual", free_end, annual_end,
                  grace_days=14, quotas=[Quota("onsite_visit", 3)])
    s = f"c{i}"
    events: list[PlanEvent] = [
        PlanStarted(subject=s, at=golive, event_id="p1",
                    plan=Plan("free", "fixed_term", golive, free_end)),
        PlanStarted(subject=s, at=golive + timedelta(days=60), event_id="p2", plan=annual)]
    if rng.random() < 1 / 3:
        events.append(QuotaConsumed(subject=s, at=free_end + timedelta(days=20),
                                    event_id="q1", quota="onsite_visit"))
    if rng.random() < 0.2:
        lapsed = annual_end + timedelta(days=annual.grace_days + 20)
        events.append(PlanRenewed(subject=s, at=lapsed, event_id="p3"))
    plans = apply_plan_events("acme", s, events)
    care = CareState("acme", s, SCHEDULES[golive.month])
    return CareSubject(CN, plans, RULES, care)


class _Clock:
    """Wall and CPU time of consecutive steps, as Markdown table rows."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[str] = []
        self._start()

    def _start(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def step(self, label: str) -> None:
        w, c = time.perf_counter() - self.wall, time.process_time() - self.cpu
        self.rows.append(f"| {label} | {w:.1f} | {c:.1f} | {c / self.n * 1e6:.0f} |")
        self._start()


def main(n: int) -> None:
    rng = random.Random(7)
    clock = _Clock(n)
    subjects = [customer(i, rng) for i in range(n)]
    clock.step("build and fold plan events")
    now = datetime(2026, 2, 10, 12, tzinfo=SH)
    since = now - timedelta(days=7)
    wakes = [s.next_wake_at(now) for s in subjects]
    clock.step("next_wake_at(now)")
    due = sum(len(s.due(now, since=since)) for s in subjects)
    clock.step("due(now, since=a week ago)")
    print(f"{n:,} customers; wake-ups found: {sum(w is not None for w in wakes):,}; "
          f"decisions due in the last week: {due:,}\n")
    print("| step | wall s | CPU s | CPU us/customer |\n| --- | ---: | ---: | ---: |")
    print("\n".join(clock.rows))
    subjects.clear()
    rng = random.Random(7)
    tracemalloc.start()
    kept = [customer(i, rng) for i in range(n)]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nmemory of {len(kept):,} customers' states: {peak / 2**20:.1f} MiB peak traced, "
          f"{peak / n / 1024:.2f} KiB/customer")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="5,000 customers")
    args, _ = parser.parse_known_args()
    main(5_000 if args.quick else args.customers)
