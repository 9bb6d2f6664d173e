from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit import SlakitError
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    EVENT_CLASSES,
    AgentReplied,
    CustomerReplied,
    DeadlineOverridden,
    Escalated,
    Event,
    InvalidTransition,
    LateEventError,
    PriorityChanged,
    Satisfaction,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketClosed,
    TicketOpened,
    TicketRated,
    TicketReopened,
    TicketResolved,
    TicketState,
    WrongTicketError,
    apply,
    apply_all,
    can_apply,
    refusal,
)
from tests.workflow.workflow_testkit import T0, EventFactory, events_to_reach

# What the default workflow accepts in each status, written independently of the table.
ALLOWED = {
    "new": {"agent_replied", "assigned", "cancelled", "customer_replied", "facts_changed",
            "priority_changed",
            "resolved", "status_changed"},
    "assigned": {"agent_replied", "assigned", "cancelled", "customer_replied",
                 "facts_changed", "priority_changed", "resolved", "stage_changed", "status_changed"},
    "in_progress": {"agent_replied", "assigned", "cancelled", "customer_replied",
                    "facts_changed", "priority_changed", "resolved", "stage_changed", "status_changed"},
    "waiting_on_customer": {"agent_replied", "assigned", "cancelled", "customer_replied",
                            "facts_changed", "priority_changed", "resolved", "status_changed"},
    "waiting_on_third_party": {"agent_replied", "assigned", "cancelled", "customer_replied",
                               "facts_changed", "priority_changed", "resolved", "status_changed"},
    "resolved": {"agent_replied", "closed", "customer_replied", "facts_changed", "rated",
                 "reopened"},
    "closed": {"rated", "reopened"},
    "cancelled": set(),
}
# Where each status-moving event leads (events not listed keep the status).
MOVES = {
    ("new", "assigned"): "assigned",
    ("assigned", "stage_changed"): "in_progress",
    ("waiting_on_customer", "customer_replied"): "in_progress",
    ("resolved", "reopened"): "in_progress",
    ("resolved", "closed"): "closed",
    ("closed", "reopened"): "in_progress",
    **{(s, "resolved"): "resolved" for s in ("new", "assigned", "in_progress",
                                            "waiting_on_customer", "waiting_on_third_party")},
    **{(s, "cancelled"): "cancelled" for s in ("new", "assigned", "in_progress",
                                              "waiting_on_customer", "waiting_on_third_party")},
}
STATUS_CHANGE_TARGETS = {
    "new": {"in_progress", "waiting_on_customer", "waiting_on_third_party"},
    "assigned": {"new", "in_progress", "waiting_on_customer", "waiting_on_third_party"},
    "in_progress": {"new", "assigned", "waiting_on_customer", "waiting_on_third_party"},
    "waiting_on_customer": {"new", "assigned", "in_progress", "waiting_on_third_party"},
    "waiting_on_third_party": {"new", "assigned", "in_progress", "waiting_on_customer"},
    "resolved": set(),
    "closed": set(),
    "cancelled": set(),
}


def state_in(status: str, factory: EventFactory | None = None) -> TicketState:
    factory = factory or EventFactory()
    state = apply_all(events_to_reach(status, factory))
    assert state.status == status
    return state


def snapshot(state: TicketState) -> dict[str, object]:
    return dict(state.__dict__)


def test_full_life_gives_exact_state() -> None:
    f = EventFactory()
    events: list[Event] = [
        f.make(TicketOpened, subject="Parcel lost", tags=frozenset({"vip"})),
        f.make(TicketAssigned),
        f.make(AgentReplied, public=False),
        f.make(AgentReplied),
        f.make(StageChanged, stage="investigating"),
        f.make(StatusChanged, to="waiting_on_customer"),
        f.make(CustomerReplied),
        f.make(StageChanged, stage="fixing"),
        f.make(PriorityChanged, priority="high", reason="vip"),
        f.make(TicketResolved, resolution_code="refund"),
        f.make(TicketReopened),
        f.make(TicketResolved, resolution_code="resent"),
        f.make(TicketClosed, auto=True),
        f.make(TicketRated, response_speed=4, resolution=5, attitude=None),
    ]
    state = apply_all(events)
    m = [T0 + timedelta(minutes=i) for i in range(len(events))]
    assert state == TicketState(
        ticket="T-1",
        status="closed",
        stage=None,
        priority="high",
        category="delivery",
        channel="email",
        customer="c-1",
        customer_tier="gold",
        subject="Parcel lost",
        tags=frozenset({"vip"}),
        assignee="ana",
        group="returns",
        opened_at=m[0],
        status_since=m[12],
        first_response_at=m[3],
        last_agent_reply_at=m[3],
        last_customer_reply_at=m[6],
        first_resolved_at=m[9],
        resolved_at=m[11],
        resolution_code="resent",
        closed_at=m[12],
        auto_closed=True,
        cancelled_at=None,
        reopen_count=1,
        satisfaction=Satisfaction(4, 5, None),
        version=14,
        last_event_at=m[13],
        event_ids=frozenset(e.event_id for e in events),
    )


