"""Escalation rules that come into force, or go out of it, after the ticket opened.

The stated rule (``slakit.sla._rules_in_force``): a rule fires only while in force; a
threshold crossed before it came into force fires at once, at the first counting instant
from then; a cycle that ended before is never judged by it; what it fired stays fired.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from slakit.cli._due_count import count_due
from slakit.policies import (
    EscalationRule,
    PolicySet,
    SlaPolicy,
    at_fraction,
    channel_is,
    every,
    notify,
)
from slakit.sla import SlaEngine, due_escalations, next_wake_at
from slakit.sla._rules_in_force import all_settled, settled_by
from slakit.workflow import Event, apply, can_apply
from tests.sla.sla_testkit import C247, OFFICE, Events, H, M, sh, targets

HOTLINE = channel_is("hotline")


def engine(*rules: EscalationRule, office: bool = False) -> SlaEngine:
    policy = SlaPolicy("standard", "1", targets=targets(
        "normal", OFFICE if office else C247, first_response=H, resolution=4 * H),
        escalations=list(rules))
    return SlaEngine(PolicySet([], fallback=policy, priorities=("normal",)))


HALF = EscalationRule("half", "resolution", at_fraction(0.5), [notify("lead")], when=HOTLINE)
HOURLY = EscalationRule("hourly", "resolution", every(H), [notify("lead")], when=HOTLINE)


def fired(eng: SlaEngine, events: list[Event], now: datetime) -> dict[str, datetime]:
    _, state = eng.apply_all(events)
    return {d.key: d.fire_at for d in due_escalations(state, now)}


def test_a_threshold_passed_before_the_rule_applies_fires_at_the_change() -> None:
    ev = Events()
    # 24x7, 4 h resolution from 09:00: half is crossed at 11:00, but the ticket only
    # reaches the hotline (where the rule applies) at 12:00.
    events = [ev.opened(sh(3, 3, 9)), ev.facts(sh(3, 3, 12), channel="hotline")]
    assert fired(engine(HALF), events, sh(3, 3, 12)) == {
        "T-1/resolution/1/half/1": sh(3, 3, 12)}
    assert fired(engine(HALF), events[:1], sh(3, 3, 12)) == {}


def test_a_rule_in_force_from_the_opening_fires_at_its_crossing() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 9), channel="hotline"), ev.reply(sh(3, 3, 12))]
    assert fired(engine(HALF), events, sh(3, 3, 12)) == {"T-1/resolution/1/half/1": sh(3, 3, 11)}


def test_outside_office_hours_it_fires_when_the_office_opens() -> None:
    ev = Events()
    # Office 09:00-18:00: 4 h resolution from Monday 09:00, half crossed at 11:00; the
    # change comes at 20:00, so the passed threshold fires at Tuesday's opening.
    events = [ev.opened(sh(3, 3, 9)), ev.facts(sh(3, 3, 20), channel="hotline")]
    eng = engine(HALF, office=True)
    assert fired(eng, events, sh(3, 3, 23)) == {}
    assert fired(eng, events, sh(3, 4, 9)) == {"T-1/resolution/1/half/1": sh(3, 4, 9)}
    _, state = eng.apply_all(events)
    assert next_wake_at(state, sh(3, 3, 20)) == sh(3, 4, 9)


def test_while_paused_it_fires_when_the_clock_resumes() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 9)), ev.reply(sh(3, 3, 9, 5)),
              ev.status(sh(3, 3, 12), "waiting_on_customer"),
              ev.facts(sh(3, 3, 13), channel="hotline"), ev.customer(sh(3, 3, 14))]
    eng = engine(HALF)
    assert fired(eng, events[:4], sh(3, 3, 13, 30)) == {}
    _, paused = eng.apply_all(events[:4])
    assert next_wake_at(paused, sh(3, 3, 13)) is None  # paused: the resuming event wakes
    assert fired(eng, events, sh(3, 3, 14)) == {"T-1/resolution/1/half/1": sh(3, 3, 14)}


def test_a_cycle_that_ended_before_the_rule_applies_is_not_judged_by_it() -> None:
    ev = Events()
    quick = EscalationRule("quick", "first_response", at_fraction(0.5), [notify("lead")],
                           when=HOTLINE)
    # First response (1 h) crossed half at 09:30 and was met at 09:45; the hotline rule
    # comes into force at 10:00, after that cycle ended: it never fires for it.
    events = [ev.opened(sh(3, 3, 9)), ev.reply(sh(3, 3, 9, 45)),
              ev.facts(sh(3, 3, 10), channel="hotline")]
    assert fired(engine(quick), events, sh(3, 3, 18)) == {}
    events[0] = Events().opened(sh(3, 3, 9), channel="hotline")
    assert fired(engine(quick), events[:2], sh(3, 3, 18)) == {
        "T-1/first_response/1/quick/1": sh(3, 3, 9, 30)}


def test_a_reopened_cycle_fires_a_passed_threshold_at_the_change() -> None:
    ev = Events()
    # The first resolution cycle crossed half at 11:00 and was met at 12:00; the ticket is
    # reopened and moved to the hotline at 15:00: resolution resumes from 15:00 with 3 h
    # counted, so half (2 h) fires at once, at 15:00, and only once.
    events = [ev.opened(sh(3, 3, 9)), ev.reply(sh(3, 3, 9, 5)), ev.resolved(sh(3, 3, 12)),
              ev.reopened(sh(3, 3, 15)), ev.facts(sh(3, 3, 15), channel="hotline")]
    got = fired(engine(HALF), events, sh(3, 3, 16))
    assert got == {"T-1/resolution/1/half/1": sh(3, 3, 15)}


def test_a_rule_out_of_force_fires_nothing_more_but_its_past_stays() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 9), channel="hotline"), ev.reply(sh(3, 3, 9, 5)),
              ev.facts(sh(3, 3, 11, 30), channel="web")]
    eng = engine(HOURLY)
    # 10:00 and 11:00 fired while in force; 12:00, 13:00 ... never do.
    assert fired(eng, events, sh(3, 3, 18)) == {
        "T-1/resolution/1/hourly/1": sh(3, 3, 10), "T-1/resolution/1/hourly/2": sh(3, 3, 11)}
    _, state = eng.apply_all(events)
    # Only the breach at 13:00 is ahead.
    assert next_wake_at(state, sh(3, 3, 11, 30)) == sh(3, 3, 13)


def test_back_in_force_the_missed_occurrences_fire_once_at_the_return() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 9), channel="hotline"), ev.reply(sh(3, 3, 9, 5)),
              ev.facts(sh(3, 3, 10, 30), channel="web"),
              ev.facts(sh(3, 3, 12, 30), channel="hotline")]
    eng = engine(HOURLY)
    assert fired(eng, events, sh(3, 3, 13, 30)) == {
        "T-1/resolution/1/hourly/1": sh(3, 3, 10),
        "T-1/resolution/1/hourly/2": sh(3, 3, 12, 30),
        "T-1/resolution/1/hourly/3": sh(3, 3, 12, 30),
        "T-1/resolution/1/hourly/4": sh(3, 3, 13),
    }
    _, state = eng.apply_all(events)
    assert next_wake_at(state, sh(3, 3, 12, 30)) == sh(3, 3, 13)
    assert next_wake_at(state, sh(3, 3, 13, 30)) == sh(3, 3, 14)


# ---- every evaluation path agrees -------------------------------------------------------------

CHANNELS = st.sampled_from(["hotline", "web"])


@st.composite
def logs(draw: st.DrawFn) -> list[Event]:
    """Valid logs of one ticket whose channel moves on and off the hotline."""
    ev = Events()
    t = sh(3, 3, 8) + draw(st.integers(0, 12 * 60)) * M
    events = [ev.opened(t, channel=draw(CHANNELS))]
    ticket = apply(None, events[0])
    for _ in range(draw(st.integers(1, 8))):
        t = t + draw(st.integers(0, 900)) * M
        kind = draw(st.sampled_from(["facts", "facts", "facts", "wait", "customer", "resolved",
                                     "reopened", "reply"]))
        if kind == "facts":
            made = ev.facts(t, channel=draw(CHANNELS))
        elif kind == "wait":
            made = ev.status(t, "waiting_on_customer")
        else:
            made = getattr(ev, kind)(t)
        if can_apply(ticket, made):  # events the workflow refuses are left out
            ticket = apply(ticket, made)
            events.append(made)
    return events


@settings(max_examples=300, deadline=None)
@given(logs(), st.integers(0, 600), st.booleans())
def test_due_counts_wake_ups_and_since_agree(events: list[Event], later: int,
                                               office: bool) -> None:
    eng = engine(HALF, HOURLY, office=office)
    _, state = eng.apply_all(events)
    event(f"rules in force changed: {bool(state.rules_in_force)}")
    end = events[-1].at + later * M
    every_decision = due_escalations(state, end)
    assert count_due(state, end) == (len(every_decision), False)
    for d in every_decision:
        assert d.fire_at <= end
        assert d.fire_at >= events[0].at
    # since splits the same set at any instant, and the wake-up is the first fire after now.
    mid = events[-1].at + (later // 2) * M
    before = due_escalations(state, mid)
    after = due_escalations(state, end, since=mid)
    assert {d.key for d in before} | {d.key for d in after} == {d.key for d in every_decision}
    assert not {d.key for d in before} & {d.key for d in after}
    wake = next_wake_at(state, mid)
    # With a key to skip, every clock takes the general walk: the shortcut agrees with it.
    assert next_wake_at(state, mid, already_fired={"no such key"}) == wake
    ahead = [d.fire_at for d in after]
    if ahead:
        assert wake is not None
        assert wake <= min(ahead)


@pytest.mark.parametrize("office", [False, True])
def test_the_decisions_of_a_rule_never_move_as_events_arrive(office: bool) -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 9)), ev.reply(sh(3, 3, 9, 5)),
              ev.facts(sh(3, 3, 12), channel="hotline"), ev.facts(sh(3, 3, 13), channel="web"),
              ev.facts(sh(3, 3, 14), channel="hotline"), ev.reply(sh(3, 3, 16))]
    eng = engine(HALF, HOURLY, office=office)
    seen: dict[str, datetime] = {}
    for i in range(1, len(events) + 1):
        for key, at in fired(eng, events[:i], events[i - 1].at).items():
            assert seen.setdefault(key, at) == at, key
    assert fired(eng, events, sh(3, 3, 16)) == seen


OFF_HOTLINE = EscalationRule("off", "resolution", at_fraction(0.75), [notify("lead")],
                             when=~HOTLINE)


@settings(max_examples=200, deadline=None)
@given(logs(), st.lists(st.integers(-60, 900), min_size=1, max_size=4), st.booleans())
def test_settled_once_per_start_agrees_with_each_rule_tested(
    events: list[Event], offsets: list[int], office: bool
) -> None:
    """all_settled (the wake-up's check, each start tested once) equals settled_by per rule
    in force, for every cycle of every state along the log, at instants around its events."""
    eng = engine(HALF, HOURLY, OFF_HOTLINE, office=office)
    ticket = sla = None
    for e in events:
        ticket = apply(ticket, e)
        sla = eng.advance(sla, e, ticket)
        for clock in sla.clocks:
            entries = sla.rules_in_force.get(clock.metric, ())
            for c in clock.cycles:
                for offset in offsets:
                    at = e.at + offset * M
                    assert all_settled(c, entries, at) == all(
                        settled_by(c, x.intervals, at) for x in entries if x.in_force)
