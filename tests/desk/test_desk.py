"""The desk on one process: exact wake-ups, decisions, histories, outbox, bad input."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from slakit import SlakitError
from slakit.desk import Decision, InMemoryNotifier
from slakit.sla import SlaInputError
from slakit.storage import DeskStore, InMemoryStore
from slakit.workflow import (
    Escalated,
    InvalidTransition,
    LateEventError,
    StatusChanged,
    TicketClosed,
    TicketResolved,
    WrongTicketError,
)
from tests.desk.desk_testkit import T0, make_desk, opened, replied


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class FlakyNotifier(InMemoryNotifier):
    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def deliver(self, decision: Decision) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("smtp down")
        super().deliver(decision)


def escalated_keys(store: DeskStore, tenant: str, ticket: str) -> list[str]:
    return [e.key for e in store.load_events(tenant, ticket) if isinstance(e, Escalated)]


def test_record_stores_the_next_wake_up_and_the_clocks(store: DeskStore) -> None:
    desk = make_desk(store, InMemoryNotifier())
    rec = desk.record("shop", [opened("T-1")], T0)
    assert rec.wake_at == at(15)  # the reminder at half of the 30-minute target
    assert rec.decisions == ()
    assert rec.attempts == 1
    assert [(c.metric, c.status, c.due_at) for c in rec.clocks] == [
        ("first_response", "running", at(30)), ("resolution", "running", at(240))]
    assert [s.wake_at for s in store.list_wakeups("shop", at(60))] == [at(15)]


def test_wake_records_each_escalation_once_and_moves_the_wake_up(store: DeskStore) -> None:
    notifier = InMemoryNotifier()
    desk = make_desk(store, notifier)
    desk.record("shop", [opened("T-1")], T0)
    assert desk.wake(at(14)).claimed == 0
    report = desk.wake(at(31))
    assert (report.claimed, report.delivered, report.failed, report.conflicts) == (1, 2, 0, 0)
    assert [(d.key, d.due_at, d.late_by) for d in report.decisions] == [
        ("T-1/first_response/1/half/1", at(15), None),
        ("T-1/first_response/1/late/1/1", at(30), timedelta(0))]
    assert [s.wake_at for s in store.list_wakeups("shop", at(600))] == [at(60)]
    again = desk.wake(at(31))
    assert (again.claimed, again.decisions, again.delivered) == (0, (), 0)
    late = desk.wake(at(95))  # a late job catches up, in order of due time
    assert [(d.rule, d.level, d.late_by) for d in late.decisions] == [
        ("late/2", 2, timedelta(minutes=30)), ("late/3", 3, timedelta(minutes=60))]
    assert [d.key for d in notifier.delivered] == escalated_keys(store, "shop", "T-1") == [
        "T-1/first_response/1/half/1", "T-1/first_response/1/late/1/1",
        "T-1/first_response/1/late/2/1", "T-1/first_response/1/late/3/1"]
    # First response has nothing left to fire; resolution (no rule) still breaches at 13:00.
    assert [s.wake_at for s in store.list_wakeups("shop", at(10_000))] == [at(240)]


def test_escalated_events_carry_the_decision_and_change_no_status(store: DeskStore) -> None:
    desk = make_desk(store)
    desk.record("shop", [opened("T-1")], T0)
    desk.wake(at(31))
    events = store.load_events("shop", "T-1")
    esc = [e for e in events if isinstance(e, Escalated)]
    assert [(e.event_id, e.at, e.due_at, e.level, e.actions) for e in esc] == [
        ("escalated/T-1/first_response/1/half/1", at(15), at(15), 0,
         (("notify", ("team_lead",)),)),
        ("escalated/T-1/first_response/1/late/1/1", at(30), at(30), 1,
         (("notify", ("duty_manager",)),))]
    state = store.load_state("shop", "T-1")
    assert state is not None
    assert (state.status, state.version) == ("new", 3)


def test_a_reply_cancels_the_wake_up_and_late_events_before_a_recorded_escalation(
    store: DeskStore,
) -> None:
    desk = make_desk(store)
    desk.record("shop", [opened("T-1")], T0)
    rec = desk.record("shop", [replied("T-1", at(20))], at(20))
    # The reminder at 09:15 was due and not yet recorded: record fires it itself.
    assert [d.rule for d in rec.decisions] == ["half"]
    assert rec.wake_at == at(240)  # resolution's breach; first response is met
    with pytest.raises(LateEventError):
        desk.record("shop", [StatusChanged(ticket="T-1", at=at(10), event_id="s",
                                           to="in_progress")], at(21))


def test_record_returns_due_decisions_and_wake_then_finds_nothing(store: DeskStore) -> None:
    notifier = InMemoryNotifier()
    desk = make_desk(store, notifier)
    rec = desk.record("shop", [opened("T-1")], at(45))  # recorded 45 minutes late
    assert [d.rule for d in rec.decisions] == ["half", "late/1"]
    assert rec.wake_at == at(60)
    assert desk.wake(at(45)).decisions == ()
    assert len(notifier.delivered) == 2  # the outbox still delivers them


def test_redelivered_events_do_nothing(store: DeskStore) -> None:
    desk = make_desk(store)
    desk.record("shop", [opened("T-1")], T0)
    rec = desk.record("shop", [opened("T-1")], at(1))
    assert (rec.applied, rec.decisions, rec.state.version) == ((), (), 1)


@pytest.mark.parametrize(
    ("events", "now", "error"),
    [
        ([replied("T-1", at(1))], at(1), InvalidTransition),  # before the opening
        ([opened("T-1"), replied("T-2", at(1))], at(1), WrongTicketError),
        ([opened("T-1"), TicketClosed(ticket="T-1", at=at(1), event_id="c")], at(1),
         InvalidTransition),
        ([opened("T-1", at(10))], at(5), SlaInputError),  # now before the event
    ],
)
def test_illegal_input_raises_and_stores_nothing(
    store: DeskStore, events: list[object], now: datetime, error: type[Exception]
) -> None:
    desk = make_desk(store, InMemoryNotifier())
    with pytest.raises(error) as info:
        desk.record("shop", events, now)  # type: ignore[arg-type]
    assert isinstance(info.value, SlakitError)
    assert store.load_events("shop", "T-1") == ()
    assert store.list_outbox("shop") == ()


def test_naive_now_and_bad_options_are_refused(store: DeskStore) -> None:
    desk = make_desk(store)
    with pytest.raises(SlakitError, match="timezone-aware"):
        desk.wake(datetime(2025, 6, 2, 9))
    with pytest.raises(SlakitError, match="language"):
        make_desk(store, language="fr")
    with pytest.raises(SlakitError, match="lease"):
        make_desk(store, lease=timedelta(0))


def test_a_failing_notifier_leaves_the_decision_pending_with_backoff(store: DeskStore) -> None:
    notifier = FlakyNotifier(failures=2)
    desk = make_desk(store, notifier)
    desk.record("shop", [opened("T-1")], T0)
    first = desk.wake(at(16))
    assert (first.delivered, first.failed) == (0, 1)
    (item,) = store.list_outbox("shop")
    assert (item.state, item.attempts, item.next_attempt_at) == ("pending", 1, at(16.5))
    assert item.last_error == "ConnectionError: smtp down"
    assert desk.wake(at(16.4)).failed == 0  # not due again yet
    assert desk.wake(at(16.5)).failed == 1  # second failure: one minute later
    assert store.list_outbox("shop")[0].next_attempt_at == at(17.5)
    assert desk.wake(at(17.5)).delivered == 1
    (item,) = store.list_outbox("shop")
    assert (item.state, item.attempts, item.next_attempt_at) == ("delivered", 3, None)
    assert [d.key for d in notifier.delivered] == ["T-1/first_response/1/half/1"]


def test_without_a_notifier_nothing_is_queued(store: DeskStore) -> None:
    desk = make_desk(store)
    desk.record("shop", [opened("T-1")], T0)
    assert len(desk.wake(at(31)).decisions) == 2
    assert store.list_outbox("shop") == ()


def test_an_escalation_due_before_the_close_is_recorded_after_it(store: DeskStore) -> None:
    desk = make_desk(store)
    desk.record("shop", [opened("T-1")], T0)
    # Resolved and closed at 09:40 without a reply; the worker had not run since 09:00.
    rec = desk.record("shop", [TicketResolved(ticket="T-1", at=at(40), event_id="r"),
                               TicketClosed(ticket="T-1", at=at(40), event_id="c")], at(40))
    assert [d.rule for d in rec.decisions] == ["half", "late/1"]
    assert rec.state.status == "closed"
    assert rec.wake_at is None
    assert escalated_keys(store, "shop", "T-1")[-1] == "T-1/first_response/1/late/1/1"


def test_tenants_are_separate(store: DeskStore) -> None:
    desk = make_desk(store)
    desk.record("a", [opened("T-1")], T0)
    desk.record("b", [opened("T-1", at(10))], at(10))
    assert [d.tenant for d in desk.wake(at(20), tenant="a").decisions] == ["a"]
    # Claimed in order of wake-up: b's reminder (09:25) before a's breach (09:30).
    assert [(d.tenant, d.rule) for d in desk.wake(at(30)).decisions] == [
        ("b", "half"), ("a", "late/1")]


def test_chinese_sentences() -> None:
    notifier = InMemoryNotifier()
    desk = make_desk(InMemoryStore(), notifier, language="zh")
    desk.record("店铺A", [opened("T-1")], T0)
    desk.wake(at(61))
    assert [d.text for d in notifier.delivered] == [
        "工单 T-1（店铺A）：首次响应将于 06-02 09:30 到期，2025-06-02 09:15；通知 team_lead。",
        "工单 T-1（店铺A）：首次响应已超时（第1级），2025-06-02 09:30；通知 duty_manager。",
        "工单 T-1（店铺A）：首次响应已超时30m（第2级），2025-06-02 10:00；通知 head_of_support。",
    ]


def test_repr() -> None:
    assert repr(make_desk(InMemoryStore(), InMemoryNotifier())) == (
        "Desk(workflow='after-sales', store=InMemoryStore, "
        "notifier=InMemoryNotifier(delivered=0), language='en')")


def test_the_sla_state_is_rebuilt_by_another_desk(store: DeskStore) -> None:
    make_desk(store).record("shop", [opened("T-1")], T0)
    other = make_desk(store)  # a second process: empty cache
    assert [d.rule for d in other.wake(at(31)).decisions] == ["half", "late/1"]
    assert make_desk(store).wake(at(31)).decisions == ()


def test_next_wake_at_tells_a_loop_how_long_to_sleep(store: DeskStore) -> None:
    desk = make_desk(store, InMemoryNotifier())
    assert desk.next_wake_at() is None
    desk.record("shop", [opened("T-1")], T0)
    assert desk.next_wake_at() == at(15)
    desk.wake(at(15))
    assert desk.next_wake_at() == at(30)
