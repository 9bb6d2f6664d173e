"""Applicability conditions: small composable predicates over ticket facts.

Design rules:

* A condition is a frozen value with a readable ``repr`` that reads like the code that built
  it: ``priority_is("urgent") & channel_is("hotline")`` prints exactly that, so a policy list
  can be logged and diffed.
* Conditions combine with ``&``, ``|`` and ``~`` (or ``all_`` / ``any_`` / ``not_``); nested
  conjunctions flatten, so ``a & b & c`` is one ``all_`` of three.
* They read the facts an SLA may depend on (priority, category, channel, customer tier, tags;
  and, through :func:`~slakit.policies.fact`, group, organisation and custom fields) from any
  object that has them: the workflow's ``TicketState``, a :class:`TicketFacts` snapshot, or a
  host's own row object.
* Every condition round-trips through plain data (:meth:`Condition.to_data`,
  :func:`condition_from_data`) so policies can be stored as JSON or TOML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final, Protocol

import attrs

from slakit._errors import WrongTypeError
from slakit._fast import build
from slakit._message import Message
from slakit.policies._errors import PolicyDataError
from slakit.workflow._state import FactMap, TicketState


class FactsLike(Protocol):
    """Anything exposing the ticket facts SLA conditions read."""

    @property
    def priority(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def channel(self) -> str | None: ...
    @property
    def customer_tier(self) -> str | None: ...
    @property
    def tags(self) -> frozenset[str]: ...


def _tag_set(tags: Iterable[str]) -> frozenset[str]:
    return frozenset(tags)


CustomValue = str | int | float | bool | date
"""The value of a host-defined custom field: string, number, bool or date."""


def _custom_pairs(
    values: Mapping[str, CustomValue] | Iterable[tuple[str, CustomValue]],
) -> tuple[tuple[str, CustomValue], ...]:
    if not values:  # the common case (no custom fields): no ABC check, no sort
        return ()
    if type(values) is FactMap:  # a ticket's custom fields: already sorted by name
        return tuple(values.items())
    items = values.items() if isinstance(values, Mapping) else values
    return tuple(sorted(items, key=lambda kv: kv[0]))


# slots=False on purpose, as for the workflow's TicketState: the SLA engine reads a ticket's
# facts after every event that may move them, and a frozen class without slots is built
# about twice as fast (one __dict__ instead of a guarded setattr per field).
@attrs.frozen(repr=False, slots=False)
class TicketFacts:
    """A snapshot of the facts SLA policies are chosen by.

    Example:
        >>> facts = TicketFacts(priority="urgent", channel="hotline")
        >>> (priority_is("urgent") & channel_is("hotline"))(facts)
        True
    """

    priority: str
    category: str | None = None
    channel: str | None = None
    customer_tier: str | None = None
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_tag_set)
    group: str | None = None
    organisation: str | None = None
    custom: tuple[tuple[str, CustomValue], ...] = attrs.field(
        default=(), converter=_custom_pairs
    )
    """Custom fields as sorted ``(name, value)`` pairs (a mapping is accepted)."""

    @classmethod
    def of(cls, facts: FactsLike) -> TicketFacts:
        """Copy the SLA facts out of any object that has them (e.g. a workflow TicketState).

        ``group``, ``organisation`` and ``custom`` are read when the object has them.
        """
        if type(facts) is TicketFacts:
            return facts
        if type(facts) is TicketState and cls is TicketFacts:
            # From a dict (see slakit._fast.build), converted as __init__ converts: the SLA
            # engine calls this after every event that may move the facts.
            return build(TicketFacts, {
                "priority": facts.priority, "category": facts.category,
                "channel": facts.channel, "customer_tier": facts.customer_tier,
                "tags": _tag_set(facts.tags), "group": facts.group,
                "organisation": facts.organisation, "custom": _custom_pairs(facts.custom)})
        return cls(
            priority=facts.priority,
            category=facts.category,
            channel=facts.channel,
            customer_tier=facts.customer_tier,
            tags=facts.tags,
            group=getattr(facts, "group", None),
            organisation=getattr(facts, "organisation", None),
            custom=getattr(facts, "custom", ()),
        )

    def __repr__(self) -> str:
        # The five original facts always; the later ones when set, so old logs read alike.
        parts = [f"priority={self.priority!r}", f"category={self.category!r}",
                 f"channel={self.channel!r}", f"customer_tier={self.customer_tier!r}",
                 f"tags={self.tags!r}"]
        parts += [f"{k}={getattr(self, k)!r}" for k in ("group", "organisation", "custom")
                  if getattr(self, k)]
        return f"TicketFacts({', '.join(parts)})"

    def value(self, name: str) -> object:
        """The value of fact ``name`` (built-in or custom); None when absent."""
        if name in _BUILTIN_NAMES:
            return getattr(self, name)
        for key, v in self.custom:
            if key == name:
                return v
        return None


_BUILTIN_NAMES: Final = frozenset(
    ("priority", "category", "channel", "customer_tier", "tags", "group", "organisation")
)


class Condition:
    """Base of every condition: callable on facts, combinable, printable, serialisable."""

    __slots__ = ()

    def __call__(self, facts: FactsLike) -> bool:
        """Whether the facts satisfy the condition."""
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        """The condition as plain JSON-able data."""
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        return all_(self, other)

    def __or__(self, other: Condition) -> Condition:
        return any_(self, other)

    def __invert__(self) -> Condition:
        return not_(self)


# The fact attributes a condition may test, with the factory name that builds the test.
_ATTRIBUTE_FACTORIES: Final = {
    "priority": "priority_is",
    "category": "category_is",
    "channel": "channel_is",
    "customer_tier": "customer_tier_is",
}


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


@attrs.frozen(repr=False)
class _AttributeIs(Condition):
    attribute: str
    values: tuple[str, ...]

    def __call__(self, facts: FactsLike) -> bool:
        return getattr(facts, self.attribute) in self.values

    def __repr__(self) -> str:
        return f"{_ATTRIBUTE_FACTORIES[self.attribute]}({_quoted(self.values)})"

    def to_data(self) -> dict[str, Any]:
        return {_ATTRIBUTE_FACTORIES[self.attribute]: list(self.values)}


@attrs.frozen(repr=False)
class _HasTag(Condition):
    tags: tuple[str, ...]

    def __call__(self, facts: FactsLike) -> bool:
        return not facts.tags.isdisjoint(self.tags)

    def __repr__(self) -> str:
        return f"has_tag({_quoted(self.tags)})"

    def to_data(self) -> dict[str, Any]:
        return {"has_tag": list(self.tags)}


@attrs.frozen(repr=False)
class _All(Condition):
    conditions: tuple[Condition, ...]

    def __call__(self, facts: FactsLike) -> bool:
        return all(c(facts) for c in self.conditions)

    def __repr__(self) -> str:
        if not self.conditions:
            return "always()"
        return " & ".join(
            f"({c!r})" if isinstance(c, _Any) and len(c.conditions) > 1 else repr(c)
            for c in self.conditions
        )

    def to_data(self) -> dict[str, Any]:
        if not self.conditions:
            return {"always": True}
        return {"all": [c.to_data() for c in self.conditions]}


@attrs.frozen(repr=False)
class _Any(Condition):
    conditions: tuple[Condition, ...]

    def __call__(self, facts: FactsLike) -> bool:
        return any(c(facts) for c in self.conditions)

    def __repr__(self) -> str:
        if not self.conditions:
            return "never()"
        return " | ".join(repr(c) for c in self.conditions)

    def to_data(self) -> dict[str, Any]:
        if not self.conditions:
            return {"never": True}
        return {"any": [c.to_data() for c in self.conditions]}


@attrs.frozen(repr=False)
class _Not(Condition):
    condition: Condition

    def __call__(self, facts: FactsLike) -> bool:
        return not self.condition(facts)

    def __repr__(self) -> str:
        inner = repr(self.condition)
        simple = isinstance(self.condition, _AttributeIs | _HasTag) or inner.endswith("()")
        return f"~{inner}" if simple else f"~({inner})"

    def to_data(self) -> dict[str, Any]:
        return {"not": self.condition.to_data()}


def _strings(factory: str, values: tuple[str, ...]) -> tuple[str, ...]:
    if not values or not all(isinstance(v, str) and v for v in values):
        raise PolicyDataError(
            [Message("{factory}() needs one or more non-empty strings, got {values!r}", factory=factory,
                     values=values)]
        )
    return values


def priority_is(*priorities: str) -> Condition:
    """True when the ticket's priority is one of ``priorities``.

    >>> priority_is("urgent", "important")
    priority_is("urgent", "important")
    """
    return _AttributeIs("priority", _strings("priority_is", priorities))


def category_is(*categories: str) -> Condition:
    """True when the ticket's category is one of ``categories``."""
    return _AttributeIs("category", _strings("category_is", categories))


