"""Workflow and storage throughput: fold, JSON codec, SQLite appends.

Run: .venv/bin/python benchmarks/bench_workflow.py [--quick]

Targets (issue 3): fold >= 300,000 events/s; SQLite >= 5,000 single-event transactions/s and
>= 100,000 events/s in batches.

Measured 2026-11-22 on the 2-cpu build VM while other jobs ran (load average ~3, so roughly
half speed): fold 407,000-603,000 events/s; event_to_json ~380,000/s; SQLite (NORMAL)
3,400-4,700 single-event transactions/s and 39,000-61,000 events/s in batches of 100; with
synchronous=FULL the disk's fsync rate bounds single transactions (~250/s here). Timing one
single-event append: ~170 of ~260 us is SQLite's COMMIT (writing the WAL), ~90 us Python.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from slakit.storage import SQLiteStore
from slakit.workflow import (
    AgentReplied,
    CustomerReplied,
    Event,
    PriorityChanged,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketClosed,
    TicketOpened,
    TicketRated,
    TicketResolved,
    apply,
    event_from_json,
    event_to_json,
)

T0 = datetime(2025, 1, 6, 9, tzinfo=UTC)


def ticket_life(i: int) -> list[Event]:
    """A typical 11-event ticket life."""
    t = f"T-{i}"

    def at(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    return [
        TicketOpened(ticket=t, at=at(0), event_id="0", priority="high", category="delivery",
                     channel="email", customer="c", customer_tier="gold"),
        TicketAssigned(ticket=t, at=at(1), event_id="1", assignee="ana", group="returns"),
        AgentReplied(ticket=t, at=at(2), event_id="2"),
        StageChanged(ticket=t, at=at(3), event_id="3", stage="investigating"),
        StatusChanged(ticket=t, at=at(4), event_id="4", to="waiting_on_customer"),
        CustomerReplied(ticket=t, at=at(5), event_id="5"),
        StageChanged(ticket=t, at=at(6), event_id="6", stage="fixing"),
        PriorityChanged(ticket=t, at=at(7), event_id="7", priority="low"),
        TicketResolved(ticket=t, at=at(8), event_id="8"),
        TicketClosed(ticket=t, at=at(9), event_id="9", auto=True),
        TicketRated(ticket=t, at=at(10), event_id="10", response_speed=5, resolution=4,
                    attitude=5),
    ]


def best_rate(count: int, run: Callable[[], None], repeat: int = 5) -> float:
    """Best of `repeat` runs, in items per second."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def bench_fold(lives: list[list[Event]]) -> float:
    def run() -> None:
        for events in lives:
            state = None
            for event in events:
                state = apply(state, event)

    return best_rate(sum(map(len, lives)), run)


def bench_evolve_reference(lives: list[list[Event]]) -> float:
    """attrs.evolve on the same states, to show why the fold copies __dict__ instead."""
    state = None
    for event in lives[0]:
        state = apply(state, event)
    assert state is not None
    n = 20_000

    def run() -> None:
        for i in range(n):
            attrs.evolve(state, version=i)

    return best_rate(n, run)


def bench_json(lives: list[list[Event]]) -> tuple[float, float]:
    events = [e for life in lives for e in life]
    texts = [event_to_json(e) for e in events]

    def encode() -> None:
        for e in events:
            event_to_json(e)

    def decode() -> None:
        for text in texts:
            event_from_json(text)

    return best_rate(len(events), encode, 3), best_rate(len(texts), decode, 3)


def bench_sqlite_single(directory: Path, tickets: int, synchronous: str) -> float:
    """Single-event transactions: open `tickets` tickets, then one reply each, one by one."""
    path = directory / f"single-{synchronous}.db"
    with SQLiteStore(path, synchronous=synchronous) as store:  # type: ignore[arg-type]
        opened = [ticket_life(i)[0] for i in range(tickets)]
        replies = [ticket_life(i)[2] for i in range(tickets)]
        start = time.perf_counter()
        for event in opened:
            store.append("shop", event.ticket, [event], expected_version=0)
        for event in replies:
            store.append("shop", event.ticket, [event], expected_version=1)
        elapsed = time.perf_counter() - start
    return 2 * tickets / elapsed


def bench_sqlite_batches(directory: Path, tickets: int, size: int, synchronous: str) -> float:
    """Each transaction appends a whole ticket: opened + (size - 1) replies."""
    path = directory / f"batch-{synchronous}.db"
    batches: list[list[Event]] = []
    for i in range(tickets):
        life: list[Event] = [ticket_life(i)[0]]
        life += [
            AgentReplied(ticket=f"T-{i}", at=T0 + timedelta(seconds=k), event_id=f"r{k}")
            for k in range(1, size)
        ]
        batches.append(life)
    with SQLiteStore(path, synchronous=synchronous) as store:  # type: ignore[arg-type]
        start = time.perf_counter()
        for batch in batches:
            store.append("shop", batch[0].ticket, batch, expected_version=0)
        elapsed = time.perf_counter() - start
    return tickets * size / elapsed


def main() -> None:
    quick = "--quick" in sys.argv
    lives = [ticket_life(i) for i in range(500 if quick else 5_000)]
    rows: list[tuple[str, float, str]] = []
    rows.append(("fold: apply (11-event ticket lives)", bench_fold(lives), ">= 300,000 events/s"))
    rows.append(("reference: attrs.evolve of a state", bench_evolve_reference(lives), ""))
    encode, decode = bench_json(lives[:2_000])
    rows.append(("JSON: event_to_json", encode, ""))
    rows.append(("JSON: event_from_json", decode, ""))
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        n = 500 if quick else 3_000
        for sync in ("FULL", "NORMAL"):
            rows.append((f"SQLite single-event transactions ({sync})",
                         bench_sqlite_single(directory, n, sync), ">= 5,000 tx/s"))
        for sync in ("FULL", "NORMAL"):
            rows.append((f"SQLite batches of 100 events ({sync})",
                         bench_sqlite_batches(directory, 50 if quick else 300, 100, sync),
                         ">= 100,000 events/s"))

    print("# slakit workflow benchmark")
    print(f"# command: {sys.executable} {' '.join(sys.argv)}")
    print(f"# python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
          f"{platform.machine()}, {os.cpu_count()} cpus, {platform.platform()}")
    print(f"# {datetime.now(UTC).isoformat(timespec='seconds')}")  # report stamp only
    print()
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'per second':>12}  target")
    for name, rate, target in rows:
        print(f"{name.ljust(width)}  {rate:12,.0f}  {target}")


if __name__ == "__main__":
    main()
