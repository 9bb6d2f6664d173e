"""The ITIL impact x urgency priority matrix as a triage rule.

Impact and urgency are small integers, 1 the highest. The standard 3 x 3 matrix (the one the
UCI ServiceNow log follows on every row) maps them to the four-level ITIL ladder::

                urgency 1   urgency 2   urgency 3
    impact 1    critical    high        moderate
    impact 2    high        moderate    low
    impact 3    moderate    low         low

Desks with other matrices (5 x 5, other names) pass their own table.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from slakit._fast import derive
from slakit._message import Message
from slakit.triage._errors import TriageConfigError
from slakit.triage._input import PreparedTicket
from slakit.triage._rule_base import RuleMatch, is_weight

_ITIL_TABLE = {
    (1, 1): "critical", (1, 2): "high", (1, 3): "moderate",
    (2, 1): "high", (2, 2): "moderate", (2, 3): "low",
    (3, 1): "moderate", (3, 2): "low", (3, 3): "low",
}  # fmt: skip


def _as_table(value: Mapping[tuple[int, int], str]) -> tuple[tuple[tuple[int, int], str], ...]:
    items = tuple(dict(value).items())
    try:
        return tuple(sorted(items))  # canonical order, so equal tables compare equal
    except TypeError:
        return items  # mistyped keys: keep them for the validator to report


@attrs.frozen
class ImpactUrgencyMatrix:
    """Proposes the priority the matrix gives for the ticket's impact and urgency.

    Does not match when either is missing or not in the table (the classifier then falls back).

    Args:
        table: ``{(impact, urgency): priority}``.
        name: the rule's name.
        weight: weight of the proposal in score mode.

    >>> from slakit.triage._input import PreparedTicket, TriageInput
    >>> matrix = ImpactUrgencyMatrix.itil()
    >>> matrix.evaluate(PreparedTicket.of(TriageInput(impact=2, urgency=1))).reason
    'impact 2 x urgency 1 gives high'
    """

    table: tuple[tuple[tuple[int, int], str], ...] = attrs.field(converter=_as_table)
    name: str = "impact-urgency-matrix"
    weight: float = 1.0
    _lookup: dict[tuple[int, int], str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not self.table:
            problems.append(Message("the matrix table is empty"))
        for key, priority in self.table:
            impact, urgency = key
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in key):
                problems.append(Message("key {key!r} must be a pair of ints (impact, urgency)", key=key))
            elif impact < 1 or urgency < 1:
                problems.append(Message("key {key!r}: levels start at 1 (the highest)", key=key))
            if not isinstance(priority, str) or not priority:
                problems.append(Message("key {key!r} maps to {priority!r}, not a priority name", key=key,
                                        priority=priority))
        if not is_weight(self.weight):
            problems.append(Message("weight must be a finite number > 0, got {weight!r}",
                                    weight=self.weight))
        if problems:
            raise TriageConfigError(Message("impact x urgency matrix"), problems)
        derive(self, "_lookup", dict(self.table))

    @classmethod
    def itil(cls, name: str = "impact-urgency-matrix") -> ImpactUrgencyMatrix:
        """The standard 3 x 3 ITIL matrix onto ``critical/high/moderate/low``."""
        return cls(_ITIL_TABLE, name=name)

    @property
    def mentioned_priorities(self) -> tuple[str, ...]:
        """Every priority in the table."""
        return tuple(dict.fromkeys(priority for _, priority in self.table))

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match with the table's priority, or ``None`` if impact/urgency are missing."""
        impact, urgency = ticket.ticket.impact, ticket.ticket.urgency
        if impact is None or urgency is None:
            return None
        priority = self._lookup.get((impact, urgency))
        if priority is None:
            return None
        reason = f"impact {impact} x urgency {urgency} gives {priority}"
        return RuleMatch(self.name, reason, priority=priority, weight=self.weight)
