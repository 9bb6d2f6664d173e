"""Triage rules as data: what a rule looks at, and what it proposes when it matches.

Design rules:

* A rule is a frozen value with a ``name`` and an ``evaluate(prepared) -> RuleMatch | None``
  method (the :class:`TriageRule` protocol); hosts can write their own.
* A rule only *proposes*: a priority, a category, a root cause, and/or a number of levels to
  raise the priority by. The classifier decides how proposals combine (first match or score).
* A match carries its reason in words ("subject contains '支付接口'"), so every decision can be
  explained without re-running anything.
* Definitions are checked when built: a rule with no name, no keywords or no effect raises
  :class:`TriageConfigError` listing every problem.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from slakit._fast import derive
from slakit._message import Message
from slakit.text._keyword_index import KeywordIndex
from slakit.text._normalise import KeywordNeedle, normalise_text
from slakit.triage._errors import TriageConfigError
from slakit.triage._input import PreparedTicket
from slakit.triage._rule_base import (
    RuleEffects,
    RuleMatch,
    TextField,
    as_strings,
)


@attrs.frozen(repr=False)
class KeywordRule(RuleEffects):
    """Matches when any keyword occurs in the subject or body.

    Keywords are normalised like the text (full-width, case, traditional Chinese). Chinese
    keywords match anywhere; English keywords match whole words, and a trailing ``*`` matches
    a word prefix (``"refund*"`` matches ``refunded``). See :mod:`slakit.triage` docs.

    Args:
        name: the rule's name.
        keywords: one keyword or phrase, or several (any of them matches).
        fields: which text to search, in order.
    """

    name: str
    keywords: tuple[str, ...] = attrs.field(converter=as_strings)
    fields: tuple[TextField, ...] = attrs.field(default=("subject", "body"), converter=as_strings)
    _needles: tuple[KeywordNeedle, ...] = attrs.field(init=False, repr=False, eq=False)
    _index: KeywordIndex = attrs.field(init=False, repr=False, eq=False)
    # Every possible match, built once: (field, keyword position) -> RuleMatch. Matching then
    # allocates nothing, which matters on the classifier's hot path.
    _matches: dict[tuple[str, int], RuleMatch] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = self._effect_problems(self.name)
        compiled = []
        for keyword in self.keywords:
            needle = KeywordNeedle.compile(keyword) if isinstance(keyword, str) else None
            if needle is None:
                problems.append(Message("rule {name!r}: keyword {keyword!r} is empty or not a str",
                                        name=self.name, keyword=keyword))
            elif (problem := needle.length_problem()) is not None:
                problems.append(Message("rule {name!r}: {problem}", name=self.name, problem=problem))
            else:
                compiled.append(needle)
        if not self.keywords:
            problems.append(Message("rule {name!r} needs at least one keyword", name=self.name))
        bad_fields = [f for f in self.fields if f not in ("subject", "body")]
        if bad_fields or not self.fields:
            problems.append(Message("rule {name!r}: fields must be 'subject' and/or 'body'", name=self.name))
        if problems:
            raise TriageConfigError(Message("keyword rule"), problems)
        derive(self, "_needles", tuple(compiled))
        derive(self, "_index", KeywordIndex((self._needles,)))
        matches = {
            (field, position): self._match(self.name, f"{field} contains {needle.keyword!r}")
            for field in self.fields
            for position, needle in enumerate(self._needles)
        }
        derive(self, "_matches", matches)

    @property
    def needles(self) -> tuple[KeywordNeedle, ...]:
        """The compiled keywords, in order (classifiers fuse them into one index)."""
        return self._needles

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match if any keyword occurs.

        The reason names the first field searched that has one, and the first keyword (in
        :attr:`keywords` order) found there.
        """
        for field in self.fields:
            found = self._index.found(ticket.subject if field == "subject" else ticket.body)
            if found:
                return self.match_found(field, found[0])
        return None

    def match_found(self, field: str, position: int) -> RuleMatch:
        """The match for keyword number ``position`` found in ``field``."""
        return self._matches[field, position]


def _normalised_set(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise_text(v) for v in values if isinstance(v, str))


