"""Machine instructions per event of ``Desk.record`` and per escalation of ``Desk.wake``.

The desk's per-CPU-second figures (``bench_desk.py``) move by up to 50% between runs of the
same code on a shared machine. The number of instructions executed in the process, SQLite's
own included (it runs in-process), is the same on every run, so it tells two versions of the
desk and the store apart exactly. It leaves out the kernel's share (the WAL writes and file
locks of each commit) and cache misses, so check a result with ``bench_desk.py`` too. Run
under valgrind, counting only inside the measured part:

```sh
PYTHONHASHSEED=0 PYTHONPATH=TREE/src valgrind --tool=callgrind --collect-atstart=no \\
    --toggle-collect=functools_reduce --callgrind-out-file=OUT \\
    python benchmarks/desk_instructions.py record 300
grep -E '^(summary|totals):' OUT   # instructions; divide by the count printed
```

Rows: ``record`` (tickets x 8 events, one event per call, as ``bench_desk.py``'s record row)
and ``wake`` (tickets opened and left alone, four escalations each, one worker draining
them with ``limit=100``, cold desk cache). The measured run is the only code run through
``functools.reduce``; the store is a SQLite file (``synchronous=NORMAL``) in a temporary
directory. Prints the number of events (or escalations) measured.
"""

from __future__ import annotations

import functools
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_desk import POLICIES, T0, history, seed

from slakit.desk import Desk
from slakit.storage import SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW


def record(path: Path, tickets: int) -> int:
    streams = [history(f"T-{t}", 8) for t in range(tickets)]
    with SQLiteStore(path, synchronous="NORMAL") as store:
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, store)

        def run() -> None:
            for i in range(8):
                for events in streams:
                    desk.record("shop", [events[i]], events[i].at)

        functools.reduce(lambda _, __: run(), range(1), None)
    return tickets * 8


def wake(path: Path, tickets: int) -> int:
    seed(path, tickets)
    with SQLiteStore(path, synchronous="NORMAL") as store:
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, store)
        fired: list[int] = []

        def run() -> None:
            while report := desk.wake(T0 + timedelta(hours=2), limit=100):
                if report.claimed == 0:
                    break
                fired.append(len(report.decisions))

        functools.reduce(lambda _, __: run(), range(1), None)
    assert sum(fired) == 4 * tickets, sum(fired)
    return sum(fired)


def main(argv: list[str]) -> None:
    row, tickets = argv[0], int(argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        print({"record": record, "wake": wake}[row](Path(tmp) / "desk.db", tickets))


if __name__ == "__main__":
    main(sys.argv[1:])
