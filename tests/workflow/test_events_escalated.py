"""The ``escalated`` event: the desk's record of a fired escalation (issue 13)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from slakit import SlakitError
from slakit.workflow import (
    Escalated,
    EventDecodeError,
    Transition,
    Workflow,
    WorkflowDefinitionError,
    WorkflowStatus,
    apply,
    apply_all,
    event_from_dict,
    event_from_json,
    event_to_json,
)
from tests.workflow.workflow_testkit import EventFactory, events_to_reach

AT = datetime(2025, 3, 3, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def escalated(ticket: str = "T-1", at: datetime = AT, key: str = "T-1/resolution/1/late/1/1"
              ) -> Escalated:
    return Escalated.for_key(ticket=ticket, at=at, key=key, metric="resolution",
                             rule="late/1", level=1, due_at=AT - timedelta(minutes=5),
                             actions=[("notify", ["duty_manager", "lead"]), ("reassign", ["l2"])])


def test_canonical_json_is_exact_and_round_trips() -> None:
    text = event_to_json(escalated())
    assert text == (
        '{"type":"escalated","schema":2,"ticket":"T-1","at":"2025-03-03T09:30:00+08:00",'
        '"event_id":"escalated/T-1/resolution/1/late/1/1","actor":null,'
        '"key":"T-1/resolution/1/late/1/1","metric":"resolution","rule":"late/1","level":1,'
        '"due_at":"2025-03-03T09:25:00+08:00",'
        '"actions":[{"notify":["duty_manager","lead"]},{"reassign":["l2"]}]}'
    )
    assert event_from_json(text) == escalated()


@pytest.mark.parametrize("status", ["new", "in_progress", "waiting_on_customer", "resolved",
                                    "closed", "cancelled"])
def test_accepted_in_every_status_and_moves_nothing(status: str) -> None:
    f = EventFactory()
    state = apply_all(events_to_reach(status, f))
    event = escalated(at=f.make(Escalated, key="k", metric="m", rule="r", level=0,
                                due_at=AT, actions=[]).at)
    new = apply(state, event)
    assert new.status == status
    assert new.version == state.version + 1
    assert apply(new, event) is new  # recording it again is a redelivery


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"actions": "notify"}, "must be a list"),
        ({"actions": [{"notify": ["a"], "reassign": ["b"]}]}, "actions[0] must be one kind"),
        ({"actions": [{"page": ["a"]}]}, "unknown escalation action 'page'"),
        ({"actions": [{"notify": []}]}, "needs one or more non-empty target names"),
        ({"due_at": "2025-03-03T09:00:00"}, "has no UTC offset"),
        ({"level": -1}, "level must be an int >= 0"),
        ({"level": True}, "level must be an int >= 0"),
        ({"extra": 1}, "unknown keys: extra"),
    ],
)
def test_malformed_documents_are_refused_with_the_reason(doc: dict[str, object],
                                                         message: str) -> None:
    good: dict[str, object] = {"type": "escalated", "ticket": "T-1", "at": "2025-03-03T09:30:00+08:00",
            "event_id": "x", "actor": None, "key": "k", "metric": "m", "rule": "r",
            "level": 1, "due_at": "2025-03-03T09:30:00+08:00", "actions": []}
    with pytest.raises(EventDecodeError) as info:
        event_from_dict({**good, **doc})
    assert message in str(info.value)
    assert isinstance(info.value, SlakitError)


def test_a_workflow_table_may_not_list_it() -> None:
    with pytest.raises(WorkflowDefinitionError, match="'escalated' is accepted in every status"):
        Workflow(name="tiny", statuses=[WorkflowStatus("open"),
                                        WorkflowStatus("done", terminal=True)],
                 initial="open", transitions=[Transition("open", "resolved", "done"),
                                              Transition("open", "escalated", "open")])


def test_a_custom_workflow_accepts_it_without_a_row() -> None:
    wf = Workflow(name="tiny", statuses=[WorkflowStatus("open"),
                                         WorkflowStatus("done", terminal=True)],
                  initial="open", transitions=[Transition("open", "resolved", "done")])
    f = EventFactory()
    state = apply_all(events_to_reach("new", f)[:1], wf)
    assert apply(state, escalated(at=f.make(Escalated, key="k", metric="m", rule="r", level=0,
                                            due_at=AT, actions=[]).at), wf).status == "open"