@pytest.mark.parametrize("status", sorted(ALLOWED))
@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.event_type)
def test_transition_table_accepts_exactly_the_expected_events(
    status: str, cls: type[Event]
) -> None:
    f = EventFactory()
    state = state_in(status, f)
    before = snapshot(state)
    # For status_changed, pick a legal target when there is one.
    targets = sorted(STATUS_CHANGE_TARGETS[status])
    extra: dict[str, Any] = {"to": targets[0]} if cls is StatusChanged and targets else {}
    event = f.make(cls, **extra)
    if cls in (Escalated, DeadlineOverridden):  # history: accepted everywhere, moves nothing
        new = apply(state, event)
        assert (new.status, new.version) == (state.status, state.version + 1)
        assert new.event_ids == state.event_ids | {event.event_id}
    elif cls.event_type in ALLOWED[status]:
        assert can_apply(state, event)
        new = apply(state, event)
        expected = MOVES.get((status, cls.event_type), status)
        if cls is StatusChanged:
            expected = targets[0]
        assert new.status == expected
        assert new.version == state.version + 1
    else:
        assert not can_apply(state, event)
        with pytest.raises(InvalidTransition) as info:
            apply(state, event)
        assert info.value.status == status
        assert info.value.event_type == cls.event_type
        assert set(info.value.allowed) == ALLOWED[status]
    assert snapshot(state) == before  # the input state never changes


@pytest.mark.parametrize("status", sorted(ALLOWED))
@pytest.mark.parametrize(
    "to",
    ["new", "assigned", "in_progress", "waiting_on_customer", "waiting_on_third_party",
     "resolved", "closed", "cancelled", "nonsense"],
)
def test_status_changed_targets(status: str, to: str) -> None:
    f = EventFactory()
    state = state_in(status, f)
    event = f.make(StatusChanged, to=to)
    if to in STATUS_CHANGE_TARGETS[status]:
        assert apply(state, event).status == to
    else:
        with pytest.raises(InvalidTransition, match=f"cannot change to '{to}'"):
            apply(state, event)


def test_invalid_transition_message_names_status_event_and_allowed() -> None:
    f = EventFactory()
    state = state_in("cancelled", f)
    with pytest.raises(InvalidTransition) as info:
        apply(state, f.make(TicketReopened))
    assert str(info.value) == (
        "event 'reopened' is not allowed in status 'cancelled'; allowed here: "
        "nothing (the status is terminal)"
    )
    state = state_in("closed", f)
    with pytest.raises(InvalidTransition) as info:
        apply(state, f.make(CustomerReplied))
    assert str(info.value) == (
        "event 'customer_replied' is not allowed in status 'closed'; allowed here: rated, reopened"
    )
    assert isinstance(info.value, SlakitError)
    assert isinstance(info.value, ValueError)


def test_only_opened_starts_a_ticket_and_only_once() -> None:
    f = EventFactory()
    with pytest.raises(InvalidTransition, match=r"does not exist yet.*allowed here: opened"):
        apply(None, f.make(TicketAssigned))
    state = apply(None, f.make(TicketOpened))
    with pytest.raises(InvalidTransition, match="'opened' is not allowed in status 'new'"):
        apply(state, f.make(TicketOpened))


