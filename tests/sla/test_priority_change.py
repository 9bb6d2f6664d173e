"""Priority changes mid-ticket: each mode, upgrade and downgrade, with exact due times.

Policy (sla_testkit.simple_policy): urgent resolution 4 h on 24x7; normal resolution 24 h on
office hours Mon-Fri 09:00-18:00 (Asia/Shanghai).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import attrs
import pytest

from slakit.policies import ChangeMode, PriorityChangeSettings
from slakit.sla import ClockResult
from slakit.workflow import Event, apply
from tests.sla.sla_testkit import Events, H, engine, sh, simple_policy


def resolution(mode: str, events: list[Event], now: datetime) -> ClockResult:
    settings = PriorityChangeSettings(cast(ChangeMode, mode), cast(ChangeMode, mode))
    _, state = engine(simple_policy(priority_change=settings)).apply_all(events)
    return {r.metric: r for r in state.at(now, explain=True)}["resolution"]


# Opened normal Fri 17:00 (1 office hour counted by Fri 18:00), upgraded Mon 08:00.
UPGRADE = {
    "restart": (sh(1, 27, 12), None),          # 4 h from the change
    "keep_elapsed": (sh(1, 27, 11), None),     # 1 h carried, 3 h from the change
    "from_creation": (sh(1, 24, 21), sh(1, 24, 21)),  # 4 h of 24x7 from Fri 17:00
    "stricter": (sh(1, 27, 11), None),         # earlier of Wed 14:00 (old) and Mon 11:00
}


@pytest.mark.parametrize("mode", list(UPGRADE))
def test_upgrade(mode: str) -> None:
    ev = Events()
    events = [ev.opened(sh(1, 24, 17)), ev.priority(sh(1, 27, 8), "urgent")]
    r = resolution(mode, events, sh(1, 27, 8, 30))
    due, breached = UPGRADE[mode]
    assert (r.due_at, r.breached_at, r.target) == (due, breached, 4 * H)
    assert r.priority == "urgent"
    assert r.explanation is not None
    (change,) = r.explanation.changes
    assert (change.mode, change.from_priority, change.to_priority) == (mode, "normal", "urgent")
    assert change.old_due == sh(1, 29, 14)


# Opened urgent Sun 22:00 (4 h on 24x7: breached Mon 02:00), downgraded Mon 11:00.
DOWNGRADE = {
    "restart": (sh(1, 29, 17), 24 * H),        # 24 office hours from Mon 11:00
    "keep_elapsed": (sh(1, 28, 13), 24 * H),   # 13 h carried, 11 left from Mon 11:00
    "from_creation": (sh(1, 29, 15), 24 * H),  # office hours since Sun 22:00: 2 h
    "stricter": (sh(1, 27, 2), 4 * H),         # the old deadline is earlier: kept
}


@pytest.mark.parametrize("mode", [m for m in DOWNGRADE if m != "from_creation"])
def test_downgrade_keeps_the_breach_that_happened(mode: str) -> None:
    ev = Events()
    events = [ev.opened(sh(1, 26, 22), "urgent"), ev.priority(sh(1, 27, 11), "normal")]
    r = resolution(mode, events, sh(1, 27, 12))
    due, target = DOWNGRADE[mode]
    assert (r.due_at, r.target) == (due, target)
    assert r.breached_at == sh(1, 27, 2)
    assert r.status == "breached"
    assert r.policy == "default"
    # Reports group the clock by the priority whose target it is judged by: stricter kept
    # urgent's deadline, so it stays an urgent clock though the ticket is normal now.
    assert (r.priority, r.judged_priority) == (
        "normal", "urgent" if mode == "stricter" else "normal")


def test_from_creation_rejudges_the_whole_cycle_under_the_new_target() -> None:
    # Judged as if the ticket had been normal since Sun 22:00: 3 office hours by Mon 12:00,
    # so the urgent breach of Mon 02:00 no longer stands (the UCI desk judges this way).
    ev = Events()
    events = [ev.opened(sh(1, 26, 22), "urgent"), ev.priority(sh(1, 27, 11), "normal")]
    r = resolution("from_creation", events, sh(1, 27, 12))
    assert (r.due_at, r.target) == DOWNGRADE["from_creation"]
    assert r.breached_at is None
    assert r.status == "running"
    assert r.elapsed == 3 * H


def test_restart_discards_and_keep_elapsed_carries_in_the_explanation() -> None:
    ev = Events()
    events = [ev.opened(sh(1, 24, 17)), ev.priority(sh(1, 27, 8), "urgent")]
    restart = resolution("restart", events, sh(1, 27, 9))
    keep = resolution("keep_elapsed", events, sh(1, 27, 9))
    assert restart.explanation is not None
    assert keep.explanation is not None
    assert restart.elapsed == H
    assert restart.explanation.carried == 0 * H
    assert keep.elapsed == 2 * H
    assert keep.explanation.carried == H
    assert [(p.start, p.end) for p in keep.explanation.not_counted] == [
        (sh(1, 24, 17), sh(1, 27, 8))]
    assert [(p.start, p.end) for p in keep.explanation.counted] == [(sh(1, 27, 8), sh(1, 27, 9))]


def test_change_while_paused_compares_deadlines_as_if_resumed_at_the_change() -> None:
    ev = Events()
    events = [ev.opened(sh(1, 27, 9)), ev.status(sh(1, 27, 10), "waiting_on_customer"),
              ev.priority(sh(1, 27, 12), "urgent"), ev.customer(sh(1, 27, 14))]
    r = resolution("stricter", events, sh(1, 27, 14))
    # keep_elapsed on 24x7 wins: 1 office hour carried; 3 h left from the resume at 14:00.
    assert r.due_at == sh(1, 27, 17)
    assert r.explanation is not None
    assert r.explanation.changes[0].new_due == sh(1, 27, 15)  # as if resumed at 12:00


def test_a_reopen_after_a_priority_change_applies_the_new_target() -> None:
    # The default workflow refuses priority changes on resolved tickets; a custom one may
    # allow them, so feed the engine the ticket states such a workflow would produce.
    ev = Events()
    eng = engine(simple_policy(priority_change=PriorityChangeSettings("keep_elapsed")))
    ticket, state = eng.apply_all([ev.opened(sh(1, 27, 9)), ev.resolved(sh(1, 27, 10))])
    change = ev.priority(sh(1, 27, 11), "urgent")
    ticket = attrs.evolve(ticket, priority="urgent", version=ticket.version + 1)
    state = eng.advance(state, change, ticket)
    reopen = ev.reopened(sh(1, 27, 12))
    ticket = apply(ticket, reopen)
    state = eng.advance(state, reopen, ticket)
    r = {r.metric: r for r in state.at(sh(1, 27, 12))}["resolution"]
    # 1 office hour carried; 3 h left on 24x7 from the reopen.
    assert (r.target, r.due_at, r.status) == (4 * H, sh(1, 27, 15), "running")
