"""Peak windows that come back every year: 11.11, 618, Black Friday, written once as rules.

Design rules:

* A :class:`RecurringPeak` is a ``dateutil.rrule`` recurrence (RFC 5545 ``RRULE`` text, e.g.
  ``FREQ=YEARLY;BYMONTH=11;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29`` for Black Friday, the
  Friday after the fourth Thursday of November) giving each
  window's first day, and a length in days. It is used wherever a
  :class:`~slakit.policies.PeakWindow` is: a clock takes its target from a window in force at
  the instant the target is set, judged on the local date in the window's zone.
* The rule and the length are checked when the peak is built (an unparsable rule, a rule
  with its own ``DTSTART``, a length outside 1-366 days are listed problems with the fix).
* Occurrences are counted from 1970-01-01, so ``COUNT`` and ``INTERVAL`` count from then.
  A date is in the peak when the latest occurrence on or before it started fewer than
  ``days`` days earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from dateutil.rrule import rrule, rrulestr

from slakit._errors import NaiveDatetimeError, WrongTypeError
from slakit._fast import derive
from slakit._message import Message
from slakit._zone import read_zone
from slakit.policies._errors import PolicyDataError
from slakit.policies._targets import MetricTarget

_EPOCH = datetime(1970, 1, 1)


def _zone(value: str | ZoneInfo) -> ZoneInfo:
    zone = read_zone(value)
    if zone is None:
        raise PolicyDataError(
            [Message("recurring peak timezone: unknown zone {value!r}; give an IANA name such as "
                     "'Asia/Shanghai'", value=value)])
    return zone


def _target_tuple(items: Iterable[MetricTarget]) -> tuple[MetricTarget, ...]:
    return tuple(items)


def _parse(rule: str) -> rrule:
    if not isinstance(rule, str) or not rule or "DTSTART" in rule.upper():
        raise PolicyDataError(
            [Message("recurring peak rule must be RRULE text without DTSTART, such as "
                     "'FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=11', got {rule!r}", rule=rule)])
    try:
        parsed = rrulestr(rule, dtstart=_EPOCH)
    except (ValueError, TypeError) as exc:
        raise PolicyDataError(
            [Message("recurring peak rule {rule!r} is not RRULE text ({exc}); write it like "
                     "'FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=11'", rule=rule, exc=exc)]) from None
    if not isinstance(parsed, rrule):
        raise PolicyDataError([Message("recurring peak rule {rule!r} must be one RRULE", rule=rule)])
    return parsed


@attrs.frozen
class RecurringPeak:
    """A peak window that recurs: each occurrence of ``rule`` starts ``days`` days of peak.

    Example:
        >>> from datetime import timedelta
        >>> from slakit.calendar import AlwaysOpen
        >>> from slakit.policies import NamedCalendar
        >>> cal = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
        >>> black_friday = RecurringPeak("black-friday",
        ...     "FREQ=YEARLY;BYMONTH=11;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29", 4,
        ...     "Asia/Shanghai", [MetricTarget("first_response", "normal", timedelta(hours=1), cal)])
        >>> black_friday.first_days(2024, 2026)
        [datetime.date(2024, 11, 29), datetime.date(2025, 11, 28), datetime.date(2026, 11, 27)]
        >>> black_friday.covers(datetime(2025, 12, 1, 23, 59, tzinfo=cal.calendar.zone))
        True
    """

    name: str
    rule: str
    days: int
    timezone: ZoneInfo = attrs.field(converter=_zone)
    targets: tuple[MetricTarget, ...] = attrs.field(converter=_target_tuple)
    _rrule: rrule = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        if not isinstance(self.name, str) or not self.name:
            problems.append(Message("recurring peak name must be a non-empty string, got {name!r}",
                                    name=self.name))
        if isinstance(self.days, bool) or not isinstance(self.days, int) or not (
                1 <= self.days <= 366):
            problems.append(Message("recurring peak {name!r}: days must be a whole number from 1 to 366, "
                                    "got {days!r}", name=self.name, days=self.days))
        try:
            derive(self, "_rrule", _parse(self.rule))
        except PolicyDataError as exc:
            problems += exc.problems
        if problems:
            raise PolicyDataError(problems)

    def first_days(self, first_year: int, last_year: int) -> list[date]:
        """The first day of every window starting in the years given (inclusive)."""
        return [d.date() for d in self._rrule.between(
            datetime(first_year, 1, 1), datetime(last_year + 1, 1, 1), inc=True)]

    def covers(self, at: datetime) -> bool:
        """Whether the local date of ``at`` lies within one of the windows."""
        if not isinstance(at, datetime):
            raise WrongTypeError(
                Message("a peak window's instant must be a timezone-aware datetime, got {kind} {at!r}",
                        kind=type(at).__name__, at=at))
        if at.tzinfo is None or at.utcoffset() is None:
            raise NaiveDatetimeError(Message("a peak window's instant"), at)
        day = at.astimezone(self.timezone).date()
        start = self._rrule.before(datetime.combine(day, time()), inc=True)
        return start is not None and day - start.date() < timedelta(days=self.days)

    def to_data(self, targets: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Plain data, with the targets already in their stored form."""
        return {"name": self.name, "rule": self.rule, "days": self.days,
                "timezone": self.timezone.key, "targets": list(targets)}
