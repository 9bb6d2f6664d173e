"""Hypothesis properties of the clocks and escalations over random, workflow-valid streams."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import EscalationRule as Rule
from slakit.policies import (
    SlaPolicy,
    always,
    at_fraction,
    before_due,
    breach_ladder,
    every,
    notify,
)
from slakit.sla import SlaEngine, SlaState, due_escalations, evaluate_sla, next_wake_at
from slakit.workflow import DEFAULT_WORKFLOW, Event, TicketState, apply, can_apply
from tests.sla.sla_testkit import C247, OFFICE, Events, H, M, engine, sh, targets

US = timedelta(microseconds=1)
PROPS = settings(max_examples=120, deadline=None)

RULES = (
    Rule("half", "resolution", at_fraction(0.5), [notify("a")]),
    Rule("last-hour", "resolution", before_due(H), [notify("a")]),
    *breach_ladder("ladder", "resolution", [(timedelta(0), [notify("b")]),
                                            (30 * M, [notify("c")])]),
    Rule("progress", "resolution", every(45 * M, limit=5), [notify("d")]),
    Rule("fr-half", "first_response", at_fraction(0.5), [notify("a")]),
)


def policy(cal_urgent: str) -> SlaPolicy:
    cal = C247 if cal_urgent == "24x7" else OFFICE
    return SlaPolicy("p", "1", always(), [
        *targets("urgent", cal, first_response=30 * M, resolution=4 * H, next_response=H),
        *targets("normal", OFFICE, first_response=2 * H, resolution=24 * H),
    ], escalations=RULES)


ACTIONS = ("reply", "private", "customer", "wait_customer", "wait_third", "in_progress",
           "assign", "stage", "resolve", "reopen")
PRIORITY_ACTIONS = ("to_urgent", "to_normal", "to_important")


def make(ev: Events, action: str, at: datetime) -> Event:
    if action in ("reply", "private"):
        return ev.reply(at, public=action == "reply")
    if action == "customer":
        return ev.customer(at)
    if action.startswith("wait") or action == "in_progress":
        to = {"wait_customer": "waiting_on_customer", "wait_third": "waiting_on_third_party",
              "in_progress": "in_progress"}[action]
        return ev.status(at, to)
    if action == "assign":
        return ev.assigned(at)
    if action == "stage":
        return ev.stage(at, "fixing")
    if action == "resolve":
        return ev.resolved(at)
    if action == "reopen":
        return ev.reopened(at)
    return ev.priority(at, action.removeprefix("to_"))


@st.composite
def streams(draw: st.DrawFn, priority_changes: bool = True) -> list[Event]:
    ev = Events()
    t = sh(1, 24) + draw(st.integers(0, 7 * 24 * 60)) * M
    events = [ev.opened(t, draw(st.sampled_from(["urgent", "normal"])))]
    ticket: TicketState = apply(None, events[0])
    actions = ACTIONS + (PRIORITY_ACTIONS if priority_changes else ())
    for _ in range(draw(st.integers(0, 12))):
        t += draw(st.sampled_from([0, 1, 13, 30, 60, 61, 180, 600, 1440, 3000])) * M
        e = make(ev, draw(st.sampled_from(actions)), t)
        if can_apply(ticket, e):
            ticket = apply(ticket, e)
            events.append(e)
    return events


def eng_for(draw_cal: str) -> SlaEngine:
    return engine(policy(draw_cal))


def folded(eng: SlaEngine, events: list[Event]) -> Iterator[tuple[Event, SlaState]]:
    """Each event with the SLA state right after it, folded one event at a time."""
    ticket: TicketState | None = None
    state: SlaState | None = None
    for e in events:
        ticket = apply(ticket, e)
        state = eng.advance(state, e, ticket)
        yield e, state


def running_spans(events: list[Event]) -> list[tuple[datetime, datetime | None]]:
    """An independent oracle of the resolution clock's running spans (no priority changes)."""
    spans: list[tuple[datetime, datetime | None]] = []
    ticket: TicketState | None = None
    started = ended = False
    running_from: datetime | None = None
    for e in events:
        ticket = apply(ticket, e)
        if e.event_type == "opened":
            started = True
        if e.event_type == "resolved":
            ended = True
        if e.event_type == "reopened":
            ended = False
        if e.event_type in ("cancelled", "closed"):
            ended = True
        should_run = (started and not ended
                      and ticket.status not in DEFAULT_WORKFLOW.pausing_statuses)
        if should_run and running_from is None:
            running_from = e.at
        elif not should_run and running_from is not None:
            spans.append((running_from, e.at))
            running_from = None
    if running_from is not None:
        spans.append((running_from, None))
    return spans


