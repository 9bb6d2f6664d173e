"""Plan reminders: exact instants, keys, working days, quota thresholds, the rules table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from slakit.calendar import BusinessCalendar
from slakit.plans import (
    CareDataError,
    Plan,
    PlanInputError,
    PlanRenewed,
    PlanStarted,
    Quota,
    QuotaConsumed,
    ReminderRule,
    apply_plan_events,
    due_reminders,
    next_reminder_at,
    reminder_rules_from_mapping,
)

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


ANNUAL = Plan("annual", "annual", at(2025, 4, 6), at(2026, 4, 6), quotas=[Quota("visit", 3)])
RULES = (ReminderRule("renew-30d", "before_expiry", days=30), ReminderRule("expired", "on_expiry"))


def test_renewal_reminder_exactly_30_days_before_and_on_expiry() -> None:
    st = apply_plan_events("t", "s", [PlanStarted(subject="s", at=at(2025, 3, 1), event_id="e",
                                             plan=ANNUAL)])
    assert next_reminder_at(st, RULES, at(2025, 3, 1)) == at(2026, 3, 7)
    assert next_reminder_at(st, RULES, at(2026, 3, 7)) == at(2026, 4, 6)
    got = due_reminders(st, RULES, at(2026, 4, 6))
    assert [(d.key, d.fire_at, d.action) for d in got] == [
        ("t/s/renew-30d/2026-04-06T00:00+08:00", at(2026, 3, 7), "remind_renewal"),
        ("t/s/expired/2026-04-06T00:00+08:00", at(2026, 4, 6), "notify_expired")]
    assert due_reminders(st, RULES, at(2026, 4, 6), since=at(2026, 3, 7)) == got[1:]
    assert due_reminders(st, RULES, at(2026, 4, 6), already_fired={got[0].key}) == got[1:]


def test_early_renewal_moves_the_reminders_to_the_new_expiry() -> None:
    st = apply_plan_events("t", "s", [
        PlanStarted(subject="s", at=at(2025, 3, 1), event_id="e", plan=ANNUAL),
        PlanRenewed(subject="s", at=at(2026, 1, 1), event_id="r")])
    assert next_reminder_at(st, RULES, at(2026, 1, 1)) == at(2027, 3, 7)
    assert due_reminders(st, RULES, at(2026, 12, 31)) == ()


def test_working_days_before_expiry_on_the_cn_calendar() -> None:
    rule = ReminderRule("renew-5wd", "before_expiry", days=5, working=True)
    plan = Plan("p", "annual", at(2024, 10, 12), at(2025, 10, 12))
    st = apply_plan_events("t", "s", [PlanStarted(subject="s", at=at(2024, 10, 12), event_id="e",
                                             plan=plan)])
    # 12 Oct 2025 is a Sunday after the National Day break (1-8 Oct; Sat 11 Oct is worked):
    # five working days back are 11, 10, 9 Oct, 30 and 29 Sep; 00:00 opens at 09:00.
    assert next_reminder_at(st, [rule], at(2025, 1, 1), calendar=CN) == at(2025, 9, 29, 9)
    with pytest.raises(PlanInputError, match="pass the calendar"):
        next_reminder_at(st, [rule], at(2025, 1, 1))


def test_quota_threshold_fires_once_per_window() -> None:
    rule = ReminderRule("visits-low", "quota_below", quota="visit", threshold=1)
    st = apply_plan_events("t", "s", [PlanStarted(subject="s", at=at(2025, 4, 6), event_id="e",
                                             plan=ANNUAL)] + [
        QuotaConsumed(subject="s", at=at(2025, 5, d), event_id=f"q{d}", quota="visit")
        for d in (1, 2, 3)])
    got = due_reminders(st, [rule], at(2025, 6, 1))
    assert [(d.key, d.fire_at) for d in got] == [
        ("t/s/visits-low/2025-04-06T00:00+08:00", at(2025, 5, 2))]
    assert got[0].reason == "quota 'visit' of 's' has 1 of 3 left this year"


def test_rules_table_lists_every_problem() -> None:
    rules = reminder_rules_from_mapping({"renew": {"kind": "before_expiry", "days": 30}})
    assert rules == (ReminderRule("renew", "before_expiry", days=30),)
    with pytest.raises(CareDataError) as info:
        reminder_rules_from_mapping({"a": {"kind": "soon"}, "b": {"days": 3, "colour": 1},
                                     "c": {"kind": "quota_below"}})
    assert [p.split(":")[0] for p in info.value.problems] == [
        "reminders.a", "reminders.b.colour", "reminders.b.kind", "reminders.c"]


def test_quota_threshold_keeps_its_instant_when_evaluated_since_a_later_time() -> None:
    rule = ReminderRule("visits-low", "quota_below", quota="visit", threshold=2)
    st = apply_plan_events("t", "s", [PlanStarted(subject="s", at=at(2025, 4, 6), event_id="e",
                                             plan=ANNUAL)] + [
        QuotaConsumed(subject="s", at=at(2025, 5, d), event_id=f"q{d}", quota="visit")
        for d in (1, 2)])
    # crossed at the first use (2 left); the second use does not fire it again after `since`
    assert [d.fire_at for d in due_reminders(st, [rule], at(2025, 6, 1))] == [at(2025, 5, 1)]
    assert due_reminders(st, [rule], at(2025, 6, 1), since=at(2025, 5, 1, 12)) == ()
