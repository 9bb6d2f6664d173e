"""Checks of the ``now`` (and ``since``) a host passes to an evaluation."""

from __future__ import annotations

from datetime import datetime

from slakit.sla._cycle import UTC
from slakit.sla._errors import SlaInputError


def utc_now(now: object, what: str = "now") -> datetime:
    """``now`` in UTC, or SlaInputError when it is not an aware datetime."""
    tz = getattr(now, "tzinfo", None)
    if tz is UTC and isinstance(now, datetime):
        return now  # a host's datetime.now(timezone.utc): nothing to convert
    if tz is None or not isinstance(now, datetime) or now.utcoffset() is None:
        raise SlaInputError(
            f"{what} must be a timezone-aware datetime, got {now!r}; pass e.g. "
            "datetime.now(timezone.utc)"
        )
    return now.astimezone(UTC)


def check_not_before(now: datetime, now_utc: datetime, last_event_at: datetime) -> None:
    """SlaInputError when ``now`` is before the last folded event."""
    if now_utc < last_event_at:
        raise SlaInputError(
            f"now ({now.isoformat()}) is before the last folded event "
            f"({last_event_at.isoformat()}); evaluate at or after it"
        )
