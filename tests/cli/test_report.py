"""The replay report built on ``slakit.reports``: exact figures from hand-made ticket records.

Desk in Shanghai (office 09:00-18:00 Mon-Fri), ladder urgent > normal > low. Three records:

* A (normal, team 售后一组, agent li): resolution met in 2 h business, 5 h wall.
* B (urgent, team 售后一组, agent wang): resolution breached, 3 d 4 h business against a
  2 h target, breached Tue 2025-11-11 10:30 Shanghai.
* C (vip, a priority outside the ladder, no team): no clock, with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from slakit.cli._report import ReportBuilder, desk_zone, policy_targets
from slakit.i18n import readable_duration
from slakit.policies import load_policies

POLICY = {
    "format": "slakit.sla-policies/1", "version": "t", "priorities": ["urgent", "normal", "low"],
    "calendars": {"office": {"version": "1", "timezone": "Asia/Shanghai", "weekly": {
        d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}},
    "fallback": {"name": "desk", "version": "1", "targets": [
        {"metric": "resolution", "priority": "normal", "within": "PT8H", "calendar": "office"},
        {"metric": "resolution", "priority": "urgent", "within": "PT2H", "calendar": "office"},
        {"metric": "first_response", "priority": "urgent", "within": "PT30M",
         "calendar": "office"}]},
}


def record(ticket: str, priority: str, opened: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ticket": ticket, "status": "new", "priority": priority, "policy": "desk",
        "policy_version": "1", "opened_at": opened, "resolved_at": None, "closed_at": None,
        "cancelled_at": None, "category": None, "channel": None, "group": None,
        "assignee": None, "customer_tier": None, "resolution_code": None, "tags": [],
        "reopens": 0, "events": 1000, "metrics": {}, "no_clock": None, "escalations": 0,
        "satisfaction": None, "notes": [], "skipped_rows": 0, "source": f"log:{ticket}"}
    base.update(extra)
    return base


def cycle(state: str, target: float, business: float, wall: float, **at: str) -> dict[str, Any]:
    return {"cycle": 1, "status": state, "target_s": target, "calendar": "office",
            "started_at": None, "due_at": at.get("due"), "ended_at": at.get("ended"),
            "breached_at": at.get("breached"), "business_s": business, "calendar_s": wall,
            "paused_s": 0.0}


RECORDS = [
    record("A", "normal", "2025-11-10T09:00:00+08:00", status="resolved",
           resolved_at="2025-11-10T14:00:00+08:00", group="售后一组", assignee="li",
           satisfaction={"response_speed": 5, "resolution": 4, "attitude": 3},
           metrics={"resolution": [cycle("met", 28800.0, 7200.0, 18000.0)]}),
    record("B", "urgent", "2025-11-11T08:30:00+08:00", status="resolved",
           resolved_at="2025-11-14T12:30:00+08:00", group="售后一组", assignee="wang",
           metrics={"resolution": [cycle(
               "breached_then_met", 7200.0, 3 * 86400 + 4 * 3600.0, 360000.0,
               due="2025-11-11T10:30:00+08:00", breached="2025-11-11T10:30:00+08:00",
               ended="2025-11-14T12:30:00+08:00")]}),
    record("C", "vip", "2025-12-01T10:00:00+08:00", events=500,
           no_clock="priority 'vip' is not in the policy set's priorities (urgent, normal, low)"),
]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    builder = ReportBuilder(load_policies(POLICY))
    for r in RECORDS:
        builder.add(r)
    return builder.build(log="log", now="2026-01-01T00:00:00+00:00")


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "-"), (0.0, "0 s"), (59.4, "59 s"), (59.6, "1 min"), (720.0, "12 min"),
    (3600.0, "1 h"), (5 * 3600 + 720.0, "5 h 12 min"), (86400.0, "1 d"),
    (3 * 86400 + 4 * 3600.0, "3 d 4 h"), (1_422_485 * 3600.0, "59,270 d 5 h"),
    (-90.0, "-2 min"),
])
def test_durations_read_as_days_hours_minutes(seconds: float | None, text: str) -> None:
    assert readable_duration(seconds) == text


def test_the_desk_zone_and_targets_come_from_the_policy() -> None:
    policies = load_policies(POLICY)
    assert desk_zone(policies) == "Asia/Shanghai"
    assert desk_zone(None) == "UTC"
    assert [(t["priority"], t["metric"], t["within"]["seconds"]) for t in
            policy_targets(policies)] == [("urgent", "first_response", 1800.0),
                                          ("urgent", "resolution", 7200.0),
                                          ("normal", "resolution", 28800.0)]


def test_priorities_come_in_ladder_order_with_exact_figures(report: dict[str, Any]) -> None:
    assert list(report["tickets"]["by_priority"]) == ["urgent", "normal", "vip"]
    assert report["tickets"]["replayed"] == 3
    assert report["tickets"]["events"] == 2500
    res = report["metrics"]["resolution"]
    assert list(res) == ["urgent", "normal", "all"]
    assert (res["all"]["met"], res["all"]["breached"], res["all"]["compliance"]) == (1, 1, 0.5)
    assert res["all"]["business_s"] == {"count": 2, "mean": (7200.0 + 273600.0) / 2,
                                        "median": (7200.0 + 273600.0) / 2, "p90": 273600.0}
    assert res["normal"]["calendar_s"]["median"] == 18000.0
    assert "first_response" not in report["metrics"]  # no ticket has that clock
    assert report["satisfaction"] == {"normal": {"response_speed": 5.0, "resolution": 4.0,
                                                 "attitude": 3.0}}
    assert report["csat"] == {"normal": 2 / 3}


def test_period_zone_trend_teams_agents(report: dict[str, Any]) -> None:
    assert report["zone"] == "Asia/Shanghai"
    assert (report["first_opened"], report["last_opened"]) == (
        "2025-11-10T09:00:00+08:00", "2025-12-01T10:00:00+08:00")
    trend = report["trend"]
    assert trend["period"] == "week"  # 21 days < 92
    assert [(r["period"], r["tickets"], r["backlog"]) for r in trend["rows"]] == [
        ("2025-W46", 2, 0), ("2025-W49", 1, 1)]
    assert [(r["group"], r["tickets"], r["resolution_compliance"]) for r in report["teams"]] == [
        ("售后一组", 2, 0.5), ("(none)", 1, None)]
    assert [(r["assignee"], r["csat"]) for r in report["agents"]] == [
        ("li", 2 / 3), ("wang", None), ("(none)", None)]


def test_breaches_no_clock_and_heatmap(report: dict[str, Any]) -> None:
    (worst,) = report["worst_breaches"]
    assert (worst["ticket"], worst["late_business_s"], worst["due_at"]) == (
        "B", 273600.0 - 7200.0, "2025-11-11T10:30:00+08:00")
    assert report["no_clock"] == [{"reason": RECORDS[2]["no_clock"], "tickets": 1,
                                   "examples": ["C"]}]
    heat = {h["metric"]: h for h in report["breach_heatmap"]}
    cells = heat["resolution"]["cells"]
    assert cells[1][10] == 1  # Tuesday 10:00-10:59 in Shanghai, not 02:00 UTC
    assert sum(map(sum, cells)) == 1
    assert sum(map(sum, heat["first_response"]["cells"])) == 0
