from __future__ import annotations

from typing import Any

import pytest

from slakit.workflow import (
    DEFAULT_WORKFLOW,
    InvalidTransition,
    StatusChanged,
    TicketOpened,
    TicketResolved,
    Transition,
    Workflow,
    WorkflowDefinitionError,
    WorkflowStatus,
    apply,
    apply_all,
)
from tests.workflow.workflow_testkit import EventFactory


def test_default_workflow_shape() -> None:
    wf = DEFAULT_WORKFLOW
    assert wf.status_names == (
        "new", "assigned", "in_progress", "waiting_on_customer", "waiting_on_third_party",
        "resolved", "closed", "cancelled",
    )
    assert wf.initial == "new"
    assert wf.pausing_statuses == frozenset({"waiting_on_customer", "waiting_on_third_party"})
    assert wf.terminal_statuses == frozenset({"closed", "cancelled"})
    assert wf.stages == ("investigating", "planning", "fixing")
    assert wf.status("closed").exits == frozenset({"reopened"})
    assert wf.allowed_events(None) == ("opened",)
    assert wf.allowed_events("closed") == ("rated", "reopened")
    assert wf.allowed_events("unknown") == ()


def tiny(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "tiny",
        "initial": "open",
        "stages": [],
        "statuses": {"open": {}, "done": {"terminal": True}},
        "transitions": [["open", "resolved", "done"]],
    }
    data.update(overrides)
    return data


def problems_of(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(WorkflowDefinitionError) as info:
        Workflow.from_mapping(data)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def test_tiny_workflow_is_valid_and_usable() -> None:
    wf = Workflow.from_mapping(tiny())
    f = EventFactory()
    state = apply_all([f.make(TicketOpened), f.make(TicketResolved)], wf)
    assert state.status == "done"
    assert wf.pausing_statuses == frozenset()


def test_mapping_round_trip_of_default() -> None:
    data = DEFAULT_WORKFLOW.to_mapping()
    assert Workflow.from_mapping(data) == DEFAULT_WORKFLOW
    assert Workflow.from_mapping(data).to_mapping() == data


def test_host_workflow_with_own_statuses_and_pauses() -> None:
    wf = Workflow.from_mapping(
        tiny(
            statuses={
                "open": {},
                "on_hold": {"pauses_clock": True},
                "done": {"terminal": True, "exits": ["reopened"]},
            },
            transitions=[
                ["open", "status_changed", "on_hold"],
                ["on_hold", "status_changed", "open"],
                ["open", "resolved", "done"],
                ["done", "reopened", "open"],
            ],
        )
    )
    assert wf.pausing_statuses == frozenset({"on_hold"})
    f = EventFactory()
    state = apply_all([f.make(TicketOpened), f.make(StatusChanged, to="on_hold")], wf)
    assert state.status == "on_hold"
    with pytest.raises(InvalidTransition, match="allowed here: status_changed"):
        apply(state, f.make(TicketResolved), wf)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"initial": "nowhere"},
            ["initial status 'nowhere' is not declared; declare it in statuses"],
        ),
        (
            {"initial": "done"},
            ["initial status 'done' is terminal; a ticket must be able to start"],
        ),
        (
            {"statuses": {"open": {}, "done": {}}},
            ["no terminal status; declare at least one (e.g. closed) with terminal=True"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["open", "teleported", "done"]]},
            ["transition ('open', 'teleported', 'done'): unknown event 'teleported'; use one of "
             "agent_replied, assigned, cancelled, closed, customer_replied, facts_changed, opened, "
             "priority_changed, rated, reopened, resolved, stage_changed, status_changed"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["open", "opened", "open"]]},
            ["transition ('open', 'opened', 'open'): 'opened' starts a ticket in the initial "
             "status and cannot appear in the table"],
        ),
        (
            {"transitions": [["open", "resolved", "gone"]]},
            ["transition ('open', 'resolved', 'gone'): target 'gone' is not a declared status"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["open", "resolved", "open"]]},
            ["transition ('open', 'resolved', 'open'): 'open' already has a row for 'resolved'; "
             "the table must say exactly where each event leads"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["open", "resolved", "done"]]},
            ["transition ('open', 'resolved', 'done') is listed twice"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["open", "status_changed", "open"]]},
            ["transition ('open', 'status_changed', 'open'): a status change must change the "
             "status"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["open", "stage_changed", "open"]]},
            ["transition ('open', 'stage_changed', 'open'): the workflow declares no stages",
             "transition ('open', 'stage_changed', 'open'): the target does not keep stages "
             "(keeps_stage=False), so the new stage would be dropped at once"],
        ),
        (
            {"statuses": {"open": {}, "limbo": {}, "done": {"terminal": True}}},
            ["status 'limbo' is unreachable from the initial status 'open'",
             "status 'limbo' is a trap: no terminal status can be reached from it"],
        ),
        (
            {
                "statuses": {"open": {}, "stuck": {}, "done": {"terminal": True}},
                "transitions": [["open", "resolved", "done"], ["open", "status_changed", "stuck"]],
            },
            ["status 'stuck' is a trap: no terminal status can be reached from it"],
        ),
        (
            {"transitions": [["open", "resolved", "done"], ["done", "reopened", "open"]]},
            ["terminal status 'done' is left by 'reopened', which it does not declare in exits; "
             "add it to exits or remove the row"],
        ),
        (
            {"statuses": {"open": {}, "done": {"terminal": True, "exits": ["reopened"]}}},
            ["terminal status 'done' declares exit 'reopened' but no row uses it"],
        ),
        (
            {"statuses": {"open": {"exits": ["resolved"]}, "done": {"terminal": True}}},
            ["status 'open' is not terminal, so it cannot declare exits"],
        ),
        (
            {"statuses": {"open": {}, "": {}, "done": {"terminal": True}}},
            ["status names must be non-empty strings, got ''"],
        ),
    ],
)
def test_definition_problems(overrides: dict[str, Any], expected: list[str]) -> None:
    assert list(problems_of(tiny(**overrides))) == expected


def test_all_problems_reported_at_once() -> None:
    problems = problems_of(tiny(initial="nowhere", statuses={"open": {}, "done": {}}))
    assert len(problems) == 2
    error = WorkflowDefinitionError(problems)
    assert str(error).startswith("invalid workflow definition (2 problems):\n  - initial status")


def test_terminal_self_loop_is_not_an_exit() -> None:
    wf = Workflow(
        name="t",
        statuses=[WorkflowStatus("open"), WorkflowStatus("done", terminal=True)],
        initial="open",
        transitions=[Transition("open", "resolved", "done"), Transition("done", "rated", "done")],
    )
    assert wf.allowed_events("done") == ("rated",)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["name: missing; give the workflow's name",
              "initial: missing; give the name of the initial status",
              "statuses: missing; give a table (status name -> options)",
              "transitions: missing; give a list of [source, event, target] rows"]),
        ({"name": "x", "initial": "a", "statuses": {"a": {"bogus": 1}}, "transitions": []},
         ["statuses.a.bogus: unknown key; a status takes terminal, exits, pauses_clock, "
          "keeps_stage, description"]),
        (tiny(transitions=[["open", "resolved"]]),
         ["transitions[0]: expected a [source, event, target] row of three names, got list "
          "['open', 'resolved']"]),
    ],
)
def test_malformed_mapping(data: dict[str, Any], expected: list[str]) -> None:
    assert list(problems_of(data)) == expected
