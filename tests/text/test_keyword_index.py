"""The fused keyword index equals a plain search for every keyword, however keywords overlap."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.text import NormalisedText
from slakit.text._keyword_index import KeywordIndex
from slakit.text._normalise import KeywordNeedle

# A tiny alphabet makes keywords overlap, nest and run into each other all the time: the cases
# the single scan has to account for (a keyword inside a hit, or running on past its end).
ALPHABET = "支付接口报错ab -!"
keywords = st.text(ALPHABET, min_size=1, max_size=6)
groups = st.lists(st.lists(keywords, min_size=1, max_size=6), min_size=1, max_size=6)


def compiled(raw: list[list[str]]) -> tuple[tuple[KeywordNeedle, ...], ...]:
    result = []
    for group in raw:
        needles = [KeywordNeedle.compile(k) for k in group]
        result.append(tuple(n for n in needles if n is not None))
    return tuple(g for g in result if g)


def plain(index: KeywordIndex, prepared: NormalisedText) -> dict[int, int]:
    expected = {}
    for number, needles in enumerate(index.groups):
        hits = [i for i, needle in enumerate(needles) if needle.found_in(prepared)]
        if hits:
            expected[number] = hits[0]
    return expected


@settings(max_examples=400, deadline=None)
@given(groups, st.text(ALPHABET, max_size=40))
def test_index_agrees_with_plain_search_on_overlapping_keywords(
    raw: list[list[str]], text: str
) -> None:
    index = KeywordIndex(compiled(raw))
    prepared = NormalisedText.of(text)
    assert index.found(prepared) == plain(index, prepared)


@settings(max_examples=200, deadline=None)
@given(groups, st.lists(keywords, max_size=8).map("".join))
def test_index_agrees_when_the_text_is_made_of_keywords(raw: list[list[str]], text: str) -> None:
    index = KeywordIndex(compiled(raw))
    # Texts glued from keywords of the index itself: hits everywhere, back to back.
    glued = "".join(k for group in raw for k in group) + text
    prepared = NormalisedText.of(glued)
    assert index.found(prepared) == plain(index, prepared)


def test_keywords_inside_and_across_a_longer_hit() -> None:
    index = KeywordIndex(compiled([["支付接口"], ["接口报错"], ["付接"], ["口报"], ["错误码"]]))
    # The scan stops at 支付接口; 付接 is inside it, 接口报错 and 口报 run on past its end.
    assert index.found(NormalisedText.of("支付接口报错")) == {0: 0, 1: 0, 2: 0, 3: 0}
    assert index.found(NormalisedText.of("支付接口")) == {0: 0, 2: 0}


def test_first_keyword_in_group_order_wins_not_first_in_text() -> None:
    index = KeywordIndex(compiled([["报错", "支付接口", "接口"]]))
    assert index.found(NormalisedText.of("支付接口报错")) == {0: 0}
    assert index.found(NormalisedText.of("支付接口")) == {0: 1}
    assert index.found(NormalisedText.of("接口")) == {0: 2}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.text("支付接", min_size=1, max_size=24), min_size=1, max_size=4), max_size=4),
    st.text("支付接x", max_size=60),
)
def test_index_agrees_with_long_keywords_and_short_prefix_keys(
    raw: list[list[str]], text: str
) -> None:
    # Long keywords are looked up by their first few characters, then compared in full: run
    # that path with a tiny key length so short generated keywords exercise it too.
    for key_length in (2, 16):
        with mock.patch("slakit.text._keyword_index._PREFIX_KEY", key_length):
            index = KeywordIndex(compiled(raw))
        for sample in (text, "".join(k for group in raw for k in group) + text):
            prepared = NormalisedText.of(sample)
            assert index.found(prepared) == plain(index, prepared)


@pytest.mark.parametrize("key_length", [1, 2, 3, 16])
def test_keyword_running_on_past_a_hit_is_found_whatever_the_prefix_key(key_length: int) -> None:
    with mock.patch("slakit.text._keyword_index._PREFIX_KEY", key_length):
        index = KeywordIndex(compiled([["支付接"], ["付接接"], ["接接支付接接"]]))
    # The scan stops at 支付接 (then 接接 starts nothing but the last keyword, not present);
    # 付接接 starts inside 支付接 and runs on past it.
    assert index.found(NormalisedText.of("支付接接")) == {0: 0, 1: 0}
    assert index.found(NormalisedText.of("支付接接支付接接")) == {0: 0, 1: 0, 2: 0}


# Wide alphabets put more first characters (and next characters) under one trie node than
# the scan tries one by one, so it steers with class look-aheads: these must find the same.
# Class metacharacters are in the alphabet: they must be escaped inside the classes too.
WIDE = "支付接口报错订单物流退款发票账户登录密码优惠券库存价格" + "]^-[\\.*+?(){}|$" + "xyzw"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.text(WIDE, min_size=1, max_size=5), min_size=1, max_size=30),
             min_size=1, max_size=5),
    st.text(WIDE, max_size=80),
)
def test_index_agrees_with_plain_search_when_nodes_have_many_children(
    raw: list[list[str]], text: str
) -> None:
    index = KeywordIndex(compiled(raw))
    prepared = NormalisedText.of(text)
    assert index.found(prepared) == plain(index, prepared)
    glued = NormalisedText.of(text + "".join(k for group in raw for k in group[::-1]))
    assert index.found(glued) == plain(index, glued)


def test_a_node_with_many_children_is_steered_by_class_lookaheads() -> None:
    chars = [chr(0x4E00 + i) for i in range(200)]
    needles = tuple(KeywordNeedle.compile(c + "单") for c in chars)
    index = KeywordIndex((tuple(n for n in needles if n is not None),))
    assert index._scan is not None
    assert index._scan.pattern.count("(?<=[") >= 16  # halving 200 first characters
    found = index.found(NormalisedText.of("无关" + chars[137] + "单"))
    assert found == {0: 137}


def test_an_inner_node_with_many_children_is_steered_too() -> None:
    chars = [chr(0x4E00 + i) for i in range(200)]
    needles = [KeywordNeedle.compile("订单" + c) for c in chars] + [KeywordNeedle.compile("订")]
    index = KeywordIndex((tuple(n for n in needles if n is not None),))
    assert index._scan is not None
    assert index._scan.pattern.count("(?=[") >= 16
    assert index.found(NormalisedText.of("x订单" + chars[199] + "y")) == {0: 199}
    assert index.found(NormalisedText.of("x订单y")) == {0: 200}


MANY_FIRSTS = "".join(chr(0x4E00 + i) for i in range(300)) + "]^-[\\.*+?"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.text(MANY_FIRSTS, min_size=1, max_size=4), min_size=60, max_size=80),
             min_size=4, max_size=5),
    st.text(MANY_FIRSTS, max_size=200),
)
def test_index_agrees_with_plain_search_when_the_scan_starts_with_a_class(
    raw: list[list[str]], text: str
) -> None:
    # More first characters than the scan tries one by one: it takes a character of the
    # class of all of them, then tells it apart with look-behinds.
    index = KeywordIndex(compiled(raw))
    assert index._scan is not None
    firsts = {n.needle[0] for group in index.groups for n in group}
    assert index._scan.pattern.startswith("[") == (len(firsts) > 128)
    glued = NormalisedText.of(text + "".join(k for group in raw for k in group[::3]))
    assert index.found(glued) == plain(index, glued)
    prepared = NormalisedText.of(text)
    assert index.found(prepared) == plain(index, prepared)