def test_redelivered_event_is_a_no_op() -> None:
    f = EventFactory()
    opened = f.make(TicketOpened)
    assigned = f.make(TicketAssigned)
    state = apply_all([opened, assigned])
    assert apply(state, assigned) is state
    assert apply(state, opened) is state
    # Same id, other content: still the already-applied event, so still a no-op.
    assert apply(state, attrs.evolve(assigned, assignee="bob")) is state
    assert can_apply(state, assigned)


def test_late_event_raises_and_equal_time_keeps_order() -> None:
    f = EventFactory()
    state = state_in("in_progress", f)
    late = AgentReplied(ticket="T-1", at=state.last_event_at - timedelta(seconds=1), event_id="x")
    with pytest.raises(LateEventError, match="before the ticket's last event") as info:
        apply(state, late)
    assert info.value.event_id == "x"
    assert not can_apply(state, late)
    same_time: list[Event] = [
        StatusChanged(ticket="T-1", at=state.last_event_at, event_id="a",
                      to="waiting_on_customer"),
        CustomerReplied(ticket="T-1", at=state.last_event_at, event_id="b"),
    ]
    assert apply_all(same_time, start=state).status == "in_progress"
    reversed_order = apply_all(reversed(same_time), start=state)
    assert reversed_order.status == "waiting_on_customer"


def test_time_order_is_by_instant_not_wall_clock_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2024, 10, 27, 2, 30, tzinfo=berlin)  # CEST, 00:30 UTC
    second = datetime(2024, 10, 27, 2, 10, fold=1, tzinfo=berlin)  # CET, 01:10 UTC
    f = EventFactory()
    opened = f.make(TicketOpened, at=first)
    reply = AgentReplied(ticket="T-1", at=second, event_id="r")
    # Wall clock says 02:10 < 02:30, but the reply is 40 minutes later.
    assert apply(apply(None, opened), reply).first_response_at == second
    opened_late = f.make(TicketOpened, at=second)
    with pytest.raises(LateEventError):
        apply(apply(None, opened_late), AgentReplied(ticket="T-1", at=first, event_id="r"))


def test_mixed_offsets_compare_as_instants() -> None:
    f = EventFactory()
    state = apply(None, f.make(TicketOpened, at=datetime(2025, 1, 1, 12, tzinfo=timezone.utc)))
    plus_two = timezone(timedelta(hours=2))
    earlier = AgentReplied(ticket="T-1", at=datetime(2025, 1, 1, 13, tzinfo=plus_two),
                           event_id="r")
    with pytest.raises(LateEventError):
        apply(state, earlier)
    later = attrs.evolve(earlier, at=datetime(2025, 1, 1, 14, 1, tzinfo=plus_two))
    assert apply(state, later).version == 2


def test_event_of_another_ticket_raises() -> None:
    state = state_in("new")
    other = EventFactory("T-2", start=T0 + timedelta(hours=1)).make(AgentReplied)
    with pytest.raises(WrongTicketError, match="'T-2' applied to the state of ticket 'T-1'"):
        apply(state, other)
    assert isinstance(refusal(state, other), WrongTicketError)


def test_another_tickets_event_with_a_colliding_id_raises_not_skipped() -> None:
    # Issue #12 item 5: ids are unique per ticket only, so T-2's "e1" is not T-1's "e1".
    f = EventFactory()
    opened = f.make(TicketOpened)
    state = apply_all([opened, f.make(TicketAssigned)])
    before = snapshot(state)
    for used_id in sorted(state.event_ids):
        other = AgentReplied(ticket="T-2", at=state.last_event_at, event_id=used_id)
        with pytest.raises(WrongTicketError, match="'T-2' applied to the state of ticket 'T-1'"):
            apply(state, other)
        assert not can_apply(state, other)
        assert isinstance(refusal(state, other), WrongTicketError)
        with pytest.raises(WrongTicketError):
            apply_all([other], start=state)
        other_open = attrs.evolve(opened, ticket="T-2")
        with pytest.raises(WrongTicketError):
            apply_all([opened, other_open])
    assert snapshot(state) == before
    # The same id on the right ticket is still a redelivery.
    assert apply(state, attrs.evolve(opened)) is state


def test_unknown_stage_raises_and_names_stages() -> None:
    f = EventFactory()
    state = state_in("assigned", f)
    bad = f.make(StageChanged, stage="testing")
    with pytest.raises(InvalidTransition, match="unknown stage 'testing'; stages: "
                       "investigating, planning, fixing"):
        apply(state, bad)
    assert not can_apply(state, bad)


