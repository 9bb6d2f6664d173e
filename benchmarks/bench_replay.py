"""Replay at scale: the full UCI log, and a 10x synthetic log for time and memory growth.

Usage: ``python benchmarks/bench_replay.py [--quick] [--log PATH]``. The full log is read
from ``../shared/data`` (beside the project) or ``--log``; without it the script says so and
measures the bundled 600-incident sample instead. Each measurement runs the real command
(``python -m slakit replay ...``) in a fresh process, which reports its own wall time and
peak resident memory (``ru_maxrss``), so runs do not share caches or allocations.

The 10x log repeats every incident ten times under new ids (``INC0000045-k3``), so it has
ten times the rows and tickets with the same shape. Memory that follows the log would grow
tenfold; slakit's replay holds one ticket at a time, the distinct durations with their
counts (exact medians and p90s) and an 8-byte hash per ticket seen (to catch an ungrouped
log).
"""

from __future__ import annotations

import csv
import gzip
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "uci_incident_event_log" / "incident_event_log.csv.gz"
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"

_CHILD = """
import resource, sys, time
from slakit.cli import main
began = time.perf_counter()
code = main(sys.argv[1:])
took = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
print(f"@@ {code} {took:.3f} {peak}", file=sys.stderr)
"""


def measure(log: Path, jobs: int = 1) -> tuple[float, float]:
    """Wall seconds and peak MiB of one ``slakit replay`` run in a fresh process."""
    args = ["replay", str(log), "--preset", "uci", "--timezone", "UTC", "--policy", str(POLICY),
            "--now", "2017-03-01T00:00:00+00:00", "--quiet", "--jobs", str(jobs)]
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True,
                          check=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("@@ "))
    _, code, took, peak = line.split()
    assert code == "0", done.stderr
    return float(took), int(peak) / 1024


def tenfold(log: Path, out: Path, copies: int = 10) -> int:
    """Write ``copies`` copies of every incident under new ids; return the row count."""
    rows = 0
    with gzip.open(log, "rt", newline="", encoding="utf-8") as src, \
            gzip.open(out, "wt", newline="", encoding="utf-8", compresslevel=1) as dst:
        reader = csv.reader(src)
        header = next(reader)
        key = header.index("number")
        writer = csv.writer(dst, lineterminator="\n")
        writer.writerow(header)
        ticket: list[list[str]] = []

        def flush() -> int:
            for k in range(copies):
                for row in ticket:
                    copy = list(row)
                    copy[key] = f"{row[key]}-k{k}"
                    writer.writerow(copy)
            return len(ticket) * copies

        for row in reader:
            if ticket and row[key] != ticket[0][key]:
                rows += flush()
                ticket = []
            ticket.append(row)
        rows += flush()
    return rows


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    log = Path(argv[argv.index("--log") + 1]) if "--log" in argv else SHARED
    if not log.exists() or quick:
        print(f"(full log not found at {log} or --quick: measuring the bundled sample)")
        log = SAMPLE
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{__import__('os').cpu_count()} CPUs")
    print("\n| log | rows | jobs | wall s | peak MiB |\n|---|---:|---:|---:|---:|")
    with gzip.open(log, "rt", encoding="utf-8") as f:
        base_rows = sum(1 for _ in f) - 1
    results = {}
    for jobs in (1, 2):
        took, peak = measure(log, jobs)
        results[("1x", jobs)] = (took, peak)
        print(f"| {log.name} | {base_rows:,} | {jobs} | {took:.2f} | {peak:.0f} |", flush=True)
    if not quick:
        with tempfile.TemporaryDirectory() as tmp:
            big = Path(tmp) / "uci_x10.csv.gz"
            rows = tenfold(log, big)
            took, peak = measure(big, 1)
            results[("10x", 1)] = (took, peak)
            print(f"| 10x synthetic | {rows:,} | 1 | {took:.2f} | {peak:.0f} |")
        t1, m1 = results[("1x", 1)]
        t10, m10 = results[("10x", 1)]
        print(f"\n10x log: time x{t10 / t1:.1f}, peak memory x{m10 / m1:.2f}")
    print("\n" + json.dumps({f"{k[0]} jobs={k[1]}": v for k, v in results.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
