"""What a support plan is: a term of service with its coverage and its quotas.

Design rules:

* A :class:`Plan` is one term of service for one subject (a customer or an organisation):
  ``start`` inclusive, ``end`` exclusive, then ``grace_days`` calendar days during which the
  subject is still served (and told so). A lifetime plan has no end.
* Kinds say how a term continues: ``fixed_term`` (free support after go-live, say) ends;
  ``annual`` is renewed a year at a time; ``lifetime`` never ends.
* Quotas count uses per period: per ``year`` or ``month`` of the term (anchored at its start)
  or per ``term``.
* Values are frozen and checked when built; the mapping form refuses unknown keys and lists
  every problem with its path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._problems import unknown_key
from slakit.plans._checks import check_aware, check_name, check_optional_aware, parse_instant
from slakit.plans._errors import CareDataError, PlanInputError

PLAN_KINDS = ("fixed_term", "annual", "lifetime")
QUOTA_PERIODS = ("year", "month", "term")
_PLAN_KEYS = ("name", "kind", "start", "end", "grace_days", "channels", "hours", "quotas")
_QUOTA_KEYS = ("name", "limit", "period")


def _non_negative_int(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise WrongTypeError(Message("{name} must be an int, got {value!r}", name=attribute.name,
                                     value=value))
    if value < 0:
        raise PlanInputError(Message("{name} must be 0 or more, got {value}", name=attribute.name,
                                     value=value))


def _channels(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise PlanInputError(Message("channels must be a collection of names, got the string {value!r}",
                                     value=value))
    return frozenset(value)


@attrs.frozen
class Quota:
    """Uses included in a plan per period, e.g. three free on-site visits a year.

    Attributes:
        name: What is counted (``onsite_visit``); the name in ``quota_left``.
        limit: Uses per period.
        period: ``year`` or ``month`` (counted from the term's start) or ``term``.
    """

    name: str = attrs.field(validator=check_name)
    limit: int = attrs.field(validator=_non_negative_int)
    period: str = attrs.field(default="year")

    @period.validator
    def _check_period(self, _attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in QUOTA_PERIODS:
            raise PlanInputError(Message("quota period must be one of {items}, got {value!r}",
                                         items=', '.join(QUOTA_PERIODS), value=value))


@attrs.frozen
class Plan:
    """One term of support for a subject.

    Attributes:
        name: Plan name (``free_after_golive``, ``annual_standard``), the ``plan`` fact.
        kind: ``fixed_term``, ``annual`` or ``lifetime``.
        start: First instant covered.
        end: First instant not covered; None for a lifetime plan (which has one only
            once cancelled).
        grace_days: Calendar days after ``end`` still served.
        channels: Channels covered (empty: every channel).
        hours: Name of the calendar of covered hours (``7x12``), for the host's policy.
        quotas: Uses included per period.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> Plan("free", "fixed_term", datetime(2025, 1, 6, tzinfo=sh),
        ...      datetime(2025, 4, 6, tzinfo=sh)).end.isoformat()
        '2025-04-06T00:00:00+08:00'
    """

    name: str = attrs.field(validator=check_name)
    kind: str
    start: datetime = attrs.field(validator=check_aware)
    end: datetime | None = attrs.field(validator=check_optional_aware)
    grace_days: int = attrs.field(default=0, validator=_non_negative_int, kw_only=True)
    channels: frozenset[str] = attrs.field(default=frozenset(), converter=_channels,
                                           kw_only=True)
    hours: str | None = attrs.field(default=None, kw_only=True)
    quotas: tuple[Quota, ...] = attrs.field(default=(), converter=tuple[Quota, ...], kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.kind not in PLAN_KINDS:
            raise PlanInputError(Message("plan kind must be one of {items}, got {kind!r}",
                                         items=', '.join(PLAN_KINDS), kind=self.kind))
        if self.end is None and self.kind != "lifetime":
            raise PlanInputError(
                Message("plan {name!r}: a {kind} plan needs an end; only a lifetime plan has none",
                        name=self.name, kind=self.kind))
        if self.end is not None and self.end <= self.start:
            raise PlanInputError(Message("plan {name!r}: end {isoformat} must be after start {isoformat2}",
                                         name=self.name, isoformat=self.end.isoformat(),
                                         isoformat2=self.start.isoformat()))
        names = [q.name for q in self.quotas]
        if len(set(names)) != len(names):
            raise PlanInputError(Message("plan {name!r}: quota names must be unique, got {names}",
                                         name=self.name, names=names))
        if not all(isinstance(c, str) and c for c in self.channels):
            raise PlanInputError(Message("plan {name!r}: channels must be non-empty strings",
                                         name=self.name))

    @property
    def served_until(self) -> datetime | None:
        """The first instant no longer served: ``end`` plus the grace days (None: never)."""
        return None if self.end is None else self.end + timedelta(days=self.grace_days)

    def to_mapping(self) -> dict[str, Any]:
        """The JSON-able form :meth:`from_mapping` reads."""
        return {
            "name": self.name, "kind": self.kind, "start": self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "grace_days": self.grace_days, "channels": sorted(self.channels),
            "hours": self.hours,
            "quotas": [{"name": q.name, "limit": q.limit, "period": q.period}
                       for q in self.quotas],
        }

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], path: str = "plan") -> Plan:
        """Read a plan from its mapping form, listing every problem at once.

        Raises:
            CareDataError: unknown or missing keys, bad values (each with its path).
        """
        problems: list[str] = []
        if not isinstance(mapping, Mapping):
            raise CareDataError(Message("plan"), [Message("{path}: expected a mapping, got {kind}", path=path,
                                                 kind=type(mapping).__name__)])
        problems += [f"{path}.{k}: {unknown_key(k, _PLAN_KEYS, 'a plan')}"
                     for k in mapping if k not in _PLAN_KEYS]
        problems += [f"{path}.{k}: missing" for k in ("name", "kind", "start")
                     if k not in mapping]
        start = parse_instant(f"{path}.start", mapping.get("start"), problems) if (
            "start" in mapping) else None
        end = mapping.get("end")
        end_at = None if end is None else parse_instant(f"{path}.end", end, problems)
        quotas: list[Quota] = []
        for i, q in enumerate(mapping.get("quotas") or ()):
            where = f"{path}.quotas[{i}]"
            if not isinstance(q, Mapping):
                problems.append(Message("{where}: expected a mapping, got {kind}", where=where,
                                        kind=type(q).__name__))
                continue
            problems += [f"{where}.{k}: {unknown_key(k, _QUOTA_KEYS, 'a quota')}"
                         for k in q if k not in _QUOTA_KEYS]
            try:
                quotas.append(Quota(q.get("name"), q.get("limit"),  # type: ignore[arg-type]
                                    q.get("period", "year")))
            except (PlanInputError, WrongTypeError) as exc:
                problems.append(f"{where}: {exc}")
        if problems:
            raise CareDataError(Message("plan"), problems)
        try:
            return cls(mapping["name"], mapping["kind"], start, end_at,  # type: ignore[arg-type]
                       grace_days=mapping.get("grace_days", 0),
                       channels=mapping.get("channels") or (), hours=mapping.get("hours"),
                       quotas=quotas)
        except (PlanInputError, WrongTypeError) as exc:
            raise CareDataError(Message("plan"), [f"{path}: {exc}"]) from None
