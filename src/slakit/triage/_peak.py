"""Peak periods (a shopping festival, a launch week) that raise ticket priorities.

Deliberately minimal: a named, inclusive range of calendar dates and a number of levels. The
date is read from the classification instant (``at``) in the window's zone, or in the instant's
own zone when the window has none, so "11 November in Shanghai" means exactly that.

The SLA policies' ``slakit.PeakWindow`` (same field names: ``name``, ``first_day``,
``last_day``, ``timezone``) turns into a raise with :meth:`PeakRaise.from_window`, so one
window can both tighten SLA targets and raise priorities.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import attrs

from slakit._message import Message
from slakit._zone import read_zone
from slakit.triage._errors import TriageConfigError
from slakit.triage._input import PreparedTicket
from slakit.triage._rule_base import RuleMatch


class DatedWindow(Protocol):
    """Anything with a name and an inclusive day range, like ``slakit.PeakWindow``."""

    @property
    def name(self) -> str:
        """The window's name."""
        ...

    @property
    def first_day(self) -> date:
        """First day of the window."""
        ...

    @property
    def last_day(self) -> date:
        """Last day of the window."""
        ...

    @property
    def timezone(self) -> ZoneInfo | None:
        """Zone the days are in."""
        ...


def _as_zone(value: str | ZoneInfo | None) -> ZoneInfo | None:
    # A value that names no zone is kept as given, so __attrs_post_init__ reports it with
    # every other problem of the peak rather than alone.
    return None if value is None else read_zone(value) or value  # type: ignore[return-value]


@attrs.frozen
class PeakRaise:
    """Raise the priority of tickets arriving between ``first_day`` and ``last_day`` (inclusive).

    Args:
        name: the peak's name, cited in explanations.
        first_day: first day of the peak.
        last_day: last day of the peak.
        raise_by: levels to raise by (default 1).
        timezone: IANA zone the days are in; default: the zone of the ticket's time.

    >>> from datetime import datetime
    >>> from slakit.triage._input import PreparedTicket, TriageInput
    >>> peak = PeakRaise("double-11", date(2025, 11, 10), date(2025, 11, 12),
    ...                  timezone="Asia/Shanghai")
    >>> at = datetime.fromisoformat("2025-11-10T17:30:00+00:00")   # 01:30 on the 11th there
    >>> peak.evaluate(PreparedTicket.of(TriageInput(), at)).reason
    "arrived on 2025-11-11, inside peak 'double-11' (2025-11-10 to 2025-11-12)"
    """

    name: str
    first_day: date
    last_day: date
    raise_by: int = 1
    timezone: ZoneInfo | None = attrs.field(default=None, converter=_as_zone)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(Message("peak name {name!r} must be a non-empty string", name=self.name))
        days = (self.first_day, self.last_day)
        if not all(isinstance(d, date) and not isinstance(d, datetime) for d in days):
            problems.append(
                Message("peak {name!r}: first_day and last_day must be dates (not datetimes: a peak "
                        "covers whole days; use .date()), got {first_day!r} and {last_day!r}",
                        name=self.name, first_day=self.first_day, last_day=self.last_day)
            )
        elif self.last_day < self.first_day:
            problems.append(
                Message("peak {name!r} ends ({last_day}) before it starts ({first_day})", name=self.name,
                        last_day=self.last_day, first_day=self.first_day)
            )
        if not isinstance(self.raise_by, int) or isinstance(self.raise_by, bool):
            problems.append(Message("peak {name!r}: raise_by must be an int, got {raise_by!r}",
                                    name=self.name, raise_by=self.raise_by))
        elif self.raise_by == 0:
            problems.append(Message("peak {name!r}: raise_by 0 has no effect", name=self.name))
        if self.timezone is not None and not isinstance(self.timezone, ZoneInfo):
            problems.append(
                Message("peak {name!r}: timezone {timezone!r} is not an IANA zone name or a ZoneInfo; use "
                        "one such as 'Asia/Shanghai', or None for the ticket time's own zone",
                        name=self.name, timezone=self.timezone)
            )
        if problems:
            raise TriageConfigError(Message("peak raise"), problems)

    @classmethod
    def from_window(cls, window: DatedWindow, raise_by: int = 1) -> PeakRaise:
        """A raise over the days of ``window`` (e.g. an SLA policy's ``PeakWindow``)."""
        return cls(window.name, window.first_day, window.last_day, raise_by, window.timezone)

    @property
    def mentioned_priorities(self) -> tuple[str, ...]:
        """None: a peak only raises."""
        return ()

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match if the classification instant falls inside the window."""
        if ticket.at is None:
            return None
        local = ticket.at.astimezone(self.timezone) if self.timezone is not None else ticket.at
        day = local.date()
        if not self.first_day <= day <= self.last_day:
            return None
        reason = (
            f"arrived on {day}, inside peak {self.name!r} ({self.first_day} to {self.last_day})"
        )
        return RuleMatch(self.name, reason, raise_by=self.raise_by)
