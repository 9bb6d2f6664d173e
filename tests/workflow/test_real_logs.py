"""Status histories of real desks replayed through the default workflow (slices of the logs)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.workflow.workflow_testkit_real_logs import (
    READERS,
    Step,
    events_for_history,
    replay_case,
    replay_log,
    summary,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "workflow"

EXPECTED = {
    "uci": {"clean": 20, "clean_mid_life": 10, "illegal": 13, "junk": 2, "out_of_order": 1},
    "bpic2013": {"clean": 20, "clean_mid_life": 10, "illegal": 1, "junk": 5},
    "helpdesk": {"clean": 23, "clean_mid_life": 10},
}
EXPECTED_DETAILS = {
    "uci": {
        "clean_mid_life: starts Active": 9,
        "clean_mid_life: starts Resolved": 1,
        "illegal: new: closed": 11,
        "illegal: in_progress: closed": 1,
        "illegal: waiting_on_customer: closed": 1,
        "junk: -100": 2,
        "out_of_order: ": 1,
    },
    "bpic2013": {
        "clean_mid_life: starts Accepted/In Progress": 10,
        "illegal: closed: resolved": 1,
        "junk: Unmatched/Unmatched": 5,
    },
    "helpdesk": {
        "clean_mid_life: starts Take in charge ticket": 9,
        "clean_mid_life: starts Resolve ticket": 1,
    },
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_slice_replays_as_recorded(name: str) -> None:
    reader = READERS[name][1]
    outcomes = replay_log(reader(DATA / f"{name}_slice.csv"))
    kinds, details = summary(outcomes)
    assert dict(kinds) == EXPECTED[name]
    assert dict(details) == EXPECTED_DETAILS[name]
    reopened = [o for o in outcomes if o.state is not None and o.state.reopen_count > 0]
    assert len(reopened) >= 3  # real reopens replay through the default workflow


def test_uci_incident_exact_state() -> None:
    outcomes = {o.case: o for o in replay_log(READERS["uci"][1](DATA / "uci_slice.csv"))}
    state = outcomes["INC0000045"].state
    assert state is not None
    assert (state.status, state.version, state.priority) == ("closed", 3, "moderate")
    assert state.opened_at == datetime(2016, 2, 29, 1, 23, tzinfo=UTC)
    assert state.resolved_at == datetime(2016, 2, 29, 8, 53, tzinfo=UTC)


def test_bpic_reopen_after_close_is_counted() -> None:
    outcomes = {o.case: o for o in replay_log(READERS["bpic2013"][1](DATA / "bpic2013_slice.csv"))}
    state = outcomes["1-364285768"].state
    assert state is not None
    assert (state.status, state.reopen_count) == ("closed", 1)


def test_history_conversion_rules() -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    steps = [Step("C", at, raw, status) for raw, status in [
        ("a", "new"), ("b", "assigned"), ("c", "waiting_on_customer"), ("d", None),
        ("e", "resolved"), ("f", "resolved"), ("g", "waiting_on_customer"), ("h", "closed"),
    ]]
    events = events_for_history("C", steps)
    assert [(e.event_type, getattr(e, "to", None)) for e in events] == [
        ("opened", None), ("assigned", None), ("status_changed", "waiting_on_customer"),
        ("resolved", None), ("reopened", None), ("status_changed", "waiting_on_customer"),
        ("closed", None),
    ]
    outcome = replay_case("C", steps)
    assert outcome.kind == "illegal"  # closing needs a resolution first
    assert outcome.detail == "waiting_on_customer: closed"
