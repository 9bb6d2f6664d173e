"""Run the same benchmark scripts from several checkouts, alternating, to compare code versions.

Usage: ``python benchmarks/alternate.py OUT_DIR ROUNDS TREE [TREE ...]``. Each round runs,
for every script below, each tree's own copy of it with that tree's ``src`` first on the
path (tree after tree, so a burst of load from other processes hits every version alike).
Each run's output goes to ``OUT_DIR/<script>.<tree name>.<round>.txt``; the load average is
printed before and after every round. Compare the best figure of each version over the
rounds (the scripts themselves already keep the best of several repeats).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = (
    ("bench_calendar.py", ["--quick"]),
    ("bench_workflow.py", ["--quick"]),
    ("bench_sla.py", ["1000"]),
    ("bench_triage.py", ["--quick"]),
    ("bench_replay.py", ["--quick"]),
)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    out, rounds, trees = Path(argv[0]), int(argv[1]), [Path(t).resolve() for t in argv[2:]]
    out.mkdir(parents=True, exist_ok=True)
    for r in range(rounds):
        print(f"round {r}: load average {os.getloadavg()}", flush=True)
        for script, args in SCRIPTS:
            for tree in trees:
                env = {**os.environ, "PYTHONPATH": str(tree / "src")}
                began = time.perf_counter()
                with (out / f"{script}.{tree.name}.{r}.txt").open("w") as f:
                    code = subprocess.call([sys.executable, f"benchmarks/{script}", *args],
                                           cwd=tree, env=env, stdout=f, stderr=subprocess.STDOUT)
                print(f"  {script} {tree.name}: exit {code}, "
                      f"{time.perf_counter() - began:.1f} s", flush=True)
    print(f"end: load average {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
