"""The one exception hierarchy of slakit.

Every error slakit raises is a :class:`SlakitError` *and* the built-in exception a Python
programmer would expect (``ValueError`` for bad values, ``TypeError`` for bad types), so hosts
can catch either. Messages name the problem and say how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "CalendarConfigError",
    "CalendarRangeError",
    "DefinitionError",
    "InstantRangeError",
    "InvalidPeriodError",
    "InvalidValueError",
    "MissingExtraError",
    "NaiveDatetimeError",
    "NeverClosesError",
    "NoOpenTimeError",
    "NotFoundError",
    "SlakitError",
    "UnstorableTextError",
    "WrongTypeError",
]


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


class DefinitionError(SlakitError, ValueError):
    """A definition is invalid: a calendar, SLA policies, a workflow, triage rules, a log mapping.

    :attr:`problems` lists every problem found, each starting with its path
    (``policies[2].targets[0].within: ...``), so one run fixes them all. Every loader's error is
    a subclass, so ``except DefinitionError`` handles any refused definition alike.

    Args:
        what: what was being defined, for the message ("calendar configuration").
        problems: every problem found.
    """

    def __init__(self, what: str, problems: Iterable[str]) -> None:
        self.what = what
        self.problems: tuple[str, ...] = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid {what} ({len(self.problems)} problems):\n{lines}")


class CalendarConfigError(DefinitionError):
    """A calendar configuration is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__("calendar configuration", problems)


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


class InvalidValueError(SlakitError, ValueError):
    """A value is outside what slakit accepts (an empty id, an unknown option, ...)."""


class InstantRangeError(SlakitError, ValueError):
    """An instant lies outside the range slakit supports (see :mod:`slakit._instants`)."""


class UnstorableTextError(SlakitError, ValueError):
    """A string holds a lone surrogate, which no UTF-8 file, database or terminal can store."""


class MissingExtraError(SlakitError, ImportError):
    """An optional dependency (pandas, SQLAlchemy...) is not installed.

    The message names the extra that installs it.
    """


class NotFoundError(SlakitError, LookupError):
    """A name (a metric, a clock) that the object asked does not have."""


def check_text(what: str, value: str) -> None:
    """Refuse a string holding a lone surrogate (U+D800 to U+DFFF); other strings pass.

    Such a string decodes from JSON (an unpaired surrogate escape) and lives in Python, but fails
    with ``UnicodeEncodeError`` when written to a file, a database or a terminal, so it is
    refused where it enters.

    Raises:
        UnstorableTextError: ``value`` holds a code point from U+D800 to U+DFFF.
    """
    if value.isascii():  # O(1) in CPython: the common case costs nothing
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnstorableTextError(
            f"{what} holds a lone surrogate (U+{ord(value[exc.start]):04X} at index "
            f"{exc.start}), which cannot be stored as UTF-8: {value[:40]!r}; decode the source "
            "with its real encoding (a '\\udXXX' JSON escape or errors='surrogateescape' "
            "makes such strings), or remove the character"
        ) from None


def type_check(kind: type | tuple[type, ...], what: str = "") -> _TypeCheck:
    """An attrs validator like ``attrs.validators.instance_of`` raising :class:`WrongTypeError`."""
    return _TypeCheck(kind, what)


class _TypeCheck:
    """attrs validator: the value must be an instance of ``kind`` (readable repr)."""

    __slots__ = ("kind", "what")

    def __init__(self, kind: type | tuple[type, ...], what: str) -> None:
        self.kind = kind
        self.what = what

    def __call__(self, _instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, self.kind):
            name = self.what or getattr(attribute, "name", "value")
            wanted = (" or ".join(k.__name__ for k in self.kind) if isinstance(self.kind, tuple)
                      else self.kind.__name__)
            raise WrongTypeError(f"{name} must be {wanted}, got {type(value).__name__} {value!r}")

    def __repr__(self) -> str:
        return f"type_check({self.kind!r})"
