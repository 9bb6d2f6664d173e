"""Plan fold, facts and JSON form: exact values and refused input that changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from slakit import NaiveDatetimeError, WrongTypeError
from slakit.plans import (
    CareDataError,
    Plan,
    PlanCancelled,
    PlanInputError,
    PlanRenewed,
    PlanStarted,
    PlanUpgraded,
    Quota,
    QuotaConsumed,
    apply_plan_event,
    apply_plan_events,
    plan_event_from_json,
    plan_event_to_json,
    plan_facts,
)

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


FREE = Plan("free", "fixed_term", at(2025, 1, 6), at(2025, 4, 6))
ANNUAL = Plan("annual", "annual", at(2025, 4, 6), at(2026, 4, 6), grace_days=14,
              quotas=[Quota("onsite_visit", 3)])


def started(plan: Plan, eid: str, when: datetime | None = None) -> PlanStarted:
    return PlanStarted(subject="s1", at=when or plan.start, event_id=eid, plan=plan)


def test_facts_through_a_lapse_and_a_renewal() -> None:
    st = apply_plan_events("t", "s1", [started(FREE, "e1"), started(ANNUAL, "e2", at(2025, 3, 1))])
    assert plan_facts(st, at(2025, 2, 1))["plan"] == "free"
    f = plan_facts(st, at(2026, 4, 10))
    assert (f["plan"], f["plan_active"], f["plan_in_grace"]) == ("annual", True, True)
    f = plan_facts(st, at(2026, 4, 20))
    assert f == {"plan": None, "plan_active": False, "plan_in_grace": False, "quota_left": {},
                 "plan_hours": None,
                 "plan_reason": "plan 'annual' expired at 2026-04-06T00:00:00+08:00 (grace "
                                "ended 2026-04-20T00:00:00+08:00); not renewed"}
    st = apply_plan_event(st, PlanRenewed(subject="s1", at=at(2026, 5, 10), event_id="e3"))
    assert st.terms[-1].start == at(2026, 5, 10)
    assert st.terms[-1].end == at(2027, 5, 10)
    assert plan_facts(st, at(2026, 5, 10))["plan_active"] is True


def test_renewal_before_expiry_continues_from_the_end() -> None:
    st = apply_plan_events("t", "s1", [started(ANNUAL, "e1"),
                                  PlanRenewed(subject="s1", at=at(2026, 3, 1), event_id="e2")])
    assert (st.terms[-1].start, st.terms[-1].end) == (at(2026, 4, 6), at(2027, 4, 6))


def test_quota_counts_per_year_and_refuses_overuse() -> None:
    st = apply_plan_events("t", "s1", [started(ANNUAL, "e1")] + [
        QuotaConsumed(subject="s1", at=at(2025, 5, d), event_id=f"q{d}", quota="onsite_visit")
        for d in (1, 2, 3)])
    assert st.quota_left("onsite_visit", at(2025, 6, 1)) == 0
    assert plan_facts(st, at(2025, 6, 1))["quota_left.onsite_visit"] == 0
    with pytest.raises(PlanInputError, match="has 0 left"):
        apply_plan_event(st, QuotaConsumed(subject="s1", at=at(2025, 6, 1), event_id="q4",
                                           quota="onsite_visit"))
    renewed = apply_plan_event(st, PlanRenewed(subject="s1", at=at(2026, 3, 1), event_id="r"))
    assert renewed.quota_left("onsite_visit", at(2026, 4, 6)) == 3  # a new term, a new count


def test_upgrade_and_cancel_cut_the_current_term() -> None:
    gold = Plan("gold", "annual", at(2025, 6, 1), at(2026, 6, 1))
    st = apply_plan_events("t", "s1", [started(ANNUAL, "e1"),
                                  PlanUpgraded(subject="s1", at=at(2025, 6, 1), event_id="e2",
                                               plan=gold)])
    assert st.terms[0].end == at(2025, 6, 1)
    assert st.ended_by == ("upgraded", None)
    st = apply_plan_event(st, PlanCancelled(subject="s1", at=at(2025, 9, 1), event_id="e3"))
    assert plan_facts(st, at(2025, 9, 2))["plan_reason"] == (
        "plan 'gold' was cancelled at 2025-09-01T00:00:00+08:00")


@pytest.mark.parametrize("event", [
    started(Plan("x", "annual", at(2025, 5, 1), at(2026, 5, 1)), "bad"),  # overlaps
    PlanStarted(subject="other", at=at(2025, 5, 1), event_id="bad", plan=FREE),
    QuotaConsumed(subject="s1", at=at(2025, 5, 1), event_id="bad", quota="nope"),
    PlanCancelled(subject="s1", at=at(2027, 1, 1), event_id="bad"),
    PlanRenewed(subject="s1", at=at(2025, 5, 1), event_id="bad", end=at(2025, 1, 1)),
])
def test_illegal_events_raise_and_change_nothing(event: object) -> None:
    st = apply_plan_events("t", "s1", [started(ANNUAL, "e1")])
    before = st
    with pytest.raises(PlanInputError):
        apply_plan_event(st, event)  # type: ignore[arg-type]
    assert st == before
    assert st.event_ids == frozenset({"e1"})


def test_late_events_and_redeliveries() -> None:
    st = apply_plan_events("t", "s1", [started(ANNUAL, "e1", at(2025, 4, 6))])
    assert apply_plan_event(st, started(ANNUAL, "e1")) is st
    with pytest.raises(PlanInputError, match="older than"):
        apply_plan_event(st, QuotaConsumed(subject="s1", at=at(2025, 4, 5), event_id="x",
                                           quota="onsite_visit"))


def test_naive_and_bad_values_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        Plan("p", "annual", datetime(2025, 1, 1), at(2026, 1, 1))
    with pytest.raises(PlanInputError, match="needs an end"):
        Plan("p", "annual", at(2025, 1, 1), None)
    with pytest.raises(PlanInputError, match="without '/'"):
        Plan("a/b", "lifetime", at(2025, 1, 1), None)
    with pytest.raises(NaiveDatetimeError):
        plan_facts(apply_plan_events("t", "s1", []), datetime(2025, 1, 1))


def test_json_round_trip_and_strict_reading() -> None:
    for e in (started(ANNUAL, "e1"), PlanRenewed(subject="s1", at=at(2026, 1, 1), event_id="e2"),
              PlanCancelled(subject="s1", at=at(2026, 1, 1), event_id="e3",
                            effective=at(2026, 2, 1))):
        assert plan_event_from_json(plan_event_to_json(e)) == e
    text = plan_event_to_json(started(ANNUAL, "e1")).replace('"grace_days"', '"grace"')
    with pytest.raises(CareDataError) as info:
        plan_event_from_json(text.replace('"schema":1', '"schema":7,"colour":"red"'))
    problems = info.value.problems
    assert any(p.startswith("schema:") for p in problems)
    assert any(p.startswith("colour:") for p in problems)
    assert any(p.startswith("plan.grace:") for p in problems)
    with pytest.raises(CareDataError, match="offset"):
        plan_event_from_json('{"type":"slakit.plan/renewed","subject":"s","at":"2025-01-01T00:00",'
                             '"event_id":"e"}')


def test_channel_coverage() -> None:
    plan = Plan("hotline", "annual", at(2025, 1, 1), at(2026, 1, 1), channels={"phone", "chat"})
    st = apply_plan_events("t", "s1", [started(plan, "e1")])
    assert plan_facts(st, at(2025, 2, 1), channel="chat")["plan_active"] is True
    f = plan_facts(st, at(2025, 2, 1), channel="email")
    assert (f["plan"], f["plan_active"], f["plan_covers_channel"]) == ("hotline", False, False)
    assert f["plan_reason"] == "plan 'hotline' does not cover the 'email' channel (it covers chat, phone)"
    assert "plan_covers_channel" not in plan_facts(st, at(2025, 2, 1))
    assert plan_facts(st, at(2026, 2, 1), channel="chat")["plan_covers_channel"] is False


def test_events_refuse_values_of_the_wrong_type_with_slakit_errors() -> None:
    with pytest.raises(WrongTypeError, match="plan must be Plan"):
        PlanStarted(subject="s1", at=at(2025, 1, 1), event_id="e", plan="annual")  # type: ignore[arg-type]
    with pytest.raises(PlanInputError, match="got the string"):
        Plan("p", "lifetime", at(2025, 1, 1), None, channels="phone")
