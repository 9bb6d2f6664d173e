"""What every event shares: the base class and the value checks of event fields.

Design rules: see :mod:`slakit.workflow._events` (the vocabulary). This module holds only
the common fields (``ticket``, ``at``, ``event_id``, ``actor``) and the validators the
vocabulary modules use, so each vocabulary module can import it without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

import attrs

from slakit._errors import InvalidValueError, WrongTypeError, check_text, type_check
from slakit._instants import check_instant, instant_key
from slakit._message import Message


def _check_aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, datetime):
        raise WrongTypeError(Message("{name} must be a datetime, got {kind}", name=attribute.name,
                                     kind=type(value).__name__))
    check_instant(f"event field {attribute.name!r}", value)


def _check_non_empty(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidValueError(
            Message("{name} must be a non-empty string, got {value!r}; give every ticket and event a "
                    "stable identifier", name=attribute.name, value=value)
        )
    check_text(f"event field {attribute.name!r}", value)


def _check_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, str):
        check_text(f"event field {attribute.name!r}", value)


def _check_score(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # bool is an int subclass; True is not a satisfaction score.
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidValueError(
            Message("satisfaction score {name} must be an int from 1 to 5 or None, got {value!r}",
                    name=attribute.name, value=value)
        )


def _to_tags(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        # A bare string would become a set of its characters: refuse it instead.
        raise WrongTypeError(Message("tags must be a collection of strings, got the string {value!r}",
                                     value=value))
    return frozenset(value)


_optional_str = attrs.validators.optional(attrs.validators.and_(type_check(str), _check_text))
_bool = type_check(bool)
_str = attrs.validators.and_(type_check(str), _check_text)


@attrs.frozen(kw_only=True)
class _BaseEvent:
    """Fields shared by every event."""

    event_type: ClassVar[str] = ""

    ticket: str = attrs.field(validator=_check_non_empty)
    at: datetime = attrs.field(validator=_check_aware, eq=instant_key)
    event_id: str = attrs.field(validator=_check_non_empty)
    actor: str | None = attrs.field(default=None, validator=_optional_str)

