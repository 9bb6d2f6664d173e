"""Invariants of classification and normalisation, checked by Hypothesis."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.text import NormalisedText as Prepared
from slakit.text import normalise_text
from slakit.text._keyword_index import KeywordIndex
from slakit.triage import (
    KeywordRule,
    MatchMode,
    ModelPrediction,
    ModelRule,
    PeakRaise,
    PreparedTicket,
    PriorityScale,
    RuleClassifier,
    TriageInput,
    default_classifier,
    default_rules,
)
from tests.triage.triage_testkit import channels, ticket_texts, tiers


class LengthModel:
    """A deterministic stand-in for a trained model: its opinion depends on the body's length."""

    def predict(self, ticket: TriageInput) -> ModelPrediction | None:
        n = len(ticket.body)
        if n % 3 == 0:
            return None
        return ModelPrediction(("urgent", "important", "normal", "suggestion")[n % 4],
                               "payment" if n % 2 else None, confidence=(n % 10) / 9,
                               reason=f"length {n}\nline two")


FIRST = default_classifier()
SCORE = RuleClassifier(default_rules(), mode=MatchMode.SCORE)
# The default rules with a peak and a model at both ends, in both modes: totality and
# explanations must hold for every kind of rule, not only keywords.
PEAK = PeakRaise("double-11", date(2025, 11, 10), date(2025, 11, 12), timezone="Asia/Shanghai")
WITH_MODELS = [
    RuleClassifier((ModelRule("model-first", LengthModel(), min_confidence=0.5),
                    *default_rules(peaks=[PEAK]),
                    ModelRule("model-last", LengthModel(), only_when_undecided=True)),
                   mode=mode, max_raise=1)
    for mode in MatchMode
]
CLASSIFIERS = (FIRST, SCORE, *WITH_MODELS)
SCALE = PriorityScale.default()

fast = settings(max_examples=150, deadline=None)


@st.composite
def inputs(draw: st.DrawFn) -> TriageInput:
    return TriageInput(
        subject=draw(ticket_texts(4)),
        body=draw(ticket_texts()),
        channel=draw(channels),
        customer_tier=draw(tiers),
        amount=draw(st.none() | st.decimals(allow_nan=False, allow_infinity=False)),
        impact=draw(st.none() | st.integers(1, 5)),
        urgency=draw(st.none() | st.integers(1, 5)),
        at=draw(st.none() | st.datetimes(datetime(2025, 11, 8), datetime(2025, 11, 14),
                                          timezones=st.sampled_from([timezone.utc, PEAK.timezone]))),
    )


@fast
@given(inputs())
def test_classification_is_total_and_deterministic(ticket: TriageInput) -> None:
    for classifier in CLASSIFIERS:
        first = classifier.classify(ticket)
        assert classifier.classify(ticket) == first
        assert first.priority in SCALE
        assert first.base_priority in SCALE


@fast
@given(inputs())
def test_every_explanation_line_names_a_rule_or_the_fallback(ticket: TriageInput) -> None:
    for classifier in CLASSIFIERS:
        decision = classifier.classify(ticket)
        lines = decision.explain().splitlines()
        assert lines[0].startswith(f"priority {decision.base_priority}: ")
        for line in lines:
            assert "rule '" in line or "fallback" in line or line.startswith("note: ")
        assert decision.priority_fallback == (not decision.priority_rules)
        named = {m.rule for m in decision.matches}
        assert set(decision.priority_rules) <= named
        assert set(decision.category_rules) <= named
        assert set(decision.raise_rules) <= named


@fast
@given(inputs())
def test_raises_only_move_up_and_respect_the_cap(ticket: TriageInput) -> None:
    decision = FIRST.classify(ticket)
    assert 0 <= decision.raised_by <= 1  # the default policy caps raises at one level
    assert SCALE.raise_by(decision.base_priority, decision.raised_by) == decision.priority


FIELDS = ["subject", "body", "channel", "customer_tier", "category", "amount", "impact",
          "urgency", "at"]
ODD_VALUES = st.one_of(
    st.none(), st.text(), st.integers(), st.integers(10**4400, 10**4500), st.floats(),
    st.booleans(), st.binary(), st.decimals(), st.datetimes(), st.dates(),
    st.datetimes(timezones=st.just(timezone.utc)), st.lists(st.integers(), max_size=2),
    st.sampled_from(["1 - High", "高", "NaN", "-Infinity", "1,000.50", "2025-11-11T09:00+08:00",
                     "9" * 5000]),
)


@fast
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), ODD_VALUES))
def test_any_mapping_classifies_without_raising(data: dict[str, object]) -> None:
    # Keys are mostly the known fields, so each reader meets every kind of odd value.
    for classifier in CLASSIFIERS:
        decision = classifier.classify(data)
        assert decision.priority in SCALE
        unknown = [k for k in data if k not in FIELDS]
        assert sum("unknown field" in note for note in decision.notes) == len(unknown)


@fast
@given(ticket_texts())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip()
    assert "  " not in once


@fast
@given(ticket_texts(), ticket_texts())
def test_keyword_in_text_is_always_found(before: str, after: str) -> None:
    # A Chinese keyword surrounded by anything is found after normalisation.
    prepared = Prepared.of(before + " 支付接口 " + after)
    assert "支付接口" in prepared.text


URGENT_KEYWORDS = sorted(
    kw for rule in default_rules() if isinstance(rule, KeywordRule) and rule.priority == "urgent"
    for kw in rule.keywords if not kw.endswith("*")
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(URGENT_KEYWORDS), ticket_texts())
def test_urgent_keywords_win_whatever_else_is_said_in_first_mode(keyword: str, noise: str) -> None:
    decision = FIRST.classify(TriageInput(subject=keyword, body=noise))
    assert decision.base_priority == "urgent"


def test_amount_property_inputs_are_decimals() -> None:
    assert FIRST.classify(TriageInput(amount=Decimal("1e6"))).raise_rules == ("large-order",)


KEYWORD_RULES = [r for r in default_rules() if isinstance(r, KeywordRule)]
INDEX = KeywordIndex(tuple(r.needles for r in KEYWORD_RULES))


# Every default keyword, its halves, and upper-cased/traditional-looking variants: near misses.
PIECES = sorted(
    {piece for rule in KEYWORD_RULES for kw in rule.keywords
     for piece in (kw, kw[: len(kw) // 2], kw[len(kw) // 2 :], kw.upper(), kw.rstrip("*"))}
)  # fmt: skip


@fast
@given(st.lists(st.sampled_from(PIECES) | ticket_texts(2), max_size=30).map("".join))
def test_gated_index_agrees_with_plain_substring_search(text: str) -> None:
    prepared = Prepared.of(text)
    expected = {}
    for group, rule in enumerate(KEYWORD_RULES):
        hits = [i for i, needle in enumerate(rule.needles) if needle.found_in(prepared)]
        if hits:
            expected[group] = hits[0]
    assert INDEX.found(prepared) == expected


@fast
@given(inputs())
def test_fused_classifier_matches_rule_by_rule_evaluation(ticket: TriageInput) -> None:
    prepared = PreparedTicket.of(ticket)
    one_by_one = tuple(
        m for m in (rule.evaluate(prepared) for rule in FIRST.rules) if m is not None
    )
    assert FIRST.classify(ticket).matches == one_by_one
