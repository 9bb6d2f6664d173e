"""What triage can see of a ticket, and the prepared form rules read.

Design rules:

* :class:`TriageInput` is a plain value. Its constructor is strict about *types* (a programming
  error should fail loudly) but never about *content*: any text, any channel, any tier.
* :meth:`TriageInput.from_mapping` is the lenient door for data from storage or a web form. It
  never raises for content: values it cannot read are dropped and named in :attr:`notes`, and
  unknown fields are kept in :attr:`extra` and named too, so the decision can show them.
* :class:`PreparedTicket` normalises the text once per classification, so every keyword rule
  reuses the same normalised views.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import attrs

from slakit._errors import InvalidValueError, NaiveDatetimeError, WrongTypeError
from slakit._message import Message
from slakit.text._normalise import NormalisedText, normalise_text


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` for a message: cut to ``limit`` characters, never raising.

    Notes quote what could not be read, and what could not be read may be a 1 MB string or an
    integer too long to print (``repr`` raises past 4,300 digits).
    """
    try:
        text = repr(value)
    except ValueError:
        return f"<{type(value).__name__} too large to show>"
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _optional(kind: type | tuple[type, ...], what: str) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise WrongTypeError(
                Message("TriageInput.{name} must be {what} or None, got {value!r}; use "
                        "TriageInput.from_mapping() to read loosely typed data", name=attribute.name,
                        what=what, value=value)
            )

    return check


def _text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise WrongTypeError(
            Message("TriageInput.{name} must be a str, got {kind}; use TriageInput.from_mapping() to read "
                    "loosely typed data", name=attribute.name, kind=type(value).__name__)
        )


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime):
        raise WrongTypeError(Message("TriageInput.at must be a datetime or None, got {value!r}",
                                     value=value))
    if value.utcoffset() is None:
        raise NaiveDatetimeError(f"TriageInput.{attribute.name}", value)


