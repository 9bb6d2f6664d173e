"""When does a recurring care schedule fall due? Occurrences of an rrule on a calendar.

Design rules:

* A schedule is data: an RFC 5545 ``RRULE`` body (``FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1``)
  read by ``dateutil.rrule`` from ``start``, plus dated instants (a maintenance window, a
  peak), shifted by ``offset_days`` (calendar days, or working days with ``working``) and
  moved to the next open instant of the desk's calendar when they fall on closed time.
  "The first working day of each quarter" is a quarterly rule at 00:00 moved forward.
* The rule runs on wall times in ``start``'s zone, so 00:00 stays 00:00 across DST.
* An occurrence is named by its nominal wall time (``2025-10-01T00:00``): the name is the
  occurrence part of its key, the same on every replay, and does not move with the calendar.
* Expansions are cached per (schedule, calendar, horizon): thousands of customers on one
  plan's schedule share one expansion.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import attrs
from dateutil.rrule import rrulestr

from slakit._errors import WrongTypeError, type_check
from slakit._message import Message
from slakit.calendar import Calendar, open_at_or_after
from slakit.plans._checks import check_aware, check_name, check_optional_aware
from slakit.plans._errors import PlanInputError
from slakit.plans._working_days import shift_working_days


@attrs.frozen
class Occurrence:
    """One occurrence of a schedule.

    Attributes:
        name: Nominal local wall time, ``YYYY-MM-DDTHH:MM`` (the key's occurrence part).
        nominal: The instant the rule gives.
        at: The instant it falls due (offset applied, moved to an open instant).
    """

    name: str
    nominal: datetime
    at: datetime


def _check_timedelta(_i: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, timedelta):
        raise WrongTypeError(Message("{name} must be a timedelta or None, got {value!r}",
                                     name=attribute.name, value=value))


@attrs.frozen
class CareSchedule:
    """A recurring care duty: quarterly visits, monthly inspections, pre-peak checks.

    Attributes:
        name: Schedule name (part of every key), e.g. ``quarterly-visit``.
        start: DTSTART of the rule; its zone is the zone of the wall times.
        rule: RRULE body (no DTSTART); empty for dated instants only.
        dates: Extra dated instants (maintenance windows, peaks) the offset applies to.
        until: No occurrence with a nominal instant at or after this.
        offset_days: Shift each instant by this many days (negative: before).
        working: Count ``offset_days`` as working days of the calendar.
        roll: Move an instant on closed time to the next open instant of the calendar
            (evaluating without a calendar is then refused).
        overdue_after: Business time after an occurrence at which an uncompleted one is
            escalated; None for never.
        plan: Only while a plan of this name serves the subject (None: always).
        action: What the host does (``visit``, ``inspect``, ``notify``).
    """

    name: str = attrs.field(validator=check_name)
    start: datetime = attrs.field(validator=check_aware)
    rule: str = attrs.field(default="", validator=type_check(str))
    dates: tuple[datetime, ...] = attrs.field(default=(), converter=tuple[datetime, ...])
    until: datetime | None = attrs.field(default=None, validator=check_optional_aware)
    offset_days: int = 0
    working: bool = False
    roll: bool = True
    overdue_after: timedelta | None = attrs.field(default=None, validator=_check_timedelta)
    plan: str | None = None
    action: str = "visit"

    def __attrs_post_init__(self) -> None:
        if "DTSTART" in self.rule.upper():
            raise PlanInputError(Message("schedule {name!r}: put the start in 'start', not DTSTART in the "
                                         "rule", name=self.name))
        if not self.rule and not self.dates:
            raise PlanInputError(Message("schedule {name!r}: give a rule, dates, or both", name=self.name))
        for d in self.dates:
            check_aware(None, attrs.fields(CareSchedule).dates, d)
        for what, value, kind in (("working", self.working, bool), ("roll", self.roll, bool),
                                  ("action", self.action, str), ("plan", self.plan, str)):
            if not isinstance(value, kind) and not (what == "plan" and value is None):
                raise WrongTypeError(Message("schedule {name!r}: {what} must be a {kind}, got {value!r}",
                                             name=self.name, what=what, kind=kind.__name__, value=value))
        if not self.action:
            raise PlanInputError(Message("schedule {name!r}: action must not be empty", name=self.name))
        if self.rule:
            try:
                _rule(self)
            except (ValueError, TypeError) as exc:
                raise PlanInputError(Message("schedule {name!r}: rule {rule!r} is not a valid RRULE "
                                             "({exc}); write e.g. 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1'",
                                             name=self.name, rule=self.rule, exc=exc)) from None
        if not isinstance(self.offset_days, int) or isinstance(self.offset_days, bool):
            raise WrongTypeError(Message("offset_days must be an int, got {offset_days!r}",
                                         offset_days=self.offset_days))

    def occurrences(self, calendar: Calendar | None, before: datetime) -> Iterator[Occurrence]:
        """Occurrences in time order falling due at or before ``before``.

        Raises:
            PlanInputError: ``working`` or ``roll`` without a calendar.
        """
        # A negative offset brings an occurrence of next year into this one: look two ahead.
        horizon = min(before.astimezone(self.start.tzinfo).year + 2, 9998)
        for occ in _expanded(self, calendar, horizon):  # type: ignore[arg-type]
            if occ.at > before:
                return
            yield occ

    def next_after(self, calendar: Calendar | None, t: datetime) -> Occurrence | None:
        """The first occurrence due strictly after ``t``, or None when the schedule ended."""
        year = t.astimezone(self.start.tzinfo).year
        for horizon in (year + 2, year + 10, year + 100):
            for occ in _expanded(self, calendar, min(horizon, 9998)):  # type: ignore[arg-type]
                if occ.at > t:
                    return occ
        return None


def _rule(s: CareSchedule) -> Any:
    return rrulestr(s.rule, dtstart=s.start.replace(tzinfo=None))


@lru_cache(maxsize=4096)
def _expanded(s: CareSchedule, calendar: Calendar | None, horizon: int) -> tuple[Occurrence, ...]:
    """Every occurrence with a nominal wall time before 1 January of ``horizon``."""
    if calendar is None and (s.working or s.roll):
        raise PlanInputError(Message("schedule {name!r} counts working days or moves occurrences to open "
                                     "time: pass the calendar (or set working and roll False)", name=s.name))
    zone = s.start.tzinfo
    end = datetime(horizon, 1, 1)
    walls: set[datetime] = set()
    if s.rule:
        walls.update(_rule(s).between(s.start.replace(tzinfo=None), end, inc=True))
    walls.update(d.astimezone(zone).replace(tzinfo=None) for d in s.dates)
    until = None if s.until is None else s.until.astimezone(zone).replace(tzinfo=None)
    out: list[Occurrence] = []
    for wall in sorted(walls):
        if wall >= end or (until is not None and wall >= until):
            continue
        nominal = wall.replace(tzinfo=zone)
        at = nominal
        if s.offset_days:
            if s.working:
                assert calendar is not None
                at = shift_working_days(calendar, at, s.offset_days)
            else:
                at = (wall + timedelta(days=s.offset_days)).replace(tzinfo=zone)
        if s.roll and calendar is not None:
            at = open_at_or_after(calendar, at)
        out.append(Occurrence(wall.isoformat(timespec="minutes"), nominal, at))
    out.sort(key=lambda o: (o.at, o.name))
    return tuple(out)
