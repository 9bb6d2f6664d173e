"""The value triage returns: the priority and category, and the rules behind them."""

from __future__ import annotations

import attrs

from slakit.triage._rule_base import RuleMatch


@attrs.frozen
class TriageDecision:
    """The outcome of triage: priority, category, and why.

    Attributes:
        priority: the final priority (after raises).
        category: the decided category, or the fallback category (often ``None``).
        root_cause: the decided root cause, if any rule proposed one.
        base_priority: the priority before raises.
        raised_by: levels actually moved from ``base_priority`` to ``priority``.
        matches: every rule that matched, in rule order, with its reason.
        priority_rules: names of the rules that decided ``base_priority`` (empty: fallback).
        category_rules: names of the rules that decided ``category`` (empty: fallback).
        root_cause_rules: names of the rules that decided ``root_cause``.
        raise_rules: names of the rules that asked for a raise.
        notes: problems met in the input or in proposals (never fatal).
        rules_version: the ``version`` of the classifier's rules, if it has one.
    """

    priority: str
    category: str | None
    root_cause: str | None
    base_priority: str
    raised_by: int
    matches: tuple[RuleMatch, ...]
    priority_rules: tuple[str, ...]
    category_rules: tuple[str, ...]
    root_cause_rules: tuple[str, ...] = ()
    raise_rules: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rules_version: str | None = None

    @property
    def priority_fallback(self) -> bool:
        """Whether no rule proposed a priority, so the fallback was used."""
        return not self.priority_rules

    @property
    def category_fallback(self) -> bool:
        """Whether no rule proposed a category, so the fallback was used."""
        return not self.category_rules

    @property
    def used_fallback(self) -> bool:
        """Whether the priority or the category came from the fallback."""
        return self.priority_fallback or self.category_fallback

    def explain(self) -> str:
        """The decision in words, one line per fact; every line names a rule or the fallback."""
        reasons = {m.rule: m.reason for m in self.matches}

        def cite(rules: tuple[str, ...]) -> str:
            return "; ".join(f"rule {r!r} ({reasons[r]})" for r in rules)

        lines = [
            f"priority {self.base_priority}: "
            + (cite(self.priority_rules) or "fallback (no rule proposed a priority)")
        ]
        if self.raise_rules:
            asked = sum(m.raise_by for m in self.matches if m.rule in self.raise_rules)
            capped = "" if asked == self.raised_by else f" (asked {asked}, capped)"
            lines.append(
                f"raised {self.raised_by} level(s){capped} to {self.priority}: "
                + cite(self.raise_rules)
            )
        lines.append(
            f"category {self.category}: "
            + (cite(self.category_rules) or "fallback (no rule proposed a category)")
        )
        if self.root_cause_rules:
            lines.append(f"root cause {self.root_cause}: {cite(self.root_cause_rules)}")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)
