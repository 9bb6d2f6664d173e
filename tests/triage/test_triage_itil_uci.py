"""The ITIL matrix reproduces the UCI ServiceNow log's priority on every row of the slice.

The slice (tests/data/triage, see ATTRIBUTION.md) holds every row of the rare impact/urgency
combinations and a sample of the common ones; benchmarks/bench_triage.py checks the whole file.
"""

from __future__ import annotations

import collections
import csv
import gzip
from pathlib import Path

from slakit.triage import TriageInput, itil_classifier

SLICE = Path(__file__).parent.parent / "data" / "triage" / "uci_incident_priority_slice.csv.gz"


def read_rows() -> list[dict[str, str]]:
    with gzip.open(SLICE, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_matrix_reproduces_every_priority_in_the_slice() -> None:
    classifier = itil_classifier()
    scale = classifier.scale
    rows = read_rows()
    mismatches = []
    for row in rows:
        decision = classifier.classify(
            TriageInput.from_mapping({"impact": row["impact"], "urgency": row["urgency"]})
        )
        recorded = int(row["priority"].split(" - ")[0])
        if decision.priority_fallback or scale.number(decision.priority) != recorded:
            mismatches.append((row["number"], row["impact"], row["urgency"], row["priority"]))
    assert len(rows) == 2872
    assert mismatches == []


def test_slice_covers_every_combination_in_the_log() -> None:
    combos = collections.Counter((r["impact"][0], r["urgency"][0]) for r in read_rows())
    assert set(combos) == {
        ("1", "1"), ("1", "2"), ("2", "1"), ("2", "2"),
        ("2", "3"), ("3", "1"), ("3", "2"), ("3", "3"),
    }  # fmt: skip
    assert combos[("3", "1")] == 23  # every row of the rarest combination


def test_recorded_labels_match_the_itil_names() -> None:
    scale = itil_classifier().scale
    labels = {r["priority"] for r in read_rows()}
    assert labels == {f"{scale.number(p)} - {p.capitalize()}" for p in scale.levels}
