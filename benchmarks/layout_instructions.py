"""Machine instructions per event of the SLA host pattern, for bisecting on a shared machine.

CPU time on a machine shared by several busy processes moves by 10-25% between runs (caches
and cores are shared too), which hides a few percent. The number of instructions executed is
the same on every run, whatever the load, so it tells two versions apart exactly (it leaves
out cache misses, which make an instruction cost more or less, so check a result with
``layout_cpu.py``'s CPU time too). Run under valgrind, counting only inside the timed part:

```sh
PYTHONHASHSEED=0 PYTHONPATH=TREE/src valgrind --tool=callgrind --collect-atstart=no \\
    --toggle-collect=functools_reduce --callgrind-out-file=OUT \\
    python benchmarks/layout_instructions.py TREE 100 2 host
grep -E '^(summary|totals):' OUT   # instructions; divide by the events printed
```

Arguments: the checkout (for its ``examples/sla_policies.toml``), tickets, repeats and the
row: ``host`` (the host pattern of ``layout_cpu.py``), ``facts`` (the same with
``facts_changed`` events), ``advance`` (workflow fold and ``SlaEngine.advance`` only) or
``fold`` (the workflow fold only). The measured runs are the only code run through
``functools.reduce``, so ``--toggle-collect`` counts them and nothing else; a run of the
host pattern and one of the row before them warm the calendars' caches. Prints the number
of events measured.
"""

from __future__ import annotations

import functools
import random
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from host_pattern import run_host_pattern
from layout_cpu import _generator  # this directory's generator, as layout_cpu.py uses


def main(argv: list[str]) -> None:
    tree = Path(argv[0]).resolve()
    tickets, repeats, row = int(argv[1]), int(argv[2]), argv[3]
    bench = _generator(tree)
    from slakit.policies import load_policies
    from slakit.sla import SlaEngine
    from slakit.workflow import apply

    rng = random.Random(7)
    streams: list[list[Any]] = [bench.ticket_events(rng, i) for i in range(tickets)]
    if row == "facts":
        streams = [bench.with_facts(rng, s) for s in streams]
    with (tree / "examples" / "sla_policies.toml").open("rb") as f:
        engine = SlaEngine(load_policies(tomllib.load(f)))

    def host() -> None:
        run_host_pattern(engine, streams)

    def advance() -> None:
        for evs in streams:
            st = sla = None
            for e in evs:
                st = apply(st, e)
                sla = engine.advance(sla, e, st)

    def fold() -> None:
        for evs in streams:
            st = None
            for e in evs:
                st = apply(st, e)

    runs: dict[str, Callable[[], None]] = {
        "host": host, "facts": host, "advance": advance, "fold": fold}
    run = runs[row]
    host()  # warm the calendars' caches (as the bisection of docs/performance.md did)
    run()
    functools.reduce(lambda _, __: run(), range(repeats), None)
    print(sum(len(s) for s in streams) * repeats)


if __name__ == "__main__":
    main(sys.argv[1:])