def test_stage_survives_waiting_and_is_cleared_on_resolution() -> None:
    f = EventFactory()
    state = state_in("in_progress", f)
    assert state.stage == "investigating"
    waiting = apply(state, f.make(StatusChanged, to="waiting_on_third_party"))
    assert waiting.stage == "investigating"
    back = apply(waiting, f.make(StatusChanged, to="in_progress"))
    assert back.stage == "investigating"
    handed_back = apply(back, f.make(StatusChanged, to="assigned"))
    assert handed_back.stage is None
    assert apply(back, f.make(TicketResolved)).stage is None


def test_first_response_counts_public_replies_only() -> None:
    f = EventFactory()
    state = state_in("new", f)
    note = apply(state, f.make(AgentReplied, public=False))
    assert note.first_response_at is None
    assert note.version == 2
    first = apply(note, f.make(AgentReplied))
    second = apply(first, f.make(AgentReplied))
    assert first.first_response_at == second.first_response_at == T0 + timedelta(minutes=2)
    assert second.last_agent_reply_at == T0 + timedelta(minutes=3)


def test_status_since_moves_only_with_the_status() -> None:
    f = EventFactory()
    state = state_in("in_progress", f)
    since = state.status_since
    replied = apply(state, f.make(AgentReplied))
    assert replied.status_since == since
    waiting = apply(replied, f.make(StatusChanged, to="waiting_on_customer"))
    assert waiting.status_since == waiting.last_event_at


def test_reopen_clears_resolution_and_counts() -> None:
    f = EventFactory()
    closed = state_in("closed", f)
    reopened = apply(closed, f.make(TicketReopened))
    assert (reopened.status, reopened.reopen_count) == ("in_progress", 1)
    assert reopened.resolved_at is None
    assert reopened.closed_at is None
    assert reopened.resolution_code is None
    assert reopened.first_resolved_at == closed.first_resolved_at is not None


def test_cancel_records_time() -> None:
    f = EventFactory()
    state = state_in("cancelled", f)
    assert state.cancelled_at == state.last_event_at


def test_replay_of_nothing_raises() -> None:
    with pytest.raises(InvalidTransition, match="apply_all needs at least one event"):
        apply_all([])
    state = state_in("new")
    assert apply_all([], start=state) is state


def test_state_is_frozen() -> None:
    state = state_in("new")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        state.status = "closed"  # type: ignore[misc]
    assert attrs.evolve(state, status="assigned").status == "assigned"
    assert hash(state) == hash(apply_all(events_to_reach("new", EventFactory())))


@given(st.sampled_from(["urgent", "normal"]), st.none() | st.text("ab", min_size=1, max_size=2),
       st.none() | st.just("email"), st.none() | st.just("c-1"), st.none() | st.just("gold"),
       st.text("xy", max_size=3), st.frozensets(st.sampled_from("abc")))
def test_an_opened_ticket_is_the_state_its_constructor_gives(
    priority: str, category: str | None, channel: str | None, customer: str | None,
    tier: str | None, subject: str, tags: frozenset[str],
) -> None:
    """The fold builds the first state from a dict of every field: the constructor's value,
    field by field (declaration order too), with a dict no bigger than the constructor's."""
    e = TicketOpened(ticket="T-1", at=T0, event_id="e1", priority=priority, category=category,
                     channel=channel, customer=customer, customer_tier=tier, subject=subject,
                     tags=tags)
    built = apply(None, e)
    made = TicketState(ticket="T-1", status=DEFAULT_WORKFLOW.initial, priority=priority,
                       category=category, channel=channel, customer=customer,
                       customer_tier=tier, subject=subject, tags=e.tags, opened_at=T0,
                       status_since=T0, last_event_at=T0, event_ids=frozenset({"e1"}))
    assert built == made
    assert list(built.__dict__) == [f.name for f in attrs.fields(TicketState)]
    assert {k: (type(v), v) for k, v in built.__dict__.items()} == {
        k: (type(v), v) for k, v in made.__dict__.items()}
    assert sys.getsizeof(built.__dict__) <= sys.getsizeof(made.__dict__)
