"""A small desk the scheduler recipes run: Shanghai, around the clock, a two-step ladder.

Urgent first response within 30 minutes: a reminder at half time (15 min), the duty manager
at the deadline (30 min); normal tickets get 2 hours and the same rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slakit import AlwaysOpen
from slakit.desk import Desk, InMemoryNotifier
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    at_fraction,
    notify,
    on_breach,
)
from slakit.storage import DeskStore, InMemoryStore
from slakit.workflow import DEFAULT_WORKFLOW, TicketOpened

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=SH)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def policies() -> PolicySet:
    c247 = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
    policy = SlaPolicy("chat", "1", targets=[
        MetricTarget("first_response", "urgent", timedelta(minutes=30), c247),
        MetricTarget("first_response", "normal", timedelta(hours=2), c247),
    ], escalations=[
        EscalationRule("half", "first_response", at_fraction(0.5), [notify("team_lead")]),
        EscalationRule("late", "first_response", on_breach(), [notify("duty_manager")]),
    ])
    return PolicySet([], fallback=policy, priorities=("urgent", "normal"))


def make_desk(store: DeskStore | None = None) -> tuple[Desk, InMemoryNotifier]:
    notifier = InMemoryNotifier()
    return Desk(DEFAULT_WORKFLOW, policies(), store or InMemoryStore(), notifier), notifier


def opened(ticket: str, priority: str = "urgent", when: datetime = T0) -> TicketOpened:
    return TicketOpened(ticket=ticket, at=when, event_id=f"{ticket}-open", priority=priority,
                        category=None, channel="chat", customer="c-1", customer_tier=None)
