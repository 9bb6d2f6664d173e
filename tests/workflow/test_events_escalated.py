"""The ``escalated`` event: the desk's record of a fired escalation (issue 13)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import SlakitError
from slakit.workflow import (
    ESCALATED_ID_PREFIX,
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
    event_to_dict,
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


# -- for_key's fast path gives what the constructor gives, or raises what it raises ----------

_texts = st.one_of(st.sampled_from(["T-1", "first_response", "late/1", "", "工单", "a\ud800"]),
                   st.text(max_size=4), st.none(), st.integers(0, 3))
_times = st.one_of(
    st.datetimes(timezones=st.one_of(st.none(), st.just(timezone.utc),
                                     st.builds(lambda h: timezone(timedelta(hours=h)),
                                               st.integers(-12, 14)))),
    st.sampled_from([datetime.max.replace(tzinfo=timezone(timedelta(hours=-5))),
                     datetime.min.replace(tzinfo=timezone(timedelta(hours=5))), AT]),
    st.none())
_targets = st.one_of(st.lists(st.sampled_from(["lead", "", "值班", "\udc80"]), max_size=2),
                     st.sampled_from(["lead", None]))
_actions = st.lists(st.one_of(
    st.tuples(st.sampled_from(["notify", "reassign", "raise_priority", "page"]), _targets),
    st.tuples(st.just("notify")), st.just("notify")), max_size=3)


def _constructor(**kw: Any) -> Escalated:
    """What for_key was before its fast path: the validating constructor."""
    return Escalated(event_id=ESCALATED_ID_PREFIX + kw["key"], **kw)


def _outcome(make: Any, kw: dict[str, Any]) -> object:
    try:
        e = make(**kw)
    except Exception as exc:
        return type(exc), str(exc)
    return e, repr(e), [(a.name, type(getattr(e, a.name))) for a in attrs.fields(Escalated)]


_GOOD: dict[str, Any] = dict(
    ticket="T-1", at=AT, key="T-1/resolution/1/late/1/1", metric="resolution", rule="late/1",
    level=1, due_at=AT - timedelta(minutes=5), actions=(("notify", ("lead",)),), actor=None)
_ODD: dict[str, st.SearchStrategy[Any]] = {
    "ticket": _texts, "key": _texts, "metric": _texts, "rule": _texts, "at": _times,
    "due_at": _times, "level": st.one_of(st.integers(-1, 3), st.booleans(), st.none()),
    "actor": st.one_of(st.none(), st.sampled_from(["ana", "", "a\ud800"])),
    "actions": st.one_of(_actions, _actions.map(lambda acts: tuple(
        (a[0], tuple(a[1])) if isinstance(a, tuple) and len(a) == 2 and isinstance(a[1], list)
        else a for a in acts))),
}


@settings(max_examples=500, deadline=None)
@given(data=st.data(), odd=st.sets(st.sampled_from(sorted(_ODD)), max_size=2))
def test_for_key_equals_the_validating_constructor(data: st.DataObject, odd: set[str]) -> None:
    """Good values with up to two fields replaced by odd or bad ones (a lone surrogate, a
    naive or out-of-range time, a bool level, an unknown action, targets as a list...)."""
    kw = {**_GOOD, **{name: data.draw(_ODD[name], label=name) for name in sorted(odd)}}
    assert _outcome(Escalated.for_key, kw) == _outcome(_constructor, kw)


def test_for_key_takes_the_fast_path_for_a_policy_s_usual_values() -> None:
    """The common case (what the desk records) really is built without __init__."""
    kw = dict(ticket="T-1", at=AT, key="T-1/resolution/1/late/1/1", metric="resolution",
              rule="late/1", level=1, due_at=AT, actions=(("notify", ("duty_manager",)),))
    called = []
    original = Escalated.__init__

    def spy(self: Escalated, **fields: Any) -> None:
        called.append(fields)
        original(self, **fields)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Escalated, "__init__", spy)
        fast = Escalated.for_key(**kw)  # type: ignore[arg-type]
        slow = Escalated.for_key(**{**kw, "actions": [("notify", ["duty_manager"])]})  # type: ignore[arg-type]
    assert len(called) == 1  # the list form went through the constructor, the tuple did not
    assert fast == slow == _constructor(**kw)


@settings(max_examples=200, deadline=None)
@given(at=st.datetimes(timezones=st.builds(lambda m: timezone(timedelta(minutes=m)),
                                           st.integers(-720, 840))),
       how=st.sampled_from(["same object", "same instant elsewhere", "earlier"]),
       actions=st.lists(st.tuples(st.sampled_from(["notify", "reassign"]),
                                  st.lists(st.sampled_from(["a", "值班", 'q"']), min_size=1,
                                           max_size=2).map(tuple)), max_size=2).map(tuple))
def test_the_fast_json_of_an_escalation_is_its_canonical_form(
    at: datetime, how: str, actions: tuple[tuple[str, tuple[str, ...]], ...]
) -> None:
    """Its due time written once when it is the event's time, its actions' JSON memoised."""
    due = (at if how == "same object" else at.astimezone(timezone.utc)
           if how == "same instant elsewhere" else at - timedelta(minutes=7))
    e = Escalated.for_key(ticket="T-1", at=at, key="k", metric="m", rule="r", level=0,
                          due_at=due, actions=actions)
    canonical = json.dumps(event_to_dict(e), ensure_ascii=False, separators=(",", ":"))
    assert event_to_json(e) == canonical
    assert event_to_json(e) == canonical  # memoised actions: the same text again
    assert event_from_json(canonical) == e