def channel_is(*channels: str) -> Condition:
    """True when the ticket came in through one of ``channels`` (e.g. ``"hotline"``)."""
    return _AttributeIs("channel", _strings("channel_is", channels))


def customer_tier_is(*tiers: str) -> Condition:
    """True when the customer's tier is one of ``tiers`` (e.g. ``"enterprise"``)."""
    return _AttributeIs("customer_tier", _strings("customer_tier_is", tiers))


def has_tag(*tags: str) -> Condition:
    """True when the ticket carries at least one of ``tags``."""
    return _HasTag(_strings("has_tag", tags))


def always() -> Condition:
    """The condition every ticket satisfies (an empty ``all_``)."""
    return _All(())


def never() -> Condition:
    """The condition no ticket satisfies (an empty ``any_``)."""
    return _Any(())


def all_(*conditions: Condition) -> Condition:
    """True when every condition holds; nested ``all_`` are flattened.

    >>> all_(priority_is("urgent"), channel_is("hotline") & has_tag("vip"))
    priority_is("urgent") & channel_is("hotline") & has_tag("vip")
    """
    flat: list[Condition] = []
    for c in conditions:
        _check_condition("all_", c)
        flat.extend(c.conditions if isinstance(c, _All) else (c,))
    return flat[0] if len(flat) == 1 else _All(tuple(flat))


def any_(*conditions: Condition) -> Condition:
    """True when at least one condition holds; nested ``any_`` are flattened.

    >>> (priority_is("urgent") | has_tag("vip")) & channel_is("hotline")
    (priority_is("urgent") | has_tag("vip")) & channel_is("hotline")
    """
    flat: list[Condition] = []
    for c in conditions:
        _check_condition("any_", c)
        flat.extend(c.conditions if isinstance(c, _Any) else (c,))
    return flat[0] if len(flat) == 1 else _Any(tuple(flat))


def not_(condition: Condition) -> Condition:
    """True when ``condition`` does not hold; ``not_(not_(c))`` is ``c``.

    >>> ~priority_is("low")
    ~priority_is("low")
    """
    _check_condition("not_", condition)
    return condition.condition if isinstance(condition, _Not) else _Not(condition)


def _check_condition(where: str, value: object) -> None:
    if not isinstance(value, Condition):
        raise WrongTypeError(
            Message("{where}() takes conditions such as priority_is('urgent'), got {value!r}", where=where,
                    value=value)
        )
