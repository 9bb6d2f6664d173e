"""The report against an independent pandas computation over the UCI replay's per-ticket output.

Every cell of the per-priority and per-month tables is recomputed with pandas from the
replay's per-ticket records (the lines ``slakit replay --out`` writes) and compared. The
always-run test uses the 600-incident slice of the UCI log bundled with slakit
(``src/slakit/replay/samples``, attribution in its ``ATTRIBUTION.md``: UCI Machine Learning
Repository, "Incident management process enriched event log", CC BY 4.0); the slow one the
full log in ``shared/data`` when it is there.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from slakit.cli._run import Source, run_replay
from slakit.reports import Report, TicketOutcome, build_report

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"
FULL = [p / "shared" / "data" / "uci_incident_event_log" / "incident_event_log.csv.gz"
        for p in (ROOT.parent, ROOT.parent.parent)]
LADDER = ("critical", "high", "moderate", "low")
METRICS = ("resolution", "to_closure")
NO_RATINGS = {"ratings", "csat", "satisfaction_response_speed", "satisfaction_resolution",
              "satisfaction_attitude"}


def replay(log: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    run_replay(Source.open(log, None, "uci", "UTC"), POLICY,
               datetime(2017, 3, 1, tzinfo=timezone.utc), on_record=records.append)
    return records


def nearest_rank_p90(values: Any) -> float | None:
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1] if ordered else None


def expected_table(records: list[dict[str, Any]], dim: str) -> Any:
    """The report's columns for one grouping, computed with pandas from the raw records."""
    tickets = pd.DataFrame(records)
    for col in ("opened_at", "resolved_at", "closed_at", "cancelled_at"):
        tickets[col] = pd.to_datetime(tickets[col], utc=True)
    tickets["period"] = tickets["opened_at"].dt.strftime("%Y-%m")
    done = tickets["resolved_at"].fillna(tickets["closed_at"]).fillna(tickets["cancelled_at"])
    tickets["done_period"] = done.dt.strftime("%Y-%m")
    cycles = pd.DataFrame([
        {"ticket": r["ticket"], "metric": m, **c} for r in records
        for m, cs in r["metrics"].items() for c in cs])
    # A cycle counts under the priority it was judged by (its own "priority"), the ticket
    # under its final one: a group may hold cycles and no ticket.
    cycles = cycles.merge(tickets[["ticket", "priority", "period"]], on="ticket",
                          suffixes=("", "_ticket"))
    rows = {}
    for key in sorted(set(tickets[dim]) | set(cycles[dim])):
        group = tickets[tickets[dim] == key]
        row: dict[str, Any] = {
            "tickets": len(group),
            "resolved": int(group["status"].isin(["resolved", "closed"]).sum()),
            "reopened": int((group["reopens"] > 0).sum()),
            "escalated": int((group["escalations"] > 0).sum()),
        }
        row["resolution_rate"] = row["resolved"] / row["tickets"] if len(group) else None
        row["reopen_rate"] = row["reopened"] / row["tickets"] if len(group) else None
        if dim == "period":
            row["backlog"] = int((tickets["period"] <= key).sum()
                                 - (tickets["done_period"] <= key).sum())
        for m in METRICS:
            mine = cycles[(cycles["metric"] == m) & (cycles[dim] == key)]
            met = int((mine["status"] == "met").sum())
            late = int(mine["status"].isin(["breached", "breached_then_met"]).sum())
            row[f"{m}_met"], row[f"{m}_breached"] = met, late
            row[f"{m}_cancelled"] = int((mine["status"] == "cancelled").sum())
            row[f"{m}_running"] = len(mine) - met - late - row[f"{m}_cancelled"]
            row[f"{m}_compliance"] = met / (met + late) if met + late else None
            done_cycles = mine[mine["status"].isin(["met", "breached_then_met"])]
            for kind, col in (("business", "business_s"), ("wall", "calendar_s")):
                values = done_cycles[col]
                row[f"{m}_{kind}_mean_s"] = values.mean() if len(values) else None
                row[f"{m}_{kind}_median_s"] = values.median() if len(values) else None
                row[f"{m}_{kind}_p90_s"] = nearest_rank_p90(values.tolist())
        rows[key] = row
    return rows


def same(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None:
        return False
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-9)


def check_every_cell(records: list[dict[str, Any]]) -> int:
    outcomes = [TicketOutcome.from_record(r) for r in records]
    checked = 0
    for dim in ("priority", "period"):
        report: Report = build_report(outcomes, "UTC", by=(dim,), period="month",
                                      metrics=METRICS, priorities=LADDER)
        expected = expected_table(records, dim)
        got = {r[dim]: r for r in report.records(total=False)}
        assert set(got) == set(expected)
        if dim == "priority":
            assert [r.key[0] for r in report.rows] == [p for p in LADDER if p in expected]
        else:
            assert [r.key[0] for r in report.rows] == sorted(expected)
        for key, want in expected.items():
            for col, value in want.items():
                assert same(got[key][col], value), (dim, key, col, got[key][col], value)
                checked += 1
            # the UCI log has no ratings, and only a report by period has a backlog
            rest = set(report.columns()) - set(want) - {dim}
            assert rest == NO_RATINGS | ({"backlog"} if dim == "priority" else set())
            assert all(got[key][c] in (0, None) for c in rest)
    return checked


def test_every_cell_matches_pandas_on_the_bundled_slice() -> None:
    records = replay(SAMPLE)
    assert len(records) == 599
    assert check_every_cell(records) == 170  # 4 priorities x 28 + 2 months x 29


@pytest.mark.slow
def test_every_cell_matches_pandas_on_the_full_log() -> None:
    log = next((p for p in FULL if p.exists()), None)
    if log is None:
        pytest.skip("the full UCI log is not in shared/data")
    records = replay(log)
    assert len(records) == 24_917
    assert check_every_cell(records) == 489  # 4 priorities x 28 + 13 months x 29
