"""One wake-up for everything a subject has: plan reminders, care schedules, ticket timers.

Design rules: :class:`CareSubject` bundles one subject's pure inputs (plan state and reminder
rules, care state, the tickets with their timer rules, the desk calendar);
:meth:`CareSubject.due` and :meth:`CareSubject.next_wake_at` read the candidates of all
three from one list, so the host stores one wake-up instant per subject and records the
keys of the decisions it acted on.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import attrs

from slakit._message import Message
from slakit.calendar import Calendar
from slakit.care._followups import CareState, care_candidates
from slakit.care._timers import TimerRule, timer_candidates
from slakit.plans import DueDecision, PlanState, ReminderRule, due, next_wake
from slakit.plans._checks import aware
from slakit.plans._errors import PlanInputError
from slakit.plans._reminders import reminder_candidates
from slakit.workflow import TicketState


@attrs.frozen
class CareSubject:
    """Everything scheduled for one subject.

    Attributes:
        calendar: The desk calendar (working days, business hours, moving occurrences).
        plans: The subject's plan state, if it has plans.
        reminders: Plan reminder rules.
        care: The subject's care schedules and completed follow-ups.
        tickets: The subject's open tickets (folded states) the timers watch.
        timers: Ticket timer rules.
    """

    calendar: Calendar | None = None
    plans: PlanState | None = None
    reminders: tuple[ReminderRule, ...] = attrs.field(default=(),
                                                      converter=tuple[ReminderRule, ...])
    care: CareState | None = None
    tickets: tuple[TicketState, ...] = attrs.field(default=(), converter=tuple[TicketState, ...])
    timers: tuple[TimerRule, ...] = attrs.field(default=(), converter=tuple[TimerRule, ...])

    def __attrs_post_init__(self) -> None:
        if self.tickets and self.care is None and self.plans is None:
            raise PlanInputError(Message("ticket timers need the tenant: give the subject's plans or care "
                                         "state too (their tenant is part of every key)"))

    def _candidates(
        self, now: datetime, after: datetime | None, floor: datetime | None
    ) -> list[DueDecision]:
        out: list[DueDecision] = []
        if self.plans is not None and self.reminders:
            out += reminder_candidates(self.plans, self.reminders, self.calendar, floor=floor)
        if self.care is not None:
            out += care_candidates(self.care, self.calendar, now, plans=self.plans, after=after,
                                   floor=floor)
        tenant = self.care.tenant if self.care is not None else (
            self.plans.tenant if self.plans is not None else "")
        for ticket in self.tickets:
            out += timer_candidates(tenant, ticket, self.timers, self.calendar)
        return out

    def due(
        self,
        now: datetime,
        *,
        since: datetime | None = None,
        already_fired: Collection[str] = frozenset(),
    ) -> tuple[DueDecision, ...]:
        """Every decision due by ``now`` (after ``since``), minus ``already_fired``, in order."""
        aware("now", now)
        return due(self._candidates(now, None, since), now, since=since, already_fired=already_fired)

    def next_wake_at(
        self, now: datetime, *, already_fired: Collection[str] = frozenset()
    ) -> datetime | None:
        """The first instant after ``now`` at which anything of the subject falls due."""
        aware("now", now)
        return next_wake(self._candidates(now, now, now), now, already_fired=already_fired)