def _known_matches(
    rule: RuleEffects, name: str, what: str, values: tuple[str, ...]
) -> dict[str | None, RuleMatch]:
    # The match for a ticket whose value is spelt exactly as the rule lists it, built once:
    # the usual case then allocates nothing. Other spellings get their own reason as before.
    return {value: rule._match(name, f"{what} is {value!r}") for value in values}


def _check_values(rule: RuleEffects, name: str, values: tuple[str, ...], what: str) -> None:
    problems = rule._effect_problems(name)
    if not values or any(not isinstance(v, str) or not normalise_text(v) for v in values):
        problems.append(Message("rule {name!r} needs one or more non-empty {what} strings", name=name,
                                what=what))
    if problems:
        raise TriageConfigError(Message("{what} rule", what=what), problems)


@attrs.frozen(repr=False)
class ChannelRule(RuleEffects):
    """Matches tickets that arrived on one of ``channels`` (e.g. the emergency hotline).

    Args:
        name: the rule's name.
        channels: channel names, compared after normalisation (case, width).
    """

    name: str
    channels: tuple[str, ...] = attrs.field(converter=as_strings)
    _wanted: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    _known: dict[str | None, RuleMatch] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        _check_values(self, self.name, self.channels, "channel")
        derive(self, "_wanted", _normalised_set(self.channels))
        derive(self, "_known", _known_matches(self, self.name, "channel", self.channels))

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match if the ticket's channel is one of :attr:`channels`."""
        channel = ticket.ticket.channel
        if ticket.channel is not None and ticket.channel in self._wanted:
            return self._known.get(channel) or self._match(self.name, f"channel is {channel!r}")
        return None


@attrs.frozen(repr=False)
class CustomerTierRule(RuleEffects):
    """Matches customers of one of ``tiers`` (e.g. VIP raises one level).

    Args:
        name: the rule's name.
        tiers: tier names, compared after normalisation.
    """

    name: str
    tiers: tuple[str, ...] = attrs.field(converter=as_strings)
    _wanted: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    _known: dict[str | None, RuleMatch] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        _check_values(self, self.name, self.tiers, "customer tier")
        derive(self, "_wanted", _normalised_set(self.tiers))
        derive(self, "_known", _known_matches(self, self.name, "customer tier", self.tiers))

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match if the ticket's customer tier is one of :attr:`tiers`."""
        tier = ticket.ticket.customer_tier
        if ticket.customer_tier is not None and ticket.customer_tier in self._wanted:
            return self._known.get(tier) or self._match(self.name, f"customer tier is {tier!r}")
        return None


@attrs.frozen(repr=False)
class CategoryRule(RuleEffects):
    """Matches tickets whose *reported* category (``TriageInput.category``) is in ``categories``.

    Args:
        name: the rule's name.
        categories: category names as the host reports them, compared after normalisation.
    """

    name: str
    categories: tuple[str, ...] = attrs.field(converter=as_strings)
    _wanted: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    _known: dict[str | None, RuleMatch] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        _check_values(self, self.name, self.categories, "category")
        derive(self, "_wanted", _normalised_set(self.categories))
        known = _known_matches(self, self.name, "reported category", self.categories)
        derive(self, "_known", known)

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match if the reported category is one of :attr:`categories`."""
        category = ticket.ticket.category
        if ticket.category is not None and ticket.category in self._wanted:
            known = self._known.get(category)
            return known or self._match(self.name, f"reported category is {category!r}")
        return None


def _as_decimal(value: Decimal | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@attrs.frozen(repr=False)
class AmountRule(RuleEffects):
    """Matches tickets about an order amount of at least ``at_least``.

    Args:
        name: the rule's name.
        at_least: the threshold, inclusive, in the currency of ``TriageInput.amount``.
    """

    name: str
    at_least: Decimal = attrs.field(converter=_as_decimal)

    def __attrs_post_init__(self) -> None:
        problems = self._effect_problems(self.name)
        if not self.at_least.is_finite():
            problems.append(Message("rule {name!r}: at_least must be finite, got {at_least}",
                                    name=self.name, at_least=self.at_least))
        if problems:
            raise TriageConfigError(Message("amount rule"), problems)

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The match if the ticket's amount is at least :attr:`at_least`."""
        amount = ticket.ticket.amount
        if amount is not None and amount >= self.at_least:
            return self._match(self.name, f"amount {amount} >= {self.at_least}")
        return None
