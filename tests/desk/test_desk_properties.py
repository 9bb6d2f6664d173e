"""The desk gives the pure core's answers: for any events and any wake schedule, the
escalations recorded are exactly those :func:`slakit.sla.due_escalations` gives at the same
instants, each recorded once, and the outbox hands each to the notifier once."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.desk import InMemoryNotifier
from slakit.sla import SlaEngine, due_escalations
from slakit.storage import InMemoryStore
from slakit.workflow import (
    AgentReplied,
    CustomerReplied,
    Escalated,
    Event,
    PriorityChanged,
    StatusChanged,
    TicketClosed,
    TicketReopened,
    TicketResolved,
    apply_all,
    can_apply,
)
from tests.desk.desk_testkit import T0, make_desk, opened


def recorded_keys(store: InMemoryStore) -> set[str]:
    return {e.key for e in store.load_events("shop", "T-1") if isinstance(e, Escalated)}


ENGINE = SlaEngine(make_desk(InMemoryStore()).policies)

_KINDS = ["reply", "note", "customer", "wait", "work", "urgent", "normal", "resolve",
          "reopen", "close"]


def _event(kind: str, i: int, minutes: int) -> Event:
    at, eid = T0 + timedelta(minutes=minutes), f"e{i}"
    if kind in ("reply", "note"):
        return AgentReplied(ticket="T-1", at=at, event_id=eid, public=kind == "reply")
    if kind == "customer":
        return CustomerReplied(ticket="T-1", at=at, event_id=eid)
    if kind in ("wait", "work"):
        to = "waiting_on_customer" if kind == "wait" else "in_progress"
        return StatusChanged(ticket="T-1", at=at, event_id=eid, to=to)
    if kind in ("urgent", "normal"):
        return PriorityChanged(ticket="T-1", at=at, event_id=eid, priority=kind)
    if kind == "resolve":
        return TicketResolved(ticket="T-1", at=at, event_id=eid)
    if kind == "reopen":
        return TicketReopened(ticket="T-1", at=at, event_id=eid)
    return TicketClosed(ticket="T-1", at=at, event_id=eid)


steps = st.lists(
    st.tuples(st.sampled_from([*_KINDS, "wake", "wake", "wake"]), st.integers(0, 50)),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(steps=steps, priority=st.sampled_from(["urgent", "normal"]))
def test_recorded_escalations_equal_the_pure_answer_at_the_same_instants(
    steps: list[tuple[str, int]], priority: str
) -> None:
    store, notifier = InMemoryStore(), InMemoryNotifier()
    desk = make_desk(store, notifier)
    history: list[Event] = [opened("T-1", priority=priority)]
    desk.record("shop", history, T0)
    expected: dict[str, object] = {}

    def judge(minutes: int) -> None:
        _, sla = ENGINE.apply_all(history)
        for d in due_escalations(sla, T0 + timedelta(minutes=minutes)):
            expected.setdefault(d.key, (d.fire_at, d.rule, d.level))

    judge(0)
    minutes = 0
    for i, (kind, gap) in enumerate(steps):
        minutes += gap
        now = T0 + timedelta(minutes=minutes)
        if kind == "wake":
            desk.wake(now)
        else:
            event = _event(kind, i, minutes)
            if not can_apply(apply_all(history), event):
                continue
            history.append(event)
            desk.record("shop", [event], now)
        judge(minutes)
        assert recorded_keys(store) == set(expected)  # at this very instant
    desk.wake(T0 + timedelta(minutes=minutes))  # one more instant: delivers the last ones
    judge(minutes)
    recorded = {e.key: (e.due_at, e.rule, e.level)
                for e in store.load_events("shop", "T-1") if isinstance(e, Escalated)}
    assert recorded == expected
    # Each recorded once, and handed to the notifier once.
    keys = [e.key for e in store.load_events("shop", "T-1") if isinstance(e, Escalated)]
    assert len(keys) == len(set(keys))
    assert sorted(d.key for d in notifier.delivered) == sorted(keys)
