"""The one exception hierarchy of slakit.

Every error slakit raises is a :class:`SlakitError` *and* the built-in exception a Python
programmer would expect (``ValueError`` for bad values, ``TypeError`` for bad types), so hosts
can catch either. Messages name the problem and say how to fix it.

Messages are English by default (``str(err)``); a message built as a
:class:`slakit._message.Message` can also be said in another language with
:meth:`SlakitError.message` (or :func:`slakit.i18n.localized`, which takes a language name).
A sentence not yet converted stays English there: never a wrong sentence, at worst an English
one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slakit._message import Catalogue, Message, render

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

    def message(self, catalogue: Catalogue | None = None) -> str:
        """This error's message in ``catalogue``'s language (``str(self)`` when ``None``).

        ``catalogue`` is a :class:`slakit.i18n.Translator` (``translator("zh-CN")``); with
        ``None`` the answer is exactly ``str(self)``, the English message.
        """
        if catalogue is None or len(self.args) != 1 or not isinstance(self.args[0], Message):
            return str(self)
        return self.args[0].render(catalogue)


class NaiveDatetimeError(SlakitError, TypeError):
    """A datetime without a time zone was given where an aware one is required."""

    def __init__(self, what: str, value: object) -> None:
        super().__init__(Message(
            "{what} must be a timezone-aware datetime, got {value!r}; attach a zone, e.g. "
            "value.replace(tzinfo=ZoneInfo('Europe/Berlin')), or parse an ISO 8601 string "
            "with an offset", what=what, value=value))


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
        super().__init__(f"{self._head(None)}\n{lines}")

    def _head(self, catalogue: Catalogue | None) -> str:
        what = self.what if isinstance(self.what, Message) else Message(
            str(self.what).replace("{", "{{").replace("}", "}}"))  # a phrase: looked up too
        if len(self.problems) == 1:
            return Message("invalid {what} (1 problem):", what=what).render(catalogue)
        return Message("invalid {what} ({count} problems):", what=what,
                       count=len(self.problems)).render(catalogue)

    def message(self, catalogue: Catalogue | None = None) -> str:
        """The heading and every problem in ``catalogue``'s language (``str(self)`` if ``None``)."""
        if catalogue is None:
            return str(self)
        lines = (f"  - {render(p, catalogue)}" for p in self.problems)
        return "\n".join([self._head(catalogue), *lines])


class CalendarConfigError(DefinitionError):
    """A calendar configuration is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(Message("calendar configuration"), problems)


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
        raise UnstorableTextError(Message(
            "{what} holds a lone surrogate (U+{code:04X} at index {index}), which cannot be "
            "stored as UTF-8: {start!r}; decode the source with its real encoding (a "
            "'\\udXXX' JSON escape or errors='surrogateescape' makes such strings), or "
            "remove the character", what=what, code=ord(value[exc.start]), index=exc.start,
            start=value[:40])) from None


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
            raise WrongTypeError(Message("{name} must be {wanted}, got {kind} {value!r}",
                                         name=name, wanted=wanted, kind=type(value).__name__,
                                         value=value))

    def __repr__(self) -> str:
        return f"type_check({self.kind!r})"
