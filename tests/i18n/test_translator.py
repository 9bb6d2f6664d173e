"""Languages are chosen explicitly: spellings read, unknown ones refused, no shared state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit import SlakitError, WrongTypeError
from slakit.i18n import (
    SUPPORTED_LANGUAGES,
    Translator,
    UnknownLanguageError,
    lang_from_environ,
    metric_label,
    normalize_lang,
    status_label,
    translator,
)


@pytest.mark.parametrize(("given", "expected"), [
    ("en", "en"), ("EN", "en"), ("en_US", "en"), ("en-GB", "en"), ("en_US.UTF-8", "en"),
    ("C", "en"), ("POSIX", "en"), ("zh-CN", "zh-CN"), ("zh_CN", "zh-CN"), ("zh", "zh-CN"),
    ("zh_CN.UTF-8", "zh-CN"), ("zh-Hans", "zh-CN"), ("zh_CN.GB18030@euro", "zh-CN"),
])
def test_spellings_of_a_language(given: str, expected: str) -> None:
    assert normalize_lang(given) == expected
    assert translator(given).lang == expected


@pytest.mark.parametrize("given", ["fr", "de_DE.UTF-8", "zh-TW", "zh_HK", "", "english"])
def test_an_unknown_language_is_a_slakit_value_error_naming_the_supported_ones(
        given: str) -> None:
    with pytest.raises(UnknownLanguageError) as caught:
        translator(given)
    assert isinstance(caught.value, SlakitError)
    assert isinstance(caught.value, ValueError)
    assert repr(given) in str(caught.value)
    assert "en, zh-CN" in str(caught.value)


def test_a_translator_given_is_returned_as_is() -> None:
    zh = translator("zh-CN")
    assert translator(zh) is zh
    assert isinstance(zh, Translator)
    assert repr(zh) == "translator('zh-CN')"
    assert zh == translator("zh_CN.UTF-8")
    assert zh != translator("en")


def test_two_languages_at_once_do_not_share_state() -> None:
    zh, en = translator("zh-CN"), translator("en")
    assert [zh.gettext("paused"), en.gettext("paused"), zh.gettext("paused")] == [
        "已暂停", "paused", "已暂停"]


def test_english_msgids_come_back_unchanged_and_words_translate() -> None:
    en, zh = translator("en"), translator("zh-CN")
    assert en.gettext("due at {deadline}") == "due at {deadline}"
    assert zh.gettext("due at {deadline}").format(deadline="06-02 09:30") == "将于 06-02 09:30 到期"
    assert metric_label(zh, "first_response") == "首次响应"
    assert metric_label(zh, "resolution") == "解决"
    assert metric_label(en, "first_response") == "first_response"
    assert metric_label(zh, "my_own_metric") == "my_own_metric"
    assert status_label(zh, "breached") == "已超时"
    assert status_label(zh, "not_a_status") == "not_a_status"


def test_a_msgid_missing_from_the_catalogue_falls_back_to_itself() -> None:
    zh = translator("zh-CN")
    assert zh.gettext("no such sentence") == "no such sentence"
    assert zh.ngettext("{n} file", "{n} files", 1) == "{n} file"
    assert zh.ngettext("{n} file", "{n} files", 2) == "{n} files"


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LC_ALL": "en_US.UTF-8"}, "zh-CN"),
    ({"LANGUAGE": "fr:de", "LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LANGUAGE": "", "LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "de_DE.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
])
def test_the_locale_variables_in_gettext_order(environ: dict[str, str], expected: str) -> None:
    assert lang_from_environ(environ) == expected


@given(st.text(max_size=20))
def test_any_tag_is_either_a_supported_language_or_refused(tag: str) -> None:
    try:
        found = normalize_lang(tag)
    except UnknownLanguageError:
        return
    assert found in SUPPORTED_LANGUAGES


@given(st.dictionaries(st.sampled_from(["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "HOME"]),
                       st.text(max_size=12)))
def test_the_environment_never_raises_and_always_names_a_supported_language(
        environ: dict[str, str]) -> None:
    assert lang_from_environ(environ) in SUPPORTED_LANGUAGES


def test_a_translator_keeps_one_template_per_shape() -> None:
    tr = translator("en")
    made: list[int] = []

    def make(n: int) -> str:
        made.append(n)
        return f"text {n}"

    assert tr.cached(("test", 1), make, 1) == "text 1"
    assert tr.cached(("test", 1), make, 99) == "text 1"  # the key says it all
    assert tr.cached(("test", 2), make, 2) == "text 2"
    assert made == [1, 2]


def test_an_unhashable_key_is_refused_and_nothing_is_made() -> None:
    tr = translator("en")
    made: list[int] = []

    def make() -> str:
        made.append(1)
        return "text"

    with pytest.raises(WrongTypeError, match=r"must be hashable, got \['x'\]; pass a tuple"):
        tr.cached(["x"], make)  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # and a built-in TypeError, as every slakit error
        tr.cached(("x", {"a": 1}), make)
    assert made == []
