"""Shared builders for the SLA tests: calendars, a policy set and an event factory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slakit import AlwaysOpen, BusinessCalendar
from slakit.policies import MetricTarget, NamedCalendar, PolicySet, SlaPolicy, always
from slakit.sla import SlaEngine
from slakit.workflow import (
    AgentReplied,
    CustomerReplied,
    Event,
    FactsChanged,
    PriorityChanged,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketReopened,
    TicketResolved,
)

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
M = timedelta(minutes=1)
C247 = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
# Mon-Fri 09:00-18:00, no holidays: simple enough to check figures by hand.
OFFICE = NamedCalendar("office", BusinessCalendar.weekdays("09:00", "18:00", timezone=SH), "2025")


def sh(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def targets(priority: str, cal: NamedCalendar, **within: timedelta) -> list[MetricTarget]:
    return [MetricTarget(metric, priority, d, cal) for metric, d in within.items()]


def simple_policy(**kwargs: Any) -> SlaPolicy:
    """urgent 24x7 30 min / 4 h; normal office 2 h / 24 h (business hours)."""
    return SlaPolicy(
        "default", "1", always(),
        [*targets("urgent", C247, first_response=30 * M, resolution=4 * H),
         *targets("normal", OFFICE, first_response=2 * H, resolution=24 * H)],
        **kwargs,
    )


def engine(policy: SlaPolicy | None = None) -> SlaEngine:
    return SlaEngine(PolicySet([], fallback=policy or simple_policy(),
                               priorities=("urgent", "important", "normal", "low")))


class Events:
    """Makes events for one ticket with increasing ids."""

    def __init__(self, ticket: str = "T-1") -> None:
        self.ticket = ticket
        self._ids: Iterator[int] = iter(range(1, 1_000_000))

    def _common(self, at: datetime) -> dict[str, Any]:
        return {"ticket": self.ticket, "at": at, "event_id": f"e{next(self._ids)}"}

    def opened(self, at: datetime, priority: str = "normal", channel: str | None = "web",
               category: str | None = None, tier: str | None = None,
               tags: frozenset[str] = frozenset()) -> Event:
        return TicketOpened(**self._common(at), priority=priority, category=category,
                            channel=channel, customer="c-1", customer_tier=tier, tags=tags)

    def reply(self, at: datetime, public: bool = True) -> Event:
        return AgentReplied(**self._common(at), public=public)

    def customer(self, at: datetime) -> Event:
        return CustomerReplied(**self._common(at))

    def status(self, at: datetime, to: str) -> Event:
        return StatusChanged(**self._common(at), to=to)

    def priority(self, at: datetime, priority: str) -> Event:
        return PriorityChanged(**self._common(at), priority=priority)

    def assigned(self, at: datetime, assignee: str | None = "ana") -> Event:
        return TicketAssigned(**self._common(at), assignee=assignee, group="l2")

    def stage(self, at: datetime, stage: str) -> Event:
        return StageChanged(**self._common(at), stage=stage)

    def resolved(self, at: datetime) -> Event:
        return TicketResolved(**self._common(at))

    def reopened(self, at: datetime) -> Event:
        return TicketReopened(**self._common(at))

    def closed(self, at: datetime) -> Event:
        return TicketClosed(**self._common(at))

    def cancelled(self, at: datetime) -> Event:
        return TicketCancelled(**self._common(at))

    def facts(self, at: datetime, clear: tuple[str, ...] = (), **values: Any) -> Event:
        return FactsChanged(**self._common(at), set=values, clear=clear)
