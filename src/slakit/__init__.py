"""slakit: exact, explainable after-sales workflows for the backends that embed them.

Everything public is importable from here: ``from slakit import BusinessCalendar``.
"""

from __future__ import annotations

from slakit._errors import (
    CalendarConfigError,
    CalendarRangeError,
    InvalidPeriodError,
    NaiveDatetimeError,
    NeverClosesError,
    NoOpenTimeError,
    SlakitError,
)
from slakit.calendar import (
    AlwaysOpen,
    BusinessCalendar,
    Calendar,
    ComposedCalendar,
    Period,
    calendar_from_mapping,
    calendar_to_mapping,
    difference,
    intersection,
    union,
)

__version__ = "0.1.0"

__all__ = [
    "AlwaysOpen",
    "BusinessCalendar",
    "Calendar",
    "CalendarConfigError",
    "CalendarRangeError",
    "ComposedCalendar",
    "InvalidPeriodError",
    "NaiveDatetimeError",
    "NeverClosesError",
    "NoOpenTimeError",
    "Period",
    "SlakitError",
    "__version__",
    "calendar_from_mapping",
    "calendar_to_mapping",
    "difference",
    "intersection",
    "union",
]
