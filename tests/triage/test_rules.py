"""Individual rules: what they match, their reasons, reprs and definition checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from slakit.triage import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    ImpactUrgencyMatrix,
    KeywordRule,
    ModelRule,
    PeakRaise,
    PreparedTicket,
    RuleMatch,
    TicketCategory,
    TriageConfigError,
    TriageInput,
    TriageRule,
)


def prepared(**fields: object) -> PreparedTicket:
    return PreparedTicket.of(TriageInput(**fields))  # type: ignore[arg-type]


def test_keyword_rule_reports_field_and_keyword() -> None:
    rule = KeywordRule("pay", ("支付接口", "payment gateway"), priority="urgent")
    assert rule.evaluate(prepared(subject="x", body="調用支付接口失敗")) == RuleMatch(
        "pay", "body contains '支付接口'", priority="urgent"
    )
    assert rule.evaluate(prepared(subject="Payment-Gateway down")) == RuleMatch(
        "pay", "subject contains 'payment gateway'", priority="urgent"
    )
    assert rule.evaluate(prepared(subject="payments")) is None


def test_keyword_rule_fields_restrict_the_search() -> None:
    rule = KeywordRule("subject-only", "urgent", raise_by=1, fields="subject")
    assert rule.evaluate(prepared(body="urgent")) is None
    assert rule.evaluate(prepared(subject="URGENT")) is not None


def test_a_lone_string_is_one_keyword_not_characters() -> None:
    assert KeywordRule("r", "支付", category="payment").keywords == ("支付",)
    assert CustomerTierRule("vip", "vip", raise_by=1).tiers == ("vip",)


def test_enum_effects_become_plain_strings() -> None:
    rule = KeywordRule("r", "x", category=TicketCategory.PAYMENT)
    assert type(rule.category) is str
    assert rule.category == "payment"


def test_reprs_read_like_the_rule() -> None:
    assert repr(KeywordRule("pay", ("支付接口",), priority="urgent", category="payment")) == (
        "KeywordRule('pay', keywords=('支付接口',), priority='urgent', category='payment')"
    )
    assert repr(CustomerTierRule("vip", "VIP", raise_by=1)) == (
        "CustomerTierRule('vip', tiers=('VIP',), raise_by=1)"
    )
    assert repr(AmountRule("big", 10_000, raise_by=1)) == (
        "AmountRule('big', at_least=Decimal('10000'), raise_by=1)"
    )


def test_amount_rule_is_inclusive() -> None:
    rule = AmountRule("big", "100.00", priority="important")
    assert rule.evaluate(prepared(amount=Decimal("100"))) is not None
    assert rule.evaluate(prepared(amount=Decimal("99.99"))) is None
    assert rule.evaluate(prepared()) is None
    match = rule.evaluate(prepared(amount=Decimal("250.5")))
    assert match is not None
    assert match.reason == "amount 250.5 >= 100.00"


def test_channel_tier_category_rules_normalise_names() -> None:
    assert ChannelRule("c", "Hotline", priority="urgent").evaluate(prepared(channel="ＨＯＴＬＩＮＥ"))
    assert CustomerTierRule("t", "大客戶", raise_by=1).evaluate(prepared(customer_tier="大客户"))
    assert CategoryRule("k", "Payment", priority="important").evaluate(prepared(category="payment"))
    assert ChannelRule("c", "hotline", priority="urgent").evaluate(prepared(channel="email")) is None


def test_matrix_rule() -> None:
    matrix = ImpactUrgencyMatrix.itil()
    assert matrix.mentioned_priorities == ("critical", "high", "moderate", "low")
    results = {
        (i, u): m.priority if (m := matrix.evaluate(prepared(impact=i, urgency=u))) else None
        for i in (1, 2, 3, 4)
        for u in (1, 2, 3)
    }
    assert results == {
        (1, 1): "critical", (1, 2): "high", (1, 3): "moderate",
        (2, 1): "high", (2, 2): "moderate", (2, 3): "low",
        (3, 1): "moderate", (3, 2): "low", (3, 3): "low",
        (4, 1): None, (4, 2): None, (4, 3): None,
    }  # fmt: skip
    assert matrix.evaluate(prepared(impact=1)) is None


def test_every_builtin_rule_satisfies_the_protocol() -> None:
    class Model:
        def predict(self, ticket: TriageInput) -> None:
            return None

    rules = [
        KeywordRule("k", "x", priority="normal"),
        ChannelRule("c", "x", priority="normal"),
        CustomerTierRule("t", "x", raise_by=1),
        CategoryRule("g", "x", category="y"),
        AmountRule("a", 1, raise_by=1),
        ImpactUrgencyMatrix.itil(),
        PeakRaise("p", date(2025, 1, 1), date(2025, 1, 2)),
        ModelRule("m", Model()),
    ]
    assert all(isinstance(rule, TriageRule) for rule in rules)


@pytest.mark.parametrize(
    ("build", "count"),
    [
        (lambda: KeywordRule("", (), fields=("title",)), 4),
        (lambda: KeywordRule("k", ("ok", "  ", 3), priority="urgent"), 2),  # type: ignore[arg-type]
        (lambda: KeywordRule("k", "x", raise_by=1.5, weight=0), 2),  # type: ignore[arg-type]
        (lambda: ChannelRule("c", (), priority="urgent"), 1),
        (lambda: CustomerTierRule("t", ("",)), 2),
        (lambda: AmountRule("a", "NaN", raise_by=1), 1),
        (lambda: ImpactUrgencyMatrix({(0, 1): "x", ("1", 2): ""}, weight=-1), 4),  # type: ignore[dict-item]
        (lambda: ImpactUrgencyMatrix({}), 1),
        (lambda: PeakRaise("", date(2025, 2, 1), date(2025, 1, 1), raise_by=0), 3),
        (lambda: ModelRule(" ", object(), min_confidence=2, weight=0), 4),  # type: ignore[arg-type]
    ],
)
def test_bad_rules_raise_with_every_problem(build: object, count: int) -> None:
    with pytest.raises(TriageConfigError) as info:
        build()  # type: ignore[operator]
    assert len(info.value.problems) == count, info.value.problems


def test_a_keyword_longer_than_the_stated_limit_is_refused_quickly() -> None:
    # Issue #12 item 13: one 1M-character keyword took 61 s to build; it is now a problem of
    # the rule, found without building anything.
    with pytest.raises(TriageConfigError, match=(
            r"rule 'huge': keyword '退退退退退退退退退退退退退退退退退退退退'\.\.\. has 1,000,000 "
            r"characters once normalised; a keyword has at most 100")) as info:
        KeywordRule("huge", ("ok", "退" * 1_000_000, "Ｘ" * 101), raise_by=1)
    assert len(info.value.problems) == 2
    assert "has 101 characters" in info.value.problems[1]  # full-width counts once normalised
    rule = KeywordRule("edge", ("款" * 100, "refund"), raise_by=1)
    assert rule.keywords == ("款" * 100, "refund")