def _positive_level(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _optional(int, "an int")(_instance, attribute, value)
    if isinstance(value, int) and value < 1:
        raise InvalidValueError(
            Message("TriageInput.{name} must be 1 (highest) or more, got {value}", name=attribute.name,
                    value=shown(value))
        )


def _finite_amount(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _optional(Decimal, "a Decimal")(_instance, attribute, value)
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidValueError(
            Message("TriageInput.amount must be a finite Decimal, got {value!r}: no amount rule can "
                    "compare it; pass None, or use TriageInput.from_mapping() to drop it with a note",
                    value=value)
        )


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _frozen_mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen
class TriageInput:
    """The facts triage looks at.

    Args:
        subject: the ticket's subject line.
        body: the ticket's text.
        channel: where it arrived, e.g. ``"email"``, ``"hotline"`` (compared case-insensitively).
        customer_tier: e.g. ``"vip"`` (compared case-insensitively).
        category: the category the reporter or host already chose, if any.
        amount: the order amount concerned, in any single currency the rules agree on.
        impact: ITIL impact, 1 = high.
        urgency: ITIL urgency, 1 = high.
        at: when the ticket arrived (timezone-aware); peak-window rules read it.
        extra: fields triage does not know, kept for the host.
        notes: problems met while reading loosely typed data (see :meth:`from_mapping`).
    """

    subject: str = attrs.field(default="", validator=_text)
    body: str = attrs.field(default="", validator=_text)
    channel: str | None = attrs.field(default=None, validator=_optional(str, "a str"))
    customer_tier: str | None = attrs.field(default=None, validator=_optional(str, "a str"))
    category: str | None = attrs.field(default=None, validator=_optional(str, "a str"))
    amount: Decimal | None = attrs.field(default=None, validator=_finite_amount)
    impact: int | None = attrs.field(default=None, validator=_positive_level)
    urgency: int | None = attrs.field(default=None, validator=_positive_level)
    at: datetime | None = attrs.field(default=None, validator=_aware)
    extra: Mapping[str, object] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, repr=False
    )
    notes: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> TriageInput:
        """Read a ticket from loosely typed data; never raises for content.

        Known keys are the field names. Impact and urgency accept ``1``, ``"1"``,
        ``"1 - High"``, ``"high"``/``"medium"``/``"low"`` and ``"高"``/``"中"``/``"低"``.
        ``at`` accepts an aware datetime or an ISO 8601 string with an offset. Anything
        unreadable is dropped and explained in :attr:`notes`.

        >>> t = TriageInput.from_mapping({"subject": "help", "impact": "1 - High",
        ...                               "urgency": "?", "colour": "red"})
        >>> t.impact, t.urgency, t.notes
        (1, None, ("urgency '?' is not a level (1, 2, 3 or high/medium/low): ignored", "unknown field 'colour' ignored"))
        """  # noqa: E501
        values: dict[str, Any] = {}
        notes: list[str] = []
        extra: dict[str, object] = {}
        for key, value in data.items():
            name = key if isinstance(key, str) else _as_text(key, "a field name", notes)
            if name in ("subject", "body"):
                values[name] = _as_text(value, name, notes)
            elif name in ("channel", "customer_tier", "category"):
                text = _as_text(value, name, notes).strip()
                if text:
                    values[name] = text
            elif name == "amount":
                values[name] = _read_amount(value, notes)
            elif name in ("impact", "urgency"):
                values[name] = read_level(value, name, notes)
            elif name == "at":
                values[name] = _read_instant(value, notes)
            else:
                extra[name] = value
                notes.append(Message("unknown field {name} ignored", name=shown(name)))
        return cls(**values, extra=extra, notes=tuple(notes))


def _as_text(value: object, what: str, notes: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    try:
        return str(value)
    except ValueError:  # an int past Python's 4,300-digit limit for conversion to text
        notes.append(Message("{what} {value} cannot be read as text: ignored", what=what,
                             value=shown(value)))
        return ""


def _read_amount(value: object, notes: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    amount: Decimal | None = None
    if isinstance(value, Decimal | int):
        amount = None if isinstance(value, bool) else Decimal(value)
    elif isinstance(value, float | str):
        try:
            amount = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        notes.append(Message("amount {value} is not a number: ignored", value=shown(value)))
        return None
    return amount


_LEVEL_NAMES = {"high": 1, "medium": 2, "med": 2, "low": 3, "高": 1, "中": 2, "低": 3}


def read_level(value: object, what: str, notes: list[str]) -> int | None:
    """Read an impact or urgency level; ``None`` (with a note) when unreadable."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        digits = text.split("-", 1)[0].strip() if text[:1].isdigit() else ""
        # A level has a few digits; a longer run is noise (and past 4,300 digits int() raises).
        if digits.isdigit() and digits.isascii() and len(digits) <= 9 and int(digits) >= 1:
            return int(digits)
        if text in _LEVEL_NAMES:
            return _LEVEL_NAMES[text]
    notes.append(Message("{what} {value} is not a level (1, 2, 3 or high/medium/low): ignored", what=what,
                         value=shown(value)))
    return None


def _read_instant(value: object, notes: list[str]) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # absent, like every other field: nothing to note
    instant: datetime | None = None
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, str):
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError:
            instant = None
    if instant is None or instant.utcoffset() is None:
        notes.append(Message("at {value} is not a timezone-aware time: ignored", value=shown(value)))
        return None
    return instant


@attrs.frozen
class PreparedTicket:
    """A ticket with its text normalised once, as rules read it.

    Attributes:
        ticket: the input.
        at: the instant the classification is for (``ticket.at`` unless overridden).
        subject: the normalised subject.
        body: the normalised body.
        channel: the normalised channel (``None`` if absent).
        customer_tier: the normalised customer tier (``None`` if absent).
        category: the normalised reported category (``None`` if absent).
    """

    ticket: TriageInput
    at: datetime | None
    subject: NormalisedText
    body: NormalisedText
    channel: str | None = None
    customer_tier: str | None = None
    category: str | None = None

    @classmethod
    def of(cls, ticket: TriageInput, at: datetime | None = None) -> PreparedTicket:
        """Prepare ``ticket``; ``at`` overrides ``ticket.at``.

        Raises:
            WrongTypeError: ``at`` is not a datetime.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        if at is not None:
            if not isinstance(at, datetime):
                raise WrongTypeError(
                    Message("at must be a timezone-aware datetime or None, got {at}; parse strings first, "
                            "e.g. datetime.fromisoformat('2025-11-11T09:00:00+08:00')", at=shown(at))
                )
            if at.utcoffset() is None:
                raise NaiveDatetimeError("at", at)
        return cls(
            ticket,
            at if at is not None else ticket.at,
            NormalisedText.of(ticket.subject),
            NormalisedText.of(ticket.body),
            _key(ticket.channel),
            _key(ticket.customer_tier),
            _key(ticket.category),
        )


def _key(name: str | None) -> str | None:
    return None if name is None else normalise_text(name)
