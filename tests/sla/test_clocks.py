"""Clock fold: exact due times, pauses, breaches, cycles and explanations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from slakit import NaiveDatetimeError, WrongTypeError
from slakit._errors import InstantRangeError
from slakit.policies import PolicySet, SlaPolicy, always
from slakit.sla import ClockResult, SlaEngine, SlaInputError, evaluate_sla
from slakit.workflow import Event, apply
from tests.sla.sla_testkit import C247, OFFICE, SH, Events, H, M, engine, sh, simple_policy, targets


def results(events: list[Event], now_: object, eng: SlaEngine | None = None) -> dict[
        tuple[str, int], ClockResult]:
    eng = eng or engine()
    _, state = eng.apply_all(events)
    assert isinstance(now_, type(sh(1, 1)))
    return {(r.metric, r.cycle): r for r in state.at(now_, explain=True)}


def test_urgent_first_response_due_30_minutes_later_around_the_clock() -> None:
    ev = Events()
    r = results([ev.opened(sh(1, 24, 20, 30), "urgent")], sh(1, 24, 20, 45))
    fr = r["first_response", 1]
    assert fr.status == "running"
    assert fr.due_at == sh(1, 24, 21, 0)
    assert fr.elapsed == 15 * M
    assert fr.remaining == 15 * M
    assert fr.policy == "default"
    assert fr.policy_version == "1"
    assert fr.calendar == "24x7"
    assert fr.calendar_version == "1"
    assert r["resolution", 1].due_at == sh(1, 25, 0, 30)


def test_normal_ticket_on_friday_evening_counts_from_monday_morning() -> None:
    ev = Events()
    r = results([ev.opened(sh(1, 24, 20, 30))], sh(1, 25, 12))
    fr = r["first_response", 1]
    assert fr.due_at == sh(1, 27, 11, 0)
    assert fr.elapsed == timedelta(0)
    assert fr.calendar == "office"
    assert fr.calendar_version == "2025"
    # 24 business hours of 9 h days: Mon 9 + Tue 9 + Wed 6 -> Wed 15:00.
    assert r["resolution", 1].due_at == sh(1, 29, 15, 0)
    assert r["resolution", 1].explanation is not None
    assert r["resolution", 1].explanation.closed[0].start == sh(1, 24, 20, 30)


def test_pause_pushes_due_time_by_exactly_its_open_time() -> None:
    ev = Events()
    evs = [ev.opened(sh(1, 27, 10)), ev.reply(sh(1, 27, 10, 30)),
           ev.status(sh(1, 27, 11), "waiting_on_customer"), ev.customer(sh(1, 27, 15))]
    r = results(evs, sh(1, 27, 16))
    res = r["resolution", 1]
    assert res.status == "running"
    # 1 h counted before the pause, 1 h after: 22 h left from 16:00 -> Mon 2 h + Tue 9 + Wed 9
    # + Thu 2 = Thu 11:00 (the original due Wed 16:00 + the 4 h paused).
    assert res.elapsed == 2 * H
    assert res.due_at == sh(1, 30, 11, 0)
    assert res.paused_for == 4 * H
    assert res.explanation is not None
    assert [(p.start, p.end) for p in res.explanation.paused] == [
        (sh(1, 27, 11), sh(1, 27, 15))]
    assert sum((p.duration for p in res.explanation.counted), timedelta(0)) == res.elapsed


def test_paused_clock_has_no_due_time_and_does_not_count() -> None:
    ev = Events()
    evs = [ev.opened(sh(1, 27, 10)), ev.assigned(sh(1, 27, 10, 30)),
           ev.status(sh(1, 27, 11), "waiting_on_third_party")]
    r = results(evs, sh(1, 29, 12))
    res = r["resolution", 1]
    assert (res.status, res.due_at, res.elapsed) == ("paused", None, H)
    assert res.paused_for == sh(1, 29, 12) - sh(1, 27, 11)


def test_met_exactly_at_due_is_met_and_a_microsecond_later_is_breached() -> None:
    for delay, state in ((timedelta(0), "met"), (timedelta(microseconds=1), "breached_then_met")):
        ev = Events()
        evs = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 21) + delay)]
        fr = results(evs, sh(1, 25))["first_response", 1]
        assert fr.status == state
        assert fr.due_at == sh(1, 24, 21)
        assert fr.breached_at == (None if state == "met" else sh(1, 24, 21))
        assert fr.ended_at == sh(1, 24, 21) + delay


def test_running_clock_is_breached_only_after_its_due_time() -> None:
    ev = Events()
    _, state = engine().apply_all([ev.opened(sh(1, 24, 20, 30), "urgent")])
    at_due = {r.metric: r for r in state.at(sh(1, 24, 21))}["first_response"]
    after = {r.metric: r for r in state.at(sh(1, 24, 21, 1))}["first_response"]
    assert (at_due.status, at_due.remaining) == ("running", timedelta(0))
    assert (after.status, after.breached_at, after.remaining) == ("breached", sh(1, 24, 21), -M)


def test_reopen_resumes_resolution_with_elapsed_kept() -> None:
    ev = Events()
    evs = [ev.opened(sh(1, 27, 9)), ev.resolved(sh(1, 27, 13)), ev.reopened(sh(1, 28, 9))]
    res = results(evs, sh(1, 28, 10))["resolution", 1]
    assert res.status == "running"
    assert res.elapsed == 5 * H  # 4 h on Monday + 1 h on Tuesday
    assert res.due_at == sh(1, 30, 11)  # 19 h left from Tue 10:00: Tue 8 + Wed 9 + Thu 2


def test_met_in_time_reports_the_deadline_as_it_stood() -> None:
    ev = Events()
    evs = [ev.opened(sh(1, 27, 9)), ev.resolved(sh(1, 27, 13))]
    res = results(evs, sh(2, 20))["resolution", 1]
    assert (res.status, res.elapsed, res.due_at) == ("met", 4 * H, sh(1, 29, 15))


def test_cancelled_ticket_cancels_running_clocks() -> None:
    ev = Events()
    evs = [ev.opened(sh(1, 27, 9), "urgent"), ev.cancelled(sh(1, 27, 9, 10))]
    r = results(evs, sh(1, 28))
    assert r["first_response", 1].status == "cancelled"
    assert r["resolution", 1].status == "cancelled"
    assert r["resolution", 1].breached_at is None


def test_next_response_opens_a_cycle_per_customer_reply() -> None:
    pol = attrs.evolve(simple_policy(), targets=[
        *simple_policy().targets, *targets("urgent", C247, next_response=H)])
    ev = Events()
    evs = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 20, 40)),
           ev.customer(sh(1, 24, 21)), ev.customer(sh(1, 24, 21, 30)),
           ev.reply(sh(1, 24, 22, 10)), ev.customer(sh(1, 24, 23))]
    r = results(evs, sh(1, 24, 23, 30), engine(pol))
    one, two = r["next_response", 1], r["next_response", 2]
    # The second customer message does not restart the first cycle: counted from 21:00.
    assert (one.status, one.due_at, one.breached_at) == ("breached_then_met", sh(1, 24, 22),
                                                       sh(1, 24, 22))
    assert (two.status, two.started_at, two.due_at) == ("running", sh(1, 24, 23), sh(1, 25))


def test_pending_until_the_clock_starts() -> None:
    pol = attrs.evolve(simple_policy(), targets=[
        *simple_policy().targets, *targets("urgent", C247, next_response=H)])
    ev = Events()
    r = results([ev.opened(sh(1, 24, 20, 30), "urgent")], sh(1, 24, 21), engine(pol))
    assert r["next_response", 0].status == "pending"
    assert r["next_response", 0].target == H


def test_periodic_update_cycles_restart_on_each_public_update() -> None:
    pol = SlaPolicy("p", "1", always(), targets("urgent", C247, periodic_update=30 * M))
    ev = Events()
    evs = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 20, 40)),
           ev.reply(sh(1, 24, 20, 50), public=False), ev.reply(sh(1, 24, 21, 20)),
           ev.resolved(sh(1, 24, 22))]
    r = results(evs, sh(1, 24, 23), engine(pol))
    assert r["periodic_update", 1].status == "breached_then_met"
    assert r["periodic_update", 1].due_at == sh(1, 24, 21, 10)
    assert r["periodic_update", 2].status == "breached_then_met"
    assert r["periodic_update", 2].started_at == sh(1, 24, 21, 20)
    assert r["periodic_update", 2].ended_at == sh(1, 24, 22)


def test_milestones_solution_plan_and_engineer_assigned() -> None:
    pol = SlaPolicy("p", "1", always(), targets(
        "urgent", C247, solution_plan=2 * H, engineer_assigned=15 * M))
    ev = Events()
    evs = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.assigned(sh(1, 24, 20, 35), None),
           ev.assigned(sh(1, 24, 20, 44)), ev.stage(sh(1, 24, 21), "planning"),
           ev.stage(sh(1, 24, 22, 45), "fixing")]
    r = results(evs, sh(1, 24, 23), engine(pol))
    # An assignment to a group only (no assignee) does not count as an engineer on it.
    assert (r["engineer_assigned", 1].status, r["engineer_assigned", 1].ended_at) == (
        "met", sh(1, 24, 20, 44))
    assert (r["solution_plan", 1].status, r["solution_plan", 1].due_at) == (
        "breached_then_met", sh(1, 24, 22, 30))


def test_evaluate_sla_from_scratch_ignores_later_events() -> None:
    ev = Events()
    evs = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 21, 30))]
    ps = engine().policies
    fr = {r.metric: r for r in evaluate_sla(evs, ps, sh(1, 24, 21, 10))}["first_response"]
    assert (fr.status, fr.breached_at) == ("breached", sh(1, 24, 21))


def test_evaluate_sla_before_the_opening_says_so() -> None:
    # Issue #12 item 14: it said the 'opened' event was missing.
    ev = Events()
    evs = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 21, 30))]
    ps = engine().policies
    with pytest.raises(SlaInputError, match=(
            r"now \(2025-01-24T20:29:00\+08:00\) is before ticket 'T-1' opened "
            r"\(2025-01-24T20:30:00\+08:00\): no clock runs yet; evaluate at or after")):
        evaluate_sla(evs, ps, sh(1, 24, 20, 29))
    assert {r.metric for r in evaluate_sla(evs, ps, sh(1, 24, 20, 30))} >= {"first_response"}
    with pytest.raises(SlaInputError, match="'opened' event"):
        evaluate_sla([], ps, sh(1, 24, 20, 29))


@pytest.mark.parametrize("bad", [
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
    datetime(9999, 12, 31, tzinfo=timezone.utc),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
])
def test_now_outside_the_supported_range_is_refused(bad: datetime) -> None:
    from slakit.sla import due_escalations, next_wake_at

    ev = Events()
    events = [ev.opened(sh(1, 24, 20, 30), "urgent")]
    _, state = engine(simple_policy()).apply_all(events)
    calls: list[Callable[[], object]] = [
        lambda: state.at(bad), lambda: due_escalations(state, bad),
        lambda: next_wake_at(state, bad),
        lambda: evaluate_sla(events, engine(simple_policy()), bad)]
    for call in calls:
        with pytest.raises(InstantRangeError, match="outside the supported range 0002-01-01"):
            call()


def test_no_policy_is_reported_not_guessed() -> None:
    from slakit.policies import channel_is

    eng = SlaEngine(PolicySet([SlaPolicy("hotline", "1", channel_is("hotline"))]))
    ev = Events()
    _, state = eng.apply_all([ev.opened(sh(1, 24, 20, 30), "urgent")])
    assert state.choice.policy is None
    assert state.choice.describe() == "no SLA policy matches and the policy set has no fallback"
    assert state.at(sh(1, 25)) == ()


def test_illegal_input_raises_and_changes_nothing() -> None:
    eng = engine()
    ev = Events()
    opened = ev.opened(sh(1, 24, 20, 30), "urgent")
    ticket = apply(None, opened)
    state = eng.advance(None, opened, ticket)
    before = state
    other = Events("T-2").opened(sh(1, 24, 21))
    with pytest.raises(SlaInputError, match="is for ticket 'T-2'"):
        eng.advance(state, other, apply(None, other))
    reply = ev.reply(sh(1, 24, 21))
    with pytest.raises(SlaInputError, match="'opened' event"):
        eng.advance(None, reply, ticket)
    with pytest.raises(SlaInputError, match="before the last folded event"):
        state.at(sh(1, 24, 20))
    with pytest.raises(NaiveDatetimeError, match="timezone-aware"):
        state.at(sh(1, 24, 22).replace(tzinfo=None))
    assert state == before
    # A redelivered event (the workflow's version did not move) is a no-op.
    assert eng.advance(state, opened, ticket) is state


def test_results_are_in_the_calendar_zone() -> None:
    ev = Events()
    r = results([ev.opened(sh(1, 24, 20, 30), "urgent")], sh(1, 24, 21))
    assert r["first_response", 1].due_at is not None
    assert r["first_response", 1].due_at.tzinfo == SH
    assert OFFICE.calendar.zone == SH


def test_peak_windows_apply_by_the_time_of_the_event_not_now() -> None:
    from datetime import date

    from slakit.policies import MetricTarget, PeakWindow

    tight = [MetricTarget("first_response", "normal", 10 * M, C247),
             MetricTarget("next_response", "normal", 10 * M, C247)]
    base = simple_policy()
    pol = attrs.evolve(base, targets=[*base.targets, *targets("normal", OFFICE,
                                                              next_response=2 * H)],
                       peaks=[PeakWindow("11.11", date(2025, 11, 1), date(2025, 11, 12),
                                         "Asia/Shanghai", tight)])
    ev = Events()
    evs = [ev.opened(sh(10, 31, 23, 55)), ev.reply(sh(11, 1, 0, 10)),
           ev.customer(sh(11, 1, 0, 20))]
    r = results(evs, sh(11, 3, 12), engine(pol))
    # Opened the evening before the window: the normal office target, evaluated inside it.
    assert (r["first_response", 1].target, r["first_response", 1].status) == (2 * H, "met")
    # The customer's message arrived inside the window: the peak target.
    assert (r["next_response", 1].target, r["next_response", 1].due_at) == (
        10 * M, sh(11, 1, 0, 30))


def test_the_fast_cycle_constructor_sets_every_field_like_init() -> None:
    from datetime import UTC, datetime, timedelta

    import attrs

    from slakit.sla._cycle import CycleState, new_cycle

    at = datetime(2025, 1, 24, 12, tzinfo=UTC)
    fast = new_cycle("resolution", 2, at, True, "urgent", ("p", "3"), timedelta(hours=4), None)
    slow = CycleState("resolution", 2, at, "urgent", "p", "3", timedelta(hours=4), None, at,
                      timedelta(0), 0, (), timedelta(0), at)
    assert fast == slow
    assert set(fast.__dict__) == {f.name for f in attrs.fields(CycleState)}
    assert attrs.evolve(fast, number=3).number == 3


def test_the_fold_builds_states_and_clocks_exactly_as_their_constructors_would() -> None:
    from slakit.sla import ClockState, SlaState

    ev = Events()
    _, state = engine(simple_policy()).apply_all([
        ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 20, 40)),
        ev.status(sh(1, 24, 21), "waiting_on_customer"), ev.customer(sh(1, 24, 22))])
    rebuilt = attrs.evolve(state)  # through SlaState.__init__, every init field passed
    assert type(rebuilt) is SlaState
    assert rebuilt == state
    assert set(state.__dict__) == set(rebuilt.__dict__)
    for clock in state.clocks:
        assert clock == ClockState(clock.metric, clock.cycles)
        assert set(clock.__dict__) == {"metric", "cycles"}


@pytest.mark.parametrize("bad", [
    sh(1, 25).replace(tzinfo=None), sh(1, 25).date(), "2025-01-25T00:00:00+08:00", None])
def test_now_that_is_not_an_aware_datetime_is_refused_by_every_evaluation(bad: object) -> None:
    from slakit.sla import due_escalations, next_wake_at

    ev = Events()
    events = [ev.opened(sh(1, 24, 20, 30), "urgent")]
    _, state = engine(simple_policy()).apply_all(events)
    calls: list[Callable[[], object]] = [
             lambda: state.at(bad),  # type: ignore[arg-type]
             lambda: due_escalations(state, bad),  # type: ignore[arg-type]
             lambda: next_wake_at(state, bad),  # type: ignore[arg-type]
             lambda: evaluate_sla(events, engine(simple_policy()), bad)]  # type: ignore[arg-type]
    expected = NaiveDatetimeError if isinstance(bad, datetime) else WrongTypeError
    for call in calls:
        with pytest.raises(expected, match="timezone-aware datetime"):
            call()
    assert state.at(sh(1, 25)) == state.at(sh(1, 25))  # the state is untouched


def test_a_naive_since_is_refused_not_read_as_the_machine_s_local_time() -> None:
    from slakit.sla import due_escalations

    ev = Events()
    _, state = engine(simple_policy()).apply_all([ev.opened(sh(1, 24, 20, 30), "urgent")])
    with pytest.raises(NaiveDatetimeError, match="since must be a timezone-aware datetime"):
        due_escalations(state, sh(1, 25), since=sh(1, 24, 21).replace(tzinfo=None))


def test_sla_states_pickle_with_their_calendars() -> None:
    import pickle

    from slakit.sla import next_wake_at

    ev = Events()
    _, state = engine(simple_policy()).apply_all([
        ev.opened(sh(1, 24, 20, 30), "urgent"), ev.reply(sh(1, 24, 20, 40))])
    wake = next_wake_at(state, sh(1, 24, 20, 40))
    copy = pickle.loads(pickle.dumps(state))
    assert copy == state
    assert copy.at(sh(1, 27, 12)) == state.at(sh(1, 27, 12))
    assert next_wake_at(copy, sh(1, 24, 20, 40)) == wake


def test_states_folded_elsewhere_keep_their_own_policy_when_a_fresh_engine_advances_them() -> None:
    # The engine caches targets for its own policies only. A state carries its policy; after
    # a round trip through pickle that policy is a copy whose id may later belong to another
    # object, so copies must be looked up, never served from the cache (found in review: 19
    # of 40 worker jobs gave a new cycle another policy's target).
    import pickle

    from slakit.policies import channel_is

    quick = SlaPolicy("hotline", "1", channel_is("hotline"),
                      targets("urgent", C247, next_response=H))
    slow = SlaPolicy("standard", "1", always(), targets("urgent", C247, next_response=9 * H))
    policies = PolicySet([quick], fallback=slow,
                         priorities=("urgent", "important", "normal", "low"))
    tickets = []
    for n, channel in enumerate(("hotline", "web")):
        ev = Events(f"T-{n}")
        opened = ev.opened(sh(1, 24, 9), "urgent", channel=channel)
        ticket, st = SlaEngine(policies).apply_all([opened])
        tickets.append((ev, ticket, pickle.dumps(st)))
    worker = SlaEngine(policies)
    for _ in range(20):
        for ev, ticket, blob in tickets:
            st = pickle.loads(blob)
            reply = ev.customer(sh(1, 24, 10))
            after = worker.advance(st, reply, apply(ticket, reply))
            cycle = after.clock("next_response").cycles[-1]
            assert st.choice.policy is not None
            assert cycle.policy == st.choice.policy.name
            assert cycle.target == (H if cycle.policy == "hotline" else 9 * H)
            del st, after


def test_pickled_states_leave_the_wake_up_memo_behind() -> None:
    import pickle

    from slakit.sla import next_wake_at

    ev = Events()
    _, state = engine(simple_policy()).apply_all([ev.opened(sh(1, 24, 20, 30), "urgent")])
    wake = next_wake_at(state, sh(1, 24, 20, 30))
    # Protocol 2 and later (0 and 1 cannot store the calendars' __slots__ classes).
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(state, protocol))
        assert copy == state
        assert copy._wake_memo is None
        assert next_wake_at(copy, sh(1, 24, 20, 30)) == wake


def test_a_memo_never_outlives_the_state_after_the_one_it_was_found_for() -> None:
    from slakit.sla import next_wake_at

    ev = Events()
    eng = engine(simple_policy())
    events = [ev.opened(sh(1, 24, 20, 30), "urgent"), ev.customer(sh(1, 24, 20, 35)),
              ev.reply(sh(1, 24, 20, 40)), ev.customer(sh(1, 24, 20, 45))]
    ticket = apply(None, events[0])
    state = eng.advance(None, events[0], ticket)
    next_wake_at(state, events[0].at)
    for e in events[1:]:
        ticket = apply(ticket, e)
        previous, state = state, eng.advance(state, e, ticket)
        memo = state._wake_memo
        assert memo is None or memo.clocks is previous.clocks
    assert state._wake_memo is None  # found two events back: dropped, not carried along


def test_escalation_rules_in_a_state_are_read_only() -> None:
    ev = Events()
    _, state = engine(simple_policy()).apply_all([ev.opened(sh(1, 24, 20, 30), "urgent")])
    with pytest.raises(TypeError):
        state.rules["resolution"] = ()  # type: ignore[index]


def test_a_calendar_subclass_that_overrides_add_is_asked_for_deadlines() -> None:
    from datetime import datetime as _dt

    from slakit import AlwaysOpen
    from slakit.policies import NamedCalendar

    class ShiftedDeadlines(AlwaysOpen):
        def add(self, start: _dt, duration: timedelta) -> _dt:
            return super().add(start, duration) + timedelta(minutes=7)

    cal = NamedCalendar("shifted", ShiftedDeadlines("Asia/Shanghai"))
    policy = SlaPolicy("p", "1", always(), targets("urgent", cal, first_response=30 * M))
    ev = Events()
    _, state = engine(policy).apply_all([ev.opened(sh(1, 24, 20, 30), "urgent")])
    first = {r.metric: r for r in state.at(sh(1, 24, 20, 31))}["first_response"]
    assert first.due_at == sh(1, 24, 21, 7)


def test_none_is_never_a_time_even_before_any_conversion() -> None:
    # A state remembers its last event's time as passed (None before any event was folded
    # through the engine); that memo must not answer for None.
    from slakit.sla import next_wake_at

    ev = Events()
    opened = ev.opened(sh(1, 24, 20, 30), "urgent")
    built = engine().advance(None, opened, apply(None, opened))
    fresh = attrs.evolve(built)  # built through __init__: no memo at all
    for state in (built, fresh):
        with pytest.raises(WrongTypeError, match="must be a timezone-aware datetime"):
            state.at(None)  # type: ignore[arg-type]
        with pytest.raises(WrongTypeError, match="must be a timezone-aware datetime"):
            next_wake_at(state, None)  # type: ignore[arg-type]
