"""Properties of the fold over random (often illegal) event sequences."""

from __future__ import annotations

from datetime import UTC

from hypothesis import given, settings

from slakit import SlakitError
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    Event,
    InvalidTransition,
    TicketState,
    apply,
    apply_all,
    can_apply,
)
from tests.workflow.workflow_testkit import event_sequences


def check_invariants(state: TicketState, applied: list[Event]) -> None:
    wf = DEFAULT_WORKFLOW
    assert state.status in wf.status_names
    assert state.stage is None or (
        state.stage in wf.stages and wf.status(state.status).keeps_stage
    )
    assert state.version == len(applied) == len(state.event_ids)
    assert state.event_ids == {e.event_id for e in applied}
    assert state.last_event_at == applied[-1].at
    assert state.opened_at == applied[0].at
    assert (state.resolved_at is not None) == (state.status in {"resolved", "closed"})
    assert (state.closed_at is not None) == (state.status == "closed")
    assert (state.cancelled_at is not None) == (state.status == "cancelled")
    assert state.reopen_count == sum(e.event_type == "reopened" for e in applied)
    times = [e.at.astimezone(UTC) for e in applied]
    assert times == sorted(times)
    if state.first_response_at is not None:
        assert state.opened_at <= state.first_response_at <= state.last_event_at


@settings(max_examples=200, deadline=None)
@given(event_sequences())
def test_random_sequences_never_produce_an_illegal_state(events: list[Event]) -> None:
    state: TicketState | None = None
    applied: list[Event] = []
    for event in events:
        before = None if state is None else dict(state.__dict__)
        predicted = can_apply(state, event)
        try:
            new = apply(state, event)
        except SlakitError as error:
            refused: Exception | None = error
        else:
            refused = None
        if refused is not None:
            assert isinstance(refused, ValueError)
            assert not predicted
            # Illegal input raises and changes nothing.
            assert (None if state is None else dict(state.__dict__)) == before
            continue
        assert predicted
        # apply is pure: the input state is unchanged.
        assert (None if state is None else dict(state.__dict__)) == before
        if new is not state:
            applied.append(event)
        state = new
        check_invariants(state, applied)
    if applied:
        # Replaying the accepted events gives the same state (determinism).
        assert apply_all(applied) == state
        assert apply_all(applied) == apply_all(list(applied))


@settings(max_examples=100, deadline=None)
@given(event_sequences(max_size=15))
def test_fold_is_deterministic_even_on_failure(events: list[Event]) -> None:
    def run() -> tuple[TicketState | None, str | None]:
        state: TicketState | None = None
        for event in events:
            try:
                state = apply(state, event)
            except InvalidTransition as error:
                return state, str(error)
            except SlakitError as error:
                return state, repr(error)
        return state, None

    assert run() == run()
