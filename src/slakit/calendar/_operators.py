"""The ``&``, ``|`` and ``-`` operators of every slakit calendar, written once.

Design rules:

* :class:`CalendarOperators` holds the three operators and nothing else (no state, empty
  ``__slots__``); ``AlwaysOpen`` and every indexed calendar (``BusinessCalendar``,
  ``ComposedCalendar``) inherit it, so they compose alike.
* This is the calendar package's one deferred import, stated here once: the operators build
  a ``ComposedCalendar``, and composition needs the calendars that inherit these operators
  (it reads their open periods directly). So ``_compose`` is imported inside the operator
  bodies, at call time; ``tests/test_architecture.py`` allows exactly this cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from slakit.calendar._compose import ComposedCalendar
    from slakit.calendar._protocol import Calendar


class CalendarOperators:
    """``a & b`` (intersection), ``a | b`` (union) and ``a - b`` (difference) of calendars."""

    __slots__ = ()

    def __and__(self, other: Calendar) -> ComposedCalendar:
        """Open when both are open (see :func:`slakit.intersection`)."""
        from slakit.calendar._compose import intersection

        return intersection(cast("Calendar", self), other)

    def __or__(self, other: Calendar) -> ComposedCalendar:
        """Open when either is open (see :func:`slakit.union`)."""
        from slakit.calendar._compose import union

        return union(cast("Calendar", self), other)

    def __sub__(self, other: Calendar) -> ComposedCalendar:
        """Open when this is open and ``other`` is not (see :func:`slakit.difference`)."""
        from slakit.calendar._compose import difference

        return difference(cast("Calendar", self), other)
