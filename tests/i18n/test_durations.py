"""How durations are said: exact text in both languages, and refused input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit import InvalidValueError, WrongTypeError
from slakit.i18n import UnknownLanguageError, exact_duration, readable_duration, translator

ZH = translator("zh-CN")


@pytest.mark.parametrize(("seconds", "en", "zh"), [
    (None, "-", "-"),
    (0, "0 s", "0 秒"),
    (45, "45 s", "45 秒"),
    (12 * 60, "12 min", "12 分钟"),
    (5 * 3600, "5 h", "5 小时"),
    (5 * 3600 + 720, "5 h 12 min", "5 小时 12 分钟"),
    (27 * 3600, "1 d 3 h", "1 天 3 小时"),
    (48 * 3600, "2 d", "2 天"),
    (1_422_485 * 3600.0, "59,270 d 5 h", "59,270 天 5 小时"),
    (-90, "-2 min", "-2 分钟"),
])
def test_readable(seconds: float | None, en: str, zh: str) -> None:
    assert readable_duration(seconds) == en
    assert readable_duration(seconds, ZH) == zh
    assert readable_duration(seconds, "zh_CN.UTF-8") == zh


@pytest.mark.parametrize(("seconds", "en", "zh"), [
    (2 * 3600 + 300, "2 h 05 min", "2 小时 05 分钟"),
    (45 * 60, "45 min", "45 分钟"),
    (3630, "1 h 00 min 30 s", "1 小时 00 分钟 30 秒"),
    (-3630, "-1 h 00 min 30 s", "-1 小时 00 分钟 30 秒"),
])
def test_exact(seconds: float, en: str, zh: str) -> None:
    assert exact_duration(seconds) == en
    assert exact_duration(seconds, ZH) == zh


@pytest.mark.parametrize("say", [readable_duration, exact_duration])
@pytest.mark.parametrize(("value", "error", "words"), [
    ("5", WrongTypeError, "a duration must be a number of seconds, got '5'"),
    (True, WrongTypeError, "a duration must be a number of seconds, got True"),
    (b"\xff", WrongTypeError, "a duration must be a number of seconds, got b'\\xff'"),
    (float("nan"), InvalidValueError, "a duration must be a finite number of seconds, got nan"),
    (float("inf"), InvalidValueError, "a duration must be a finite number of seconds, got inf"),
])
def test_what_is_not_a_duration_is_refused(say: object, value: object, error: type,
                                           words: str) -> None:
    with pytest.raises(error) as caught:
        say(value)  # type: ignore[operator]
    assert str(caught.value) == words
    assert caught.value.message(ZH).startswith("时长必须是")  # type: ignore[attr-defined]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(UnknownLanguageError, match="language 'fr' is not supported"):
        readable_duration(60, "fr")


@given(st.integers(0, 10**9))
def test_both_forms_never_lose_the_sign_or_fail(seconds: int) -> None:
    for say in (readable_duration, exact_duration):
        assert say(-seconds - 1).startswith("-")
        assert not say(seconds).startswith("-")
