"""The rule classifier: evaluate every rule, combine their proposals, explain the outcome.

Design rules:

* Pure: ``classify(ticket, at)`` reads nothing but its arguments and returns a
  :class:`TriageDecision` value. The same input always gives the same decision.
* Total over content: any text, channel or field gives a decision. When no rule proposes a
  priority, the fallback priority is used and the decision says so.
* Two combination modes, chosen per classifier (:class:`MatchMode`):

  - ``FIRST``: rules are read in order; the first rule proposing a priority decides it, and
    likewise (independently) for the category and the root cause. Put stronger rules first.
  - ``SCORE``: every proposal adds its rule's weight to what it proposes; the highest total
    wins. Ties go to the more urgent priority, and to the earlier rule for categories.

  In both modes every matching rule's ``raise_by`` is then added up (VIP, peak periods,
  hotline...), optionally capped by ``max_raise``, and the ladder caps the result at the top.
* Definitions are checked when built: unknown priorities, duplicate rule names or a fallback
  off the scale raise :class:`TriageConfigError` listing every problem.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from slakit._errors import WrongTypeError
from slakit._fast import derive
from slakit._message import Message
from slakit.text._keyword_index import KeywordIndex
from slakit.triage._decision import TriageDecision
from slakit.triage._errors import TriageConfigError
from slakit.triage._input import PreparedTicket, TriageInput
from slakit.triage._model import ModelRule
from slakit.triage._priority import PriorityScale
from slakit.triage._rule_base import RuleMatch, TriageRule
from slakit.triage._rules import KeywordRule

_NONE: dict[int, int] = {}  # no keyword hits (never written to)

# For each field of a keyword rule, in order: (is it the subject, match per keyword position).
_FieldMatches = tuple[tuple[bool, tuple[RuleMatch, ...]], ...]


class MatchMode(enum.Enum):
    """How rule proposals combine (see the module documentation)."""

    FIRST = "first"
    SCORE = "score"


@runtime_checkable
class TicketClassifier(Protocol):
    """Anything that turns a ticket into a :class:`TriageDecision`."""

    def classify(
        self, ticket: TriageInput | Mapping[str, object], at: datetime | None = None
    ) -> TriageDecision:
        """Classify ``ticket`` as of ``at`` (default: ``ticket.at``)."""
        ...


def _rule_tuple(value: Iterable[TriageRule]) -> tuple[TriageRule, ...]:
    return tuple(value)


def _rule_problems(rules: Sequence[object], scale: PriorityScale) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for rule in rules:
        if not isinstance(rule, TriageRule):
            problems.append(Message("{rule!r} is not a rule (needs name, mentioned_priorities, evaluate)",
                                    rule=rule))
            continue
        if rule.name in seen:
            problems.append(Message("two rules are named {name!r}; names must be unique", name=rule.name))
        seen.add(rule.name)
        for priority in rule.mentioned_priorities:
            if priority not in scale:
                problems.append(
                    Message("rule {name!r} proposes priority {priority!r}, which is not on the scale "
                            "{levels!r}", name=rule.name, priority=priority, levels=scale.levels)
                )
    return problems


@attrs.frozen
class RuleClassifier:
    """Classifies tickets with a list of rules.

    Args:
        rules: the rules, in order (order matters in ``FIRST`` mode).
        scale: the priority ladder every priority must be on.
        mode: how proposals combine.
        fallback_priority: the priority when no rule proposes one.
        fallback_category: the category when no rule proposes one.
        max_raise: the most levels all raises together may move a priority up (``None``: no cap
            besides the top of the ladder).
        version: the version of these rules (e.g. ``"2025-11"``), recorded in every decision so
            a host can tell later which rules decided a ticket; ``None`` if not versioned.
    """

    rules: tuple[TriageRule, ...] = attrs.field(converter=_rule_tuple)
    scale: PriorityScale = attrs.field(factory=PriorityScale.default)
    mode: MatchMode = MatchMode.FIRST
    fallback_priority: str = "normal"
    fallback_category: str | None = None
    max_raise: int | None = None
    version: str | None = None
    # Keyword rules fused into one index: a ticket's text is scanned once, not once per rule.
    # Per group (in rule order): the rule's place in ``rules`` and, for each of its fields in
    # order, whether it is the subject and the rule's match per keyword position. The other
    # rules come with their places and whether they wait for an undecided priority (a
    # ModelRule with only_when_undecided); matches are merged back into rule order.
    _keywords: KeywordIndex = attrs.field(init=False, repr=False, eq=False)
    _groups: tuple[tuple[int, _FieldMatches], ...] = attrs.field(init=False, repr=False, eq=False)
    _others: tuple[tuple[int, TriageRule, bool], ...] = attrs.field(
        init=False, repr=False, eq=False
    )
    _fields: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    _ranks: dict[str, int] = attrs.field(init=False, repr=False, eq=False)  # level -> rank

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(self.rules, self.scale)
        if not self.rules:
            problems.append(Message("no rules: every ticket would fall back; give at least one rule"))
        if self.fallback_priority not in self.scale:
            problems.append(
                Message("fallback priority {fallback_priority!r} is not on the scale {levels!r}",
                        fallback_priority=self.fallback_priority, levels=self.scale.levels)
            )
        if not isinstance(self.mode, MatchMode):
            problems.append(Message("mode must be a MatchMode, got {mode!r}", mode=self.mode))
        if self.max_raise is not None and (
            not isinstance(self.max_raise, int) or self.max_raise < 0
        ):
            problems.append(Message("max_raise must be None or an int >= 0, got {max_raise!r}",
                                    max_raise=self.max_raise))
        if self.version is not None and (not isinstance(self.version, str) or not self.version.strip()):
            problems.append(Message("version must be None or a non-empty str, got {version!r}",
                                    version=self.version))
        if problems:
            raise TriageConfigError(Message("rule classifier"), problems)
        groups: list[tuple[int, _FieldMatches]] = []
        needles = []
        others: list[tuple[int, TriageRule, bool]] = []
        fields: set[str] = set()
        for place, rule in enumerate(self.rules):
            # Exactly KeywordRule: a subclass may override evaluate(), so it is asked directly.
            if type(rule) is KeywordRule:
                groups.append((place, _field_matches(rule)))
                needles.append(rule.needles)
                fields.update(rule.fields)
            else:
                waits = isinstance(rule, ModelRule) and rule.only_when_undecided
                others.append((place, rule, waits))
        derive(self, "_groups", tuple(groups))
        derive(self, "_others", tuple(others))
        derive(self, "_keywords", KeywordIndex(tuple(needles)))
        derive(self, "_fields", frozenset(fields))
        derive(self, "_ranks", {level: self.scale.rank(level) for level in self.scale.levels})

    def classify(
        self, ticket: TriageInput | Mapping[str, object], at: datetime | None = None
    ) -> TriageDecision:
        """Classify ``ticket`` as of ``at`` (default: ``ticket.at``).

        A mapping is read with :meth:`TriageInput.from_mapping`.

        Raises:
            WrongTypeError: ``ticket`` is neither a ``TriageInput`` nor a mapping.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        if type(ticket) is TriageInput:
            pass  # the common case, checked first because isinstance(x, Mapping) is slow
        elif isinstance(ticket, Mapping):
            ticket = TriageInput.from_mapping(ticket)
        elif not isinstance(ticket, TriageInput):
            raise WrongTypeError(
                Message("classify() takes a TriageInput or a mapping, got {kind}",
                        kind=type(ticket).__name__)
            )
        prepared = PreparedTicket.of(ticket, at)
        in_subject = self._keywords.found(prepared.subject) if "subject" in self._fields else _NONE
        in_body = self._keywords.found(prepared.body) if "body" in self._fields else _NONE
        # Usually only a few keyword rules hit: build their matches, evaluate the other rules,
        # then put all matches back in rule order.
        placed: list[tuple[int, RuleMatch]] = []
        groups = self._groups
        for group in in_subject.keys() | in_body.keys():
            place, field_matches = groups[group]
            # The same answer KeywordRule.evaluate() gives, read from the fused index's results.
            for in_subject_field, matches in field_matches:
                position = (in_subject if in_subject_field else in_body).get(group)
                if position is not None:
                    placed.append((place, matches[position]))
                    break
        ranks = self._ranks
        for place, other, waits in self._others:
            if waits and any(p < place and m.priority in ranks for p, m in placed):
                continue  # a rule before it decided the priority: the model is not asked
            match = other.evaluate(prepared)
            if match is not None:
                placed.append((place, match))
        placed.sort(key=_place)
        return self._decide(tuple([match for _, match in placed]), list(ticket.notes))

    def _decide(self, matches: tuple[RuleMatch, ...], notes: list[str]) -> TriageDecision:
        ranks = self._ranks
        priority_votes: list[tuple[str | None, RuleMatch]] = []
        raisers = []
        for m in matches:
            if m.priority is not None:
                if m.priority in ranks:
                    priority_votes.append((m.priority, m))
                else:
                    notes.append(
                        Message("rule {rule!r} proposed priority {priority!r}, not on the scale: ignored",
                                rule=m.rule, priority=m.priority)
                    )
            if m.raise_by:
                raisers.append(m)
        base: str | None = None
        priority_rules: tuple[str, ...] = ()
        if self.mode is MatchMode.FIRST:
            if priority_votes:
                base, priority_rules = priority_votes[0][0], (priority_votes[0][1].rule,)
            category, category_rules = _first_proposal(matches, _category)
            root_cause, cause_rules = _first_proposal(matches, _root_cause)
        else:
            base, priority_rules = _best(priority_votes, self.scale.rank)
            category, category_rules = _best(
                [(m.category, m) for m in matches if m.category is not None], None
            )
            root_cause, cause_rules = _best(
                [(m.root_cause, m) for m in matches if m.root_cause is not None], None
            )
        base_priority = base if base is not None else self.fallback_priority
        priority, raised_by = base_priority, 0
        if raisers:
            requested = sum(m.raise_by for m in raisers)
            if self.max_raise is not None:
                requested = min(requested, self.max_raise)
            priority = self.scale.raise_by(base_priority, requested)
            raised_by = ranks[base_priority] - ranks[priority]
        return TriageDecision(
            priority=priority,
            category=category if category is not None else self.fallback_category,
            root_cause=root_cause,
            base_priority=base_priority,
            raised_by=raised_by,
            matches=matches,
            priority_rules=priority_rules,
            category_rules=category_rules,
            root_cause_rules=cause_rules,
            raise_rules=tuple(m.rule for m in raisers),
            notes=tuple(notes),
            rules_version=self.version,
        )


