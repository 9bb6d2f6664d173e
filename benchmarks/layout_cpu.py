"""CPU time of the workflow fold and the SLA host pattern, for comparing two checkouts.

Usage: ``PYTHONPATH=TREE/src python benchmarks/layout_cpu.py TREE [TICKETS] [REPEATS]``.
Builds ``TICKETS`` ticket lives with this directory's ``bench_sla.py`` generator (the same
events for every version; a checkout too old for ``facts_changed`` falls back to its own
``TREE/benchmarks/bench_sla.py``, whose ``ticket_events`` is unchanged) and prints, per row,
the best CPU time (``time.process_time``, which leaves out the time other processes held the
CPU) per event over ``REPEATS`` runs. Rows: the workflow fold, the SLA host pattern and, when
the checkout knows ``facts_changed`` events, the host pattern with them in the stream
(``bench_sla.with_facts``). Used by the "layout round" section of docs/performance.md;
``benchmarks/bisect_cpu.py`` runs it over several checkouts, alternating.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from host_pattern import run_host_pattern  # this directory's, as for the generator

HERE = Path(__file__).resolve().parent


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_sla", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generator(tree: Path) -> ModuleType:
    """This directory's bench_sla (facts rows), else the tree's own (an older slakit)."""
    try:
        return _load(HERE / "bench_sla.py")
    except ImportError:
        return _load(tree / "benchmarks" / "bench_sla.py")


def main(argv: list[str]) -> None:
    tree = Path(argv[0]).resolve()
    tickets = int(argv[1]) if len(argv) > 1 else 500
    repeats = int(argv[2]) if len(argv) > 2 else 7
    bench = _generator(tree)
    from slakit.policies import load_policies
    from slakit.sla import SlaEngine
    from slakit.workflow import apply

    rng = random.Random(7)
    streams = [bench.ticket_events(rng, i) for i in range(tickets)]
    total = sum(len(s) for s in streams)
    facts: list[list[Any]] = []
    if hasattr(bench, "with_facts"):
        facts = [bench.with_facts(rng, s) for s in streams]
    with (tree / "examples" / "sla_policies.toml").open("rb") as f:
        engine = SlaEngine(load_policies(tomllib.load(f)))

    def fold() -> None:
        for evs in streams:
            st = None
            for e in evs:
                st = apply(st, e)

    def host(tickets: list[list[Any]] = streams) -> None:
        run_host_pattern(engine, tickets)

    host()  # warm the calendars' caches
    rows: list[tuple[str, int, Callable[[], None]]] = [
        ("workflow fold", total, fold), ("SLA host pattern", total, host)]
    if facts:
        host(facts)
        rows.append(("host pattern with facts_changed", sum(len(s) for s in facts),
                     lambda: host(facts)))
    for label, events, run in rows:
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        print(f"{label}: {best * 1e6 / events:.2f} us/event CPU ({events} events)")


if __name__ == "__main__":
    main(sys.argv[1:])
