"""The invariant checks pass on slakit's own implementation and catch broken ones.

A check that cannot fail is worthless, so each one is run against a deliberately broken
implementation (tests/testing/testing_testkit_broken.py) and must name the broken invariant.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from slakit import SlakitError
from slakit.calendar import AlwaysOpen, BusinessCalendar, intersection
from slakit.policies import EscalationRule as Rule
from slakit.policies import (
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    at_fraction,
    load_policies,
    notify,
)
from slakit.sla import SlaEngine, due_escalations
from slakit.testing import (
    CalendarInvariantError,
    EscalationInvariantError,
    FoldInvariantError,
    InvariantViolation,
    PausingInvariantError,
    WakeUpInvariantError,
    calendars,
    check_calendar,
    check_escalations,
    check_incremental_fold,
    check_next_wake_at,
    check_pausing,
    check_policy,
    policies,
)
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    AgentReplied,
    CustomerReplied,
    Event,
    PriorityChanged,
    TicketOpened,
    Workflow,
)
from tests.testing.testing_testkit_broken import (
    MinuteLateCalendar,
    PauseLeakEngine,
    StalePriorityEngine,
    forgetful_due,
    minute_late_wake,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sla_policies.toml"
SH = ZoneInfo("Asia/Shanghai")
FAIL_FAST = settings(phases=[Phase.generate])  # detection is the point here, not shrinking
OUTER = settings(max_examples=12, deadline=None, database=None, derandomize=True,
                 suppress_health_check=[HealthCheck.nested_given, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def example() -> PolicySet:
    with EXAMPLE.open("rb") as f:
        return load_policies(tomllib.load(f))


def office_policy(calendar: object) -> PolicySet:
    office = NamedCalendar("office", calendar)  # type: ignore[arg-type]
    standard = SlaPolicy("standard", "1", targets=[
        MetricTarget("first_response", "normal", timedelta(hours=2), office),
        MetricTarget("resolution", "normal", timedelta(hours=9), office),
    ], escalations=[Rule("half", "resolution", at_fraction(0.5), [notify("lead")])])
    return PolicySet([], fallback=standard, priorities=["normal"])


OFFICE = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Shanghai", country="CN")

# ---- the stock implementation passes ---------------------------------------------------------


def test_the_example_policy_passes_every_check(example: PolicySet) -> None:
    check_policy(example, max_examples=80, seed=7, since=False)


@pytest.mark.parametrize("calendar", [
    OFFICE,
    AlwaysOpen("Australia/Lord_Howe"),
    intersection(OFFICE, BusinessCalendar.every_day("08:00", "12:00", timezone="Europe/Berlin")),
], ids=["office-cn", "always-open", "composed"])
def test_calendars_pass(calendar: object) -> None:
    check_calendar(calendar, max_examples=60, seed=1)  # type: ignore[arg-type]


@OUTER
@given(calendars(countries=("CN",)), st.integers(0, 2**16))
def test_drawn_calendars_pass(calendar: BusinessCalendar, seed: int) -> None:
    check_calendar(calendar, max_examples=15, seed=seed)


@OUTER
@given(policies(), st.integers(0, 2**16))
def test_drawn_policy_sets_pass(policy_set: PolicySet, seed: int) -> None:
    for check in (check_pausing, check_incremental_fold, check_next_wake_at):
        check(policy_set, max_examples=8, seed=seed)
    check_escalations(policy_set, max_examples=8, seed=seed, since=False)


def test_a_custom_workflow_with_its_own_pause() -> None:
    desk = Workflow.from_mapping({
        "name": "simple desk", "initial": "open",
        "statuses": {"open": {}, "on_hold": {"pauses_clock": True},
                     "done": {"terminal": True, "exits": ["reopened"]}},
        "transitions": [["open", "status_changed", "on_hold"], ["on_hold", "status_changed", "open"],
                        ["open", "agent_replied", "open"], ["open", "resolved", "done"],
                        ["done", "reopened", "open"]],
    })
    check_policy(office_policy(OFFICE), workflow=desk, max_examples=25, seed=3)


def test_pausing_needs_a_workflow_that_can_pause() -> None:
    no_pause = Workflow.from_mapping({
        "name": "no pause", "initial": "open", "statuses": {"open": {}, "done": {"terminal": True}},
        "transitions": [["open", "resolved", "done"]],
    })
    with pytest.raises(ValueError, match="nothing pauses"):
        check_pausing(office_policy(OFFICE), workflow=no_pause)
    check_policy(office_policy(OFFICE), workflow=no_pause, max_examples=5, seed=0)  # skips it


# ---- broken implementations are caught -------------------------------------------------------


def test_an_add_one_minute_late_is_caught() -> None:
    broken = MinuteLateCalendar(BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin"))
    with pytest.raises(CalendarInvariantError) as caught:
        check_calendar(broken, max_examples=50, seed=1)
    err = caught.value
    assert err.invariant == "add is the inverse of elapsed"
    duration = err.counterexample["duration"]
    assert isinstance(duration, timedelta)
    assert err.counterexample["elapsed(start, r)"] == duration + timedelta(minutes=1)
    assert "counterexample:" in str(err)
    assert "add(start, duration) = " in str(err)


def test_a_broken_calendar_inside_a_policy_is_caught() -> None:
    with pytest.raises(CalendarInvariantError):
        check_policy(office_policy(MinuteLateCalendar(OFFICE)), max_examples=30, seed=2,
                     hypothesis_settings=FAIL_FAST)


def test_an_engine_that_counts_pauses_as_work_is_caught(example: PolicySet) -> None:
    with pytest.raises(PausingInvariantError) as caught:
        check_pausing(PauseLeakEngine(example), max_examples=100, seed=4,
                      hypothesis_settings=FAIL_FAST)
    assert caught.value.invariant == "pausing never moves a due time earlier"


def test_a_host_passing_the_stale_priority_is_caught(example: PolicySet) -> None:
    with pytest.raises(FoldInvariantError) as caught:
        check_incremental_fold(StalePriorityEngine(example), max_examples=100, seed=5,
                               hypothesis_settings=FAIL_FAST)
    assert "(incremental / from scratch)" in str(caught.value)


def test_a_wrapper_that_drops_already_fired_is_caught(example: PolicySet) -> None:
    with pytest.raises(EscalationInvariantError) as caught:
        check_escalations(example, due=forgetful_due, max_examples=100, seed=6, since=False,
                          hypothesis_settings=FAIL_FAST)
    assert caught.value.invariant == "each escalation fires exactly once"


def test_a_scheduler_that_wakes_a_minute_late_is_caught(example: PolicySet) -> None:
    with pytest.raises(WakeUpInvariantError) as caught:
        check_next_wake_at(example, wake=minute_late_wake, max_examples=100, seed=7,
                           hypothesis_settings=FAIL_FAST)
    assert caught.value.invariant == "next_wake_at is never later than the next firing"


def test_violations_are_assertion_errors_and_slakit_errors() -> None:
    for cls in (CalendarInvariantError, PausingInvariantError, FoldInvariantError,
                EscalationInvariantError, WakeUpInvariantError):
        assert issubclass(cls, InvariantViolation)
        assert issubclass(cls, AssertionError)
        assert issubclass(cls, SlakitError)


def test_max_examples_must_be_positive(example: PolicySet) -> None:
    with pytest.raises(ValueError, match="max_examples"):
        check_next_wake_at(example, max_examples=0)


# ---- a finding: `since` hands a key out twice after a downgrade ------------------------------


def test_after_a_downgrade_only_the_key_keeps_a_reminder_from_coming_twice(
    example: PolicySet,
) -> None:
    # Found by check_escalations: the documented contract (docs/sla.md) is that exactly
    # once needs already_fired; `since` alone hands a moved reminder out again.
    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2024, 1, 1, hour, minute, tzinfo=SH)

    log: list[Event] = [
        TicketOpened(ticket="T-1", at=at(0), event_id="1", priority="urgent", category=None,
                     channel=None, customer="c-1", customer_tier=None),
        AgentReplied(ticket="T-1", at=at(0, 1), event_id="2"),
        CustomerReplied(ticket="T-1", at=at(2), event_id="3"),
        PriorityChanged(ticket="T-1", at=at(2, 1), event_id="4", priority="important"),
    ]
    engine = SlaEngine(example, DEFAULT_WORKFLOW.pausing_statuses)
    _, before = engine.apply_all(log[:3])
    first = {d.key for d in due_escalations(before, at(2))}  # the host's run at 02:00
    assert "T-1/resolution/1/half/1" in first  # 2 h of a 4 h urgent target
    _, state = engine.apply_all(log)
    end = datetime(2024, 1, 2, tzinfo=timezone.utc)
    later = due_escalations(state, end, since=at(2, 1))
    assert "T-1/resolution/1/half/1" in {d.key for d in later}  # moved later by the downgrade
    keyed = due_escalations(state, end, since=at(2, 1), already_fired=first)
    assert not first & {d.key for d in keyed}
