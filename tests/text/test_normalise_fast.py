"""The plain-text fast path of normalise_text gives exactly what the full Unicode path gives."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.text import normalise_text
from slakit.text._normalise import _NOT_PLAIN, FORMAT_CHARACTERS
from slakit.text._t2s import SIMPLIFIED, TRADITIONAL
from tests.triage.triage_testkit import ticket_texts

_T2S = str.maketrans(TRADITIONAL, SIMPLIFIED)


def reference(raw: str) -> str:
    """normalise_text as it was before the fast path: every Unicode pass, every time."""
    if raw.isascii():
        return " ".join(raw.lower().split())
    text = raw
    for wide in "，！？：；（）":
        text = text.replace(wide, chr(ord(wide) - 0xFEE0))
    text = text.replace("\u3000", " ")
    text = "".join(ch for ch in text if ch not in FORMAT_CHARACTERS)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.translate(_T2S).split())


# Characters around the fast path's border: plain ones, capitals, traditional ones, the
# replaced full-width punctuation, other full-width forms, combining marks, odd whitespace,
# letters whose case folding or NFKC is special.
BORDER = (
    "支付订单接口abcXYZ09 ,.!-_'\n\t\x00、。「」“”—…"
    "訂單帐賬無發，！？：；（）\u3000ＡＢＣａｂｃ１２３ｶﾀｶﾅ"
    "\u0301\u0308\u3099\u302a\u00a0\u2028\u0085ßẞİıΣσςﬁǅÅÅ①²"
    "０９Ｚｚ＠～\u200b\u200d\u00ad\ufeff\u202e\u2060"
)
border_texts = st.text(st.sampled_from(BORDER), max_size=30)
any_texts = st.text(max_size=40)  # any code point but surrogates


@settings(max_examples=500, deadline=None)
@given(st.one_of(border_texts, any_texts, ticket_texts()))
def test_fast_normalisation_equals_the_full_definition(raw: str) -> None:
    assert normalise_text(raw) == reference(raw)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(set(BORDER))), max_size=6), st.text(max_size=6))
def test_fast_path_border_characters_next_to_anything(chars: list[str], other: str) -> None:
    for raw in ("".join(chars) + other, other + "".join(chars)):
        assert normalise_text(raw) == reference(raw)


def test_every_plain_character_is_left_alone_by_the_full_definition() -> None:
    plain = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    plain = [ch for ch in plain if _NOT_PLAIN.match(ch) is None]
    assert len(plain) > 20_000  # the CJK block and the small ranges
    # Starters only: marks with different combining classes would be reordered by NFKC.
    assert not [ch for ch in plain if unicodedata.combining(ch)]
    for ch in plain:
        expected = " " if ch.isspace() else ch
        assert reference(ch) in (expected.strip(), expected), ch


def test_no_plain_character_composes_with_its_neighbour() -> None:
    # A character that is the second half of a canonical composition would change NFKC when
    # placed after its partner; none of the plain characters is one.
    seconds = set()
    for code in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(code)).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            seconds.add(chr(int(decomposition[1], 16)))
    assert not [ch for ch in seconds if _NOT_PLAIN.match(ch) is None]


def test_fast_path_examples() -> None:
    assert normalise_text("支付接口，报错！ ") == "支付接口,报错!"
    assert normalise_text("VIP客户  下单失败") == "vip客户 下单失败"
    assert normalise_text("訂單 VIP") == "订单 vip"
    assert normalise_text("ＶＩＰ客户") == "vip客户"


def test_format_characters_are_invisible_format_controls_nfkc_leaves_alone() -> None:
    assert len(set(FORMAT_CHARACTERS)) == len(FORMAT_CHARACTERS) == 29
    for ch in FORMAT_CHARACTERS:
        assert unicodedata.category(ch) == "Cf", hex(ord(ch))
        assert unicodedata.normalize("NFKC", ch) == ch
    # Every Cf character of the ranges ordinary text uses is in the list.
    general = [chr(c) for c in range(0x2000, 0x2070) if unicodedata.category(chr(c)) == "Cf"]
    assert set(general) <= set(FORMAT_CHARACTERS)


def test_copy_paste_debris_does_not_hide_a_keyword() -> None:
    assert normalise_text("支\u200b付\u200d接口\ufeff") == "支付接口"
    assert normalise_text("over\u00adsold \u202eitem") == "oversold item"
    assert normalise_text("订单号２０２５１１１１\u00a0ＡＢ") == "订单号20251111 ab"


def test_traditional_characters_only_change_through_the_table() -> None:
    # The traditional fast path skips NFKC and case folding: neither may change these, nor
    # may any of them combine with a neighbour.
    for ch in TRADITIONAL:
        assert unicodedata.normalize("NFKC", ch) == ch == ch.casefold() == ch.lower(), ch
        assert not unicodedata.combining(ch)
        assert not ch.isspace()
    seconds = {
        chr(int(d.split()[1], 16))
        for d in map(unicodedata.decomposition, map(chr, range(sys.maxunicode + 1)))
        if len(d.split()) == 2 and not d.startswith("<")
    }
    assert not seconds & set(TRADITIONAL)


def test_a_traditional_ticket_is_normalised_like_the_definition() -> None:
    for raw in ("訂單無法付款 ＡＢＣ", "系統當機\n\n後台進不去", "Ｖｉｐ客戶：帳號被鎖", "帳號\u200b被鎖"):
        assert normalise_text(raw) == reference(raw)
    assert normalise_text("系統當機\n\n後台進不去") == "系统当机 后台进不去"
