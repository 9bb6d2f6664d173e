"""The report's outputs: JSON, CSV and a pandas DataFrame, all the same figures."""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timezone
from types import ModuleType

import pytest

from slakit.reports import ClockOutcome, MissingExtraError, TicketOutcome, build_report

UTC = timezone.utc
OUTCOMES = [
    TicketOutcome("A", "resolved", "high", datetime(2025, 5, 1, 1, tzinfo=UTC),
                  resolved_at=datetime(2025, 5, 1, 3, tzinfo=UTC), category="物流",
                  satisfaction=(("attitude", 5),),
                  clocks=(ClockOutcome("resolution", 1, "met", 7200.0, 3600.0, 7200.0),)),
    TicketOutcome("B", "open", "low", datetime(2025, 5, 2, 1, tzinfo=UTC),
                  clocks=(ClockOutcome("resolution", 1, "breached", 7200.0, 9000.0, None,
                                       due_at=datetime(2025, 5, 2, 3, tzinfo=UTC)),)),
]
REPORT = build_report(OUTCOMES, "Asia/Shanghai", metrics=("resolution",), priorities=("high", "low"))


def test_csv_has_one_line_per_group_and_the_total() -> None:
    lines = REPORT.to_csv().splitlines()
    assert lines[0] == (
        "priority,tickets,resolved,resolution_rate,reopened,reopen_rate,escalated,backlog,ratings,"
        "csat,satisfaction_response_speed,satisfaction_resolution,satisfaction_attitude,"
        "resolution_met,resolution_breached,resolution_running,resolution_cancelled,"
        "resolution_compliance,resolution_business_mean_s,resolution_business_median_s,"
        "resolution_business_p90_s,resolution_wall_mean_s,resolution_wall_median_s,"
        "resolution_wall_p90_s")
    assert lines[1:] == [
        "high,1,1,1.0,0,0.0,0,,1,1.0,,,5.0,1,0,0,0,1.0,3600.0,3600.0,3600.0,7200.0,7200.0,7200.0",
        "low,1,0,0.0,0,0.0,0,,0,,,,,0,1,0,0,0.0,,,,,,",
        "all,2,1,0.5,0,0.0,0,,1,1.0,,,5.0,1,1,0,0,0.5,3600.0,3600.0,3600.0,7200.0,7200.0,7200.0",
    ]


def test_json_holds_rows_total_breaches_and_months() -> None:
    data = json.loads(REPORT.to_json())
    assert data["by"] == ["priority"]
    assert data["zone"] == "Asia/Shanghai"
    assert data["first_opened"] == "2025-05-01T09:00:00+08:00"
    assert [r["priority"] for r in data["rows"]] == ["high", "low"]
    assert data["total"]["tickets"] == 2
    assert data["worst_breaches"] == [{
        "ticket": "B", "metric": "resolution", "cycle": 1, "priority": "low", "target_s": 7200.0,
        "business_s": 9000.0, "late_business_s": 1800.0, "due_at": "2025-05-02T11:00:00+08:00",
        "ended_at": None, "late_wall_s": None}]
    assert data["top_by_month"] == [
        {"month": "2025-05", "tickets": 2, "categories": [["物流", 1]], "keywords": []}]
    assert "物流" in REPORT.to_json()  # readable, not escaped


def test_dataframe_has_the_csv_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = REPORT.to_dataframe()
    assert list(frame.columns) == REPORT.columns()
    assert frame["tickets"].tolist() == [1, 1]
    assert frame.loc[0, "resolution_business_median_s"] == 3600.0
    assert pd.isna(frame.loc[1, "resolution_business_median_s"])
    assert len(REPORT.to_dataframe(total=True)) == 3


def test_without_pandas_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> ModuleType:
        if name == "pandas":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(MissingExtraError, match=r"pip install 'slakit\[reports\]'"):
        REPORT.to_dataframe()
