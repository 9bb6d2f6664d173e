"""Odd values never end in a raw exception or a wrong answer: checked inputs, models, peaks.

Content (text, loosely typed mappings) never raises; a host's typed values that no rule can
read (a NaN amount, a datetime where a day is meant) raise a SlakitError naming the fix when
they are built, and a model's output is checked when it arrives.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from slakit import InvalidValueError, SlakitError, WrongTypeError
from slakit.triage import (
    AmountRule,
    ImpactUrgencyMatrix,
    KeywordRule,
    MatchMode,
    ModelOutputError,
    ModelPrediction,
    ModelPredictionError,
    ModelRule,
    PeakRaise,
    RuleClassifier,
    TriageConfigError,
    TriageInput,
    default_classifier,
)

OUTAGE = KeywordRule("outage", ("site down", "网站打不开"), priority="urgent", category="system")
REFUND = KeywordRule("refund", ("refund", "退款"), priority="normal", category="after_sales")
BIG = AmountRule("big", at_least=Decimal("1000"), raise_by=1)


class CountingModel:
    """Answers with a fixed value and counts the calls."""

    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.calls = 0

    def predict(self, ticket: TriageInput) -> Any:  # Any: it may be made to return garbage
        self.calls += 1
        return self.answer


class BrokenModel:
    def predict(self, ticket: TriageInput) -> ModelPrediction | None:
        raise RuntimeError("model server unreachable")


# Amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_non_finite_amount_is_refused_when_the_input_is_built(amount: str) -> None:
    with pytest.raises(InvalidValueError, match="finite Decimal") as info:
        TriageInput("refund", amount=Decimal(amount))
    assert isinstance(info.value, SlakitError)
    assert isinstance(info.value, ValueError)
    assert "from_mapping" in str(info.value)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", float("nan"), float("inf"), Decimal("NaN")])
def test_from_mapping_drops_a_non_finite_amount_with_a_note(amount: object) -> None:
    decision = RuleClassifier((REFUND, BIG)).classify({"subject": "refund", "amount": amount})
    assert decision.raise_rules == ()
    assert decision.notes == (f"amount {amount!r} is not a number: ignored",)


def test_from_mapping_reads_a_huge_integer_amount_exactly() -> None:
    ticket = TriageInput.from_mapping({"amount": 10**5000})
    assert ticket.amount == Decimal(10**5000)
    assert ticket.notes == ()
    assert RuleClassifier((REFUND, BIG)).classify(ticket).raise_rules == ("big",)


def test_a_level_below_one_is_a_value_error() -> None:
    with pytest.raises(InvalidValueError, match="1 \\(highest\\) or more"):
        TriageInput(impact=0)
    with pytest.raises(InvalidValueError, match="urgency"):
        TriageInput(urgency=-3)


# Mappings too large to print -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ({"subject": 10**5000}, "subject <int too large to show> cannot be read as text: ignored"),
        ({"channel": 10**5000}, "channel <int too large to show> cannot be read as text: ignored"),
        ({"impact": "9" * 5000, "urgency": 1},
         "impact '" + "9" * 58 + "\u2026 is not a level (1, 2, 3 or high/medium/low): ignored"),
        ({10**5000: "x"},
         "a field name <int too large to show> cannot be read as text: ignored"),
    ],
)
def test_values_too_large_to_print_are_noted_not_raised(data: dict[object, object], note: str) -> None:
    decision = default_classifier().classify(data)  # type: ignore[arg-type]
    assert note in decision.notes
    assert decision.priority_fallback


def test_notes_quote_long_values_cut_short() -> None:
    ticket = TriageInput.from_mapping({"amount": "x" * 1_000_000})
    (note,) = ticket.notes
    assert note == "amount '" + "x" * 58 + "\u2026 is not a number: ignored"


def test_an_absent_instant_is_not_a_problem() -> None:
    assert TriageInput.from_mapping({"subject": "hi", "at": None}).notes == ()
    assert TriageInput.from_mapping({"subject": "hi", "at": "  "}).notes == ()


# The classification instant ------------------------------------------------------------------


@pytest.mark.parametrize("at", ["2025", date(2025, 1, 1), 1735689600])
def test_classify_at_must_be_a_datetime(at: object) -> None:
    with pytest.raises(WrongTypeError, match="timezone-aware datetime"):
        RuleClassifier((REFUND,)).classify(TriageInput("refund"), at=at)  # type: ignore[arg-type]


# Weights ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [math.inf, math.nan, 0, -1, True])
def test_rule_weights_must_be_finite_and_positive(weight: float) -> None:
    with pytest.raises(TriageConfigError, match="weight must be a finite number > 0"):
        KeywordRule("k", "refund", priority="normal", weight=weight)
    with pytest.raises(TriageConfigError, match="weight must be a finite number > 0"):
        ModelRule("m", CountingModel(None), weight=weight)


@pytest.mark.parametrize("confidence", [math.nan, -0.1, 1.5, math.inf])
def test_min_confidence_must_be_a_probability(confidence: float) -> None:
    with pytest.raises(TriageConfigError, match="min_confidence must be a number in"):
        ModelRule("m", CountingModel(None), min_confidence=confidence)


# Models -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [math.nan, 7, -0.5, math.inf, "0.9", True])
def test_a_prediction_with_an_unusable_confidence_cannot_be_made(confidence: object) -> None:
    with pytest.raises(ModelPredictionError, match="confidence must be a number in \\[0, 1\\]"):
        ModelPrediction("urgent", confidence=confidence)  # type: ignore[arg-type]


def test_a_prediction_names_every_bad_field_at_once() -> None:
    with pytest.raises(ModelPredictionError) as info:
        ModelPrediction(1, category=b"x", reason=None)  # type: ignore[arg-type]
    message = str(info.value)
    assert "priority must be a str or None, got 1" in message
    assert "category must be a str or None, got b'x'" in message
    assert "reason must be a str, got None" in message


@pytest.mark.parametrize("garbage", ["urgent", {"priority": "urgent"}, 0.9, ("urgent", 0.9)])
def test_a_model_returning_garbage_is_named(garbage: object) -> None:
    classifier = RuleClassifier((REFUND, ModelRule("triage-model", CountingModel(garbage))))
    with pytest.raises(ModelOutputError, match="the model of rule 'triage-model' returned") as info:
        classifier.classify(TriageInput("hello"))
    assert isinstance(info.value, TypeError)
    assert "ModelPrediction, or None" in str(info.value)


def test_a_model_that_raises_propagates_unchanged() -> None:
    classifier = RuleClassifier((REFUND, ModelRule("m", BrokenModel())))
    with pytest.raises(RuntimeError, match="model server unreachable"):
        classifier.classify(TriageInput("hello"))


def test_only_when_undecided_asks_the_model_only_where_rules_are_silent() -> None:
    model = CountingModel(ModelPrediction("urgent", "payment", confidence=0.8))
    classifier = RuleClassifier((OUTAGE, REFUND, ModelRule("m", model, only_when_undecided=True)))
    decided = classifier.classify(TriageInput("refund please"))
    assert (decided.priority, decided.priority_rules, model.calls) == ("normal", ("refund",), 0)
    assert [m.rule for m in decided.matches] == ["refund"]
    silent = classifier.classify(TriageInput("my parcel is blue"))
    assert (silent.priority, silent.priority_rules, silent.category, model.calls) == (
        "urgent", ("m",), "payment", 1
    )


def test_only_when_undecided_spares_a_broken_model_where_rules_decide() -> None:
    classifier = RuleClassifier((OUTAGE, ModelRule("m", BrokenModel(), only_when_undecided=True)))
    assert classifier.classify(TriageInput("site down")).priority == "urgent"
    with pytest.raises(RuntimeError):
        classifier.classify(TriageInput("something else"))


def test_only_when_undecided_looks_only_at_rules_placed_before_it() -> None:
    model = CountingModel(ModelPrediction("important", confidence=1.0))
    rule = ModelRule("m", model, only_when_undecided=True)
    # The keyword rule after the model proposes a priority, but the model comes first.
    decision = RuleClassifier((rule, REFUND), mode=MatchMode.SCORE).classify(TriageInput("refund"))
    assert model.calls == 1
    assert decision.priority == "important"  # 1.0 each: the tie goes to the more urgent


def test_a_model_reason_stays_on_one_line() -> None:
    model = CountingModel(ModelPrediction("urgent", confidence=0.5, reason="v2\nfeatures:\tx"))
    decision = RuleClassifier((ModelRule("m", model),)).classify(TriageInput("?"))
    assert decision.matches[0].reason == "model predicted with confidence 0.50: v2 features: x"
    lines = decision.explain().splitlines()
    assert lines == [
        "priority urgent: rule 'm' (model predicted with confidence 0.50: v2 features: x)",
        "category None: fallback (no rule proposed a category)",
    ]


def test_only_when_undecided_must_be_a_bool() -> None:
    with pytest.raises(TriageConfigError, match="only_when_undecided must be a bool"):
        ModelRule("m", CountingModel(None), only_when_undecided="yes")  # type: ignore[arg-type]


# Peaks ------------------------------------------------------------------------------------------


def test_a_peak_covers_whole_days_not_datetimes() -> None:
    with pytest.raises(TriageConfigError, match="must be dates \\(not datetimes") as info:
        PeakRaise("x", datetime(2025, 11, 11, tzinfo=timezone.utc), date(2025, 11, 12))
    assert "use .date()" in str(info.value)


@pytest.mark.parametrize("zone", ["Mars/Base", "", "../etc/passwd", "Asia"])
def test_a_peak_with_an_unknown_zone_says_so(zone: str) -> None:
    with pytest.raises(TriageConfigError, match="is not an IANA zone name"):
        PeakRaise("x", date(2025, 11, 11), date(2025, 11, 12), timezone=zone)


def test_a_peak_zone_of_the_wrong_type_is_a_config_error() -> None:
    with pytest.raises(TriageConfigError, match="timezone 8 is not an IANA zone name or a ZoneInfo"):
        PeakRaise("x", date(2025, 11, 11), date(2025, 11, 12), timezone=8)  # type: ignore[arg-type]


@pytest.mark.parametrize("weight", [math.inf, math.nan, 0, -1, True])
def test_the_matrix_weight_is_checked_like_every_other(weight: float) -> None:
    with pytest.raises(TriageConfigError, match="weight must be a finite number > 0"):
        attrs.evolve(ImpactUrgencyMatrix.itil(), weight=weight)


def test_a_bad_peak_zone_is_listed_with_every_other_problem() -> None:
    with pytest.raises(TriageConfigError) as info:
        PeakRaise("", datetime(2025, 11, 11, tzinfo=timezone.utc), date(2025, 11, 10), 0,
                  timezone="Nowhere/Zone")
    assert len(info.value.problems) == 4
    assert "timezone 'Nowhere/Zone' is not an IANA zone name" in str(info.value)
