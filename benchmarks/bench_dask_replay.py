"""The Dask replay against the plain one on the UCI log: wall time, CPU and driver memory.

Usage: ``python benchmarks/bench_dask_replay.py plain|N [LOG]`` with N the number of Dask
workers (default log: the full UCI log in ``../shared/data``, else the bundled sample).
Run each mode in its own process: the driver's peak RSS is the process's. Prints one line.
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from slakit.cli import Source, run_replay

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "uci_incident_event_log" / "incident_event_log.csv.gz"
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"
NOW = datetime(2017, 3, 1, tzinfo=timezone.utc)


def main(mode: str, log: Path) -> str:
    """Replay ``log`` plainly or with ``mode`` Dask workers; the measured line."""
    source = Source.open(log, None, "uci", "UTC")
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "plain":
        report = run_replay(source, POLICY, NOW)
    else:
        from slakit.cli.dask_replay import replay_with_dask

        report = replay_with_dask(source, POLICY, NOW, workers=int(mode))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    t = report["tickets"]
    return (f"{mode}: wall {time.perf_counter() - wall:.1f} s, driver cpu "
            f"{time.process_time() - cpu:.1f} s, workers cpu "
            f"{children.ru_utime + children.ru_stime:.1f} s, driver peak {peak_mb} MB, "
            f"{t['replayed']} replayed, {t['rejected']} rejected")


if __name__ == "__main__":
    chosen = Path(sys.argv[2]) if len(sys.argv) > 2 else SHARED if SHARED.exists() else SAMPLE
    print(main(sys.argv[1] if len(sys.argv) > 1 else "plain", chosen))
