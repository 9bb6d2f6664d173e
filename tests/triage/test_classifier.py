"""RuleClassifier: first-match and score modes, raises, fallbacks, models, bad definitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from slakit import InvalidValueError, NaiveDatetimeError, SlakitError, WrongTypeError
from slakit.triage import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    ImpactUrgencyMatrix,
    KeywordRule,
    MatchMode,
    ModelPrediction,
    ModelRule,
    PeakRaise,
    PriorityScale,
    RuleClassifier,
    RuleMatch,
    TriageConfigError,
    TriageDecision,
    TriageInput,
    default_classifier,
)

OUTAGE = KeywordRule("outage", ("site down", "网站打不开"), priority="urgent", category="system")
REFUND = KeywordRule("refund", ("refund", "退款"), priority="normal", category="after_sales")
MONEY = KeywordRule("money", ("refund", "charged"), priority="important", category="payment")
VIP = CustomerTierRule("vip", "vip", raise_by=1)


def classify(*rules: object, **kwargs: object) -> RuleClassifier:
    return RuleClassifier(rules, **kwargs)  # type: ignore[arg-type]


def test_first_mode_takes_the_first_proposal_of_each_field() -> None:
    decision = classify(REFUND, MONEY).classify(TriageInput("refund please"))
    assert decision == TriageDecision(
        priority="normal",
        category="after_sales",
        root_cause=None,
        base_priority="normal",
        raised_by=0,
        matches=(
            RuleMatch("refund", "subject contains 'refund'", "normal", "after_sales"),
            RuleMatch("money", "subject contains 'refund'", "important", "payment"),
        ),
        priority_rules=("refund",),
        category_rules=("refund",),
    )
    assert not decision.used_fallback


def test_order_matters_in_first_mode() -> None:
    assert classify(MONEY, REFUND).classify(TriageInput("refund")).priority == "important"


def test_score_mode_adds_weights_and_breaks_ties_towards_urgency() -> None:
    tie = classify(REFUND, MONEY, mode=MatchMode.SCORE).classify(TriageInput("refund"))
    assert (tie.priority, tie.priority_rules) == ("important", ("money",))
    assert (tie.category, tie.category_rules) == ("after_sales", ("refund",))  # earlier rule
    heavy = KeywordRule("heavy", "refund", priority="normal", weight=2.5)
    decision = classify(REFUND, MONEY, heavy, mode=MatchMode.SCORE).classify(TriageInput("refund"))
    assert (decision.priority, decision.priority_rules) == ("normal", ("refund", "heavy"))
    assert decision.explain().splitlines()[0] == (
        "priority normal: rule 'refund' (subject contains 'refund'); "
        "rule 'heavy' (subject contains 'refund')"
    )


def test_fallback_is_marked_and_explained() -> None:
    decision = classify(OUTAGE, fallback_category="general").classify(TriageInput("hello"))
    assert (decision.priority, decision.category) == ("normal", "general")
    assert decision.priority_fallback
    assert decision.category_fallback
    assert decision.used_fallback
    assert decision.matches == ()
    assert decision.explain() == (
        "priority normal: fallback (no rule proposed a priority)\n"
        "category general: fallback (no rule proposed a category)"
    )


def test_raises_stack_cap_at_the_top_and_can_be_limited() -> None:
    big = AmountRule("big", 1000, raise_by=1)
    ticket = TriageInput("refund", customer_tier="VIP", amount=Decimal(5000))
    assert classify(REFUND, VIP, big).classify(ticket).priority == "urgent"
    capped = classify(REFUND, VIP, big, max_raise=1).classify(ticket)
    assert (capped.base_priority, capped.priority, capped.raised_by) == ("normal", "important", 1)
    assert capped.raise_rules == ("vip", "big")
    assert "raised 1 level(s) (asked 2, capped) to important" in capped.explain()
    top = classify(OUTAGE, VIP).classify(TriageInput("site down", customer_tier="vip"))
    assert (top.priority, top.raised_by) == ("urgent", 0)


def test_negative_raise_lowers() -> None:
    small = AmountRule("tiny", 0, raise_by=-1)
    decision = classify(REFUND, small).classify(TriageInput("refund", amount=Decimal(1)))
    assert (decision.priority, decision.raised_by) == ("suggestion", -1)


def test_peak_window_raises_by_the_instant() -> None:
    peak = PeakRaise("double-11", date(2025, 11, 10), date(2025, 11, 12), timezone="Asia/Shanghai")
    classifier = classify(REFUND, peak)
    inside = datetime(2025, 11, 11, 12, tzinfo=timezone.utc)
    late_utc = datetime(2025, 11, 12, 16, 30, tzinfo=timezone.utc)  # 00:30 on the 13th there
    assert classifier.classify(TriageInput("refund", at=inside)).priority == "important"
    assert classifier.classify(TriageInput("refund", at=late_utc)).priority == "normal"
    assert classifier.classify(TriageInput("refund"), at=inside).priority == "important"
    assert classifier.classify(TriageInput("refund")).priority == "normal"  # no time, no peak


def test_peak_without_zone_uses_the_instants_own_date() -> None:
    peak = PeakRaise("launch", date(2025, 3, 1), date(2025, 3, 1))
    berlin = timezone(timedelta(hours=1))
    at = datetime(2025, 3, 1, 0, 30, tzinfo=berlin)  # still 28 Feb in UTC
    assert classify(REFUND, peak).classify(TriageInput("refund", at=at)).raise_rules == ("launch",)


class FixedModel:
    def __init__(self, prediction: ModelPrediction | None) -> None:
        self.prediction = prediction
        self.seen: list[TriageInput] = []

    def predict(self, ticket: TriageInput) -> ModelPrediction | None:
        self.seen.append(ticket)
        return self.prediction


def test_rules_first_then_model() -> None:
    model = ModelRule("model", FixedModel(ModelPrediction("urgent", "payment", confidence=0.9)))
    classifier = classify(REFUND, model)
    assert classifier.classify(TriageInput("refund")).priority == "normal"
    decision = classifier.classify(TriageInput("something odd"))
    # The model saw both tickets as given (it is asked even where rules decided; see
    # only_when_undecided for the other way).
    assert [t.subject for t in model.model.seen] == ["refund", "something odd"]  # type: ignore[attr-defined]
    assert (decision.priority, decision.priority_rules) == ("urgent", ("model",))
    assert decision.matches[0].reason == "model predicted with confidence 0.90"


def test_model_first_then_rules_and_confidence_threshold() -> None:
    confident = ModelRule("model", FixedModel(ModelPrediction("urgent", confidence=0.9)), 0.8)
    unsure = ModelRule("model", FixedModel(ModelPrediction("urgent", confidence=0.5)), 0.8)
    assert classify(confident, REFUND).classify(TriageInput("refund")).priority == "urgent"
    assert classify(unsure, REFUND).classify(TriageInput("refund")).priority == "normal"


def test_model_weight_times_confidence_in_score_mode() -> None:
    model = ModelRule("model", FixedModel(ModelPrediction("urgent", confidence=0.9)), weight=1.0)
    classifier = classify(REFUND, MONEY, model, mode=MatchMode.SCORE)
    # important: 1.0, normal: 1.0, urgent: 0.9 -> the tie between 1.0s goes to important.
    assert classifier.classify(TriageInput("refund")).priority == "important"
    strong = ModelRule("model", FixedModel(ModelPrediction("urgent", confidence=0.9)), weight=2)
    assert (
        classify(REFUND, MONEY, strong, mode=MatchMode.SCORE)
        .classify(TriageInput("refund"))
        .priority
        == "urgent"
    )


def test_unknown_priority_from_a_model_is_dropped_with_a_note() -> None:
    model = ModelRule("model", FixedModel(ModelPrediction("P0", "payment")))
    decision = classify(REFUND, model).classify(TriageInput("hm"))
    assert (decision.priority, decision.category) == ("normal", "payment")
    assert decision.priority_fallback
    assert not decision.category_fallback
    assert decision.notes == ("rule 'model' proposed priority 'P0', not on the scale: ignored",)


def test_model_without_opinion_does_not_match() -> None:
    for prediction in (None, ModelPrediction()):
        decision = classify(REFUND, ModelRule("m", FixedModel(prediction))).classify(TriageInput())
        assert decision.matches == ()


def test_mapping_input_notes_unknown_fields_and_bad_values() -> None:
    decision = classify(REFUND).classify(
        {"subject": "refund", "amount": "lots", "at": "2025-01-01T10:00", "colour": "red"}
    )
    assert decision.priority == "normal"
    assert decision.notes == (
        "amount 'lots' is not a number: ignored",
        "at '2025-01-01T10:00' is not a timezone-aware time: ignored",
        "unknown field 'colour' ignored",
    )
    assert decision.explain().endswith("note: unknown field 'colour' ignored")


def test_itil_scale_and_matrix() -> None:
    classifier = classify(
        ImpactUrgencyMatrix.itil(), scale=PriorityScale.itil(), fallback_priority="moderate"
    )
    assert classifier.classify({"impact": "1 - High", "urgency": "2 - Medium"}).priority == "high"
    missing = classifier.classify({"impact": "1 - High", "urgency": "?"})
    assert (missing.priority, missing.priority_fallback) == ("moderate", True)


def test_channel_and_category_rules() -> None:
    hotline = ChannelRule("hotline", ("Hotline", "紧急热线"), priority="urgent")
    reported = CategoryRule("reported-payment", ("payment", "支付"), category="payment")
    classifier = classify(hotline, reported, REFUND)
    decision = classifier.classify(TriageInput(channel="HOTLINE", category="支付"))
    assert (decision.priority, decision.category) == ("urgent", "payment")
    assert [m.reason for m in decision.matches] == [
        "channel is 'HOTLINE'",
        "reported category is '支付'",
    ]


def test_bad_definitions_list_every_problem() -> None:
    with pytest.raises(TriageConfigError) as info:
        RuleClassifier(
            (REFUND, REFUND, KeywordRule("p", "x", priority="P1"), "not a rule"),  # type: ignore[arg-type]
            fallback_priority="medium",
            max_raise=-1,
        )
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SlakitError)
    assert len(info.value.problems) == 5
    assert "two rules are named 'refund'" in str(info.value)
    with pytest.raises(TriageConfigError, match="no rules"):
        RuleClassifier(())


def test_wrong_input_types_raise_type_errors() -> None:
    classifier = classify(REFUND)
    with pytest.raises(WrongTypeError):
        classifier.classify("refund")  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        classifier.classify(TriageInput("refund"), at=datetime(2025, 1, 1))
    with pytest.raises(NaiveDatetimeError):
        TriageInput(at=datetime(2025, 1, 1))
    with pytest.raises(WrongTypeError, match="from_mapping"):
        TriageInput(subject=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        TriageInput(impact=0)  # the right type, a value no level has


def test_decisions_are_frozen_values() -> None:
    decision = classify(REFUND).classify(TriageInput("refund"))
    with pytest.raises(AttributeError):
        decision.priority = "urgent"  # type: ignore[misc]
    assert decision == classify(REFUND).classify(TriageInput("refund"))


def test_sla_peak_windows_raise_priorities_too() -> None:
    from slakit import PeakWindow

    window = PeakWindow("11.11", date(2025, 11, 10), date(2025, 11, 12), "Asia/Shanghai", ())
    assert PeakRaise.from_window(window, raise_by=2) == PeakRaise(
        "11.11", date(2025, 11, 10), date(2025, 11, 12), 2, "Asia/Shanghai"
    )
    classifier = default_classifier(peaks=[window])
    inside = datetime(2025, 11, 12, 15, 59, tzinfo=timezone.utc)  # 23:59 in Shanghai
    outside = datetime(2025, 11, 12, 16, 0, tzinfo=timezone.utc)  # 00:00 on the 13th
    assert classifier.classify(TriageInput("退款", at=inside)).priority == "important"
    assert classifier.classify(TriageInput("退款", at=outside)).priority == "normal"


def test_every_decision_records_the_rules_version() -> None:
    versioned = classify(REFUND, version="2025-11")
    assert versioned.classify(TriageInput("refund")).rules_version == "2025-11"
    assert versioned.classify(TriageInput("nothing")).rules_version == "2025-11"  # fallback too
    assert classify(REFUND).classify(TriageInput("refund")).rules_version is None
    for bad in ("", "  ", 3):
        with pytest.raises(TriageConfigError, match="version must be None or a non-empty str"):
            classify(REFUND, version=bad)
