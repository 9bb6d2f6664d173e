"""The reports API over the per-ticket output of the full UCI replay: time and memory.

Usage: ``python benchmarks/bench_reports.py [--quick] [--log PATH]``. The full UCI log is
read from ``shared/data`` beside the project (or ``--log``; the bundled 600-incident sample
when neither is there) and replayed once into a JSON Lines file of per-ticket records (the
``slakit replay --out`` lines). The measurement then streams that file: each line is parsed
(``json.loads``), read (``TicketOutcome.from_record``) and added to a ``ReportBuilder``;
``build()`` gives the report. Times are the best of three runs, as wall time and as the
process's CPU time (``time.process_time``), which a machine shared with other work
inflates less; the load average is printed with them.

Memory: the same fold over the first quarter, half and all of the tickets under
``tracemalloc`` (peak of Python allocations during the fold), with exact medians (memory
follows the distinct durations of each group) and with ``precision=0.005`` (logarithmic
bins: medians and p90s within 0.5 %, memory flat in tickets).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

from slakit.cli._run import Source, run_replay
from slakit.reports import ReportBuilder, TicketOutcome

ROOT = Path(__file__).resolve().parent.parent
SHARED = [p / "shared" / "data" / "uci_incident_event_log" / "incident_event_log.csv.gz"
          for p in (ROOT.parent, ROOT.parent.parent)]
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"
LADDER = ("critical", "high", "moderate", "low")
METRICS = ("resolution", "to_closure")
GROUPINGS = (("priority",), ("period",), ("priority", "period"), ("category",), ("group",))


def replay_to(path: Path, log: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        def write(record: dict[str, object]) -> None:
            nonlocal count
            out.write(json.dumps(record) + "\n")
            count += 1
        run_replay(Source.open(log, None, "uci", "UTC"), POLICY,
                   datetime(2017, 3, 1, tzinfo=timezone.utc), on_record=write)
    return count


def fold(path: Path, by: tuple[str, ...], limit: int | None = None,
         precision: float | None = None) -> int:
    builder = ReportBuilder("UTC", by=by, metrics=METRICS, priorities=LADDER, precision=precision)
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            builder.add(TicketOutcome.from_record(json.loads(line)))
    return len(builder.build().rows)


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    log = Path(argv[argv.index("--log") + 1]) if "--log" in argv else next(
        (p for p in SHARED if p.exists()), SAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "tickets.jsonl"
        tickets = replay_to(lines, log)
        print(f"per-ticket records: {tickets:,} from {log.name} "
              f"({lines.stat().st_size / 1e6:.1f} MB of JSON Lines)\n")
        print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
        print("| grouping | rows | wall, best of 3 (s) | CPU, best of 3 (s) | tickets/s (CPU) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for by in GROUPINGS[:1] if quick else GROUPINGS:
            wall = cpu = float("inf")
            for _ in range(1 if quick else 3):
                began, began_cpu = time.perf_counter(), time.process_time()
                rows = fold(lines, by)
                wall = min(wall, time.perf_counter() - began)
                cpu = min(cpu, time.process_time() - began_cpu)
            print(f"| {', '.join(by)} | {rows} | {wall:.2f} | {cpu:.2f} | {tickets / cpu:,.0f} |")
        print("\n| tickets folded (by priority, period) | peak traced memory, exact (MB) "
              "| peak traced memory, precision 0.005 (MB) |")
        print("| ---: | ---: | ---: |")
        for share in (4, 2, 1):
            n = tickets // share
            peaks = []
            for precision in (None, 0.005):
                tracemalloc.start()
                fold(lines, ("priority", "period"), n, precision)
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
            print(f"| {n:,} | {peaks[0] / 1e6:.2f} | {peaks[1] / 1e6:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
