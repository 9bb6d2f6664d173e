"""The SLA-facing events: facts that change, deadline overrides.

Design rules: those of :mod:`slakit.workflow._events` (the vocabulary, which re-exports
these classes). These events concern the SLA side of a ticket: ``facts_changed`` makes the
SLA engine choose a policy again; ``deadline_overridden`` is history the workflow accepts in
every status and that moves no status, as is the desk's ``escalated`` event
(:mod:`slakit.workflow._escalated`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import ClassVar, TypeAlias

import attrs

from slakit._errors import InvalidValueError, WrongTypeError
from slakit._message import Message
from slakit.workflow._event_base import (
    _BaseEvent,
    _check_aware,
    _check_non_empty,
    _str,
    _to_tags,
)
from slakit.workflow._state import FactMap

# --- Facts that change after opening (issue 14) ------------------------------------------------

FactValue: TypeAlias = str | int | float | bool | date
"""A value a ticket fact may take: built-in facts are strings; custom fields are typed."""

BUILTIN_FACTS: tuple[str, ...] = ("category", "channel", "customer_tier", "group", "organisation")
"""The built-in ticket facts :class:`FactsChanged` may set or clear (tags have their own fields)."""


def _check_fact_name(name: object) -> str:
    if not isinstance(name, str) or not name or name in ("tags", "priority"):
        raise InvalidValueError(
            Message("a fact name must be a non-empty string other than 'tags' and 'priority', got "
                    "{name!r}; change tags with tags_added/tags_removed and priority with priority_changed",
                    name=name)
        )
    return name


def _check_fact_value(name: str, value: object) -> FactValue:
    if name in BUILTIN_FACTS:
        if not isinstance(value, str) or not value:
            raise InvalidValueError(
                Message("fact {name!r} must be a non-empty string, got {value!r}; clear it with "
                        "clear=[{name!r}] instead", name=name, value=value)
            )
        return value
    if isinstance(value, datetime) or not isinstance(value, str | int | float | bool | date):
        raise WrongTypeError(
            Message("custom fact {name!r} must be a string, number, bool or date, got {kind} {value!r}",
                    name=name, kind=type(value).__name__, value=value)
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValueError(Message("custom fact {name!r} must be a finite number, got {value!r}",
                                        name=name, value=value))
    return value


def _to_fact_map(value: Mapping[str, object]) -> Mapping[str, FactValue]:
    if not isinstance(value, Mapping):
        raise WrongTypeError(
            Message("set must be a mapping of fact name -> value, got {kind}", kind=type(value).__name__)
        )
    return FactMap(
        {_check_fact_name(k): _check_fact_value(k, v) for k, v in sorted(value.items())}
    )


def _to_names(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise WrongTypeError(Message("clear must be a collection of fact names, got the string {value!r}",
                                     value=value))
    return frozenset(_check_fact_name(v) for v in value)


@attrs.frozen(kw_only=True)
class FactsChanged(_BaseEvent):
    """Facts of the ticket were set or cleared: re-routing, categorising, custom fields.

    ``set`` maps a fact name to its new value: the built-in facts (``category``, ``channel``,
    ``customer_tier``, ``group``, ``organisation``) take non-empty strings, any other name is a
    host-defined custom field taking a string, number, bool or date. ``clear`` names facts to
    remove; ``tags_added`` and ``tags_removed`` change the tag set. A fact may not be both set
    and cleared, nor a tag both added and removed. SLA policies are chosen again after it.

    Example:
        >>> from datetime import datetime, timezone
        >>> e = FactsChanged(ticket="T-1", at=datetime(2025, 3, 3, 9, 20, tzinfo=timezone.utc),
        ...                  event_id="e2", set={"category": "payment", "order_value": 350},
        ...                  clear=["group"], tags_added=["refund"])
        >>> e.event_type, dict(e.set), sorted(e.clear)
        ('facts_changed', {'category': 'payment', 'order_value': 350}, ['group'])
    """

    event_type: ClassVar[str] = "facts_changed"

    set: Mapping[str, FactValue] = attrs.field(
        factory=FactMap, converter=_to_fact_map,
        repr=lambda v: repr(dict(v)),
    )
    clear: frozenset[str] = attrs.field(default=frozenset(), converter=_to_names)
    tags_added: frozenset[str] = attrs.field(
        default=frozenset(), converter=_to_tags, validator=attrs.validators.deep_iterable(_str)
    )
    tags_removed: frozenset[str] = attrs.field(
        default=frozenset(), converter=_to_tags, validator=attrs.validators.deep_iterable(_str)
    )

    def __attrs_post_init__(self) -> None:
        both = sorted(self.clear & self.set.keys())
        if both:
            raise InvalidValueError(
                Message("facts {both} are both set and cleared in event {event_id!r}; do one", both=both,
                        event_id=self.event_id)
            )
        tags = sorted(self.tags_added & self.tags_removed)
        if tags:
            raise InvalidValueError(
                Message("tags {tags} are both added and removed in event {event_id!r}; do one", tags=tags,
                        event_id=self.event_id)
            )


@attrs.frozen(kw_only=True)
class DeadlineOverridden(_BaseEvent):
    """Someone set the due time of one SLA clock by hand, with a reason (Freshdesk's override).

    It applies to the metric's current open cycle (running or paused). ``due_at`` is the new
    deadline; ``None`` removes an override, handing the clock back to its policy. Like
    ``escalated`` it is history the workflow accepts in every status and moves no status; the
    SLA engine applies it (see :mod:`slakit.sla._override` for the rules, later priority and
    policy changes included).

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2025, 3, 3, 10, tzinfo=timezone.utc)
        >>> e = DeadlineOverridden(ticket="T-1", at=t, event_id="e9", metric="resolution",
        ...     due_at=datetime(2025, 3, 7, 18, tzinfo=timezone.utc),
        ...     reason="customer agreed to Friday")
        >>> e.event_type, e.due_at.day
        ('deadline_overridden', 7)
    """

    event_type: ClassVar[str] = "deadline_overridden"

    metric: str = attrs.field(validator=_check_non_empty)
    due_at: datetime | None = attrs.field(validator=attrs.validators.optional(_check_aware))
    reason: str = attrs.field(validator=_check_non_empty)
