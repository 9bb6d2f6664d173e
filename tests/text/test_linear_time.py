"""Linear time by construction: every regular expression triage runs has nothing to backtrack.

Speed is measured in benchmarks/bench_triage.py, never timed here. What a test can hold is the
reason matching is linear: the patterns are literals, character classes and alternatives of
literals, with no repetition, back-reference or look-around other than a look at one
character (an O(1) test that steers the keyword scan between halves of a large
alternation), whatever the keywords contain (regular-expression syntax in a keyword is
escaped).
"""

from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.text import _normalise
from slakit.text._keyword_index import KeywordIndex
from slakit.text._normalise import KeywordNeedle
from slakit.triage import default_classifier, itil_classifier

# Opcodes of literal matching only. Anything else (MAX_REPEAT, MIN_REPEAT, GROUPREF,
# ASSERT, ASSERT_NOT, ...) could make the engine try a position more than a bounded number of
# times.
LINEAR = {"LITERAL", "NOT_LITERAL", "IN", "BRANCH", "SUBPATTERN", "ANY", "CHARACTER_LOOKAROUND"}


def opcodes(pattern: str) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, sre_parse.SubPattern):
            for op, value in node:
                direction, body = value if str(op) == "ASSERT" else (0, [])
                if direction in (1, -1) and [str(o) for o, _ in body] in (["IN"], ["LITERAL"]):
                    found.add("CHARACTER_LOOKAROUND")  # (?=[...]), (?<=x): one character, once
                    continue
                found.add(str(op))
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(sre_parse.parse(pattern))
    return found


def scans(index: KeywordIndex) -> list[re.Pattern[str]]:
    return [p for p in (index._scan, index._ascii_scan) if p is not None]


def test_the_shipped_classifiers_scan_without_repetition() -> None:
    for classifier in (default_classifier(), itil_classifier()):
        for pattern in scans(classifier._keywords):
            assert opcodes(pattern.pattern) <= LINEAR


def test_normalisation_patterns_are_single_character_classes() -> None:
    patterns = [value for value in vars(_normalise).values() if isinstance(value, re.Pattern)]
    assert len(patterns) >= 6
    for pattern in patterns:
        assert opcodes(pattern.pattern) <= {"IN", "LITERAL", "NOT_LITERAL"}, pattern.pattern


def test_the_checker_sees_repetition() -> None:
    # The check itself must be able to fail.
    assert "MAX_REPEAT" in opcodes("a+b")
    assert "MIN_REPEAT" in opcodes("(?:ab)*?c")
    assert "GROUPREF" in opcodes(r"(a)\1")
    assert opcodes("(?=[ab])a|b") <= LINEAR
    assert opcodes("[ab](?:(?<=a)x|(?<=[b])y)") <= LINEAR
    assert "ASSERT" in opcodes("(?<=ab)a")
    assert "ASSERT" in opcodes("(?=ab)a")
    assert "ASSERT" in opcodes("(?=[ab]+)a")
    assert "ASSERT_NOT" in opcodes("(?![ab])a")


keywords = st.text(
    st.sampled_from("支付接口订单aZ9 .*+?()[]{}|^$\\-"), min_size=1, max_size=8
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(keywords, min_size=1, max_size=5), min_size=1, max_size=4))
def test_any_keywords_compile_to_a_scan_without_repetition(groups: list[list[str]]) -> None:
    needles = []
    for group in groups:
        compiled = [n for n in (KeywordNeedle.compile(k) for k in group) if n is not None]
        if compiled:
            needles.append(tuple(compiled))
    index = KeywordIndex(tuple(needles))
    for pattern in scans(index):
        assert opcodes(pattern.pattern) <= LINEAR
