"""Normalisation and keyword matching: exact examples, word boundaries, huge input."""

from __future__ import annotations

import pytest

from slakit.text import NormalisedText, normalise_text
from slakit.text._normalise import KeywordNeedle, word_view
from slakit.triage import KeywordRule, PreparedTicket, TriageInput


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   \n\t ", ""),
        ("Payment  Gateway\nDOWN", "payment gateway down"),
        ("ＰＡＹＭＥＮＴ　ＧＡＴＥＷＡＹ", "payment gateway"),
        ("支付接口，报错！", "支付接口,报错!"),
        ("訂單無法發貨", "订单无法发货"),
        ("帐号和賬號", "账号和账号"),
        ("Straße", "strasse"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("e\u0301", "é"),
        ("①②", "12"),
    ],
)
def test_normalise_text_examples(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("normalised", "expected"),
    [
        ("", "  "),
        ("订单order丢失", " order "),
        ("can't pay, can’t pay", " can t pay can t pay "),
        ("error-500!!", " error 500 "),
        ("café", " caf "),
    ],
)
def test_word_view(normalised: str, expected: str) -> None:
    assert word_view(normalised) == expected


@pytest.mark.parametrize(
    ("keyword", "needle", "view"),
    [
        ("Log In", " log in ", "words"),
        ("crash*", " crash", "words"),
        ("can't pay", " can t pay ", "words"),
        ("支付接口", "支付接口", "text"),
        ("訂單", "订单", "text"),
        ("APP闪退", "app闪退", "text"),
        ("!!!", "!!!", "text"),
    ],
)
def test_keyword_compilation(keyword: str, needle: str, view: str) -> None:
    compiled = KeywordNeedle.compile(keyword)
    assert compiled == KeywordNeedle(keyword, needle, view)  # type: ignore[arg-type]


@pytest.mark.parametrize("keyword", ["", "   ", "*", "　"])
def test_empty_keywords_compile_to_nothing(keyword: str) -> None:
    assert KeywordNeedle.compile(keyword) is None


@pytest.mark.parametrize(
    ("keyword", "text", "found"),
    [
        ("log in", "I cannot log in today", True),
        ("log in", "our blog in March", False),
        ("down", "please download the file", False),
        ("down*", "please download the file", True),
        ("crash*", "the app crashed twice", True),
        ("crash*", "no problems", False),
        ("app", "打开app就闪退", True),
        ("can't pay", "we can’t pay", True),
        ("can't pay", "We CANT pay", False),
        ("支付接口", "调用支付接口失败", True),
        ("支付接口", "支付 接口", False),
        ("訂單丟失", "订单丢失了", True),
        ("订单丢失", "訂單丟失了", True),
        ("500 error", "got a 500 ERROR page", True),
    ],
)
def test_keyword_matching(keyword: str, text: str, found: bool) -> None:
    compiled = KeywordNeedle.compile(keyword)
    assert compiled is not None
    assert compiled.found_in(NormalisedText.of(text)) is found


def test_a_megabyte_of_mixed_text_classifies_and_finds_a_late_keyword() -> None:
    filler = ("售后服务咨询 after-sales question ＡＢＣ，！ 訂單 e\u0301 " * 40_000)[:1_000_000]
    rule = KeywordRule("late", "payment gateway", priority="urgent")
    prepared = PreparedTicket.of(TriageInput(body=filler + " Payment Gateway"))
    match = rule.evaluate(prepared)
    assert match is not None
    assert match.reason == "body contains 'payment gateway'"


def test_pathological_repetition_is_handled() -> None:
    # Classic backtracking bait: many near-matches and no match.
    rule = KeywordRule("bait", ("aaaaaaaaab", "支付支付支付接口"), priority="urgent")
    text = "a" * 500_000 + "支付" * 100_000
    assert rule.evaluate(PreparedTicket.of(TriageInput(body=text))) is None
