"""The fused keyword index equals a plain search for every keyword, however keywords overlap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies._text_keyword_index import KeywordIndex
from slakit.policies._text_normalise import KeywordNeedle
from slakit.triage import NormalisedText

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
