"""The ITIL matrix reproduces the UCI ServiceNow log's priority on every row of the slice.

The slice (tests/data/triage, see ATTRIBUTION.md) holds every row of the rare impact/urgency
combinations and a sample of the common ones. The whole file (141,712 rows, not shipped) is
checked by an opt-in test here when it is found: at ``$SLAKIT_UCI_LOG``, or beside the
project in ``../shared/data`` (the project's own machine); benchmarks/bench_triage.py prints
the same count.
"""

from __future__ import annotations

import collections
import csv
import gzip
import os
from pathlib import Path

import pytest

from slakit.triage import TriageInput, itil_classifier

SLICE = Path(__file__).parent.parent / "data" / "triage" / "uci_incident_priority_slice.csv.gz"
FULL_LOG = Path(
    os.environ.get("SLAKIT_UCI_LOG")
    or Path(__file__).resolve().parents[3] / "shared" / "data" / "uci_incident_event_log"
    / "incident_event_log.csv.gz"
)


def read_rows(path: Path = SLICE) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mismatches(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    classifier = itil_classifier()
    scale = classifier.scale
    found = []
    for row in rows:
        decision = classifier.classify(
            TriageInput.from_mapping({"impact": row["impact"], "urgency": row["urgency"]})
        )
        recorded = int(row["priority"].split(" - ")[0])
        if decision.priority_fallback or scale.number(decision.priority) != recorded:
            found.append((row["number"], row["impact"], row["urgency"], row["priority"]))
    return found


def test_matrix_reproduces_every_priority_in_the_slice() -> None:
    rows = read_rows()
    assert len(rows) == 2872
    assert mismatches(rows) == []


@pytest.mark.skipif(
    not FULL_LOG.exists(),
    reason=f"the full UCI log is not at {FULL_LOG} (set SLAKIT_UCI_LOG to check all rows)",
)
def test_matrix_reproduces_every_priority_in_the_whole_log() -> None:
    rows = read_rows(FULL_LOG)
    assert len(rows) == 141_712
    assert mismatches(rows) == []


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
