"""A period of open time: a half-open interval ``[start, end)`` of aware datetimes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs

from slakit._errors import InvalidPeriodError
from slakit._message import Message


@attrs.frozen(order=True)
class Period:
    """A half-open interval of open time, ``[start, end)``.

    Periods returned by a calendar are maximal: touching open intervals (an evening shift
    until midnight followed by a night shift from midnight) come back as one period.

    Example:
        >>> from datetime import datetime, timezone
        >>> p = Period(datetime(2025, 1, 6, 9, tzinfo=timezone.utc),
        ...            datetime(2025, 1, 6, 17, tzinfo=timezone.utc))
        >>> p.duration
        datetime.timedelta(seconds=28800)
        >>> p.contains(p.end)
        False
    """

    start: datetime
    end: datetime

    def __attrs_post_init__(self) -> None:
        # Compare in UTC: Python compares datetimes sharing a tzinfo by wall clock, which is
        # wrong inside a DST fold.
        if not self.start.astimezone(timezone.utc) < self.end.astimezone(timezone.utc):
            raise InvalidPeriodError(
                Message("a period needs start < end, got {isoformat} .. {isoformat2}; swap them or drop "
                        "the empty period", isoformat=self.start.isoformat(),
                        isoformat2=self.end.isoformat())
            )

    @property
    def duration(self) -> timedelta:
        """Real (elapsed) length of the period."""
        return self.end.astimezone(timezone.utc) - self.start.astimezone(timezone.utc)

    def contains(self, t: datetime) -> bool:
        """Whether ``t`` falls in ``[start, end)``."""
        u = t.astimezone(timezone.utc)
        return self.start.astimezone(timezone.utc) <= u < self.end.astimezone(timezone.utc)
