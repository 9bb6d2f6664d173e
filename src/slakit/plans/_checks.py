"""Small shared checks: aware datetimes, non-empty names, ISO instants in mappings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs

from slakit._errors import NaiveDatetimeError, WrongTypeError
from slakit._message import Message
from slakit.plans._errors import PlanInputError


def aware(what: str, value: object) -> datetime:
    """``value`` if it is an aware datetime; NaiveDatetimeError or WrongTypeError otherwise."""
    if not isinstance(value, datetime):
        raise WrongTypeError(Message("{what} must be a timezone-aware datetime, got {value!r}", what=what,
                                     value=value))
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)
    return value


def check_aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: an aware datetime."""
    aware(attribute.name, value)


def check_optional_aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: None or an aware datetime."""
    if value is not None:
        aware(attribute.name, value)


def check_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: a non-empty string without ``/`` (names are parts of keys)."""
    if not isinstance(value, str):
        raise WrongTypeError(Message("{name} must be a str, got {value!r}", name=attribute.name,
                                     value=value))
    if not value or "/" in value:
        raise PlanInputError(
            Message("{name} must be a non-empty string without '/', got {value!r}; names are parts of "
                    "decision keys", name=attribute.name, value=value))


def utc(value: datetime) -> datetime:
    """``value`` in UTC."""
    return value.astimezone(UTC)


def parse_instant(path: str, value: object, problems: list[str]) -> datetime | None:
    """An aware datetime from an ISO 8601 string with an offset (or a datetime), else a problem."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            problems.append(Message("{path}: {value!r} is not an ISO 8601 instant; write e.g. "
                                    "'2025-01-06T00:00:00+08:00'", path=path, value=value))
            return None
    else:
        problems.append(Message("{path}: expected an ISO 8601 string, got {kind}", path=path,
                                kind=type(value).__name__))
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        problems.append(Message("{path}: {value!r} has no UTC offset; add one, e.g. '+08:00'", path=path,
                                value=value))
        return None
    return parsed
