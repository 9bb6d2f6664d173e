"""plan_append's shortcuts give the general answers: the two clock figures a decision reads
(deadline and breach) are those of ``sla.at(now)``, for any history and any instant, on a
24x7 clock and on office hours (Asia/Shanghai, weekends closed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.desk._plan import _fired_clocks
from slakit.policies import EscalationRule, at_fraction, breach_ladder, every, notify
from slakit.sla import SlaEngine, SlaState, due_escalations
from slakit.workflow import DeadlineOverridden, Event, apply_all, can_apply
from tests.desk.desk_testkit import T0, opened
from tests.desk.test_desk_properties import ENGINE, _event, steps
from tests.sla.sla_testkit import Events, engine, sh, simple_policy


def _expected(sla: SlaState, now: datetime, fired: set[tuple[str, int]]) -> dict[
        tuple[str, int], tuple[str | None, str | None]]:
    """``sla.at(now)``'s due_at and breached_at, written out (the offset must agree too)."""
    return {(r.metric, r.cycle): (_iso(r.due_at), _iso(r.breached_at))
            for r in sla.at(now) if (r.metric, r.cycle) in fired}


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat()


def _check(sla: SlaState, now: datetime) -> None:
    due = due_escalations(sla, now)
    fired = {(d.metric, d.cycle) for d in due}
    got = {key: (_iso(a), _iso(b)) for key, (a, b) in _fired_clocks(sla, due, now).items()}
    assert got == _expected(sla, now, fired)
    assert set(got) == fired


@settings(max_examples=150, deadline=None)
@given(steps=steps, priority=st.sampled_from(["urgent", "normal"]),
       later=st.integers(0, 600))
def test_the_fired_clocks_are_those_of_sla_at_now(
    steps: list[tuple[str, int]], priority: str, later: int
) -> None:
    history: list[Event] = [opened("T-1", priority=priority)]
    minutes = 0
    for i, (kind, gap) in enumerate(steps):
        minutes += gap
        event = _event(kind, i, minutes)
        if kind != "wake" and can_apply(apply_all(history), event):
            history.append(event)
    _, sla = ENGINE.apply_all(history)
    _check(sla, T0 + timedelta(minutes=minutes + later))


OFFICE_ENGINE: SlaEngine = engine(simple_policy(escalations=[
    EscalationRule("half", "resolution", at_fraction(0.5), [notify("lead")]),
    EscalationRule("nag", "first_response", every(timedelta(minutes=40), limit=3),
                   [notify("agent")]),
    *breach_ladder("late", "first_response", [(timedelta(0), [notify("duty")]),
                                              (timedelta(hours=3), [notify("head")])]),
]))
_MOVES = ["reply", "customer", "wait", "work", "urgent", "normal", "resolve", "reopen",
          "override", "clear"]


@settings(max_examples=150, deadline=None)
@given(moves=st.lists(st.tuples(st.sampled_from(_MOVES), st.integers(0, 600)), max_size=12),
       later=st.integers(0, 5000))
def test_office_hours_clocks_too(moves: list[tuple[str, int]], later: int) -> None:
    """Business hours, pauses, priority changes, met and reopened cycles, set deadlines."""
    ev = Events()
    at = sh(6, 6, 16)  # a Friday afternoon: the weekend falls inside most histories
    history: list[Event] = [ev.opened(at, "normal")]
    for kind, gap in moves:
        at += timedelta(minutes=gap)
        event: Event = (
            ev.reply(at) if kind == "reply" else ev.customer(at) if kind == "customer"
            else ev.status(at, "waiting_on_customer") if kind == "wait"
            else ev.status(at, "in_progress") if kind == "work"
            else ev.priority(at, kind) if kind in ("urgent", "normal")
            else ev.resolved(at) if kind == "resolve" else ev.reopened(at) if kind == "reopen"
            else DeadlineOverridden(ticket="T-1", at=at, event_id=f"o{len(history)}",
                                    metric="resolution", reason="agreed",
                                    due_at=None if kind == "clear" else at + timedelta(hours=5)))
        if can_apply(apply_all(history), event):
            try:
                OFFICE_ENGINE.apply_all([*history, event])
            except ValueError:  # e.g. clearing a deadline no one set: the engine refuses it
                continue
            history.append(event)
    _, sla = OFFICE_ENGINE.apply_all(history)
    _check(sla, at + timedelta(minutes=later))


def test_only_the_cycles_that_fired_are_judged() -> None:
    """The ladder is on first response: the resolution clock (also late) is left out."""
    _, sla = ENGINE.apply_all([opened("T-1")])
    now = T0 + timedelta(hours=5)
    due = due_escalations(sla, now)
    assert {(d.metric, d.cycle) for d in due} == {("first_response", 1)}
    result = next(r for r in sla.at(now) if r.metric == "first_response")
    assert _fired_clocks(sla, due, now) == {
        ("first_response", 1): (result.due_at, result.breached_at)}
    assert result.due_at == result.breached_at == T0 + timedelta(minutes=30)
    assert _fired_clocks(sla, (), now) == {}
