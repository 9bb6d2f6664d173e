"""Key and instant checks shared by the two care stores (the ticket store has its own)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slakit._errors import InvalidValueError, NaiveDatetimeError
from slakit._message import Message

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def check_key(tenant: str, subject: str) -> None:
    """Refuse empty or non-string tenant and subject ids (they would share one namespace)."""
    for what, value in (("tenant", tenant), ("subject", subject)):
        if not isinstance(value, str) or not value:
            raise InvalidValueError(Message("{what} must be a non-empty string, got {value!r}", what=what,
                                            value=value))


def check_aware(what: str, value: datetime) -> None:
    """Refuse naive datetimes."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)


def to_micros(value: datetime) -> int:
    """Microseconds since the Unix epoch (UTC), exact."""
    return (value - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    """The UTC instant ``micros`` microseconds after the Unix epoch (inverse of to_micros)."""
    return _EPOCH + micros * _MICROSECOND
