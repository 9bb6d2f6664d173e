"""Which instant is N working days (or business time) before or after another?

Design rules:

* A working day is a local date of the calendar with some open time.
* ``N working days after t`` is the same local wall time on the N-th working day after
  ``t``'s date, moved to the next open instant when the calendar is closed then (so a
  Friday 15:00 resolution plus 3 working days is Wednesday 15:00; a Saturday one, Wednesday
  at the wall time, or the opening after it). ``before`` mirrors it, still moving forward.
* An instant that is already open stays where it is
  (:func:`slakit.calendar.open_at_or_after`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from slakit._message import Message
from slakit.calendar import Calendar, open_at_or_after
from slakit.plans._errors import PlanInputError

_DAY = timedelta(days=1)
_SEARCH_DAYS = 3660
"""A calendar without a working day for ten years is refused rather than searched forever."""


def is_working_day(calendar: Calendar, day: date) -> bool:
    """Whether the calendar has open time on the local date ``day``."""
    zone = calendar.zone
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + _DAY, time(0), zone)
    return next(iter(calendar.periods(start, end)), None) is not None


def shift_working_days(calendar: Calendar, t: datetime, days: int) -> datetime:
    """The instant ``days`` working days after (``days < 0``: before) ``t``, then open.

    Answers are cached per (calendar, instant, days): many subjects share expiry dates.

    Raises:
        PlanInputError: the calendar has no working day within ten years.
    """
    return _shift(calendar, t, days)  # type: ignore[arg-type]


@lru_cache(maxsize=65536)
def _shift(calendar: Calendar, t: datetime, days: int) -> datetime:
    local = t.astimezone(calendar.zone)
    day = local.date()
    step = _DAY if days >= 0 else -_DAY
    left = abs(days)
    searched = 0
    while left:
        day += step
        searched += 1
        if searched > _SEARCH_DAYS:
            raise PlanInputError(Message("the calendar has no working day within ten years of "
                                         "{isoformat}; give it some open hours",
                                         isoformat=local.isoformat()))
        if is_working_day(calendar, day):
            left -= 1
    wall = datetime.combine(day, local.timetz().replace(tzinfo=None), calendar.zone)
    return open_at_or_after(calendar, wall)
