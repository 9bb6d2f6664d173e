"""The one exception hierarchy of slakit.

Every error slakit raises is a :class:`SlakitError` *and* the built-in exception a Python
programmer would expect (``ValueError`` for bad values, ``TypeError`` for bad types), so hosts
can catch either. Messages name the problem and say how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable


class SlakitError(Exception):
    """Base class of every error raised by slakit."""


class NaiveDatetimeError(SlakitError, TypeError):
    """A datetime without a time zone was given where an aware one is required."""

    def __init__(self, what: str, value: object) -> None:
        super().__init__(
            f"{what} must be a timezone-aware datetime, got {value!r}; attach a zone, e.g. "
            "value.replace(tzinfo=ZoneInfo('Europe/Berlin')), or parse an ISO 8601 string "
            "with an offset"
        )


class CalendarConfigError(SlakitError, ValueError):
    """A calendar configuration is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid calendar configuration ({len(self.problems)} problems):\n{lines}")


class NoOpenTimeError(SlakitError, ValueError):
    """A calendar has no open time where a calculation needs some."""


class NeverClosesError(SlakitError, ValueError):
    """A calendar never closes after (or before) an instant, so no closing instant exists."""


class InvalidPeriodError(SlakitError, ValueError):
    """A period was built with ``start >= end``."""


class WrongTypeError(SlakitError, TypeError):
    """An argument has the wrong type (a ``date`` where a ``datetime`` is needed, say)."""


class CalendarRangeError(SlakitError, ValueError):
    """A calculation reaches outside the years a calendar can describe (2 to 9998)."""
