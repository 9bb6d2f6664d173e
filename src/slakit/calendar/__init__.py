"""Business time: calendars of open periods and exact arithmetic over them."""

from slakit.calendar._always_open import AlwaysOpen
from slakit.calendar._business import BusinessCalendar
from slakit.calendar._compose import ComposedCalendar, difference, intersection, union
from slakit.calendar._mapping import calendar_from_mapping, calendar_to_mapping
from slakit.calendar._period import Period
from slakit.calendar._protocol import Calendar, open_at_or_after

__all__ = [
    "AlwaysOpen",
    "BusinessCalendar",
    "Calendar",
    "ComposedCalendar",
    "Period",
    "calendar_from_mapping",
    "calendar_to_mapping",
    "difference",
    "intersection",
    "open_at_or_after",
    "union",
]
