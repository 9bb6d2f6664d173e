"""Matching many keyword groups against one text with a handful of C-level set operations.

Design rules:

* A :class:`KeywordIndex` holds several *groups* of compiled keywords (one group per keyword
  rule). ``found(text)`` answers, for every group at once, the first keyword of the group (in
  the group's own order) that occurs in the text. A rule on its own is an index of one group;
  a classifier fuses all its keyword rules into one index, so a ticket is scanned once, not
  once per rule. Both paths run this same code.
* Gates make it fast, and are exact: a whole English word is a set look-up in the text's
  words; an English phrase is searched only if its first word is present; any other keyword
  is searched only if one chosen pair of its adjacent characters (its *gate pair*) occurs in
  the text. A gate pair never starts with a very common character, so the scan for pairs
  stops at few places; the few keywords made only of common characters are searched
  directly. Only keywords that pass a gate, or have none, cost a substring search.
  Gates only skip searches that cannot succeed: they change the speed, never the result.
* Linear time: building the word set is one split, and the character pairs come from one
  scan with a regular expression that is a single character class followed by one
  character, inside a lookahead (no alternation, no repetition: nothing to backtrack into).
  Each substring search is ``str.__contains__``, linear in the text for a bounded keyword.
"""

from __future__ import annotations

import re

import attrs

from slakit.policies._text_normalise import KeywordNeedle, NormalisedText

# (group, position in group, needle)
_Entry = tuple[int, int, str]

# Characters frequent in Chinese support tickets (everyday function words, then desk words).
# Every occurrence of a gate's first character costs a regular-expression match, so gates
# never start with one of these.
_COMMON = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样"
    "理心她本前开但因只从想实日者意无力它与长把机十第公此已工使情明性知全三见"
    "您好请问谢帮忙麻烦订单商品顾客店铺处怎"
)
_RARITY = {ch: i - len(_COMMON) for i, ch in enumerate(_COMMON)}  # negative: common


def _gate_pair(needle: str) -> str:
    # The pair whose first character is rarest (characters not listed count as rarest).
    pairs = [needle[i : i + 2] for i in range(len(needle) - 1)]
    return max(pairs, key=lambda pair: _RARITY.get(pair[0], 0))


def _freeze(table: dict[str, list[_Entry]]) -> dict[str, tuple[_Entry, ...]]:
    return {key: tuple(entries) for key, entries in table.items()}


@attrs.frozen
class KeywordIndex:
    """Groups of compiled keywords, matched together.

    Args:
        groups: the keyword groups; ``found`` reports by group number.
    """

    groups: tuple[tuple[KeywordNeedle, ...], ...]
    _words: dict[str, tuple[_Entry, ...]] = attrs.field(init=False, repr=False, eq=False)
    _phrases: dict[str, tuple[_Entry, ...]] = attrs.field(init=False, repr=False, eq=False)
    _ungated_words: tuple[_Entry, ...] = attrs.field(init=False, repr=False, eq=False)
    _pairs: dict[str, tuple[_Entry, ...]] = attrs.field(init=False, repr=False, eq=False)
    _direct: tuple[_Entry, ...] = attrs.field(init=False, repr=False, eq=False)
    _pair_scan: re.Pattern[str] | None = attrs.field(init=False, repr=False, eq=False)
    _ascii_pair_scan: re.Pattern[str] | None = attrs.field(init=False, repr=False, eq=False)
    _has_word_keywords: bool = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        words: dict[str, list[_Entry]] = {}
        phrases: dict[str, list[_Entry]] = {}
        pairs: dict[str, list[_Entry]] = {}
        ungated_words: list[_Entry] = []
        direct: list[_Entry] = []
        for group, needles in enumerate(self.groups):
            for position, compiled in enumerate(needles):
                needle = compiled.needle
                entry = (group, position, needle)
                if compiled.view == "words":
                    inner = needle.split()
                    if len(inner) > 1:
                        phrases.setdefault(inner[0], []).append(entry)
                    elif needle.endswith(" "):
                        words.setdefault(inner[0], []).append(entry)
                    else:  # a one-word prefix: no whole word to gate on
                        ungated_words.append(entry)
                elif len(needle) >= 2 and _gate_pair(needle)[0] not in _RARITY:
                    pairs.setdefault(_gate_pair(needle), []).append(entry)
                else:
                    # One character, or every pair starts with a common character: a direct
                    # search is cheaper than stopping the scan at every common character.
                    direct.append(entry)
        set_ = object.__setattr__
        set_(self, "_words", _freeze(words))
        set_(self, "_phrases", _freeze(phrases))
        set_(self, "_pairs", _freeze(pairs))
        set_(self, "_ungated_words", tuple(ungated_words))
        set_(self, "_direct", tuple(direct))
        set_(self, "_has_word_keywords", bool(words or phrases or ungated_words))
        set_(self, "_pair_scan", _pair_scanner({p[0] for p in pairs}))
        set_(self, "_ascii_pair_scan", _pair_scanner({p[0] for p in pairs if p.isascii()}))

    def found(self, prepared: NormalisedText) -> dict[int, int]:
        """For each group with a keyword in ``prepared``: the position of its first such keyword.

        "First" is in the group's own order, so results never depend on how they were found.
        """
        # Inlined "keep the lowest position per group": this loop is the classifier's hot path.
        best: dict[int, int] = {}
        if self._has_word_keywords:
            word_set = prepared.word_set
            for word in word_set.intersection(self._words):
                for group, position, _ in self._words[word]:
                    if best.get(group, position + 1) > position:
                        best[group] = position
            words = prepared.words
            for first in word_set.intersection(self._phrases):
                for group, position, needle in self._phrases[first]:
                    if needle in words and best.get(group, position + 1) > position:
                        best[group] = position
            for group, position, needle in self._ungated_words:
                if needle in words and best.get(group, position + 1) > position:
                    best[group] = position
        text = prepared.text
        scan = self._ascii_pair_scan if text.isascii() else self._pair_scan
        if scan is not None:
            for pair in set(scan.findall(text)).intersection(self._pairs):
                for group, position, needle in self._pairs[pair]:
                    if needle in text and best.get(group, position + 1) > position:
                        best[group] = position
        for group, position, needle in self._direct:
            if needle in text and best.get(group, position + 1) > position:
                best[group] = position
        return best


def _pair_scanner(first_chars: set[str]) -> re.Pattern[str] | None:
    """A scan returning every two-character string that starts with one of ``first_chars``."""
    if not first_chars:
        return None
    char_class = "".join(re.escape(c) for c in sorted(first_chars))
    return re.compile(f"(?=([{char_class}].))", re.DOTALL)
