"""Deadlines set by hand (issue 14 item 5): the deadline_overridden event and its rules."""

from __future__ import annotations

from datetime import datetime

import pytest

from slakit.sla import ClockResult, SlaEngine, SlaInputError
from slakit.workflow import DeadlineOverridden, Event, apply, event_from_json, event_to_json
from tests.sla.sla_testkit import Events, H, engine, sh, simple_policy


def override(ev: Events, at: datetime, due: datetime | None, metric: str = "resolution",
             reason: str = "customer agreed to Wednesday") -> Event:
    return DeadlineOverridden(**ev._common(at), metric=metric, due_at=due, reason=reason)


def resolution(eng: SlaEngine, events: list[Event], now: datetime) -> ClockResult:
    _, st = eng.apply_all(events)
    (r,) = [x for x in st.at(now, explain=True) if x.metric == "resolution"]
    return r


def test_an_override_sets_the_due_time_and_is_explained() -> None:
    ev = Events()
    # normal: 24 office hours from Mon 10:00 -> due Wed 16:00 (9 h a day, Mon-Fri 09-18).
    events = [ev.opened(sh(3, 3, 10)), override(ev, sh(3, 3, 11), sh(3, 5, 17))]
    r = resolution(engine(), events[:1], sh(3, 3, 11))
    assert r.due_at == sh(3, 5, 16)
    r = resolution(engine(), events, sh(3, 3, 12))
    assert r.due_at == sh(3, 5, 17)
    # The target is now what was counted (1 h) plus the open time up to Wed 17:00 (7+9+8 h).
    assert r.target == 25 * H
    assert (r.elapsed, r.remaining) == (2 * H, 23 * H)
    assert r.explanation is not None
    (ch,) = r.explanation.changes
    assert (ch.mode, ch.reason, ch.old_due, ch.new_due) == (
        "override", "customer agreed to Wednesday", sh(3, 5, 16), sh(3, 5, 17))
    assert (ch.old_target, ch.new_target) == (24 * H, 25 * H)
    # Breached just after the set time, not after the policy's.
    late = resolution(engine(), events, sh(3, 5, 17, 1))
    assert (late.status, late.breached_at) == ("breached", sh(3, 5, 17))


def test_a_due_time_in_closed_hours_shows_as_the_next_opening() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 10)), override(ev, sh(3, 3, 11), sh(3, 5, 20))]
    r = resolution(engine(), events, sh(3, 5, 23))
    assert (r.due_at, r.status) == (sh(3, 6, 9), "running")
    r = resolution(engine(), events, sh(3, 6, 9, 1))
    assert (r.status, r.breached_at) == ("breached", sh(3, 6, 9))


def test_a_later_pause_moves_an_overridden_deadline() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 10)), override(ev, sh(3, 3, 11), sh(3, 5, 17)),
              ev.status(sh(3, 4, 9), "waiting_on_customer"),
              ev.status(sh(3, 4, 11), "in_progress")]
    r = resolution(engine(), events, sh(3, 4, 12))
    assert r.due_at == sh(3, 6, 10)  # two office hours later


def test_the_override_stands_through_a_priority_change_and_clears_back_to_the_policy() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 10)), override(ev, sh(3, 3, 11), sh(3, 5, 17)),
              ev.priority(sh(3, 3, 12), "urgent")]
    r = resolution(engine(), events, sh(3, 3, 13))
    assert (r.due_at, r.priority, r.target) == (sh(3, 5, 17), "urgent", 25 * H)
    assert r.explanation is not None
    kept = r.explanation.changes[-1]
    assert (kept.mode, kept.kept, kept.from_priority, kept.to_priority, kept.reason) == (
        "override", "old", "normal", "urgent", "customer agreed to Wednesday")
    events.append(override(ev, sh(3, 3, 13), None, reason="customer escalated"))
    r = resolution(engine(), events, sh(3, 3, 14))
    # Back to urgent's 4 h on 24x7, the 3 office hours counted so far kept (keep_elapsed).
    assert r.explanation is not None
    cleared = r.explanation.changes[-1]
    assert (cleared.mode, cleared.reason, r.target) == (
        "override_cleared", "customer escalated", 4 * H)
    assert r.due_at == sh(3, 3, 14)  # 13:00 + (4 h - 3 h)


def test_a_reopen_keeps_the_override_and_a_new_cycle_starts_without_it() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 10)), override(ev, sh(3, 3, 11), sh(3, 5, 17)),
              ev.resolved(sh(3, 3, 12)), ev.reopened(sh(3, 3, 13))]
    r = resolution(engine(), events, sh(3, 3, 14))
    # The stopped hour moves it by one office hour: to Wed 18:00, shown as Thu's opening.
    assert r.due_at == sh(3, 6, 9)
    _, st = engine().apply_all(events)
    assert st.clock("resolution").cycles[-1].override == (sh(3, 5, 17), "customer agreed to Wednesday")


@pytest.mark.parametrize(("metric", "at_cut", "word"), [
    ("nope", 1, "unknown metric 'nope'"),
    ("next_response", 1, "has not started"),
    ("first_response", 2, "is not open"),
])
def test_an_override_that_applies_to_no_clock_raises_and_changes_nothing(
    metric: str, at_cut: int, word: str
) -> None:
    ev = Events()
    base = [ev.opened(sh(3, 3, 10)), ev.reply(sh(3, 3, 10, 30))][:at_cut]
    eng = engine()
    ticket, before = eng.apply_all(base)
    bad = override(ev, sh(3, 3, 11), sh(3, 5, 17), metric=metric)
    with pytest.raises(SlaInputError, match=word):
        eng.advance(before, bad, apply(ticket, bad))
    assert eng.apply_all(base)[1] == before


def test_clearing_without_an_override_raises() -> None:
    ev = Events()
    eng = engine()
    with pytest.raises(SlaInputError, match="no open cycle with an override"):
        eng.apply_all([ev.opened(sh(3, 3, 10)), override(ev, sh(3, 3, 11), None)])


def test_an_untargeted_clock_cannot_be_overridden() -> None:
    ev = Events()
    eng = engine(simple_policy())
    with pytest.raises(SlaInputError, match="has no target"):
        eng.apply_all([ev.opened(sh(3, 3, 10), priority="low"),
                       override(ev, sh(3, 3, 11), sh(3, 5, 17))])


def test_the_override_event_round_trips_through_json() -> None:
    ev = Events()
    for due in (sh(3, 5, 17), None):
        e = override(ev, sh(3, 3, 11), due)
        assert event_from_json(event_to_json(e)) == e
    assert '"due_at":"2025-03-05T17:00:00+08:00"' in event_to_json(override(ev, sh(3, 3, 11),
                                                                          sh(3, 5, 17)))