def _field_matches(rule: KeywordRule) -> _FieldMatches:
    positions = range(len(rule.needles))
    return tuple(
        (field == "subject", tuple(rule.match_found(field, i) for i in positions))
        for field in rule.fields
    )


def _place(placed: tuple[int, RuleMatch]) -> int:
    return placed[0]


def _category(match: RuleMatch) -> str | None:
    return match.category


def _root_cause(match: RuleMatch) -> str | None:
    return match.root_cause


def _first_proposal(
    matches: Sequence[RuleMatch], proposal: Callable[[RuleMatch], str | None]
) -> tuple[str | None, tuple[str, ...]]:
    for match in matches:
        value = proposal(match)
        if value is not None:
            return value, (match.rule,)
    return None, ()


def _best(
    votes: Sequence[tuple[str | None, RuleMatch]], rank: Callable[[str], int] | None
) -> tuple[str | None, tuple[str, ...]]:
    if not votes:
        return None, ()
    totals: dict[str, float] = {}
    for value, match in votes:
        if value is not None:
            totals[value] = totals.get(value, 0.0) + match.weight
    # dict order is first-proposal order, so max() keeps the earliest on equal totals; for
    # priorities the more urgent level wins a tie instead.
    if rank is not None:
        winner = max(totals, key=lambda v: (totals[v], -rank(v)))
    else:
        winner = max(totals, key=totals.__getitem__)
    return winner, tuple(m.rule for v, m in votes if v == winner)
