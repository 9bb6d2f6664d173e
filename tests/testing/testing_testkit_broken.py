"""Deliberately broken implementations: the checks of slakit.testing must catch each one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from slakit.calendar import Calendar, Period
from slakit.sla import ClockState, EscalationDecision, SlaEngine, SlaState, due_escalations, next_wake_at
from slakit.sla._cycle import CycleState, replace
from slakit.workflow import Event, TicketState

MINUTE = timedelta(minutes=1)


class MinuteLateCalendar:
    """A hand-rolled calendar whose ``add`` is one minute late; everything else is right."""

    def __init__(self, inner: Calendar) -> None:
        self._inner = inner

    def __repr__(self) -> str:
        return f"MinuteLateCalendar({self._inner!r})"

    @property
    def zone(self) -> ZoneInfo:
        return self._inner.zone

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return self._inner.add(start, duration) + MINUTE

    def subtract(self, start: datetime, duration: timedelta) -> datetime:
        return self._inner.subtract(start, duration)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        return self._inner.elapsed(start, end)

    def is_open(self, t: datetime) -> bool:
        return self._inner.is_open(t)

    def next_opening(self, t: datetime) -> datetime:
        return self._inner.next_opening(t)

    def previous_opening(self, t: datetime) -> datetime:
        return self._inner.previous_opening(t)

    def next_closing(self, t: datetime) -> datetime:
        return self._inner.next_closing(t)

    def previous_closing(self, t: datetime) -> datetime:
        return self._inner.previous_closing(t)

    def periods(self, start: datetime, end: datetime | None = None) -> Iterator[Period]:
        return self._inner.periods(start, end)

    def periods_before(self, end: datetime, start: datetime | None = None) -> Iterator[Period]:
        return self._inner.periods_before(end, start)


def _count_the_pause(cycle: CycleState) -> CycleState:
    if cycle.running_since is None or not cycle.spans or not cycle.is_open:
        return cycle
    pause = cycle.running_since - cycle.spans[-1][1]  # wall time, not business time
    return replace(cycle, carried=cycle.carried + pause, counted=cycle.counted + pause)


class PauseLeakEngine(SlaEngine):
    """Counts a pause's wall time as worked time when the ticket resumes."""

    def advance(self, state: SlaState | None, event: Event, ticket: TicketState) -> SlaState:
        new = super().advance(state, event, ticket)
        if state is None or not state.paused or new.paused:
            return new
        clocks = tuple(
            ClockState(c.metric, (*c.cycles[:-1], _count_the_pause(c.cycles[-1])))
            if c.cycles else c for c in new.clocks
        )
        return attrs.evolve(new, clocks=clocks)


class StalePriorityEngine(SlaEngine):
    """A host bug: the ticket state handed over with a priority change is the old one."""

    def advance(self, state: SlaState | None, event: Event, ticket: TicketState) -> SlaState:
        if state is not None and event.event_type == "priority_changed":
            ticket = attrs.evolve(ticket, priority=state.facts.priority)
        return super().advance(state, event, ticket)


def forgetful_due(state: SlaState, now: datetime, **_ignored: Any) -> tuple[EscalationDecision, ...]:
    """A host wrapper that drops ``already_fired`` and ``since``."""
    return due_escalations(state, now)


def minute_late_wake(state: SlaState, now: datetime, **options: Any) -> datetime | None:
    """A scheduler that books its job a minute after the wake-up slakit asked for."""
    wake = next_wake_at(state, now, **options)
    return None if wake is None else wake + MINUTE
