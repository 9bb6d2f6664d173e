"""Escalation decisions: exact fire times, pauses, exactly-once keys, next_wake_at."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from slakit import NaiveDatetimeError
from slakit.policies import EscalationRule as Rule
from slakit.policies import (
    SlaPolicy,
    always,
    at_fraction,
    before_due,
    breach_ladder,
    every,
    notify,
    priority_is,
    raise_priority,
)
from slakit.sla import SlaState, due_escalations, next_wake_at
from slakit.workflow import Event
from tests.sla.sla_testkit import C247, OFFICE, Events, H, M, engine, sh, targets

RULES = (
    Rule("half", "resolution", at_fraction(0.5), [notify("assignee")]),
    Rule("three-quarters", "resolution", at_fraction(0.75), [notify("team_lead")]),
    Rule("ninety", "resolution", at_fraction(0.9), [notify("team_lead")]),
    Rule("last-15", "resolution", before_due(15 * M), [notify("assignee")]),
    *breach_ladder("ladder", "resolution", [
        (timedelta(0), [notify("team_lead")]),
        (30 * M, [notify("manager")]),
        (H, [notify("director"), raise_priority("urgent")]),
    ]),
    Rule("progress", "resolution", every(30 * M, limit=3), [notify("customer")]),
    Rule("normal-only", "first_response", at_fraction(0.5), [notify("x")],
         when=priority_is("normal")),
)


def policy() -> SlaPolicy:
    return SlaPolicy("esc", "7", always(), [
        *targets("urgent", C247, first_response=30 * M, resolution=4 * H),
        *targets("normal", OFFICE, first_response=2 * H, resolution=24 * H),
    ], escalations=RULES)


def fold(events: list[Event]) -> SlaState:
    return engine(policy()).apply_all(events)[1]


def fire_times(state: SlaState, now: datetime) -> dict[str, datetime]:
    return {d.rule + (f"#{d.occurrence}" if d.rule == "progress" else ""): d.fire_at
            for d in due_escalations(state, now) if d.metric == "resolution"}


def test_fire_times_on_a_24x7_clock() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent")])
    assert fire_times(state, sh(1, 25, 12)) == {
        "progress#1": sh(1, 24, 21), "progress#2": sh(1, 24, 21, 30),
        "progress#3": sh(1, 24, 22),
        "half": sh(1, 24, 22, 30), "three-quarters": sh(1, 24, 23, 30),
        "ninety": sh(1, 25, 0, 6), "last-15": sh(1, 25, 0, 15),
        "ladder/1": sh(1, 25, 0, 30), "ladder/2": sh(1, 25, 1), "ladder/3": sh(1, 25, 1, 30),
    }


def test_a_pause_pushes_every_pending_firing_by_its_length() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent"), ev.assigned(sh(1, 24, 20, 31)),
                  ev.status(sh(1, 24, 21, 10), "waiting_on_customer"),
                  ev.customer(sh(1, 24, 21, 40))])
    assert fire_times(state, sh(1, 25, 12)) == {
        "progress#1": sh(1, 24, 21), "progress#2": sh(1, 24, 22),
        "progress#3": sh(1, 24, 22, 30),
        "half": sh(1, 24, 23), "three-quarters": sh(1, 25, 0),
        "ninety": sh(1, 25, 0, 36), "last-15": sh(1, 25, 0, 45),
        "ladder/1": sh(1, 25, 1), "ladder/2": sh(1, 25, 1, 30), "ladder/3": sh(1, 25, 2),
    }


def test_paused_clock_fires_nothing_and_wakes_nobody() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent"), ev.assigned(sh(1, 24, 20, 31)),
                  ev.status(sh(1, 24, 20, 50), "waiting_on_third_party")])
    assert fire_times(state, sh(2, 28)) == {}
    # first_response is pausable too, so nothing is scheduled until the ticket resumes.
    assert next_wake_at(state, sh(1, 24, 20, 50)) is None


def test_nothing_fires_after_the_clock_is_met() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent"), ev.resolved(sh(1, 24, 22, 45))])
    assert set(fire_times(state, sh(2, 28))) == {"progress#1", "progress#2", "progress#3",
                                                 "half"}


def test_office_hours_reminder_fires_in_open_time_and_conditions_apply() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 17, 30))])
    (d,) = [d for d in due_escalations(state, sh(1, 27, 12)) if d.metric == "first_response"]
    assert (d.rule, d.fire_at) == ("normal-only", sh(1, 27, 9, 30))
    assert d.key == "T-1/first_response/1/normal-only/1"
    assert d.policy == "esc"
    assert d.policy_version == "7"
    assert d.reason == "first_response (cycle 1, target 2:00:00) reached 50% of its target"


def test_each_decision_is_returned_once_to_a_host_that_records_keys() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent")])
    fired: set[str] = set()
    order: list[datetime] = []
    now = sh(1, 24, 20, 30)
    while now < sh(1, 25, 3):
        for d in due_escalations(state, now, already_fired=fired):
            assert d.key not in fired
            fired.add(d.key)
            order.append(d.fire_at)
        now += 7 * M
    assert order == sorted(order)
    assert fired == {d.key for d in due_escalations(state, sh(1, 25, 3))}


def test_since_returns_only_what_fired_after_the_previous_evaluation() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent")])
    keys = [d.rule for d in due_escalations(state, sh(1, 25, 0, 30), since=sh(1, 24, 23, 30))]
    assert keys == ["ninety", "last-15", "ladder/1"]


def test_next_wake_at_walks_every_firing_and_the_breach_exactly() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent")])
    now = sh(1, 24, 20, 30)
    wakes = []
    while (w := next_wake_at(state, now)) is not None:
        wakes.append(w)
        now = w
    assert wakes == [
        sh(1, 24, 21), sh(1, 24, 21, 30), sh(1, 24, 22), sh(1, 24, 22, 30), sh(1, 24, 23, 30),
        sh(1, 25, 0, 6), sh(1, 25, 0, 15), sh(1, 25, 0, 30), sh(1, 25, 1), sh(1, 25, 1, 30),
    ]
    # 21:00 is also the first_response deadline: one wake-up serves both.


def test_next_wake_at_skips_keys_already_fired() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 20, 40))])
    fired = {"T-1/resolution/1/progress/1", "T-1/resolution/1/progress/2"}
    assert next_wake_at(state, sh(1, 24, 20, 40), already_fired=fired) == sh(1, 24, 22)


def test_naive_now_is_refused() -> None:
    ev = Events()
    state = fold([ev.opened(sh(1, 24, 20, 30), "urgent")])
    with pytest.raises(NaiveDatetimeError, match="timezone-aware"):
        due_escalations(state, datetime(2025, 1, 25))
