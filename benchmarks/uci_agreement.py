"""How often slakit's breach flag agrees with the UCI desk's own ``made_sla`` outcome.

Usage: ``python benchmarks/uci_agreement.py [LOG]`` (default: the full log in
``../shared/data``, else the bundled sample). The log's SLA targets are not in the data: the
policy ``examples/policies/uci_weekdays.toml`` measures opened -> closed on weekdays with
targets fitted to the log (see docs/cli.md). Only the value of ``made_sla`` on an incident's
last row is its outcome (earlier rows hold intermediate values).
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from slakit.cli._run import Source, run_replay

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "uci_incident_event_log" / "incident_event_log.csv.gz"
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"


def final_made_sla(log: Path) -> dict[str, bool]:
    """The last row's ``made_sla`` of every incident."""
    outcome: dict[str, bool] = {}
    with gzip.open(log, "rt", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            outcome[row["number"]] = row["made_sla"] == "true"
    return outcome


def agreement(log: Path) -> dict[str, tuple[int, int]]:
    """Per priority: (incidents compared, incidents where slakit agrees with the desk)."""
    desk = final_made_sla(log)
    records: list[dict[str, Any]] = []
    source = Source.open(log, None, "uci", "UTC")
    run_replay(source, POLICY, datetime(2017, 3, 1, tzinfo=timezone.utc), on_record=records.append)
    total: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    for r in records:
        met = r["metrics"]["to_closure"][-1]["state"] == "met"
        total[r["priority"]] += 1
        agree[r["priority"]] += met == desk[r["ticket"]]
    return {p: (total[p], agree[p]) for p in sorted(total)}


def main(argv: list[str]) -> None:
    log = Path(argv[0]) if argv else (SHARED if SHARED.exists() else SAMPLE)
    print(f"log: {log}\n\n| priority | incidents | agree | agreement |\n|---|---:|---:|---:|")
    for priority, (n, ok) in agreement(log).items():
        print(f"| {priority} | {n:,} | {ok:,} | {ok / n:.2%} |")


if __name__ == "__main__":
    main(sys.argv[1:])
