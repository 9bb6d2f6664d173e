"""Workflow.from_mapping on bad documents: shape problems listed with their paths.

The reader (workflow/_definition_data.py) checks keys, types and shapes and lists every
problem; the workflow's own checks (reachability, traps, exits) run once the document is well
formed. A Hypothesis fuzz asserts that only slakit errors escape and that whatever loads
round trips through ``to_mapping``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slakit.workflow import DEFAULT_WORKFLOW, Workflow, WorkflowDefinitionError
from tests.problems_testkit import documents, mutated, nested, only_slakit_errors

STATUS = "a status takes terminal, exits, pauses_clock, keeps_stage, description"


def valid() -> dict[str, Any]:
    return DEFAULT_WORKFLOW.to_mapping()


def _status(name: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["statuses"][name].__setitem__(key, value)


def _many(doc: dict[str, Any]) -> None:
    doc["stage"] = doc.pop("stages")
    doc["statuses"]["new"]["terminal"] = "no"
    doc["statuses"]["closed"]["pause_clock"] = True
    doc["transitions"].append(["new", 5, "closed"])


CORPUS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "misspelt status option": (_status("closed", "pause_clock", True), [
        f"statuses.closed.pause_clock: unknown key (did you mean 'pauses_clock'?); {STATUS}"]),
    "string flag": (_status("new", "terminal", "no"), [
        "statuses.new.terminal: expected true or false, got str 'no'"]),
    "exits as a string": (_status("closed", "exits", "reopened"), [
        "statuses.closed.exits: expected a list of event names, got str 'reopened'"]),
    "description not a string": (_status("closed", "description", 5), [
        "statuses.closed.description: expected a string, got int 5"]),
    "status options not a table": (lambda d: d["statuses"].__setitem__("new", 5), [
        "statuses.new: expected a table (the status's options), got int 5"]),
    "statuses as a list": (lambda d: d.__setitem__("statuses", ["new"]), [
        "statuses: expected a table (status name -> options), got list ['new']"]),
    "transitions = 5": (lambda d: d.__setitem__("transitions", 5), [
        "transitions: expected a list of [source, event, target] rows, got int 5"]),
    "name = 5": (lambda d: d.__setitem__("name", 5), [
        "name: expected the workflow's name, got int 5"]),
    "four problems in one run": (_many, [
        "stage: unknown key (did you mean 'stages'?); a workflow definition takes name, "
        "initial, stages, statuses, transitions",
        "statuses.new.terminal: expected true or false, got str 'no'",
        f"statuses.closed.pause_clock: unknown key (did you mean 'pauses_clock'?); {STATUS}",
        "transitions[64]: expected a [source, event, target] row of three names, got list "
        "['new', 5, 'closed']"]),
}


def test_the_default_workflow_round_trips() -> None:
    assert Workflow.from_mapping(valid()) == DEFAULT_WORKFLOW
    assert len(valid()["transitions"]) == 64  # the row index the corpus names


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_definitions_list_every_problem(case: str) -> None:
    change, expected = CORPUS[case]
    doc = valid()
    change(doc)
    before = copy.deepcopy(doc)
    with pytest.raises(WorkflowDefinitionError) as info:
        Workflow.from_mapping(doc)
    assert isinstance(info.value, ValueError)
    assert list(info.value.problems) == expected
    assert doc == before


def test_status_without_options_may_be_empty_or_null() -> None:
    doc = {"name": "t", "initial": "open", "statuses": {"open": None, "done": {"terminal": True}},
           "transitions": [["open", "resolved", "done"]]}
    assert Workflow.from_mapping(doc).status_names == ("open", "done")


@pytest.mark.parametrize("data", [None, 5, "workflow", ["name"]])
def test_a_definition_that_is_not_a_table(data: Any) -> None:
    with pytest.raises(WorkflowDefinitionError) as info:
        Workflow.from_mapping(data)
    (problem,) = info.value.problems
    assert problem.startswith("expected a table (a workflow definition)")


def test_deep_nesting_is_a_problem_not_a_recursion_error() -> None:
    with pytest.raises(WorkflowDefinitionError, match=r"stages.*nested deeper than 64 levels"):
        Workflow.from_mapping({**valid(), "stages": nested(5000)})


KEYS = ("name", "initial", "stages", "statuses", "transitions", "terminal", "exits",
        "pauses_clock", "keeps_stage", "description", "new", "closed", "open", "done")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(KEYS))
def test_fuzz_random_definitions_raise_only_slakit_errors(data: Any) -> None:
    loaded = only_slakit_errors(Workflow.from_mapping, data)
    if loaded is not None:
        assert Workflow.from_mapping(loaded.to_mapping()) == loaded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutations_of_the_default_workflow(data: st.DataObject) -> None:
    doc = data.draw(mutated(valid(), KEYS))
    loaded = only_slakit_errors(Workflow.from_mapping, doc)
    if loaded is not None:
        assert Workflow.from_mapping(loaded.to_mapping()) == loaded
