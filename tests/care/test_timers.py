"""Ticket timers: auto-close, survey, waiting reminder, the timers table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from slakit.calendar import BusinessCalendar
from slakit.care import Delay, TimerRule, closing_event, due_timers, next_timer_at, timers_from_mapping
from slakit.plans import CareDataError, PlanInputError
from slakit.workflow import (
    CustomerReplied,
    StatusChanged,
    TicketOpened,
    TicketResolved,
    apply,
    apply_all,
)

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


OPENED = TicketOpened(ticket="T1", at=at(2025, 9, 25, 10), event_id="o", priority="p3",
                      category=None, channel="email", customer="s", customer_tier=None)
RESOLVED = apply_all([OPENED, TicketResolved(ticket="T1", at=at(2025, 9, 26, 15), event_id="r")])
RULES = timers_from_mapping({
    "auto_close": {"kind": "auto_close", "after": "3 working days"},
    "survey": {"kind": "survey", "after": "4 business hours"},
    "nudge": {"kind": "waiting_reminder", "after": "1 working day", "repeat": 2},
})


def test_auto_close_after_three_working_days_across_national_day() -> None:
    # Resolved Fri 26 Sep 15:00; Sunday 28 Sep is a worked day: the survey's 4 business
    # hours end there at 10:00 and the working days after are 28, 29, 30 Sep.
    assert next_timer_at("t", RESOLVED, RULES, at(2025, 9, 26, 15), calendar=CN) == (
        at(2025, 9, 28, 10))
    got = due_timers("t", RESOLVED, RULES, at(2025, 10, 1), calendar=CN)
    assert [(d.rule, d.fire_at, d.action) for d in got] == [
        ("survey", at(2025, 9, 28, 10), "send_survey"),
        ("auto_close", at(2025, 9, 30, 15), "close")]
    closed = closing_event(got[1], "auto-1")
    assert (closed.auto, closed.at, closed.ticket) == (True, at(2025, 9, 30, 15), "T1")
    assert apply(RESOLVED, closed).status == "closed"
    with pytest.raises(PlanInputError, match="not 'close'"):
        closing_event(got[0], "x")


def test_a_customer_reply_restarts_the_auto_close_count() -> None:
    state = apply(RESOLVED, CustomerReplied(ticket="T1", at=at(2025, 9, 30, 11), event_id="c"))
    assert state.status == "resolved"  # the default workflow keeps it resolved
    got = due_timers("t", state, RULES[:1], at(2025, 12, 1), calendar=CN)
    assert [d.fire_at for d in got] == [at(2025, 10, 11, 11)]  # 9, 10, 11 Oct (a worked Saturday)


def test_waiting_reminders_repeat() -> None:
    waiting = apply(apply_all([OPENED]), StatusChanged(ticket="T1", at=at(2025, 9, 30, 16),
                                                     event_id="w", to="waiting_on_customer"))
    got = due_timers("t", waiting, RULES, at(2025, 12, 1), calendar=CN)
    assert [(d.occurrence.split("#")[1], d.fire_at) for d in got] == [
        ("1", at(2025, 10, 9, 16)), ("2", at(2025, 10, 10, 16))]
    assert len({d.key for d in got}) == 2


def test_delays_and_the_table_reader() -> None:
    assert Delay.parse("1 business hour") == Delay(1, "business_hours")
    assert str(Delay.parse(" 36 hours ")) == "36 hours"
    with pytest.raises(PlanInputError, match="needs the desk calendar"):
        Delay(2, "working_days").after(at(2025, 1, 1), None)
    with pytest.raises(CareDataError) as info:
        timers_from_mapping({"a": {"kind": "close", "after": "soon", "x": 1},
                             "b": {"kind": "survey"}, "c": {"kind": "survey", "after": "2 days",
                                                            "statuses": "waiting"}})
    assert [p.split(":")[0] for p in info.value.problems] == [
        "timers.a.x", "timers.a.kind", "timers.a.after", "timers.b.after", "timers.c.statuses"]
    assert TimerRule("n", "survey", Delay(1, "days")).repeat == 1
