"""Assignment: advisor with fallback, skills, groups, least loaded, round robin, calendars."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import AlwaysOpen, BusinessCalendar, NaiveDatetimeError
from slakit.assignment import (
    Agent,
    AgentSnapshotError,
    AssignmentDecision,
    AssignmentPlan,
    AssignmentRequest,
    DedicatedAdvisor,
    GroupMatch,
    LeastLoaded,
    RoundRobin,
    SkillMatch,
    assign,
)
from slakit.triage import TriageConfigError

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_SHIFT = BusinessCalendar.every_day("09:00", "18:00", timezone="Asia/Shanghai")
NIGHT_SHIFT = BusinessCalendar.every_day("18:00", "09:00", timezone="Asia/Shanghai")
MORNING = datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)
NIGHT = datetime(2025, 6, 2, 22, 0, tzinfo=SHANGHAI)

AGENTS = (
    Agent("ann", skills={"payment", "zh"}, groups="tier2", load=3, calendar=DAY_SHIFT),
    Agent("bob", skills={"logistics", "zh"}, groups="tier1", load=1, calendar=DAY_SHIFT),
    Agent("cat", skills={"payment", "en"}, groups="tier1", load=2, calendar=NIGHT_SHIFT),
    Agent("dan", skills={"payment", "zh"}, groups="tier1", load=0, available=False),
    Agent("eve", skills={"payment", "zh"}, groups="tier1", load=5, capacity=5),
    Agent("fay", skills={"logistics"}, groups="tier1", load=4, calendar=AlwaysOpen()),
)

DESK = AssignmentPlan(
    (
        DedicatedAdvisor(),
        SkillMatch({"payment": {"payment"}, "logistics": {"logistics"}}),
        LeastLoaded(),
    )
)


def test_dedicated_advisor_is_picked_when_on_shift() -> None:
    decision = DESK.assign(AssignmentRequest(MORNING, advisor_id="ann"), AGENTS)
    assert decision == AssignmentDecision(
        agent_id="ann",
        decided_by="dedicated-advisor",
        reasons=(
            "skipped cat (off shift at 2025-06-02T10:00:00+08:00); dan (marked away); "
            "eve (at capacity (5/5))",
            "dedicated-advisor: ann is the customer's dedicated advisor",
        ),
        skipped=(
            ("cat", "off shift at 2025-06-02T10:00:00+08:00"),
            ("dan", "marked away"),
            ("eve", "at capacity (5/5)"),
        ),
    )


def test_advisor_off_shift_falls_back_to_skills_then_least_loaded() -> None:
    decision = DESK.assign(
        AssignmentRequest(NIGHT, advisor_id="ann", category="payment"), AGENTS
    )
    assert (decision.agent_id, decision.decided_by) == ("cat", "least-loaded")
    assert decision.reasons[1:] == (
        "dedicated-advisor: dedicated advisor ann off shift at 2025-06-02T22:00:00+08:00; "
        "falling back",
        "skills: 1 of 2 agents have payment",
        "least-loaded: cat has the lightest load (2)",
    )


def test_advisor_table_and_unknown_advisor() -> None:
    plan = AssignmentPlan((DedicatedAdvisor({"c1": "bob", "c2": "zed"}), LeastLoaded()))
    assert plan.assign(AssignmentRequest(MORNING, customer_id="c1"), AGENTS).agent_id == "bob"
    unknown = plan.assign(AssignmentRequest(MORNING, customer_id="c2"), AGENTS)
    assert unknown.reasons[1] == (
        "dedicated-advisor: dedicated advisor zed is not in the agent snapshot; falling back"
    )
    assert unknown.agent_id == "bob"  # least loaded among ann(3), bob(1), fay(4)


def test_least_loaded_breaks_ties_by_id_not_snapshot_order() -> None:
    agents = [Agent("b", load=1), Agent("a", load=1), Agent("c", load=0, available=False)]
    request = AssignmentRequest(MORNING)
    assert assign(request, agents, LeastLoaded()).agent_id == "a"
    assert assign(request, reversed(agents), LeastLoaded()).agent_id == "a"


def test_round_robin_cycles_skipping_unavailable_agents_and_returns_the_cursor() -> None:
    agents = [Agent("a"), Agent("b"), Agent("c", calendar=NIGHT_SHIFT), Agent("d")]
    cursor = None
    picked = []
    for _ in range(5):
        decision = assign(AssignmentRequest(MORNING, last_assigned=cursor), agents, RoundRobin())
        picked.append(decision.agent_id)
        cursor = decision.cursor
    assert picked == ["a", "b", "d", "a", "b"]
    # A cursor whose agent left the snapshot still continues in id order.
    assert assign(AssignmentRequest(MORNING, last_assigned="bz"), agents, RoundRobin()).agent_id == "d"


def test_cursor_is_unchanged_when_another_step_picks() -> None:
    plan = AssignmentPlan((DedicatedAdvisor(), RoundRobin()))
    request = AssignmentRequest(MORNING, advisor_id="bob", last_assigned="ann")
    decision = plan.assign(request, AGENTS)
    assert (decision.agent_id, decision.cursor) == ("bob", "ann")


def test_strict_skills_leave_the_ticket_unassigned() -> None:
    request = AssignmentRequest(MORNING, skills={"fr"})
    decision = DESK.assign(request, AGENTS)
    assert not decision.assigned
    assert decision.decided_by is None
    assert decision.reasons[-2:] == (
        "skills: no available agent has fr",
        "no agent can take the ticket now: it stays unassigned",
    )
    lenient = AssignmentPlan((SkillMatch(strict=False), LeastLoaded())).assign(request, AGENTS)
    assert lenient.agent_id == "bob"


def test_group_match() -> None:
    plan = AssignmentPlan((GroupMatch(), LeastLoaded()))
    assert plan.assign(AssignmentRequest(MORNING, group="tier2"), AGENTS).agent_id == "ann"
    nobody = plan.assign(AssignmentRequest(NIGHT, group="tier2"), AGENTS)
    assert nobody.agent_id is None
    lenient = AssignmentPlan((GroupMatch(strict=False), LeastLoaded()))
    assert lenient.assign(AssignmentRequest(NIGHT, group="tier2"), AGENTS).agent_id == "cat"


def test_nobody_on_shift() -> None:
    decision = assign(AssignmentRequest(NIGHT), [Agent("a", calendar=DAY_SHIFT)], LeastLoaded())
    assert decision == AssignmentDecision(
        None,
        None,
        (
            "skipped a (off shift at 2025-06-02T22:00:00+08:00)",
            "no agent can take the ticket now: it stays unassigned",
        ),
        (("a", "off shift at 2025-06-02T22:00:00+08:00"),),
    )


def test_bad_plans_are_rejected_when_built() -> None:
    with pytest.raises(TriageConfigError) as info:
        AssignmentPlan((LeastLoaded(), DedicatedAdvisor(), SkillMatch()))
    assert info.value.problems == (
        "step 'least-loaded' always picks, so 'dedicated-advisor', 'skills' could never run",
        "the last step 'skills' may not pick; end with LeastLoaded() or RoundRobin()",
    )
    with pytest.raises(TriageConfigError, match="at least one step"):
        AssignmentPlan(())
    with pytest.raises(TriageConfigError, match="not an assignment step"):
        AssignmentPlan(("least loaded",))  # type: ignore[arg-type]


def test_duplicate_agent_ids_and_naive_times_raise() -> None:
    with pytest.raises(AgentSnapshotError, match="'a'"):
        assign(AssignmentRequest(MORNING), [Agent("a"), Agent("a")], LeastLoaded())
    with pytest.raises(NaiveDatetimeError):
        AssignmentRequest(datetime(2025, 6, 2, 10))



def test_skills_match_whatever_the_case_width_or_spacing_on_either_side() -> None:
    # The review's case: a map written with "Payment" never matched the skill "payment".
    agents = [Agent("ann", skills={"payment"}, load=2), Agent("bob", skills={"zh"}, load=0)]
    plan = AssignmentPlan((SkillMatch({"payment": {"Payment"}}), LeastLoaded()))
    decision = plan.assign(AssignmentRequest(MORNING, category="payment"), agents)
    assert (decision.agent_id, decision.reasons) == (
        "ann",
        ("skills: 1 of 2 agents have payment", "least-loaded: ann has the lightest load (2)"),
    )
    for category in ("Payment", " PAYMENT ", "ｐａｙｍｅｎｔ"):
        request = AssignmentRequest(MORNING, category=category)
        assert plan.assign(request, agents).agent_id == "ann"
    shouting = [Agent("ann", skills={"PAYMENT"}, load=2), Agent("bob", skills={"ZH"})]
    assert plan.assign(AssignmentRequest(MORNING, category="payment"), shouting).agent_id == "ann"
    needs_zh = AssignmentRequest(MORNING, skills={"Zh"})
    assert plan.assign(needs_zh, agents).reasons[0] == "skills: 1 of 2 agents have zh"
    assert SkillMatch({" Payment ": ["Payment", "ZH"]}).category_skills == {
        "payment": frozenset({"payment", "zh"})
    }


def test_groups_match_whatever_the_case_and_traditional_or_simplified_script() -> None:
    agents = [Agent("ann", groups={"Tier2", "訂單"}), Agent("bob", groups="tier1")]
    plan = AssignmentPlan((GroupMatch(), LeastLoaded()))
    for group in ("tier2", "TIER2", "订单", "訂單"):
        assert plan.assign(AssignmentRequest(MORNING, group=group), agents).agent_id == "ann"
    decision = plan.assign(AssignmentRequest(MORNING, group="Tier3"), agents)
    assert decision.reasons[0] == "group: nobody in group 'tier3' is available"


def test_a_triage_category_feeds_assignment_as_is() -> None:
    from slakit.triage import CategoryRule, RuleClassifier, TriageInput

    classifier = RuleClassifier([CategoryRule("reported", ["Payments"], category="Payment")])
    triaged = classifier.classify(TriageInput("help", category="PAYMENTS"))
    assert triaged.category == "Payment"
    plan = AssignmentPlan((SkillMatch({"payment": {"payment"}}), LeastLoaded()))
    request = AssignmentRequest(MORNING, category=triaged.category)
    assert plan.assign(request, AGENTS).agent_id == "ann"  # ann (3): the least loaded on shift


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["payment", "PAYMENT", "Payment", " payment", "ｐａｙｍｅｎｔ"]),
        min_size=3,
        max_size=3,
    )
)
def test_spelling_of_names_never_changes_the_decision(spellings: list[str]) -> None:
    agent_spelling, map_spelling, request_spelling = spellings
    agents = [Agent("ann", skills={agent_spelling}, load=4), Agent("bob", skills={"zh"})]
    plan = AssignmentPlan((SkillMatch({map_spelling: {map_spelling}}), LeastLoaded()))
    decision = plan.assign(AssignmentRequest(MORNING, category=request_spelling), agents)
    assert decision.agent_id == "ann"


agent_lists = st.lists(
    st.builds(
        Agent,
        id=st.sampled_from("abcdefgh"),
        skills=st.frozensets(st.sampled_from(["payment", "logistics", "zh"])),
        load=st.integers(0, 6),
        capacity=st.none() | st.integers(1, 6),
        calendar=st.sampled_from([None, DAY_SHIFT, NIGHT_SHIFT]),
        available=st.booleans(),
    ),
    unique_by=lambda a: a.id,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(
    agent_lists,
    st.sampled_from([MORNING, NIGHT]),
    st.none() | st.sampled_from("abcdefghz"),
    st.none() | st.sampled_from(["payment", "logistics"]),
)
def test_assignment_is_pure_and_only_picks_agents_who_can_work(
    agents: list[Agent], at: datetime, advisor: str | None, category: str | None
) -> None:
    request = AssignmentRequest(at, advisor_id=advisor, category=category)
    decision = DESK.assign(request, agents)
    assert DESK.assign(request, list(reversed(agents))).agent_id == decision.agent_id
    assert DESK.assign(request, agents) == decision
    if decision.agent_id is not None:
        chosen = next(a for a in agents if a.id == decision.agent_id)
        assert chosen.unavailable_because(at) is None
        assert decision.reasons[-1].startswith(f"{decision.decided_by}: {chosen.id}")
    else:
        assert all(
            a.unavailable_because(at) is not None
            or (category == "payment" and "payment" not in a.skills)
            or (category == "logistics" and "logistics" not in a.skills)
            for a in agents
        )
