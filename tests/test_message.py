"""A Message is its English text and can be said again in another language."""

from __future__ import annotations

import copy
import json
import pickle
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit._message import Message, joined, message_of, render


class Book:
    """A catalogue of a few made-up translations (the real ones are tested in tests/i18n)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries

    def gettext(self, message: str, /) -> str:
        return self.entries.get(message, message)


BOOK = Book({
    "{what} must be at least {least}, got {value!r}": "{what}至少为 {least}，实际是 {value!r}",
    "a policy": "策略",
    "unknown key": "未知的键",
    "{n:,} tickets": "{n:,} 个工单",
    "line {line}: {reason}": "第 {line} 行：{reason}",
})


def test_the_text_is_the_english_sentence_and_the_template_is_kept() -> None:
    m = Message("{what} must be at least {least}, got {value!r}", what=Message("a policy"),
                least=1, value="x")
    assert m == "a policy must be at least 1, got 'x'"
    assert str(m) == m
    assert type(str(m)) is str
    assert m.template == "{what} must be at least {least}, got {value!r}"
    assert dict(m.values) == {"what": "a policy", "least": "1", "value": "'x'"}


def test_render_says_the_template_and_nested_messages_in_the_catalogue_language() -> None:
    m = Message("{what} must be at least {least}, got {value!r}", what=Message("a policy"),
                least=1, value="x")
    assert m.render(BOOK) == "策略至少为 1，实际是 'x'"
    assert m.render(None) == "a policy must be at least 1, got 'x'"


def test_values_keep_their_english_form_whatever_the_translation_writes() -> None:
    # the value is formatted once, with the English spec; the translation cannot reformat it
    m = Message("{n:,} tickets", n=12345)
    assert (m, m.render(BOOK)) == ("12,345 tickets", "12,345 个工单")


def test_a_value_from_the_user_is_never_translated() -> None:
    # "unknown key" is in the catalogue, but as a plain value it is the user's text
    m = Message("line {line}: {reason}", line=3, reason="unknown key")
    assert m.render(BOOK) == "第 3 行：unknown key"


def test_a_sentence_missing_from_the_catalogue_stays_english() -> None:
    m = Message("not in the book {x}", x=1)
    assert m.render(BOOK) == "not in the book 1"


def test_literal_braces_are_written_doubled_even_without_values() -> None:
    assert Message("a mapping like {{'mon': []}}") == "a mapping like {'mon': []}"
    assert Message("a mapping like {{'mon': []}}").render(BOOK) == "a mapping like {'mon': []}"


def test_a_message_is_immutable() -> None:
    m = Message("unknown key")
    with pytest.raises(AttributeError, match="has no setter"):
        m.template = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="has no setter"):
        m.values = {}  # type: ignore[misc]
    assert m.template == "unknown key"


def test_pickle_and_copy_keep_the_template_and_hold_no_caller_objects() -> None:
    class Unpicklable:
        def __reduce__(self) -> str:
            raise TypeError("cannot pickle")

        def __repr__(self) -> str:
            return "<thing>"

    m = Message("line {line}: {reason}", line=2, reason=Message("got {x!r}", x=Unpicklable()))
    for again in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m), copy.copy(m)):
        assert type(again) is Message
        assert again == m == "line 2: got <thing>"
        assert again.template == m.template
        assert again.render(BOOK) == "第 2 行：got <thing>"


def test_json_writes_the_english_text() -> None:
    assert json.dumps({"reason": Message("unknown key")}) == '{"reason": "unknown key"}'


def test_render_of_plain_text_is_the_text() -> None:
    assert render("unknown key", BOOK) == "unknown key"
    assert render(Message("unknown key"), BOOK) == "未知的键"


def test_joined_keeps_each_part_said_in_the_language() -> None:
    m = joined([Message("unknown key"), "x{y}"], "; ")
    assert m == "unknown key; x{y}"
    assert render(m, BOOK) == "未知的键; x{y}"
    assert joined(["a", "b"]) == "a, b"
    assert type(joined(["a", "b"])) is str


def test_message_of_keeps_the_message_an_error_was_raised_with() -> None:
    m = Message("unknown key")
    assert message_of(ValueError(m)) is m
    assert message_of(ValueError("plain")) == "plain"
    assert type(message_of(KeyError(m))) is str  # KeyError shows a repr: not the message


names = st.from_regex(r"[a-z]{1,6}", fullmatch=True)
texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)


@given(st.lists(st.tuples(texts, names), min_size=1, max_size=4),
       st.dictionaries(names, st.one_of(st.integers(), texts, st.none()), min_size=4))
def test_english_is_exactly_what_str_format_gives(parts: list[tuple[str, str]],
                                                  pool: dict[str, object]) -> None:
    names_in_pool = sorted(pool)
    template = "".join(lit.replace("{", "{{").replace("}", "}}") +
                       "{" + names_in_pool[i % len(names_in_pool)] + ("!r" if i % 2 else "") + "}"
                       for i, (lit, _) in enumerate(parts))
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    values = {k: pool[k] for k in fields}
    m = Message(template, **values)
    assert m == template.format(**values)
    assert m.render(None) == m.render(Book({})) == template.format(**values)