@PROPS
@given(streams(priority_changes=False), st.sampled_from(["24x7", "office"]),
       st.integers(0, 5000))
def test_elapsed_due_and_breach_match_an_independent_oracle(
    events: list[Event], cal_name: str, offset: int
) -> None:
    _, state = eng_for(cal_name).apply_all(events)
    now = events[-1].at + offset * M
    (r,) = [r for r in state.at(now) if r.metric == "resolution"]
    assert r.target is not None
    urgent = r.priority == "urgent" and cal_name == "24x7"
    cal = (C247 if urgent else OFFICE).calendar
    spans = running_spans(events)

    def elapsed(t: datetime) -> timedelta:
        return sum((cal.elapsed(s, min(e or t, t)) for s, e in spans if s < t), timedelta(0))

    assert r.elapsed == elapsed(now)
    # breach iff business elapsed > target
    assert (r.breached_at is not None) == (r.elapsed > r.target)
    assert r.status in ("breached", "breached_then_met") or r.breached_at is None
    if r.status in ("running", "breached", "breached_then_met"):
        assert r.due_at is not None
        # the due time is the first open instant at which the target is used up
        assert elapsed(r.due_at) == r.target
        # ...counting in a running span: the instant before was short, closed or paused
        before = r.due_at - US
        running = any(s <= before and (e is None or before < e) for s, e in spans)
        assert elapsed(before) < r.target or not cal.is_open(before) or not running


@PROPS
@given(streams(), st.sampled_from(["24x7", "office"]), st.integers(0, 3000))
def test_incremental_fold_equals_from_scratch_at_every_event(
    events: list[Event], cal_name: str, offset: int
) -> None:
    eng = eng_for(cal_name)
    for i, (e, state) in enumerate(folded(eng, events)):
        nxt = events[i + 1].at if i + 1 < len(events) else e.at + offset * M
        now = min(e.at + offset * M, nxt)
        assert state.at(now, explain=True) == evaluate_sla(events[: i + 1], eng, now,
                                                           explain=True)


@PROPS
@given(streams(priority_changes=False), st.sampled_from(["24x7", "office"]),
       st.integers(1, 600), st.integers(1, 600))
def test_pausing_never_moves_a_due_time_earlier(
    events: list[Event], cal_name: str, pause_after: int, pause_for: int
) -> None:
    eng = eng_for(cal_name)
    ticket, state = eng.apply_all(events)
    if ticket.status not in ("assigned", "in_progress"):
        return
    ev = Events()
    ev._ids = iter(range(10_000, 20_000))
    p = events[-1].at + pause_after * M
    r = p + pause_for * M
    pause, resume = ev.status(p, "waiting_on_third_party"), ev.status(r, "in_progress")
    _, paused_state = eng.apply_all([*events, pause, resume])
    before = {(x.metric, x.cycle): x.due_at for x in state.at(r)}
    after = {(x.metric, x.cycle): x.due_at for x in paused_state.at(r)}
    for key, due in before.items():
        later = after[key]
        if due is not None and later is not None:
            assert later >= due


@PROPS
@given(streams(priority_changes=False), st.sampled_from(["24x7", "office"]),
       st.lists(st.integers(0, 2000), min_size=1, max_size=8))
def test_escalations_fire_exactly_once_in_order_and_never_while_paused(
    events: list[Event], cal_name: str, probes: list[int]
) -> None:
    eng = eng_for(cal_name)
    ticket: TicketState | None = None
    state = None
    fired: dict[str, datetime] = {}
    checks = sorted(events[0].at + p * M for p in probes)
    times = sorted([*(e.at for e in events), *checks])
    i = 0
    for now in times:
        while i < len(events) and events[i].at <= now:  # the host applies due events first
            ticket = apply(ticket, events[i])
            state = eng.advance(state, events[i], ticket)
            i += 1
        assert state is not None
        got = due_escalations(state, now, already_fired=set(fired))
        assert [d.fire_at for d in got] == sorted(d.fire_at for d in got)
        for d in got:
            assert d.key not in fired
            assert d.fire_at <= now
            fired[d.key] = d.fire_at
    assert state is not None
    end = times[-1]
    final = {d.key: d.fire_at for d in due_escalations(state, end)}
    assert final == fired  # fire times never rewritten by later events
    results = {(r.metric, r.cycle): r for r in state.at(end, explain=True)}
    for d in due_escalations(state, end):
        expl = results[d.metric, d.cycle].explanation
        assert expl is not None
        assert not any(p.contains(d.fire_at) for p in expl.paused)


