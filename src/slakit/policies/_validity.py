"""When a policy is in force: its ``effective_from`` / ``effective_until`` instants.

Design rules:

* Validity is the half-open interval ``[effective_from, effective_until)`` of aware instants;
  either end may be open (``None``). A policy out of force is skipped by
  :meth:`~slakit.policies.PolicySet.select` as if its conditions failed (the fallback too).
* It is judged at the instant a clock's target is set (a cycle starts, the priority or the
  facts change), as peak windows are: a clock running when its policy expires keeps the
  target it was judged by until the ticket's priority or facts change.
* A naive instant, a value that is not an instant, and ``effective_until`` not after
  ``effective_from`` are listed problems; in files the instants are ISO 8601 texts with a UTC
  offset (or TOML offset date-times).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from slakit._message import Message

if TYPE_CHECKING:
    from slakit._problems import Table

VALIDITY_KEYS = ("effective_from", "effective_until")
"""The policy-file keys of a policy's validity."""


def validity_problems(name: str, start: object, end: object) -> list[str]:
    """Every problem with a policy's validity instants (empty when they are fine)."""
    problems: list[str] = []
    for key, value in zip(VALIDITY_KEYS, (start, end), strict=True):
        if value is None:
            continue
        if not isinstance(value, datetime):
            problems.append(Message("policy {name!r}: {key} must be a datetime with a UTC offset, got "
                                    "{kind} {value!r}", name=name, key=key, kind=type(value).__name__,
                                    value=value))
        elif value.tzinfo is None or value.utcoffset() is None:
            problems.append(Message("policy {name!r}: {key} {isoformat} has no UTC offset; write it like "
                                    "2025-11-01T00:00:00+08:00", name=name, key=key,
                                    isoformat=value.isoformat()))
    if not problems and isinstance(start, datetime) and isinstance(end, datetime) and (
            end.astimezone(UTC) <= start.astimezone(UTC)):
        problems.append(Message("policy {name!r}: effective_until {isoformat} is not after effective_from "
                                "{isoformat2}; swap them or widen the interval", name=name,
                                isoformat=end.isoformat(), isoformat2=start.isoformat()))
    return problems


def in_force(start: datetime | None, end: datetime | None, at: datetime) -> bool:
    """Whether ``at`` lies in ``[start, end)`` (an open end is unbounded)."""
    return (start is None or at >= start) and (end is None or at < end)


def boundaries(bounds: Iterable[tuple[datetime | None, datetime | None]]) -> tuple[datetime, ...]:
    """Every validity boundary of ``bounds`` (``(from, until)`` pairs), sorted, no repeats."""
    found = {t.astimezone(UTC) for pair in bounds for t in pair if t is not None}
    return tuple(sorted(found))


def epoch(bounds: tuple[datetime, ...], at: datetime) -> int:
    """Which interval between ``bounds`` holds ``at``: equal epochs, equal validity."""
    return bisect_right(bounds, at)


def read_instant(table: Table, key: str) -> datetime | None:
    """The aware instant under ``key`` (None when absent); a problem when it is not one."""
    value: Any = table.get(key)
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        table.bad(key, Message("expected an ISO 8601 date-time with a UTC offset such as "
                               "'2025-11-01T00:00:00+08:00', got {value!r}", value=value))
        return None
    return parsed


def dump_validity(start: datetime | None, end: datetime | None) -> dict[str, str]:
    """The policy-file keys of a validity (absent ends left out)."""
    return {k: v.isoformat() for k, v in zip(VALIDITY_KEYS, (start, end), strict=True)
            if v is not None}
