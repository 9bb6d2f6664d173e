"""slakit._fast: the one writer past the frozen guard, and memos that never show.

A memo filled by ``next_wake_at`` / ``due_escalations``, the event time a state keeps as the
host passed it, and the engine's threshold cache must leave ``==``, ``hash``, ``repr`` and
pickling exactly as a state without them.
"""

from __future__ import annotations

import pickle
import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import load_policies
from slakit.sla import SlaEngine, SlaState, due_escalations, next_wake_at
from slakit.workflow import TicketState, apply
from tests.sla.sla_testkit import Events, sh

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "slakit"


def _engine() -> SlaEngine:
    with (ROOT / "examples" / "sla_policies.toml").open("rb") as f:
        return SlaEngine(load_policies(tomllib.load(f)))


def _states(engine: SlaEngine) -> list[SlaState]:
    """Every state of one ticket's life, folded event by event (escalation rules apply)."""
    ev = Events()
    t0 = sh(1, 24, 20, 30)
    events = [ev.opened(t0, "urgent"), ev.assigned(t0 + timedelta(minutes=3)),
              ev.customer(t0 + timedelta(minutes=50)), ev.priority(t0 + timedelta(hours=2), "high"),
              ev.reply(t0 + timedelta(hours=3)), ev.customer(t0 + timedelta(hours=5))]
    ticket: TicketState | None = None
    state: SlaState | None = None
    out = []
    for e in events:
        ticket = apply(ticket, e)
        state = engine.advance(state, e, ticket)
        out.append(state)
    return out


def _bare(state: SlaState) -> SlaState:
    """The same state built through ``__init__``: no memo, no event time, no engine cache."""
    copy = attrs.evolve(state)
    assert (copy._wake_memo, copy._event_at, copy._thresholds) == (None, None, None)
    return copy


ENGINE = _engine()
STATES = _states(ENGINE)


def test_the_folded_states_carry_the_engines_cache_and_their_event_time() -> None:
    assert all(s._thresholds is ENGINE._thresholds for s in STATES)
    assert all(s._event_at is not None for s in STATES)
    assert _engine()._thresholds is not ENGINE._thresholds  # caches belong to one engine


@settings(max_examples=60, deadline=None)
@given(index=st.integers(0, len(STATES) - 1), minutes=st.integers(0, 60 * 24 * 5))
def test_memos_leave_equality_hash_repr_and_pickling_unchanged(index: int, minutes: int) -> None:
    state = STATES[index]
    now = state.last_event_at + timedelta(minutes=minutes)
    bare = _bare(state)
    # The memo-free copy first: it answers without memo or engine cache, and warms the
    # calendars both share (a BusinessCalendar keeps the key its hash is built from, and
    # pickles it: the calendar's own cache, not the state's business).
    wake = next_wake_at(bare, now)
    due = due_escalations(bare, now, since=state.last_event_at)
    hash(bare)
    before = (repr(state), pickle.dumps(state), hash(state))
    assert next_wake_at(state, now) == wake
    assert due_escalations(state, now, since=state.last_event_at) == due
    assert state._wake_memo is not None  # the memo was filled ...
    after = (repr(state), pickle.dumps(state), hash(state))
    assert after == before  # ... and shows nowhere
    assert state == bare
    assert hash(state) == hash(bare)
    assert repr(state) == repr(bare)
    copy = pickle.loads(pickle.dumps(state))
    assert (copy._wake_memo, copy._event_at, copy._thresholds) == (None, None, None)
    assert copy == state
    assert next_wake_at(copy, now) == wake


def test_the_event_time_as_passed_answers_for_itself_only() -> None:
    state = STATES[-1]
    given = state._event_at
    assert isinstance(given, datetime)
    assert next_wake_at(state, given) == next_wake_at(_bare(state), given)
    equal_not_same = given + timedelta(0)  # an equal datetime, another object
    assert next_wake_at(state, equal_not_same) == next_wake_at(state, given)


def test_frozen_values_still_refuse_plain_assignment() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        STATES[0]._wake_memo = None  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        STATES[0].version = 9  # type: ignore[misc]


def test_no_module_writes_past_the_frozen_guard_but_fast() -> None:
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if p.name != "_fast.py" and re.search(r"object\.__setattr__", p.read_text())]
    assert offenders == []


def test_the_sla_package_keeps_no_module_wide_cache() -> None:
    from slakit.sla import _escalation, _now

    assert not hasattr(_now, "_last")
    assert not hasattr(_escalation, "_fixed")