@PROPS
@given(streams(), st.sampled_from(["24x7", "office"]), st.integers(0, 3000))
def test_next_wake_at_is_never_later_than_the_next_firing_or_breach(
    events: list[Event], cal_name: str, offset: int
) -> None:
    _, state = eng_for(cal_name).apply_all(events)
    now = events[-1].at + offset * M
    wake = next_wake_at(state, now)
    horizon = now + timedelta(days=60)
    upcoming = [d.fire_at for d in due_escalations(state, horizon, since=now)]
    upcoming += [r.due_at for r in state.at(now)
                 if r.status == "running" and r.due_at is not None and r.due_at > now]
    if not upcoming:
        assert wake is None
    else:
        assert wake == min(upcoming)


@PROPS
@given(streams(), st.sampled_from(["24x7", "office"]), st.integers(0, 4000),
       st.integers(0, 4000))
def test_since_only_drops_what_fired_before_it(
    events: list[Event], cal_name: str, since_offset: int, now_offset: int
) -> None:
    _, state = eng_for(cal_name).apply_all(events)
    now = events[-1].at + now_offset * M
    since = events[0].at + since_offset * M
    everything = due_escalations(state, now)
    assert due_escalations(state, now, since=since) == tuple(
        d for d in everything if d.fire_at > since)


def test_a_downgrade_that_carries_past_every_threshold_fires_them_when_counting_resumes() -> None:
    # Found by Hypothesis: urgent on 24x7 for 50 h, then normal (office hours) with the 50 h
    # carried over: every first-response threshold is already passed, so they fire when the
    # office next opens (Mon 27 Jan 09:00), after the change. Both the since-filter and the
    # wake-up used to treat them as fired before the change.
    ev = Events()
    opened = ev.opened(sh(1, 24, 0), "urgent")
    change = ev.priority(sh(1, 26, 2), "normal")
    _, state = eng_for("24x7").apply_all([opened, change])
    assert next_wake_at(state, sh(1, 26, 3)) == sh(1, 27, 9)
    fired = due_escalations(state, sh(1, 27, 12), since=sh(1, 26, 2))
    assert ("T-1/first_response/1/fr-half/1", sh(1, 27, 9)) in [(d.key, d.fire_at) for d in fired]
    assert fired == due_escalations(state, sh(1, 27, 12))[-len(fired):]


@PROPS
@given(streams(), st.sampled_from(["24x7", "office"]), st.lists(st.integers(0, 3000), max_size=4))
def test_cached_wake_ups_equal_fresh_ones(
    events: list[Event], cal_name: str, offsets: list[int]
) -> None:
    # next_wake_at caches each untouched cycle's next instant between calls; a call with
    # already_fired computes from scratch. Both must agree at every step and later instant.
    for e, state in folded(eng_for(cal_name), events):
        for now in [e.at] + [e.at + k * M for k in sorted(offsets)]:
            assert next_wake_at(state, now) == next_wake_at(state, now, already_fired={"-"})


@PROPS
@given(streams(), st.sampled_from(["24x7", "office"]),
       st.lists(st.integers(-600, 3000), min_size=1, max_size=5))
def test_wake_ups_asked_in_any_order_equal_fresh_ones(
    events: list[Event], cal_name: str, offsets: list[int]
) -> None:
    # The memo a state hands to the next one was found at some ``now``; asking the next state
    # at an earlier, equal or later instant, in any order, must not change the answer.
    for e, state in folded(eng_for(cal_name), events):
        for k in offsets:
            now = max(e.at, e.at + k * M)
            assert next_wake_at(state, now) == next_wake_at(state, now, already_fired={"-"})


@PROPS
@given(streams(), st.sampled_from(["24x7", "office"]), st.lists(st.integers(0, 3000), max_size=3))
def test_escalations_since_the_last_wake_up_equal_the_filtered_full_list(
    events: list[Event], cal_name: str, offsets: list[int]
) -> None:
    # due_escalations skips the clocks whose next firing, as next_wake_at found it at or
    # before ``since``, is after ``now``; that must drop nothing that fired in between.
    for e, state in folded(eng_for(cal_name), events):
        since = e.at
        next_wake_at(state, since)
        for k in sorted(offsets):
            now = e.at + k * M
            everything = due_escalations(state, now)
            assert due_escalations(state, now, since=since) == tuple(
                d for d in everything if d.fire_at > since)
            next_wake_at(state, now)
            since = now
