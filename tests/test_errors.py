"""Errors are English by default and can be said in Chinese: SlakitError.message, localized."""

from __future__ import annotations

import pickle

import pytest

from slakit import SlakitError
from slakit._errors import (
    CalendarConfigError,
    DefinitionError,
    InvalidValueError,
    NaiveDatetimeError,
    WrongTypeError,
    check_text,
    type_check,
)
from slakit._message import Message
from slakit._problems import Problems, Table
from slakit.i18n import localized, translator

ZH = translator("zh-CN")


def test_message_without_a_catalogue_is_exactly_str() -> None:
    for err in (InvalidValueError("plain"), InvalidValueError(Message("unknown key")),
                CalendarConfigError(["a", Message("unknown key")]), SlakitError()):
        assert err.message() == str(err)
        assert err.message(translator("en")) == str(err)


def test_an_error_raised_with_a_message_is_said_in_chinese() -> None:
    err = NaiveDatetimeError("due", "2025-01-01 09:00")
    assert str(err).startswith("due must be a timezone-aware datetime, got '2025-01-01 09:00'")
    assert err.message(ZH).startswith("due 必须是带时区的 datetime，实际是 '2025-01-01 09:00'")
    assert localized(err, "zh-CN") == err.message(ZH)
    assert localized(err, "en") == str(err)


def test_an_error_with_plain_text_stays_english_in_chinese() -> None:
    err = InvalidValueError("not yet converted")
    assert err.message(ZH) == "not yet converted"


def test_a_definition_error_says_its_heading_and_every_problem() -> None:
    problems = Problems()
    table = Table({"grouped": "no", "colum": 1}, "fields", problems)
    table.only(("column",), "a field")
    table.flag("grouped", True)
    err = CalendarConfigError(problems.items)
    assert err.message(ZH).split("\n") == [
        "工作日历配置无效（3 个问题）：",
        "  - fields.grouped: 未知的键；字段可用的键为 column",
        "  - fields.colum: 未知的键（是否想写 'column'？）；字段可用的键为 column",
        "  - fields.grouped: 应为 true 或 false，实际是 str 'no'",
    ]
    assert str(err).split("\n") == [
        "invalid calendar configuration (3 problems):",
        "  - fields.grouped: unknown key; a field takes column",
        "  - fields.colum: unknown key (did you mean 'column'?); a field takes column",
        "  - fields.grouped: expected true or false, got str 'no'",
    ]


def test_an_unknown_definition_name_is_shown_as_given() -> None:
    err = DefinitionError("frobnicator", ["x"])
    assert err.message(ZH) == "frobnicator无效（1 个问题）：\n  - x"


def test_type_check_and_check_text_speak_chinese_too() -> None:
    with pytest.raises(WrongTypeError) as caught:
        type_check(int, "limit")(None, None, "3")
    assert str(caught.value) == "limit must be int, got str '3'"
    assert caught.value.message(ZH) == "limit 必须是 int，实际是 str '3'"
    with pytest.raises(SlakitError) as bad:
        check_text("subject", "a\udc80b")
    assert bad.value.message(ZH).startswith("subject 含有孤立的代理码位（U+DC80，位于第 1 个字符）")


def test_a_pickled_error_can_still_be_said_in_chinese() -> None:
    err = pickle.loads(pickle.dumps(InvalidValueError(Message("a JSON line must be an object"))))
    assert (str(err), err.message(ZH)) == ("a JSON line must be an object", "每行 JSON 必须是一个对象")


def test_localized_refuses_an_unknown_language() -> None:
    with pytest.raises(InvalidValueError, match="language 'fr' is not supported"):
        localized(InvalidValueError("x"), "fr")


def test_localized_leaves_other_exceptions_and_plain_text_alone() -> None:
    assert localized(KeyError("k"), "zh-CN") == "'k'"
    assert localized("plain", "zh-CN") == "plain"
    assert localized(Message("a JSON line must be an object"), "zh-CN") == "每行 JSON 必须是一个对象"
