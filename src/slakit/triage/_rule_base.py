"""What every triage rule shares: the match value, the rule protocol, and rule effects.

A rule only *proposes*: a priority, a category, a root cause, and/or a number of levels to
raise the priority by. The classifier decides how proposals combine.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal, Protocol, TypeGuard, runtime_checkable

import attrs

from slakit._message import Message
from slakit.triage._input import PreparedTicket

TextField = Literal["subject", "body"]


@attrs.frozen
class RuleMatch:
    """One rule that matched a ticket, with what it proposes and why.

    Attributes:
        rule: the rule's name.
        reason: why it matched, in words.
        priority: the priority it proposes, if any.
        category: the category it proposes, if any.
        root_cause: the root cause it proposes, if any.
        raise_by: levels to raise the priority by after it is decided (negative lowers).
        weight: its weight in score mode.
    """

    rule: str
    reason: str
    priority: str | None = None
    category: str | None = None
    root_cause: str | None = None
    raise_by: int = 0
    weight: float = 1.0


@runtime_checkable
class TriageRule(Protocol):
    """What a classifier needs from a rule."""

    @property
    def name(self) -> str:
        """A unique, human-readable name; explanations cite it."""
        ...

    @property
    def mentioned_priorities(self) -> tuple[str, ...]:
        """Every priority the rule may propose, checked against the scale up front."""
        ...

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match for ``ticket``, or ``None``; must not raise for any content."""
        ...


def is_weight(value: object) -> TypeGuard[float]:
    """Whether ``value`` can weigh a proposal in score mode: a finite number above 0, not a bool.

    Infinity would swallow every other weight and NaN would make totals depend on rule order.
    """
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


def as_strings(value: str | Iterable[str]) -> tuple[str, ...]:
    # A lone string is one item, not an iterable of characters: ("支付") is a classic slip.
    return (value,) if isinstance(value, str) else tuple(value)


def _plain(value: str | None) -> str | None:
    # StrEnum members become their plain value, so decisions serialise as ordinary strings.
    return value if value is None or type(value) is str else str(value)


@attrs.frozen(kw_only=True, repr=False)
class RuleEffects:
    """What a rule proposes when it matches (shared by the built-in rules).

    Args:
        priority: the priority to propose.
        category: the category to propose.
        root_cause: the root cause to propose.
        raise_by: levels to raise the decided priority by (negative lowers).
        weight: weight of the proposal in score mode (> 0).
    """

    priority: str | None = attrs.field(default=None, converter=_plain)
    category: str | None = attrs.field(default=None, converter=_plain)
    root_cause: str | None = attrs.field(default=None, converter=_plain)
    raise_by: int = 0
    weight: float = 1.0

    @property
    def mentioned_priorities(self) -> tuple[str, ...]:
        """The proposed priority, if any."""
        return () if self.priority is None else (self.priority,)

    def _effect_problems(self, name: str) -> list[str]:
        problems: list[str] = []
        if not isinstance(name, str) or not name.strip():
            problems.append(Message("rule name {name!r} must be a non-empty string", name=name))
        if (self.priority, self.category, self.root_cause, self.raise_by) == (None, None, None, 0):
            problems.append(
                Message("rule {name!r} has no effect: give it a priority, category, root_cause or raise_by",
                        name=name)
            )
        if not isinstance(self.raise_by, int) or isinstance(self.raise_by, bool):
            problems.append(Message("rule {name!r}: raise_by must be an int, got {raise_by!r}", name=name,
                                    raise_by=self.raise_by))
        if not is_weight(self.weight):
            problems.append(
                Message("rule {name!r}: weight must be a finite number > 0, got {weight!r}", name=name,
                        weight=self.weight)
            )
        return problems

    def _match(self, name: str, reason: str) -> RuleMatch:
        return RuleMatch(
            name, reason, self.priority, self.category, self.root_cause, self.raise_by, self.weight
        )

    def __repr__(self) -> str:
        # Name and condition first, then only the effects that are set: reads like the rule.
        own: list[str] = []
        effects: list[str] = []
        for field in attrs.fields(type(self)):
            if not field.repr or field.name.startswith("_"):
                continue
            value = getattr(self, field.name)
            if field.kw_only:
                if value != field.default:
                    effects.append(f"{field.name}={value!r}")
            elif field.name == "name":
                own.insert(0, repr(value))
            elif value != field.default:
                own.append(f"{field.name}={value!r}")
        shown = own + effects
        return f"{type(self).__name__}({', '.join(shown)})"
