"""The desk loop on SQLite (synchronous=NORMAL, WAL): record and wake throughput.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_desk.py [tickets]``. Policy: first
response 30 min and resolution 4 h on 24x7, a reminder at half and a three-level breach
ladder (four escalations per late ticket), as in tests/desk. Rows:

1. ``record``: one event per call (open, then customer and agent replies every few minutes),
   including the fold, the SLA clocks, the due escalations, the next wake-up and the
   append, each its own transaction; ``now`` is the event's time.
2. ``wake``: tickets opened and left alone, every rung due; 1, 2 and 4 worker processes run
   ``wake(limit=100)`` until nothing is left (each claimed batch one transaction);
   escalations recorded per second, without a notifier (recording only) and with one
   (recording, outbox and delivery, one small transaction per delivery).
3. ``wake`` on :class:`~slakit.storage.SQLAlchemyStore` over a SQLite file (one worker, in
   process, recording only): the price of going through SQLAlchemy Core instead of sqlite3.
4. memory: the peak RSS of a process recording into a store that already holds many
   tickets, for two store sizes (flat: the desk's cache is bounded, the store is on disk).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from slakit import AlwaysOpen
from slakit.desk import Decision, Desk
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    at_fraction,
    breach_ladder,
    notify,
)
from slakit.storage import SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW, AgentReplied, CustomerReplied, Event, TicketOpened

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)
C247 = NamedCalendar("24x7", AlwaysOpen("UTC"))
POLICIES = PolicySet([], fallback=SlaPolicy(
    "chat", "1",
    targets=[MetricTarget("first_response", "urgent", timedelta(minutes=30), C247),
             MetricTarget("resolution", "urgent", timedelta(hours=4), C247)],
    escalations=[
        EscalationRule("half", "first_response", at_fraction(0.5), [notify("team_lead")]),
        *breach_ladder("late", "first_response", [
            (timedelta(0), [notify("duty_manager")]),
            (timedelta(minutes=30), [notify("head_of_support")]),
            (timedelta(minutes=60), [notify("director")])])]),
    priorities=("urgent",))


class Counting:
    def __init__(self) -> None:
        self.count = 0

    def deliver(self, decision: Decision) -> None:
        self.count += 1


def opened(ticket: str) -> TicketOpened:
    return TicketOpened(ticket=ticket, at=T0, event_id="open", priority="urgent",
                        category=None, channel="chat", customer="c", customer_tier=None)


def history(ticket: str, length: int) -> list[Event]:
    events: list[Event] = [opened(ticket)]
    for i in range(1, length):
        at = T0 + timedelta(minutes=3 * i)
        cls = CustomerReplied if i % 2 else AgentReplied
        events.append(cls(ticket=ticket, at=at, event_id=f"e{i}"))
    return events


def bench_record(path: Path, tickets: int, length: int = 8) -> tuple[float, float]:
    """(events per wall second, events per CPU second of this process)."""
    with SQLiteStore(path, synchronous="NORMAL") as store:
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, store)
        streams = [history(f"T-{t}", length) for t in range(tickets)]
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(length):  # interleaved: ticket after ticket, as a desk receives them
            for events in streams:
                event = events[i]
                desk.record("shop", [event], event.at)
        n = tickets * length
        return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def seed(path: Path, tickets: int) -> None:
    with SQLiteStore(path, synchronous="NORMAL") as store:
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, store)
        for t in range(tickets):
            desk.record(f"shop-{t % 4}", [opened(f"T-{t}")], T0)


def _worker(path: str, notify: bool, start_at: float, cpu: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    with SQLiteStore(path, synchronous="NORMAL", timeout=60) as store:
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, store, Counting() if notify else None)
        while time.time() < start_at:
            time.sleep(0.001)
        began = time.process_time()
        while True:
            report = desk.wake(T0 + timedelta(hours=2), limit=100)
            if report.claimed == 0 and report.delivered == 0:
                cpu.put(time.process_time() - began)
                return


def bench_wake(path: Path, tickets: int, workers: int, notify: bool) -> tuple[float, float]:
    """(escalations per wall second, per CPU second summed over the workers)."""
    seed(path, tickets)
    ctx = multiprocessing.get_context("fork")
    cpu: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    start_at = time.time() + 0.5
    procs = [ctx.Process(target=_worker, args=(str(path), notify, start_at, cpu))
             for _ in range(workers)]
    for p in procs:
        p.start()
    cpu_seconds = sum(cpu.get() for _ in procs)
    for p in procs:
        p.join()
    elapsed = time.time() - start_at
    with SQLiteStore(path) as store:
        n = sum(1 for t in range(tickets) for e in store.load_events(f"shop-{t % 4}", f"T-{t}")
                if e.event_type == "escalated")
    assert n == 4 * tickets, n
    return n / elapsed, n / cpu_seconds


def bench_wake_sqlalchemy(path: Path, tickets: int) -> tuple[float, float]:
    """(escalations per wall second, per CPU second): SQLAlchemyStore on SQLite, one worker."""
    from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata, sqlite_engine

    engine = sqlite_engine(f"sqlite:///{path}")
    try:
        sqlalchemy_metadata.create_all(engine)
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, SQLAlchemyStore(engine))
        for t in range(tickets):
            desk.record(f"shop-{t % 4}", [opened(f"T-{t}")], T0)
        worker = Desk(DEFAULT_WORKFLOW, POLICIES, SQLAlchemyStore(engine))  # a cold cache
        start, cpu, n = time.perf_counter(), time.process_time(), 0
        while report := worker.wake(T0 + timedelta(hours=2), limit=100):
            if report.claimed == 0:
                break
            n += len(report.decisions)
        assert n == 4 * tickets, n
        return n / (time.perf_counter() - start), n / (time.process_time() - cpu)
    finally:
        engine.dispose()


def _peak_rss(path: str, stored: int, recorded: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    with SQLiteStore(path, synchronous="NORMAL") as store:
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, store)
        for t in range(recorded):
            desk.record("shop", [opened(f"N-{stored}-{t}")], T0)
    out.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def bench_memory(path: Path, stored: int, recorded: int = 3_000) -> int:
    seed(path, stored)
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    p = ctx.Process(target=_peak_rss, args=(str(path), stored, recorded, queue))
    p.start()
    rss = int(queue.get())
    p.join()
    return rss


def targets_only(tickets: int) -> None:
    """``--targets``: the two rows the issue sets targets for, one run each (for alternating
    runs of two checkouts: ``PYTHONPATH=TREE/src python benchmarks/bench_desk.py N --targets``)."""
    with tempfile.TemporaryDirectory() as tmp:
        _, record = bench_record(Path(tmp) / "record.db", tickets)
        _, wake = bench_wake(Path(tmp) / "wake.db", tickets, 1, False)
    print(f"record {record:,.0f} events per CPU second; wake (1 worker) {wake:,.0f} "
          f"escalations per CPU second")


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    if "--targets" in sys.argv[2:]:
        targets_only(tickets)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wall, cpu = max(bench_record(work / f"record{i}.db", tickets // 2) for i in range(3))
        print(f"record, one event per call (SQLite NORMAL): {wall:7,.0f} events/s wall, "
              f"{cpu:7,.0f} per CPU second")
        for notify_ in (False, True):
            what = "with notifier" if notify_ else "recording only"
            for workers in (1, 2, 4):
                wall, cpu = bench_wake(work / f"wake-{notify_}-{workers}.db", tickets, workers,
                                       notify_)
                print(f"wake, {workers} worker(s), {what:<15} {wall:7,.0f} escalations/s wall, "
                      f"{cpu:7,.0f} per CPU second")
        wall, cpu = bench_wake_sqlalchemy(work / "wake-sqlalchemy.db", tickets)
        print(f"wake, 1 worker, SQLAlchemyStore on SQLite, recording only {wall:7,.0f} "
              f"escalations/s wall, {cpu:7,.0f} per CPU second")
        for stored in (tickets, 10 * tickets):
            rss = bench_memory(work / f"mem-{stored}.db", stored)
            print(f"peak RSS recording 3,000 tickets into a store of {stored:>7,}: "
                  f"{rss / 1024:6.1f} MiB")
    print(f"(cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
