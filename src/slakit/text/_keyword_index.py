"""Matching many keyword groups against one text with one scan and a few set operations.

Design rules:

* A :class:`KeywordIndex` holds several *groups* of compiled keywords (one group per keyword
  rule). ``found(text)`` answers, for every group at once, the first keyword of the group (in
  the group's own order) that occurs in the text. A rule on its own is an index of one group;
  a classifier fuses all its keyword rules into one index, so a ticket is scanned once, not
  once per rule. Both paths run this same code.
* English keywords (the word view) are found with sets: a whole English word is a set look-up
  in the text's words; an English phrase is searched only if each of its whole words is
  present; a one-word prefix (``crash*``) is searched directly.
* Every other keyword (Chinese, mixed, punctuation) is found by *one* scan of the text: a
  regular expression made only of the keywords themselves, written as their trie (see
  :func:`_scanner`), so ``findall`` stops only where a keyword starts and reports the longest
  keyword there. A scan resumes after each hit, so keywords that start *inside* a hit are
  accounted for from tables built once: those wholly inside it (its substrings) are found
  with it, and the few that could run on past its end are confirmed with one substring
  search each. This is exact: every occurrence of every keyword either starts where the scan
  stopped, or lies inside a hit, or overlaps a hit's end (see :func:`_scan_tables`).
* Linear time: the text's words come from one split; the scan has no repetition, only
  literals, alternatives and one-character look-arounds, so at each position it follows the
  text down the trie once, for at most MAX_KEYWORD_LENGTH characters, whatever the number
  of keywords. Each confirming search is
  ``str.__contains__``, linear in the text for a bounded keyword, and runs at most once per
  distinct hit, not per occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from slakit._fast import derive
from slakit.text._normalise import KeywordNeedle, NormalisedText

# (group, position in group, needle)
_Entry = tuple[int, int, str]
# (group, position in group)
_Hit = tuple[int, int]


def _freeze(table: dict[str, list[_Entry]]) -> dict[str, tuple[_Entry, ...]]:
    return {key: tuple(entries) for key, entries in table.items()}


@attrs.frozen
class KeywordIndex:
    """Groups of compiled keywords, matched together.

    Args:
        groups: the keyword groups; ``found`` reports by group number.
    """

    groups: tuple[tuple[KeywordNeedle, ...], ...]
    # Keyed by a word of the text: the whole-word keywords equal to it, and the phrases that
    # start with it, each with the set of words the phrase needs.
    _by_word: dict[str, tuple[_Entry, ...]] = attrs.field(init=False, repr=False, eq=False)
    _phrases: dict[str, tuple[tuple[_Entry, frozenset[str]], ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _gate_words: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    _ungated_words: tuple[_Entry, ...] = attrs.field(init=False, repr=False, eq=False)
    _has_word_keywords: bool = attrs.field(init=False, repr=False, eq=False)
    _scan: re.Pattern[str] | None = attrs.field(init=False, repr=False, eq=False)
    _ascii_scan: re.Pattern[str] | None = attrs.field(init=False, repr=False, eq=False)
    _inside: dict[str, tuple[_Hit, ...]] = attrs.field(init=False, repr=False, eq=False)
    _overhang: dict[str, tuple[_Entry, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        words: dict[str, list[_Entry]] = {}
        phrases: dict[str, list[tuple[_Entry, frozenset[str]]]] = {}
        ungated_words: list[_Entry] = []
        text_entries: list[_Entry] = []
        for group, needles in enumerate(self.groups):
            for position, compiled in enumerate(needles):
                needle = compiled.needle
                entry = (group, position, needle)
                if compiled.view == "text":
                    text_entries.append(entry)
                    continue
                inner = needle.split()
                if len(inner) > 1:
                    # Whole words only: the last word of a prefix phrase may be longer.
                    whole = inner if needle.endswith(" ") else inner[:-1]
                    phrases.setdefault(inner[0], []).append((entry, frozenset(whole)))
                elif needle.endswith(" "):
                    words.setdefault(inner[0], []).append(entry)
                else:  # a one-word prefix: no whole word to gate on
                    ungated_words.append(entry)
        inside, overhang = _scan_tables(text_entries)
        set_ = derive
        set_(self, "_by_word", _freeze(words))
        set_(self, "_phrases", {first: tuple(found) for first, found in phrases.items()})
        gate_words = set(words).union(*(w for found in phrases.values() for _, w in found))
        set_(self, "_gate_words", frozenset(gate_words))
        set_(self, "_ungated_words", tuple(ungated_words))
        set_(self, "_has_word_keywords", bool(words or phrases or ungated_words))
        set_(self, "_scan", _scanner(inside))
        set_(self, "_ascii_scan", _scanner([n for n in inside if n.isascii()]))
        set_(self, "_inside", inside)
        set_(self, "_overhang", overhang)

    def found(self, prepared: NormalisedText) -> dict[int, int]:
        """For each group with a keyword in ``prepared``: the position of its first such keyword.

        "First" is in the group's own order, so results never depend on how they were found.
        """
        # Inlined "keep the lowest position per group": this is the classifier's hot path.
        best: dict[int, int] = {}
        words = prepared.words
        split: Sequence[str] | None = None
        if self._has_word_keywords:
            split = prepared._word_list
            if split is None:
                split = words.split()
        if split:
            # Only the text's words that some keyword needs: no set of all its words is built.
            present = self._gate_words.intersection(split)
            by_word = self._by_word
            phrases = self._phrases
            for word in present:
                for group, position, _ in by_word.get(word, ()):
                    if best.get(group, position + 1) > position:
                        best[group] = position
                for (group, position, needle), needs in phrases.get(word, ()):
                    # A phrase is searched only when each of its whole words is in the text.
                    if (
                        best.get(group, position + 1) > position
                        and needs <= present
                        and needle in words
                    ):
                        best[group] = position
            for group, position, needle in self._ungated_words:
                if best.get(group, position + 1) > position and needle in words:
                    best[group] = position
        text = prepared.text
        scan = self._ascii_scan if text.isascii() else self._scan
        if scan is None:
            return best
        hits = set(scan.findall(text))
        if not hits:
            return best
        inside = self._inside
        for hit in hits:
            for group, position in inside[hit]:
                if best.get(group, position + 1) > position:
                    best[group] = position
        overhang = self._overhang
        absent: set[str] = set()  # a keyword overhanging several hits is searched once
        for hit in hits:
            # After every hit's own keywords are in: most of these then need no search.
            for group, position, needle in overhang.get(hit, ()):
                if best.get(group, position + 1) > position and needle not in absent:
                    if needle in text:
                        best[group] = position
                    else:
                        absent.add(needle)
        return best


# Longest keyword prefix used as a table key when building the overhang table (see below).
_PREFIX_KEY = 16


def _scan_tables(
    entries: list[_Entry],
) -> tuple[dict[str, tuple[_Hit, ...]], dict[str, tuple[_Entry, ...]]]:
    """What a scan hit tells about every keyword: found with it, or worth one search.

    The scan reports, at each place it stops, the longest keyword starting there, then resumes
    after it. So a keyword occurrence either starts at a stop (and is a prefix of that hit),
    or starts inside a hit (one to len(hit) - 1 characters in): then it lies wholly inside
    the hit, or it starts with the rest of the hit and runs on past its end. Hence, per
    keyword ``hit``:

    * ``inside[hit]``: for each group, the lowest position among its keywords that are
      substrings of ``hit``: all of them occur wherever ``hit`` does.
    * ``overhang[hit]``: keywords that begin with a proper suffix of ``hit`` and are longer
      than it: they may occur, and only a search can tell.

    Both are built by looking substrings and suffixes up in dictionaries rather than comparing
    every pair of keywords, so large keyword lists build quickly.
    """
    by_needle: dict[str, list[_Hit]] = {}
    for group, position, needle in entries:
        by_needle.setdefault(needle, []).append((group, position))
    lengths = sorted({len(n) for n in by_needle})
    # Keyword prefixes up to _PREFIX_KEY characters (longer ones are checked against the
    # entries of their first _PREFIX_KEY characters), so a very long keyword costs a bounded
    # number of table keys rather than one per character of it.
    by_prefix: dict[str, list[_Entry]] = {}
    for entry in entries:
        needle = entry[2]
        for end in range(1, min(len(needle), _PREFIX_KEY + 1)):
            by_prefix.setdefault(needle[:end], []).append(entry)
    inside: dict[str, tuple[_Hit, ...]] = {}
    overhang: dict[str, tuple[_Entry, ...]] = {}
    for hit in by_needle:
        lowest: dict[int, int] = {}
        for length in lengths:
            if length > len(hit):
                break
            for start in range(len(hit) - length + 1):
                for group, position in by_needle.get(hit[start : start + length], ()):
                    if lowest.get(group, position + 1) > position:
                        lowest[group] = position
        inside[hit] = tuple(lowest.items())
        running_on = []
        for start in range(1, len(hit)):
            rest = hit[start:]
            for entry in by_prefix.get(rest[:_PREFIX_KEY], ()):
                if len(entry[2]) > len(rest) and entry[2].startswith(rest):
                    running_on.append(entry)
        if running_on:
            overhang[hit] = tuple(dict.fromkeys(running_on))
    return inside, overhang


# A trie of keywords: character -> subtrie; the key "" marks the end of a keyword.
_Trie = dict[str, "_Trie"]
# Up to this many branches, an alternation is tried branch by branch (each a one-character
# check); above it, a character-class look-ahead halves the branches first.
_FLAT = 12
# At the start of the scan, tried branch by branch up to this many first characters: there
# a literal check costs the engine less than a look-behind, and a desk's lists stay below it.
_ROOT_FLAT = 128


def _scanner(needles: Iterable[str]) -> re.Pattern[str] | None:
    """A scan whose ``findall`` gives, at each place a keyword starts, the longest one there.

    The pattern is the keywords' trie written as a regular expression: at each position the
    engine follows the text down the trie one character at a time, preferring to go deeper
    (so the first match it completes is the longest), and at a node with many children it
    picks the child by halving them with character-class look-aheads (each an O(1) test).
    So the work per position is bounded by the longest keyword (at most MAX_KEYWORD_LENGTH)
    times a logarithm of the alphabet, whatever the number of keywords: linear in the text.
    Literals, one-character look-arounds and alternatives only, no repetition; chains of
    single children are written as one literal.
    """
    trie: _Trie = {}
    for needle in needles:
        node = trie
        for char in needle:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None
    children = sorted(trie.items())
    if len(children) <= _ROOT_FLAT:
        return re.compile("|".join(_branch(char, sub) for char, sub in children))
    # Many first characters: one class of them all comes first, so the engine skips places
    # where no keyword starts as fast as it does for a few literals; the character it took
    # is then told apart with look-behinds.
    everything = "".join(_class_char(char) for char, _ in children)
    return re.compile(f"[{everything}](?:{_split(children, taken=True)})")


def _alternation(node: _Trie) -> str:
    """The pattern matching, longest first, any keyword continuing below ``node``."""
    children = sorted((char, sub) for char, sub in node.items() if char)
    return _split(children)


def _split(children: list[tuple[str, _Trie]], *, taken: bool = False) -> str:
    """Alternatives for ``children``; ``taken``: the scan already consumed their character."""
    if len(children) <= _FLAT:
        return "|".join(_branch(char, sub, taken=taken) for char, sub in children)
    half = len(children) // 2
    first = "".join(_class_char(char) for char, _ in children[:half])
    look = "(?<=" if taken else "(?="
    return (f"{look}[{first}])(?:{_split(children[:half], taken=taken)})"
            f"|{_split(children[half:], taken=taken)}")


def _branch(char: str, sub: _Trie, *, taken: bool = False) -> str:
    literal = [char]
    while len(sub) == 1 and "" not in sub:  # a chain of single children: one literal
        ((char, sub),) = sub.items()
        literal.append(char)
    head = re.escape("".join(literal[1:])) if taken else re.escape("".join(literal))
    if taken:
        head = f"(?<={re.escape(literal[0])}){head}"
    if len(sub) == 1:  # only the end marker: a leaf
        return head
    deeper = _alternation(sub)
    # At a keyword's end with longer keywords below: try deeper first, else end here.
    return f"{head}(?:{deeper}|)" if "" in sub else f"{head}(?:{deeper})"


def _class_char(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char
