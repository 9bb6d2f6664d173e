"""CPU time of the workflow fold and the SLA host pattern, for comparing two checkouts.

Usage: ``PYTHONPATH=TREE/src python benchmarks/layout_cpu.py TREE [TICKETS] [REPEATS]``.
Builds ``TICKETS`` ticket lives with ``TREE/benchmarks/bench_sla.py``'s generator (so both
versions fold the same events) and prints, per row, the best CPU time
(``time.process_time``, which leaves out the time other processes held the CPU) per event
over ``REPEATS`` runs. Used by the "layout round" section of docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path


def main(argv: list[str]) -> None:
    tree = Path(argv[0]).resolve()
    tickets = int(argv[1]) if len(argv) > 1 else 500
    repeats = int(argv[2]) if len(argv) > 2 else 7
    spec = importlib.util.spec_from_file_location("bench_sla", tree / "benchmarks" / "bench_sla.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from slakit.policies import load_policies
    from slakit.sla import SlaEngine, due_escalations, next_wake_at
    from slakit.workflow import apply

    rng = random.Random(7)
    streams = [bench.ticket_events(rng, i) for i in range(tickets)]
    total = sum(len(s) for s in streams)
    with (tree / "examples" / "sla_policies.toml").open("rb") as f:
        engine = SlaEngine(load_policies(tomllib.load(f)))

    def fold() -> None:
        for evs in streams:
            st = None
            for e in evs:
                st = apply(st, e)

    def host() -> None:
        for evs in streams:
            st = sla = None
            wake: datetime | None = None
            collected: datetime | None = None
            for e in evs:
                if sla is not None and wake is not None and wake <= e.at:
                    due_escalations(sla, wake, since=collected)
                    collected = wake
                st = apply(st, e)
                sla = engine.advance(sla, e, st)
                wake = next_wake_at(sla, e.at)

    host()  # warm the calendars' caches
    rows: list[tuple[str, Callable[[], None]]] = [("workflow fold", fold), ("SLA host pattern", host)]
    for label, run in rows:
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        print(f"{label}: {best * 1e6 / total:.2f} us/event CPU ({total} events)")


if __name__ == "__main__":
    main(sys.argv[1:])
