"""Plan facts as custom ticket facts for SLA selection (plan_fact_changes)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slakit.plans import PLAN_FIELDS, Plan, PlanStarted, Quota, apply_plan_events, plan_fact_changes
from slakit.policies import PolicySet, SlaPolicy, fact
from slakit.workflow import FactsChanged

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=SH)


PLAN = Plan("annual", "annual", at(2025, 1, 1), at(2026, 1, 1), hours="7x12",
            quotas=[Quota("visit", 3)])
STATE = apply_plan_events("t", "s", [PlanStarted(subject="s", at=at(2025, 1, 1), event_id="e",
                                            plan=PLAN)])


def test_active_and_lapsed_fact_changes() -> None:
    assert plan_fact_changes(STATE, at(2025, 6, 1)) == (
        {"plan": "annual", "plan_active": True, "plan_in_grace": False,
         "plan_reason": "plan 'annual' active until 2026-01-01T00:00:00+08:00",
         "plan_hours": "7x12", "quota_left.visit": 3}, frozenset())
    set_, clear = plan_fact_changes(STATE, at(2026, 2, 1))
    assert set_ == {"plan_active": False, "plan_in_grace": False,
                    "plan_reason": "plan 'annual' expired at 2026-01-01T00:00:00+08:00; "
                                   "not renewed"}
    assert clear == frozenset({"plan", "plan_hours"})
    # the host can record them as they are, and policies can declare and test them
    FactsChanged(ticket="T", at=at(2026, 2, 1), event_id="f", set=set_, clear=clear)
    PolicySet([SlaPolicy("p", "1", fact("plan_active").eq(True) & fact("quota_left.visit").gt(0))],
              fields={**PLAN_FIELDS, "quota_left.visit": "number"})
