"""slakit reproduces a real desk's SLA outcomes: the UCI log's own made_sla flag.

Over the bundled 600-incident sample, under the documented "weekdays, measured opened ->
closed" policy, the breach flag agrees with the desk's final made_sla on 494 of 497 moderate
and all 62 low incidents (the full log: see docs/cli.md and benchmarks/uci_agreement.py).
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from slakit.cli._run import Source, run_replay

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"


def test_breach_flags_agree_with_the_desks_made_sla() -> None:
    desk: dict[str, bool] = {}
    with gzip.open(SAMPLE, "rt", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            desk[row["number"]] = row["made_sla"] == "true"  # the last row's value wins
    records: list[dict[str, Any]] = []
    report = run_replay(Source.open(SAMPLE, None, "uci", "UTC"), POLICY,
                        datetime(2017, 3, 1, tzinfo=timezone.utc), on_record=records.append)
    total: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    for r in records:
        met = r["metrics"]["to_closure"][-1]["status"] == "met"
        total[r["priority"]] += 1
        agree[r["priority"]] += met == desk[r["ticket"]]
    assert (total["moderate"], agree["moderate"]) == (500, 497)
    assert (total["low"], agree["low"]) == (63, 63)
    assert agree["moderate"] / total["moderate"] >= 0.99
    # The one incident left out is the log's truly out-of-order one, explained.
    (item,) = report["rejected"]["items"]
    assert item["ticket"] == "INC0000137"
    assert item["reason"].startswith("event out of order: sys_updated_at")
