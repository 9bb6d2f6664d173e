"""Assignment refuses bad input where it is made, with a message naming the field and the fix.

Every illegal input raises a SlakitError that is also the built-in a caller would expect
(TypeError for types, ValueError for values), and changes nothing: the snapshot, the request
and the plan are as before and give the same decision afterwards.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from slakit import (
    AlwaysOpen,
    BusinessCalendar,
    InvalidValueError,
    NaiveDatetimeError,
    SlakitError,
    WrongTypeError,
)
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
from slakit.assignment._strategies import StepOutcome
from slakit.triage import TriageConfigError

AT = datetime(2025, 6, 2, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
SHANGHAI_DAYS = BusinessCalendar.every_day("09:00", "18:00", timezone="Asia/Shanghai")
PLAN = AssignmentPlan((DedicatedAdvisor(), SkillMatch({"payment": "payment"}), LeastLoaded()))
AGENTS = [Agent("ann", skills="payment", load=2), Agent("bob", skills="payment", load=1)]
REQUEST = AssignmentRequest(AT, advisor_id="ann", category="payment")


def loose(value: object) -> Any:
    """``value`` typed as Any: these tests pass what the type hints forbid, on purpose."""
    return value


def expected_decision() -> AssignmentDecision:
    return AssignmentDecision(
        "ann", "dedicated-advisor", ("dedicated-advisor: ann is the customer's dedicated advisor",)
    )


def assert_unchanged(agents: list[Agent], before: list[Agent]) -> None:
    assert agents == before
    assert PLAN.assign(REQUEST, agents) == expected_decision()


# --- Agent ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"id": None}, WrongTypeError, "Agent.id must be a str, got NoneType None; use the host"),
        ({"id": 7}, WrongTypeError, "Agent.id must be a str, got int 7"),
        ({"id": ""}, InvalidValueError, "Agent.id must be a non-empty str, got ''; give every"),
        ({"id": "  "}, InvalidValueError, "Agent.id must be a non-empty str, got '  '"),
        ({"load": "3"}, WrongTypeError, "Agent.load must be an int, got str '3'; convert it with int()"),
        ({"load": None}, WrongTypeError, "Agent.load must be an int, got NoneType None"),
        ({"load": True}, WrongTypeError, "Agent.load must be an int, got bool True"),
        ({"load": 2.0}, WrongTypeError, "Agent.load must be an int, got float 2.0"),
        ({"load": -1}, InvalidValueError, "Agent.load must be 0 or more (a number of tickets), got -1"),
        ({"capacity": "5"}, WrongTypeError, "Agent.capacity must be an int or None (unlimited), got str '5'"),
        ({"capacity": False}, WrongTypeError, "Agent.capacity must be an int or None (unlimited), got bool"),
        ({"capacity": -2}, InvalidValueError, "Agent.capacity must be 0 or more"),
        ({"skills": None}, WrongTypeError, (
            "Agent.skills must be a str (one name) or an iterable of str, got NoneType None; pass "
            "e.g."
        )),
        ({"skills": 3}, WrongTypeError, (
            "Agent.skills must be a str (one name) or an iterable of str, got int 3"
        )),
        ({"skills": b"pay"}, WrongTypeError, (
            "Agent.skills must be a str (one name) or an iterable of str, got bytes"
        )),
        ({"skills": {"payment", 1}}, WrongTypeError, (
            "every name in Agent.skills must be a str, got int 1; convert names with str()"
        )),
        ({"skills": {"payment", " "}}, InvalidValueError, (
            "every name in Agent.skills must not be blank, got ' '; leave it out"
        )),
        ({"groups": None}, WrongTypeError, (
            "Agent.groups must be a str (one name) or an iterable of str, got NoneType None"
        )),
        ({"groups": [""]}, InvalidValueError, "every name in Agent.groups must not be blank, got ''"),
        ({"calendar": "9-5"}, WrongTypeError, (
            "Agent.calendar must be None (always on shift) or a calendar with an is_open(datetime) "
            "method, got str '9-5'; build one, e.g. BusinessCalendar.every_day("
        )),
        ({"calendar": ZoneInfo("Asia/Shanghai")}, WrongTypeError, "Agent.calendar must be None"),
        ({"available": "no"}, WrongTypeError, (
            "Agent.available must be True or False, got str 'no'; convert it with bool()"
        )),
        ({"available": None}, WrongTypeError, "Agent.available must be True or False, got NoneType None"),
    ],
)  # fmt: skip
def test_bad_agent_fields_raise_when_the_agent_is_built(
    fields: dict[str, Any], error: type[SlakitError], message: str
) -> None:
    values: dict[str, Any] = {"id": "ann", **fields}
    with pytest.raises(error) as info:
        Agent(**values)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, TypeError if error is WrongTypeError else ValueError)


def test_agent_accepts_any_calendar_with_is_open_in_any_zone() -> None:
    class Roster:
        """A host calendar: only is_open, nothing else of the Calendar protocol."""

        def is_open(self, t: datetime) -> bool:
            return t.hour < 12

    morning, afternoon = AT, AT.replace(hour=13)
    agents = [Agent("a", calendar=Roster()), Agent("b", calendar=SHANGHAI_DAYS, load=5)]
    assert assign(AssignmentRequest(morning), agents, LeastLoaded()).agent_id == "a"
    later = assign(AssignmentRequest(afternoon), agents, LeastLoaded())
    # 13:00 UTC is 21:00 in Shanghai: nobody is on shift.
    assert later.skipped == (
        ("a", "off shift at 2025-06-02T13:00:00+00:00"),
        ("b", "off shift at 2025-06-02T13:00:00+00:00"),
    )
    # The same instant written in another zone gives the same answer.
    in_berlin = morning.astimezone(ZoneInfo("Europe/Berlin"))
    assert assign(AssignmentRequest(in_berlin), agents[1:], LeastLoaded()).agent_id == "b"
    assert Agent("c", calendar=AlwaysOpen()).unavailable_because(AT) is None


def test_zero_capacity_and_load_above_capacity_are_legal_and_mean_full() -> None:
    assert Agent("a", capacity=0).unavailable_because(AT) == "at capacity (0/0)"
    assert Agent("a", load=7, capacity=5).unavailable_because(AT) == "at capacity (7/5)"


def test_a_lone_string_is_one_name_and_names_are_stored_normalised() -> None:
    agent = Agent("Ann", skills="Payment", groups=["Tier 1", "ＴＩＥＲ２", " tier  1 "])
    assert agent.skills == frozenset({"payment"})
    assert agent.groups == frozenset({"tier 1", "tier2"})
    assert agent.id == "Ann"  # ids are kept as given
    assert Agent("a", skills=iter(["zh", "ZH"])).skills == frozenset({"zh"})


# --- AssignmentRequest ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"at": None}, WrongTypeError, (
            "AssignmentRequest.at must be a timezone-aware datetime, got NoneType None; parse "
            "strings with datetime.fromisoformat()"
        )),
        ({"at": "2025-06-02T10:00+08:00"}, WrongTypeError, (
            "AssignmentRequest.at must be a timezone-aware datetime, got str"
        )),
        ({"at": date(2025, 6, 2)}, WrongTypeError, (
            "AssignmentRequest.at must be a timezone-aware datetime, got date"
        )),
        ({"at": datetime(2025, 6, 2, 10)}, NaiveDatetimeError, (
            "AssignmentRequest.at must be a timezone-aware datetime, got datetime.datetime(2025, 6, "
            "2, 10, 0); attach a zone"
        )),
        ({"customer_id": 42}, WrongTypeError, (
            "AssignmentRequest.customer_id must be a str or None, got int 42; convert ids with str()"
        )),
        ({"advisor_id": ""}, InvalidValueError, (
            "AssignmentRequest.advisor_id must not be blank, got ''; pass None when there is none"
        )),
        ({"last_assigned": 3}, WrongTypeError, (
            "AssignmentRequest.last_assigned must be a str or None, got int 3"
        )),
        ({"category": 1}, WrongTypeError, (
            "AssignmentRequest.category must be a str, got int 1; convert names with str()"
        )),
        ({"category": "  "}, InvalidValueError, (
            "AssignmentRequest.category must not be blank, got '  '; leave it out"
        )),
        ({"group": ["tier1"]}, WrongTypeError, "AssignmentRequest.group must be a str, got list"),
        ({"skills": None}, WrongTypeError, (
            "AssignmentRequest.skills must be a str (one name) or an iterable of str, got NoneType "
            "None"
        )),
        ({"skills": {"zh", None}}, WrongTypeError, (
            "every name in AssignmentRequest.skills must be a str, got NoneType None"
        )),
    ],
)  # fmt: skip
def test_bad_request_fields_raise_when_the_request_is_built(
    fields: dict[str, Any], error: type[SlakitError], message: str
) -> None:
    values: dict[str, Any] = {"at": AT, **fields}
    with pytest.raises(error) as info:
        AssignmentRequest(**values)
    assert str(info.value).startswith(message)


def test_request_names_are_normalised_and_ids_kept() -> None:
    request = AssignmentRequest(
        AT, customer_id="C-1", advisor_id="Ann", category=" Payment ", skills="ZH", group="Tier1"
    )
    assert (request.customer_id, request.advisor_id) == ("C-1", "Ann")
    assert (request.category, request.skills, request.group) == (
        "payment",
        frozenset({"zh"}),
        "tier1",
    )


# --- the snapshot and the request given to assign ------------------------------------------


@pytest.mark.parametrize(
    ("agents", "message"),
    [
        (None, (
            "agents must be an iterable of Agent, got NoneType None; pass a list of Agent ([] when "
            "there are none)"
        )),
        (Agent("ann"), "agents must be an iterable of Agent, got Agent Agent(id='ann'"),
        ({"ann": Agent("ann")}, "agents must be an iterable of Agent, got dict"),
        ("ann", "agents must be an iterable of Agent, got str 'ann'"),
        ([Agent("ann"), {"id": "bob"}], (
            "agents must hold only Agent values, got dict {'id': 'bob'} at position 1; build each "
            "with Agent("
        )),
        ([Agent("ann"), None], "agents must hold only Agent values, got NoneType None at position 1"),
    ],
)  # fmt: skip
def test_a_snapshot_that_is_not_agents_raises_before_any_step_runs(
    agents: Any, message: str
) -> None:
    with pytest.raises(WrongTypeError) as info:
        PLAN.assign(REQUEST, agents)
    assert str(info.value).startswith(message)
    if isinstance(agents, Agent):
        assert "wrap a single agent in a list" in str(info.value)
    if isinstance(agents, Mapping):
        assert "list(mapping.values())" in str(info.value)


def test_duplicate_ids_raise_and_change_nothing() -> None:
    agents = [*AGENTS, Agent("ann", load=0)]
    before = copy.deepcopy(agents)
    with pytest.raises(AgentSnapshotError) as info:
        PLAN.assign(REQUEST, agents)
    assert str(info.value) == (
        "two agents have id 'ann'; ids in a snapshot must be unique: merge or drop the "
        "duplicate before assigning"
    )
    assert isinstance(info.value, ValueError)
    assert agents == before
    assert_unchanged(AGENTS, list(AGENTS))
    # A generator snapshot is read once, and the check still holds.
    with pytest.raises(AgentSnapshotError, match="'ann'"):
        PLAN.assign(REQUEST, (a for a in agents))


def test_a_request_that_is_not_a_request_raises_and_changes_nothing() -> None:
    before = list(AGENTS)
    for request in (None, AT, {"at": AT}):
        with pytest.raises(WrongTypeError) as info:
            PLAN.assign(request, AGENTS)  # type: ignore[arg-type]
        assert str(info.value).startswith(
            f"request must be an AssignmentRequest, got {type(request).__name__} "
        )
        assert str(info.value).endswith("build one, e.g. AssignmentRequest(at, category='payment')")
    assert_unchanged(AGENTS, before)


def test_assign_changes_neither_the_request_nor_the_agents() -> None:
    agents = [*AGENTS, Agent("cat", skills="payment", available=False)]
    before_agents, before_request = copy.deepcopy(agents), copy.deepcopy(REQUEST)
    decision = PLAN.assign(REQUEST, agents)
    assert decision == AssignmentDecision(
        "ann",
        "dedicated-advisor",
        (
            "skipped cat (marked away)",
            "dedicated-advisor: ann is the customer's dedicated advisor",
        ),
        (("cat", "marked away"),),
    )
    assert (agents, REQUEST) == (before_agents, before_request)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        REQUEST.category = "other"  # type: ignore[misc]


def test_an_empty_snapshot_leaves_the_ticket_unassigned() -> None:
    empty: tuple[Iterable[Agent], ...] = ([], (), iter([]))
    for agents in empty:
        decision = PLAN.assign(REQUEST, agents)
        assert decision == AssignmentDecision(
            None,
            None,
            (
                "dedicated-advisor: dedicated advisor ann is not in the agent snapshot; falling back",
                "no agent can take the ticket now: it stays unassigned",
            ),
            (),
            None,
        )


def test_an_advisor_missing_from_the_snapshot_or_filtered_out_falls_back() -> None:
    plan = AssignmentPlan((SkillMatch({"payment": "payment"}), DedicatedAdvisor(), LeastLoaded()))
    agents = [*AGENTS, Agent("cat", skills="logistics")]
    decision = plan.assign(AssignmentRequest(AT, advisor_id="cat", category="payment"), agents)
    assert decision.reasons[1:] == (
        "dedicated-advisor: dedicated advisor cat was filtered out earlier; falling back",
        "least-loaded: bob has the lightest load (1) of 2 candidates; next ann (2)",
    )
    gone = plan.assign(AssignmentRequest(AT, advisor_id="zed", category="payment"), agents)
    assert gone.reasons[1] == (
        "dedicated-advisor: dedicated advisor zed is not in the agent snapshot; falling back"
    )
    assert gone.agent_id == "bob"


def test_round_robin_cursor_on_a_removed_unavailable_or_last_agent() -> None:
    agents = [Agent("a"), Agent("c", available=False), Agent("e")]
    rr = AssignmentPlan((RoundRobin(),))

    def pick(cursor: str | None) -> tuple[str | None, str | None]:
        decision = rr.assign(AssignmentRequest(AT, last_assigned=cursor), agents)
        return decision.agent_id, decision.cursor

    assert pick("b") == ("e", "e")  # "b" left the snapshot: continue after it
    assert pick("c") == ("e", "e")  # "c" is away: continue after it
    assert pick("e") == ("a", "a")  # after the last id, wrap round
    assert pick("zzz") == ("a", "a")
    unassigned = assign(AssignmentRequest(AT, last_assigned="e"), [agents[1]], RoundRobin())
    assert (unassigned.agent_id, unassigned.cursor) == (None, "e")  # the cursor is kept


# --- step and plan definitions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "problems"),
    [
        (lambda: SkillMatch(loose(None)), [(
            "category_skills must be a mapping of category -> skills, got NoneType None; e.g. "
            "SkillMatch({'payment': {'payment'}})"
        )]),
        (lambda: SkillMatch(loose(["payment"])), [(
            "category_skills must be a mapping of category -> skills, got list ['payment']; e.g. "
            "SkillMatch({'payment': {'payment'}})"
        )]),
        (
            lambda: SkillMatch(loose({"a": None, 1: "x", "b": {""}, "Payment": "p", "payment": "q"})),
            [
                (
                    "category_skills['a'] must be a str (one name) or an iterable of str, got NoneType None; "
                    "pass e.g. {'payment', 'zh'}, or () for none"
                ),
                "category 1 must be a str, got int 1; convert names with str() first",
                "every name in category_skills['b'] must not be blank, got ''; leave it out",
                (
                    "categories 'Payment' and 'payment' are the same once normalised ('payment'); merge "
                    "their skills under one key"
                ),
            ],
        ),
        (lambda: SkillMatch(strict=loose("no")), [(
            "strict must be True or False, got 'no'; SkillMatch reads the needed skills from "
            "category_skills and AssignmentRequest.skills"
        )]),
        (lambda: GroupMatch(loose("tier1")), [(
            "strict must be True or False, got 'tier1'; GroupMatch reads the group from "
            "AssignmentRequest.group"
        )]),
        (lambda: DedicatedAdvisor(loose(None)), [(
            "advisors must be a mapping of customer id -> advisor agent id, got NoneType None; e.g. "
            "DedicatedAdvisor({'c1': 'ann'})"
        )]),
        (
            lambda: DedicatedAdvisor(loose({"c1": 7, "": "ann", "c3": "bob"})),
            [
                (
                    "advisors['c1'] = 7: customer and advisor ids must be non-empty str; convert them with "
                    "str() and leave out customers without an advisor"
                ),
                (
                    "advisors[''] = 'ann': customer and advisor ids must be non-empty str; convert them with "
                    "str() and leave out customers without an advisor"
                ),
            ],
        ),
        (lambda: LeastLoaded(name=""), ["name must be a non-empty str (it is cited in decisions), got ''"]),
        (lambda: RoundRobin(name=loose(None)), [(
            "name must be a non-empty str (it is cited in decisions), got None"
        )]),
    ],
)  # fmt: skip
def test_bad_step_definitions_raise_when_built(build: Any, problems: list[str]) -> None:
    with pytest.raises(TriageConfigError) as info:
        build()
    assert list(info.value.problems) == problems


def test_steps_must_be_a_sequence_of_steps() -> None:
    for steps in (None, LeastLoaded(), "least-loaded"):
        with pytest.raises(TriageConfigError) as info:
            AssignmentPlan(steps)  # type: ignore[arg-type]
        assert info.value.problems == (
            f"steps must be a sequence of steps, got {type(steps).__name__} {steps!r}; "
            "e.g. AssignmentPlan([SkillMatch(...), LeastLoaded()])",
        )


@attrs.frozen
class _Step:
    """A custom step whose apply returns whatever it is told to."""

    answer: Any
    name: Any = "custom"
    always_picks: Any = True

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> Any:
        return self.answer(pool, snapshot) if callable(self.answer) else self.answer


def test_custom_step_names_and_flags_are_checked_when_the_plan_is_built() -> None:
    with pytest.raises(TriageConfigError) as info:
        AssignmentPlan((_Step(None, name=3, always_picks=False), _Step(None, always_picks=1)))
    assert info.value.problems == (
        "step _Step(answer=None, name=3, always_picks=False) needs a non-empty str name, got 3",
        "step 'custom': always_picks must be True or False",
    )


def test_a_custom_step_cannot_pick_an_agent_outside_its_pool() -> None:
    away = Agent("zed", available=False)
    agents = [*AGENTS, away]
    cases = [
        (_Step(lambda pool, snap: StepOutcome(pool, snap["zed"])), "picked Agent(id='zed'"),
        (_Step(lambda pool, snap: StepOutcome(pool, Agent("ann"))), "picked Agent(id='ann'"),
        (
            _Step(lambda pool, snap: StepOutcome((*pool, away)), always_picks=False),
            "returned a pool with agents that were not in the pool it was given",
        ),
        (_Step("ann"), "returned 'ann', not a StepOutcome"),
    ]
    for step, problem in cases:
        plan = AssignmentPlan((step, LeastLoaded()) if not step.always_picks else (step,))
        with pytest.raises(TriageConfigError) as info:
            plan.assign(REQUEST, agents)
        (message,) = info.value.problems
        assert message.startswith(f"step 'custom' {problem}")
        assert message.endswith("a step may only narrow its pool or pick from it")
    # The snapshot a step sees is read-only, and a well-behaved custom step works.
    with pytest.raises(TypeError):
        AssignmentPlan((_Step(lambda pool, snap: operator.setitem(snap, (
            "ann"
        ), None)),)).assign(REQUEST, agents)
    ok = AssignmentPlan((_Step(lambda pool, snap: StepOutcome(pool, pool[-1], "last")),))
    assert ok.assign(REQUEST, agents).agent_id == "bob"
    assert agents == [*AGENTS, away]
