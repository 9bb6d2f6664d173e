"""plan_append's shortcuts give the general answers: the clock figures a decision is judged
by are those of ``sla.at(now)``, for any history and any instant."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.desk._plan import _fired_clocks
from slakit.sla import due_escalations
from slakit.workflow import Event, apply_all, can_apply
from tests.desk.desk_testkit import T0, opened
from tests.desk.test_desk_properties import ENGINE, _event, steps


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
    now = T0 + timedelta(minutes=minutes + later)
    due = due_escalations(sla, now)
    fired = {(d.metric, d.cycle) for d in due}
    expected = {(r.metric, r.cycle): r for r in sla.at(now) if (r.metric, r.cycle) in fired}
    assert _fired_clocks(sla, due, now) == expected
    assert set(expected) == fired


def test_only_the_cycles_that_fired_are_judged() -> None:
    """The ladder is on first response: the resolution clock (also late) is left out."""
    _, sla = ENGINE.apply_all([opened("T-1")])
    now = T0 + timedelta(hours=5)
    due = due_escalations(sla, now)
    assert {(d.metric, d.cycle) for d in due} == {("first_response", 1)}
    assert _fired_clocks(sla, due, now) == {
        ("first_response", 1): next(r for r in sla.at(now) if r.metric == "first_response")}
    assert _fired_clocks(sla, (), now) == {}
