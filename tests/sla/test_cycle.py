"""retarget: one copy per step merged away, the same cycle as applying each step in turn."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import NamedCalendar
from slakit.sla._cycle import (
    ZERO,
    CycleState,
    TargetChange,
    close_span,
    crossing,
    new_cycle,
    projected_due,
    replace,
    resume,
    retarget,
)
from tests.sla.sla_testkit import C247, OFFICE, H, M, sh

UTC_START = sh(3, 3, 8)


def stepwise(c: CycleState, at: datetime, mode: str, priority: str,
             policy: tuple[str, str] | None, target: timedelta | None,
             calendar: NamedCalendar | None) -> CycleState:
    """retarget as it was written before the copies were merged: one copy per step."""
    was_running = c.running_since is not None
    c = close_span(c, at)
    if c.breached_at is None and c.target is not None and c.counted > c.target:
        c = replace(c, breached_at=crossing(c, c.target))
    old_due = projected_due(c, at)
    name = None if policy is None else policy[0]
    version = None if policy is None else policy[1]
    if target is None or calendar is None:
        change = TargetChange(at, c.priority, priority, mode, c.target, None, old_due, None)
        c = replace(c, priority=priority, policy=name, policy_version=version, target=None,
                    changes=(*c.changes, change))
        return resume(c, at) if was_running else c
    cal = calendar.calendar
    split = len(c.spans)
    if mode == "restart":
        new = replace(c, basis_at=at, carried=ZERO, basis_index=split, counted=ZERO)
    elif mode in ("keep_elapsed", "stricter"):
        new = replace(c, basis_at=at, carried=c.counted, basis_index=split, counted=c.counted)
    else:
        spans = tuple((s, e, cal.elapsed(s, e)) for s, e, _ in c.spans)
        new = replace(c, basis_at=c.started_at, carried=ZERO, basis_index=0, spans=spans,
                      counted=sum((d for _, _, d in spans), ZERO), breached_at=None)
    new = replace(new, priority=priority, policy=name, policy_version=version, target=target,
                  calendar=calendar)
    if mode == "from_creation" and new.counted > target:
        new = replace(new, breached_at=crossing(new, target))
    new_due = projected_due(new, at)
    kept: Literal["old", "new"] = "new"
    if mode == "stricter" and old_due is not None and new_due is not None and old_due <= new_due:
        kept = "old"
        new = replace(c, priority=priority)
    change = TargetChange(at, c.priority, priority, mode, c.target, target, old_due, new_due, kept)
    new = replace(new, changes=(*c.changes, change))
    return resume(new, at) if was_running else new


@st.composite
def cycles(draw: st.DrawFn) -> tuple[CycleState, datetime]:
    """A cycle that ran and paused a few times (maybe re-targeted already), and a later instant."""
    cal = draw(st.sampled_from([C247, OFFICE]))
    t = UTC_START + draw(st.integers(0, 3000)) * M
    c = new_cycle("resolution", 1, t, draw(st.booleans()), "normal", ("p", "1"),
                  draw(st.integers(1, 40)) * H, cal)
    for _ in range(draw(st.integers(0, 5))):
        t += draw(st.integers(1, 2000)) * M
        if draw(st.integers(0, 4)) == 0:
            c = retarget(c, t, draw(st.sampled_from(MODES)), "high", ("q", "2"),
                         draw(st.integers(1, 20)) * H, draw(st.sampled_from([C247, OFFICE])))
        else:
            c = close_span(c, t) if c.running_since is not None else resume(c, t)
    return c, t + draw(st.integers(0, 2000)) * M


MODES = ("restart", "keep_elapsed", "from_creation", "stricter")


@settings(max_examples=300, deadline=None)
@given(cycles(), st.sampled_from(MODES), st.sampled_from(["urgent", "normal", "low"]),
       st.none() | st.integers(1, 60).map(lambda n: n * 30 * M),
       st.sampled_from([C247, OFFICE, None]), st.none() | st.just(("r", "3")))
def test_retarget_equals_each_step_in_turn(
    cycle: tuple[CycleState, datetime], mode: str, priority: str, target: timedelta | None,
    calendar: NamedCalendar | None, policy: tuple[str, str] | None,
) -> None:
    c, at = cycle
    merged = retarget(c, at, mode, priority, policy, target, calendar)
    steps = stepwise(c, at, mode, priority, policy, target, calendar)
    assert merged == steps
    assert merged.__dict__ == steps.__dict__  # every field, those left out of == included
