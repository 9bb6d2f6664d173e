"""Text normalisation and keyword needles for linear-time keyword matching.

Design rules:

* One function, :func:`normalise_text`, is applied to ticket text *and* to keywords, so the
  two always agree. It removes invisible formatting characters (zero-width space and
  joiners, soft hyphen, byte-order mark, direction marks: :data:`FORMAT_CHARACTERS`), which
  copy-and-paste leaves inside words; then NFKC (full-width ``ＡＢＣ１２３，`` becomes
  ``ABC123,``), then case folding, then a small traditional-to-simplified character table,
  then every run of whitespace becomes one space. It is idempotent.
* Chinese has no spaces, so keywords containing non-ASCII characters match as substrings of
  the normalised text. English keywords match whole words of the *word view*: the normalised
  text with everything but ``a-z`` and ``0-9`` turned into word breaks, so ``"log in"`` does
  not fire inside ``"blog in"``, ``"can't"`` matches ``"can’t"``, and an English word glued to
  Chinese (``打开app闪退``) is still a word. A trailing ``*`` makes an English keyword a prefix:
  ``"crash*"`` matches ``crashed`` and ``crashes``.
* Everything is linear in the text: normalisation is a fixed number of C-level passes (the
  regular expressions are single character classes, which cannot backtrack). Matching
  many keywords at once is :mod:`slakit.text._keyword_index`.
* Pure-ASCII text (most English tickets) skips the Unicode passes entirely, and so does text
  made only of *plain* characters (most Chinese and mixed tickets once their full-width
  punctuation is replaced): characters no pass would change, checked by one scan. Other
  full-width forms (digits and letters typed in a Chinese input method) and no-break spaces
  are replaced the way NFKC would before that scan decides, so they do not force the full
  Unicode passes either; nor do traditional characters, which only the table changes. The
  tests hold these fast paths equal to the full definition.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal

import attrs

from slakit._fast import derive
from slakit.text._t2s import SIMPLIFIED, TRADITIONAL


@functools.cache
def _t2s_table() -> list[int]:
    """The traditional-to-simplified table as ``str.translate`` reads it fastest.

    A list indexed by code point, every entry its own code point but the table's traditional
    characters; code points past its end raise IndexError, which ``translate`` reads as "keep".
    Translating a traditional Chinese ticket this way takes less than half the time a
    ``str.maketrans`` dict does (no hashing per character). Built on first use (about 1.4 MB),
    so a desk that never sees traditional text never pays for it.
    """
    table = list(range(max(map(ord, TRADITIONAL)) + 1))
    for traditional, simplified in zip(TRADITIONAL, SIMPLIFIED, strict=True):
        table[ord(traditional)] = ord(simplified)
    return table

# One character class: a scan that cannot backtrack, far cheaper than translating every text.
_TRADITIONAL_CHAR = re.compile("[" + re.escape(TRADITIONAL) + "]")
# Full-width punctuation that nearly every Chinese ticket contains. Replacing it first (exactly
# as NFKC would) lets the usual Chinese text pass the cheap "already NFKC?" check and skip the
# full normalisation, which is the costliest step.
_COMMON_WIDE = (
    *((chr(c), chr(c - 0xFEE0)) for c in map(ord, "，！？：；（）")),
    ("\u3000", " "),
)
# Every other full-width ASCII form, and the no-break space, as NFKC maps them: replaced only
# when present, one distinct character at a time (a digit or two in an order number).
_OTHER_WIDE = re.compile("[\uff01-\uff5e\u00a0]")
_NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u00a0": " "}

FORMAT_CHARACTERS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d"
    "\u206e\u206f\ufeff"
)
"""Invisible formatting characters that normalisation removes (all of Unicode category Cf
that ordinary text carries): soft hyphen, Arabic letter mark, Mongolian vowel separator,
zero-width space/non-joiner/joiner, direction marks and embeddings, word joiner and invisible
operators, direction isolates, deprecated format controls, and the byte-order mark."""
_FORMAT = re.compile("[" + FORMAT_CHARACTERS + "]")

# Bytes of the word view: ASCII letters and digits stay, anything else is a word break.
_WORD_BYTES = bytes(
    b + 32 if 65 <= b <= 90 else b if (48 <= b <= 57 or 97 <= b <= 122) else 32
    for b in range(256)
)


def _plain_class() -> str:
    """A regular-expression class body of the *plain* characters.

    Plain characters are left alone by every normalisation step wherever they stand: NFKC,
    case folding and the traditional-to-simplified table do not change them, and none of
    them combines with a neighbour. The only whitespace among them is the space; ASCII
    capitals are left out too (both are added by the looser classes below). The CJK Unified
    Ideographs block is plain except for the table's traditional characters (the tests check
    every character of it); the small ranges are checked here.
    """
    small = [*range(0x80), *range(0x2000, 0x2070), *range(0x3000, 0x3040)]
    plain = [
        ch
        for ch in map(chr, small)
        if not ("A" <= ch <= "Z" or (ch.isspace() and ch != " ") or ch in TRADITIONAL
                or ch in FORMAT_CHARACTERS)
        and not unicodedata.combining(ch)
        and not unicodedata.decomposition(ch)
        and ch.casefold() == ch == ch.lower()
        and unicodedata.normalize("NFKC", ch) == ch
    ]
    traditional_cjk = sorted(ord(ch) for ch in TRADITIONAL if 0x4E00 <= ord(ch) <= 0x9FFF)
    start = 0x4E00
    for code in [*traditional_cjk, 0xA000]:
        if code > start:
            plain.append(f"{chr(start)}-{chr(code - 1)}")
        start = code + 1
    return "".join(re.escape(item) if len(item) == 1 else item for item in plain)


# Text made only of plain characters needs no Unicode pass: collapsing spaces (and lowering
# ASCII capitals, and folding ASCII whitespace, when present) is its whole normalisation.
# A scan for a character outside the class decides, far cheaper than NFKC, case folding and
# the table over every text. Each looser scan starts where the stricter one stopped.
_PLAIN = _plain_class()
_NOT_PLAIN = re.compile(f"[^{_PLAIN}]")
_NOT_PLAIN_NOR_CAPITAL = re.compile(f"[^{_PLAIN}A-Z]")
_NOT_PLAIN_NOR_ASCII = re.compile(f"[^{_PLAIN}A-Z\t-\r\x1c-\x1f]")
# Traditional characters are left alone by NFKC and case folding too: text that is plain but
# for them (a Taiwan or Hong Kong ticket) needs the table and nothing else.
_NOT_PLAIN_NOR_ASCII_NOR_TRADITIONAL = re.compile(
    f"[^{_PLAIN}A-Z\t-\r\x1c-\x1f{re.escape(TRADITIONAL)}]"
)


def normalise_text(raw: str) -> str:
    r"""The canonical form keyword matching works on.

    >>> normalise_text("  ＶＩＰ客戶：訂單  無法\n支付！ ")
    'vip客户:订单 无法 支付!'
    """
    if raw.isascii():
        return " ".join(raw.lower().split())
    text = raw
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    odd = _NOT_PLAIN.search(text)
    if odd is not None:
        odd = _NOT_PLAIN_NOR_CAPITAL.search(text, odd.start())
        if odd is not None:
            odd = _NOT_PLAIN_NOR_ASCII.search(text, odd.start())
            if odd is not None:
                if _NOT_PLAIN_NOR_ASCII_NOR_TRADITIONAL.search(text, odd.start()) is None:
                    return " ".join(text.lower().translate(_t2s_table()).split())
                narrowed = _narrowed(text, odd.start())
                if narrowed is None:
                    return _normalise_unicode(text)
                return normalise_text(narrowed)  # once: nothing is left to narrow
            return " ".join(text.lower().split())
        text = text.lower()
    # Only spaces are left as whitespace: splitting is needed only to collapse runs of them.
    return " ".join(text.split()) if "  " in text else text.strip(" ")


def _narrowed(text: str, start: int) -> str | None:
    """``text`` with its other full-width forms narrowed, or None if it has none.

    Only from ``start``: everything before it is plain, a capital or ASCII whitespace.
    """
    found = _OTHER_WIDE.findall(text, start)
    if not found:
        return None
    for wide in set(found):
        text = text.replace(wide, _NARROW[wide])
    return text


def _normalise_unicode(text: str) -> str:
    # The full definition (after the common full-width punctuation is replaced).
    if _FORMAT.search(text) is not None:
        text = _FORMAT.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    # Case folding can undo NFKC for a few letters; a second check keeps the function idempotent.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text).casefold()
    if _TRADITIONAL_CHAR.search(text) is not None:
        text = text.translate(_t2s_table())
    return " ".join(text.split())


def word_view(normalised: str) -> str:
    """ASCII words of already-normalised text, space separated and padded with one space.

    >>> word_view("订单order丢失, can’t pay!")
    ' order can t pay '
    """
    return " " + " ".join(_words_of(normalised)) + " "


def _words_of(normalised: str) -> list[str]:
    data = normalised.encode("ascii", "replace").translate(_WORD_BYTES)
    return data.decode("ascii").split()


@attrs.frozen
class NormalisedText:
    """A text prepared once for many keyword look-ups.

    Attributes:
        text: :func:`normalise_text` of the raw text.
        words: :func:`word_view` of :attr:`text`.
    """

    text: str
    words: str
    # The words of ``words``, in order, as :meth:`of` found them: the keyword index reads them
    # instead of splitting ``words`` again. ``None`` when the value was built directly.
    _word_list: tuple[str, ...] | None = attrs.field(
        default=None, init=False, repr=False, eq=False
    )

    @classmethod
    def of(cls, raw: str) -> NormalisedText:
        """Normalise ``raw`` and build its word view."""
        text = normalise_text(raw)
        words = _words_of(text)
        prepared = cls(text, " " + " ".join(words) + " ")
        derive(prepared, "_word_list", tuple(words))
        return prepared

    @functools.cached_property
    def word_set(self) -> frozenset[str]:
        """The distinct words of :attr:`words` (computed on first use)."""
        return frozenset(self.words.split())


MAX_KEYWORD_LENGTH = 100
"""Longest keyword accepted, in characters once normalised. A keyword is a word or a phrase;
the bound keeps building an index and scanning a text linear (issue #12: one 1M-character
keyword took 61 s to build)."""


def keyword_problem(keyword: str) -> str | None:
    """Why ``keyword`` cannot be a keyword (empty once normalised, or too long); None if fine."""
    needle = KeywordNeedle.compile(keyword)
    if needle is None:
        return f"keyword {keyword!r} is empty once normalised (spaces, '*')"
    return needle.length_problem()


@attrs.frozen
class KeywordNeedle:
    """A keyword compiled for matching.

    Attributes:
        keyword: the keyword as the rule author wrote it (used in explanations).
        needle: what is searched for.
        view: ``"words"`` (English: whole words of the word view) or ``"text"`` (substring of
            the normalised text).
    """

    keyword: str
    needle: str
    view: Literal["words", "text"]

    @classmethod
    def compile(cls, keyword: str) -> KeywordNeedle | None:
        """Compile ``keyword``; ``None`` when nothing is left after normalisation."""
        text = normalise_text(keyword)
        is_prefix = text.endswith("*")
        text = text.rstrip("* ")
        if not text:
            return None
        if text.isascii() and any(ch.isalnum() for ch in text):
            words = word_view(text)
            return cls(keyword, words[:-1] if is_prefix else words, "words")
        return cls(keyword, text, "text")

    def length_problem(self) -> str | None:
        """Why the keyword is too long to index (see MAX_KEYWORD_LENGTH); None if it is not."""
        length = len(self.needle.strip())  # the word view pads words with spaces
        if length <= MAX_KEYWORD_LENGTH:
            return None
        return (
            f"keyword {self.keyword[:20]!r}... has {length:,} characters once "
            f"normalised; a keyword has at most {MAX_KEYWORD_LENGTH}: match a word or a "
            "phrase, not a text"
        )

    def found_in(self, prepared: NormalisedText) -> bool:
        """Whether the keyword occurs in ``prepared`` (the plain, ungated check)."""
        if self.view == "words":
            return self.needle in prepared.words
        return self.needle in prepared.text
