"""CareSubject: one wake-up for plan reminders, care schedules and ticket timers (properties)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.calendar import BusinessCalendar
from slakit.care import CareSchedule, CareState, CareSubject, Delay, TimerRule
from slakit.plans import (
    Plan,
    PlanEvent,
    PlanRenewed,
    PlanStarted,
    Quota,
    QuotaConsumed,
    ReminderRule,
    apply_plan_events,
)
from slakit.workflow import TicketOpened, TicketResolved, apply_all

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")
BASE = datetime(2025, 1, 1, tzinfo=SH)
RULES = (ReminderRule("renew-30d", "before_expiry", days=30),
         ReminderRule("renew-3wd", "before_expiry", days=3, working=True),
         ReminderRule("expired", "on_expiry"),
         ReminderRule("low", "quota_below", quota="visit", threshold=1))
TIMERS = (TimerRule("close", "auto_close", Delay(3, "working_days")),
          TimerRule("survey", "survey", Delay(4, "business_hours")))


@st.composite
def subjects(draw: st.DrawFn) -> CareSubject:
    golive = BASE + timedelta(days=draw(st.integers(0, 300)), hours=draw(st.integers(0, 23)))
    end = golive + timedelta(days=draw(st.integers(20, 400)))
    plan = Plan("annual", "annual", golive, end, grace_days=draw(st.integers(0, 15)),
                quotas=[Quota("visit", 2, draw(st.sampled_from(["year", "month", "term"])))])
    events: list[PlanEvent] = [PlanStarted(subject="s", at=golive, event_id="p", plan=plan)]
    for i in range(draw(st.integers(0, 2))):
        events.append(QuotaConsumed(subject="s", at=golive + timedelta(days=3 + i),
                                    event_id=f"q{i}", quota="visit"))
    if draw(st.booleans()):
        renew_at = end + timedelta(days=draw(st.integers(-20, 40)))
        # events come in time order: never before the quota uses (golive + 3 and 4 days)
        events.append(PlanRenewed(subject="s", at=max(renew_at, golive + timedelta(days=5)),
                                  event_id="r"))
    sched = CareSchedule("visit", golive, draw(st.sampled_from(
        ["FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=15"])),
        until=golive + timedelta(days=800), overdue_after=timedelta(hours=9),
        plan=draw(st.sampled_from([None, "annual"])))
    ticket = apply_all([
        TicketOpened(ticket="T", at=golive, event_id="o", priority="p3", category=None,
                     channel=None, customer="s", customer_tier=None),
        TicketResolved(ticket="T", at=golive + timedelta(hours=draw(st.integers(1, 500))),
                       event_id="z")])
    return CareSubject(CN, apply_plan_events("t", "s", events), RULES, CareState("t", "s", [sched]),
                       [ticket], TIMERS)


instants = st.integers(0, 900 * 24).map(lambda h: BASE + timedelta(hours=h))


@settings(max_examples=40, deadline=None)
@given(subjects(), instants, instants)
def test_keys_unique_and_stable_and_the_wake_up_never_late(
    subject: CareSubject, a: datetime, b: datetime
) -> None:
    now, later = min(a, b), max(a, b)
    everything = subject.due(later)
    keys = [d.key for d in everything]
    assert len(keys) == len(set(keys))
    assert all(k.startswith("t/") for k in keys)
    assert subject.due(now) + subject.due(later, since=now) == everything
    assert subject.due(later, already_fired=set(keys)) == ()
    wake = subject.next_wake_at(now)
    ahead = [d.fire_at for d in everything if d.fire_at > now]
    if ahead:
        assert wake is not None
        assert wake <= min(ahead)
    if wake is not None:
        assert wake > now
        assert any(d.fire_at == wake for d in subject.due(wake))


def test_timers_alone_have_no_tenant_and_are_refused() -> None:
    import pytest

    from slakit.plans import PlanInputError

    ticket = apply_all([TicketOpened(ticket="T", at=BASE, event_id="o", priority="p3",
                                  category=None, channel=None, customer="s", customer_tier=None)])
    with pytest.raises(PlanInputError, match="tenant"):
        CareSubject(CN, tickets=[ticket], timers=TIMERS)
