"""Which care visits and overdue escalations fall due for a subject, and when next?

Design rules:

* :class:`CareState` holds a subject's schedules (host configuration) and the follow-ups
  completed (events, folded in order; a redelivered ``event_id`` is a no-op). Completing an
  occurrence the schedule does not have is refused.
* Each occurrence gives a decision at its instant (``schedule.action``), unless completed
  before it; with ``overdue_after``, one more at ``calendar.add(at, overdue_after)`` unless
  completed before that: an overdue follow-up escalates like a clock.
* Per-plan schedules give only the occurrences at which the named plan serves the subject.
* Keys: ``tenant/subject/schedule/occurrence`` and ``.../occurrence/overdue``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import ClassVar

import attrs

from slakit._message import Message
from slakit.calendar import Calendar
from slakit.care._schedule import CareSchedule, Occurrence
from slakit.plans import DueDecision, PlanState, decision_key, due, next_wake
from slakit.plans._checks import check_aware, check_name
from slakit.plans._errors import PlanInputError
from slakit.plans._events import SCHEMA, _dumps, _loads, event_to_dict


@attrs.frozen(kw_only=True)
class FollowUpCompleted:
    """The follow-up ``occurrence`` of ``schedule`` was done at ``at``."""

    event_type: ClassVar[str] = "slakit.care/follow_up_completed"
    subject: str = attrs.field(validator=check_name)
    at: datetime = attrs.field(validator=check_aware)
    event_id: str = attrs.field(validator=check_name)
    schedule: str = attrs.field(validator=check_name)
    occurrence: str = attrs.field(validator=check_name)


CARE_EVENT_TYPES = {FollowUpCompleted.event_type: FollowUpCompleted}


def care_event_to_json(event: FollowUpCompleted) -> str:
    """The compact JSON text of a care event (``type``, ``schema``, then its fields)."""
    return _dumps(event_to_dict(event, SCHEMA))


def care_event_from_json(text: str | bytes) -> FollowUpCompleted:
    """Read a care event; CareDataError lists every problem."""
    return _loads(text, CARE_EVENT_TYPES, "care event")  # type: ignore[no-any-return]


def _read_only(value: Mapping[tuple[str, str], datetime]) -> Mapping[tuple[str, str], datetime]:
    """A read-only copy, so a frozen state cannot be changed through its mapping."""
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


@attrs.frozen
class CareState:
    """A subject's care schedules and completed follow-ups.

    Attributes:
        tenant: Tenant of the subject.
        subject: Customer or organisation id.
        schedules: The schedules that apply to the subject.
        completed: ``(schedule, occurrence) -> completion instant``.
        event_ids: Ids of the applied events.
        last_event_at: Instant of the latest applied event.
    """

    tenant: str = attrs.field(validator=check_name)
    subject: str = attrs.field(validator=check_name)
    schedules: tuple[CareSchedule, ...] = attrs.field(default=(),
                                                      converter=tuple[CareSchedule, ...])
    completed: Mapping[tuple[str, str], datetime] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_read_only)
    event_ids: frozenset[str] = frozenset()
    last_event_at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        names = [s.name for s in self.schedules]
        if len(set(names)) != len(names):
            raise PlanInputError(Message("schedule names of {subject!r} must be unique: {names}",
                                         subject=self.subject, names=names))


def apply_care_event(
    state: CareState, event: FollowUpCompleted, calendar: Calendar | None = None
) -> CareState:
    """``state`` with ``event`` applied (the state is never changed in place).

    Raises:
        PlanInputError: another subject, an out-of-order event, an unknown schedule or an
            occurrence the schedule does not have.
    """
    if event.subject != state.subject:
        raise PlanInputError(Message("event {event_id!r} is for {subject!r}, not {subject2!r}",
                                     event_id=event.event_id, subject=event.subject, subject2=state.subject))
    if event.event_id in state.event_ids:
        return state
    if state.last_event_at is not None and event.at < state.last_event_at:
        raise PlanInputError(Message("event {event_id!r} is older than the last applied event "
                                     "({isoformat}); apply events in time order", event_id=event.event_id,
                                     isoformat=state.last_event_at.isoformat()))
    sched = next((s for s in state.schedules if s.name == event.schedule), None)
    if sched is None:
        raise PlanInputError(Message("{subject!r} has no schedule {schedule!r}; known: {value}",
                                     subject=state.subject, schedule=event.schedule,
                                     value=', '.join(s.name for s in state.schedules) or 'none'))
    horizon = event.at.replace(year=min(event.at.year + 2, 9998))
    if not any(o.name == event.occurrence for o in sched.occurrences(calendar, horizon)):
        raise PlanInputError(Message("schedule {name!r} has no occurrence {occurrence!r} (write its "
                                     "nominal wall time, e.g. '2025-10-01T00:00')", name=sched.name,
                                     occurrence=event.occurrence))
    completed = dict(state.completed)
    completed.setdefault((event.schedule, event.occurrence), event.at)
    return attrs.evolve(state, completed=completed, event_ids=state.event_ids | {event.event_id},
                        last_event_at=event.at)


@lru_cache(maxsize=65536)
def _late(calendar: Calendar, at: datetime, after: timedelta) -> datetime:
    """``calendar.add(at, after)``, cached: subjects sharing a schedule share its instants."""
    return calendar.add(at, after)


def _served(plans: PlanState | None, plan: str | None, at: datetime) -> bool:
    if plan is None:
        return True
    if plans is None:
        raise PlanInputError(Message("a schedule for plan {plan!r} needs the subject's PlanState",
                                     plan=plan))
    i = plans.term_at(at)
    return i is not None and plans.terms[i].name == plan


def care_candidates(
    state: CareState,
    calendar: Calendar | None,
    before: datetime,
    *,
    plans: PlanState | None = None,
    after: datetime | None = None,
    floor: datetime | None = None,
) -> list[DueDecision]:
    """Decisions of occurrences due by ``before`` (and, with ``after``, the first after it).

    With ``floor``, only the decisions firing strictly after it are built (the others cannot
    be due after ``since`` nor be a next wake-up): the work is what is new, not the history.
    """
    out: list[DueDecision] = []
    t, s = state.tenant, state.subject
    for sched in state.schedules:
        occs: Iterable[Occurrence] = sched.occurrences(calendar, before)
        if after is not None:
            nxt = sched.next_after(calendar, after)
            for _ in range(1000):  # the first one the plan serves (a lapse skips some)
                if nxt is None or _served(plans, sched.plan, nxt.at):
                    break
                nxt = sched.next_after(calendar, nxt.at)
            occs = [*occs, nxt] if nxt is not None else occs
        for occ in occs:
            if not _served(plans, sched.plan, occ.at):
                continue
            done = state.completed.get((sched.name, occ.name))
            if (done is None or done > occ.at) and (floor is None or occ.at > floor):
                moved = "" if occ.at == occ.nominal else f", moved to {occ.at.isoformat()}"
                out.append(DueDecision(
                    decision_key(t, s, sched.name, occ.name), t, s, sched.name, occ.name,
                    occ.at, sched.action,
                    f"{sched.name} of {s!r} due {occ.name}{moved}"))
            if sched.overdue_after is not None and calendar is not None:
                late = _late(calendar, occ.at, sched.overdue_after)  # type: ignore[arg-type]
                if (done is None or done > late) and (floor is None or late > floor):
                    out.append(DueDecision(
                        decision_key(t, s, sched.name, occ.name + "/overdue"), t, s,
                        sched.name, occ.name + "/overdue", late, "escalate_overdue",
                        f"{sched.name} of {s!r} due {occ.at.isoformat()} is not done "
                        f"{sched.overdue_after} of business time later"))
    return out


def due_care(
    state: CareState,
    now: datetime,
    *,
    calendar: Calendar | None = None,
    plans: PlanState | None = None,
    since: datetime | None = None,
    already_fired: Collection[str] = frozenset(),
) -> tuple[DueDecision, ...]:
    """Visits and overdue escalations due by ``now`` (after ``since``), minus ``already_fired``."""
    return due(care_candidates(state, calendar, now, plans=plans, floor=since), now,
               since=since, already_fired=already_fired)


def next_care_at(
    state: CareState,
    now: datetime,
    *,
    calendar: Calendar | None = None,
    plans: PlanState | None = None,
    already_fired: Collection[str] = frozenset(),
) -> datetime | None:
    """The first instant after ``now`` at which a visit or an escalation falls due."""
    return next_wake(care_candidates(state, calendar, now, plans=plans, after=now, floor=now),
                     now, already_fired=already_fired)
