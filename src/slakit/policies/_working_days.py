"""Working-day targets: "reply within 3 working days", "next working day by 16:00".

Design rules (stated plainly, as the worked examples in docs/sla.md show them):

* A *working day* of a calendar is a local date (in the calendar's zone) with open time. A
  holiday is not one; a makeup working day (调休上班) is one.
* ``WorkingDays(n)``: the day the clock starts is not counted (as Chinese law counts periods);
  the target is due at the close of the n-th working day after it, that is at the end of
  that day's last open period. ``WorkingDays(n, by=time(16))``: due at 16:00 local on that
  day (at the day's close before 16:00 when it closes earlier).
* A working-day target is turned into business time *when it is set* (a cycle's start, or a
  priority or policy change; ``from_creation`` sets it from the cycle's start): the open time
  of the calendar from that instant to the due instant. From then on it is a duration like
  any other: pauses push the deadline back by exactly the open time they took, and priority
  changes carry, restart or re-measure it by their mode.
* Durations in files: ISO 8601 (``PT4H``) or the shorthand ``4h``, ``30m``, ``1h30m``,
  ``2d``, ``90s``; working days as ``3wd`` or ``1wd@16:00``. One parser,
  :func:`parse_target`; its errors list the accepted forms.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs

from slakit._message import Message
from slakit._problems import shown
from slakit.calendar import Calendar
from slakit.policies._durations import format_duration, parse_duration
from slakit.policies._errors import PolicyDataError

_SEARCH_DAYS = 3660
"""How far (about ten years) a due day is looked for before the calendar is called closed."""


def _count(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
        raise PolicyDataError(
            [Message("working days must be a whole number from 1 to 366, got {value!r}", value=value)])


def _by(instance: object, attribute: attrs.Attribute[time | None], value: time | None) -> None:
    if value is not None and (not isinstance(value, time) or value.tzinfo is not None):
        raise PolicyDataError(
            [Message("by must be a local time of day such as time(16), got {value!r}", value=value)])


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


@attrs.frozen(repr=False)
class WorkingDays:
    """A target of ``n`` working days after the day the clock starts (see the module docs).

    Example:
        >>> from slakit.calendar import BusinessCalendar
        >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Shanghai")
        >>> friday = datetime(2025, 3, 7, 15, tzinfo=cal.zone)
        >>> WorkingDays(3).due(cal, friday).isoformat()
        '2025-03-12T18:00:00+08:00'
        >>> WorkingDays(1, by=time(16)).due(cal, friday).isoformat()
        '2025-03-10T16:00:00+08:00'
        >>> WorkingDays(1, by=time(16))
        WorkingDays(1, by=datetime.time(16, 0))
    """

    n: int = attrs.field(validator=_count)
    by: time | None = attrs.field(default=None, validator=_by)

    def __repr__(self) -> str:
        return f"WorkingDays({self.n})" if self.by is None else (
            f"WorkingDays({self.n}, by={self.by!r})")

    def due_day(self, calendar: Calendar, start: datetime) -> date:
        """The n-th working day after the local date of ``start``."""
        zone = calendar.zone
        day = start.astimezone(zone).date()
        found = 0
        for _ in range(_SEARCH_DAYS):
            day += timedelta(days=1)
            if calendar.elapsed(_midnight(day, zone), _midnight(day + timedelta(days=1), zone)):
                found += 1
                if found == self.n:
                    return day
        raise PolicyDataError(
            [Message("{self!r}: the calendar has fewer than {n} working days in the {search_days} days "
                     "after {isoformat}; check its hours", self=self, n=self.n, search_days=_SEARCH_DAYS,
                     isoformat=day.isoformat())]
        )

    def _end(self, calendar: Calendar, start: datetime) -> datetime:
        day = self.due_day(calendar, start)
        zone = calendar.zone
        if self.by is None:
            return _midnight(day + timedelta(days=1), zone)
        return datetime.combine(day, self.by, zone)

    def budget(self, calendar: Calendar, start: datetime) -> timedelta:
        """The open time from ``start`` to the due instant: what the clock counts."""
        return calendar.elapsed(start, self._end(calendar, start))

    def due(self, calendar: Calendar, start: datetime) -> datetime:
        """The due instant of a clock started at ``start`` that is never paused.

        The close of the due day (or ``by`` on it). The engine reports a deadline as the
        first *open* instant at which the budget is used up, which for a close is the next
        opening: no open time passes in between, so nothing can breach there.
        """
        end = self._end(calendar, start)
        if calendar.is_open(end - timedelta(microseconds=1)):
            return end
        return calendar.previous_closing(end)

    def to_text(self) -> str:
        """The shorthand form: ``3wd`` or ``1wd@16:00``."""
        return f"{self.n}wd" if self.by is None else f"{self.n}wd@{self.by.strftime('%H:%M')}"


_SHORT = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
_WD = re.compile(r"^(?P<n>\d+)wd(?:@(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d))?$")
ACCEPTED = Message("an ISO 8601 duration such as 'PT30M' or 'P3D', a shorthand such as '30m', "
                   "'4h', '1h30m' or '2d', or working days such as '3wd' or '1wd@16:00' (next "
                   "working day by 16:00)")
"""The forms :func:`parse_target` accepts, for error messages."""


def parse_target(text: object, path: str = "within") -> timedelta | WorkingDays:
    """Parse a target: an ISO 8601 duration, a shorthand duration, or working days.

    >>> parse_target("1h30m"), parse_target("PT2H")
    (datetime.timedelta(seconds=5400), datetime.timedelta(seconds=7200))
    >>> parse_target("3wd"), parse_target("1wd@16:00")
    (WorkingDays(3), WorkingDays(1, by=datetime.time(16, 0)))
    """
    if isinstance(text, str) and text.startswith("P"):
        try:
            value = parse_duration(text, path)
        except PolicyDataError as exc:
            if "longer than" in exc.problems[0]:
                raise
        else:
            if value > timedelta(0):
                return value
    elif isinstance(text, str):
        wd = _WD.match(text)
        if wd is not None:
            by = None if wd["hh"] is None else time(int(wd["hh"]), int(wd["mm"]))
            try:
                return WorkingDays(int(wd["n"]), by)
            except PolicyDataError as exc:
                raise PolicyDataError([Message(_AT, path=path, problem=exc.problems[0])]) from None
        short = _SHORT.match(text)
        if short is not None and text:
            parts = {k: int(v or 0) for k, v in short.groupdict().items()}
            try:
                value = timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"],
                                  seconds=parts["s"])
            except OverflowError:
                raise PolicyDataError([Message("{path}: {text} is longer than any target can be (at most "
                                               "999999999 days)", path=path, text=shown(text))]) from None
            if value > timedelta(0):
                return value
    raise PolicyDataError([Message("{path}: expected {accepted}, got {text}", path=path, accepted=ACCEPTED,
                                   text=shown(text))])


_AT = "{path}: {problem}"  # placeholders alone: not in the catalogue


def format_target(value: timedelta | WorkingDays) -> str:
    """The stored form of a target: ISO 8601 for durations, shorthand for working days."""
    return value.to_text() if isinstance(value, WorkingDays) else format_duration(value)
