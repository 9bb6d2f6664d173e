"""SQLiteStore: does one more append cost more when the ticket already has many events?

Run: .venv/bin/python benchmarks/bench_store_growth.py [--quick] [--sizes 1000,40000]

For each size N, one ticket gets N events (in batches of 1,000), then single-event appends
are timed three ways:

- ``one writer``: the same store object appends again and again (its state cache is warm);
- ``two writers``: two store objects on the file take turns, so each append finds the
  ticket changed by the other (the state must be brought up to date first);
- ``fresh object``: a new store object per append (nothing cached: the snapshot is read).

Also printed: the size of the ticket's snapshot row. Figures are medians of ms per append
(wall time, garbage collection paused); issue #12 reported 26 ms per append at 40,000 events.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slakit.storage import SQLiteStore
from slakit.workflow import AgentReplied, Event, TicketOpened

T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)


def reply(n: int) -> AgentReplied:
    return AgentReplied(ticket="T-1", at=T0 + timedelta(seconds=n), event_id=f"reply-{n:07d}")


def fill(path: Path, size: int) -> None:
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [TicketOpened(
            ticket="T-1", at=T0, event_id="open", priority="normal", category=None,
            channel="email", customer="c-1", customer_tier=None)], expected_version=0)
        version = 1
        while version < size:
            batch: list[Event] = [reply(n) for n in range(version, min(size, version + 1000))]
            version = store.append("shop", "T-1", batch, expected_version=version).version


def timed(run: int, step: object) -> float:
    start = time.perf_counter()
    step()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def measure(directory: Path, size: int, appends: int) -> dict[str, float | int]:
    path = directory / f"growth-{size}.db"
    fill(path, size)
    results: dict[str, float | int] = {}
    gc.disable()
    try:
        with SQLiteStore(path) as a, SQLiteStore(path) as b:
            version = a.load_state("shop", "T-1").version  # type: ignore[union-attr]
            n = size

            def one_writer() -> None:
                nonlocal version, n
                version = a.append("shop", "T-1", [reply(n)], expected_version=version).version
                n += 1

            a.append("shop", "T-1", [reply(n)], expected_version=version)  # warm the cache
            version, n = version + 1, n + 1
            results["one writer"] = statistics.median(
                timed(i, one_writer) for i in range(appends))

            writers = (a, b)

            def two_writers() -> None:
                nonlocal version, n
                store = writers[n % 2]
                version = store.append("shop", "T-1", [reply(n)],
                                       expected_version=version).version
                n += 1

            results["two writers"] = statistics.median(
                timed(i, two_writers) for i in range(appends))

        def fresh_object() -> None:
            nonlocal version, n
            with SQLiteStore(path) as store:
                version = store.append("shop", "T-1", [reply(n)],
                                       expected_version=version).version
            n += 1

        results["fresh object"] = statistics.median(
            timed(i, fresh_object) for i in range(max(5, appends // 10)))
    finally:
        gc.enable()
    db = sqlite3.connect(path)
    results["snapshot bytes"] = db.execute(
        "SELECT length(snapshot) FROM tickets WHERE ticket = 'T-1'").fetchone()[0]
    db.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    parser.add_argument("--sizes", default="1000,40000", help="ticket sizes, comma-separated")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    appends = 20 if args.quick else 200
    print(f"| events in ticket | one writer ms/append | two writers ms/append "
          f"| fresh object ms/append | snapshot bytes |  ({appends} appends each)")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = measure(Path(tmp), size, appends)
            print(f"| {size:,} | {r['one writer']:.3f} | {r['two writers']:.3f} "
                  f"| {r['fresh object']:.3f} | {r['snapshot bytes']:,} |")


if __name__ == "__main__":
    main()
