"""The command line's help and argparse errors in the run's language."""

from __future__ import annotations

import pytest

from slakit.cli import build_parser, main
from slakit.cli._parser import argparse_error, lang_asked
from slakit.i18n import translator

ZH = translator("zh-CN")


@pytest.mark.parametrize(("argv", "environ", "expected"), [
    (["replay", "--lang", "zh-CN"], {}, "zh-CN"),
    (["replay", "--lang=zh_CN.UTF-8"], {"LANG": "en_US"}, "zh-CN"),
    (["replay", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}, "en"),
    (["replay"], {"LC_ALL": "zh_CN.UTF-8"}, "zh-CN"),
    (["replay", "--lang", "fr"], {"LANG": "zh_CN.UTF-8"}, "en"),  # refused later, by the run
    (["replay", "--", "--lang", "zh-CN"], {}, "en"),  # after "--" it is a file name
    (["replay", "--lang"], {}, "en"),
])
def test_lang_asked(argv: list[str], environ: dict[str, str], expected: str) -> None:
    assert lang_asked(argv, environ) == expected


def test_chinese_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser("zh-CN").parse_args(["replay", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：slakit replay [-h]")
    for line in ("位置参数:", "选项:", "-h, --help            显示本帮助并退出",
                 "--policy POLICY       SLA 策略文件",
                 "--jobs JOBS           工作进程数（默认 1）"):
        assert line in text
    assert "show this help" not in text
    assert "SLA policy file" not in text


def test_english_help_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["explain", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("usage: slakit explain [-h]")
    for line in ("positional arguments:", "options:", "show this help message and exit",
                 "  ticket                the ticket id", "write a timeline picture here"):
        assert line in text


def test_an_argparse_error_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["replay", "log.csv", "--lang", "zh-CN"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：slakit replay")
    assert err.endswith("slakit replay：错误：缺少必需的参数：--policy\n")


def test_lang_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh-CN", "--help"]) == 0
    assert capsys.readouterr().out.startswith("用法：slakit [-h] [--lang LANG] {replay,compare,explain}")
    assert main(["--lang", "zh-CN", "replay", "log.csv"]) == 2
    assert capsys.readouterr().err.endswith("slakit replay：错误：缺少必需的参数：--policy\n")
    # An unknown language before the command is refused like one after it, not read as English.
    assert main(["--lang", "fr", "replay", "no-such.csv", "--policy", "p.toml"]) == 4
    assert capsys.readouterr().err == (
        "slakit: language 'fr' is not supported; use one of en, zh-CN (locale spellings such as "
        "'zh_CN.UTF-8' or 'en_US' work too)\n")


@pytest.mark.parametrize(("english", "chinese"), [
    ("the following arguments are required: --policy, log", "缺少必需的参数：--policy, log"),
    ("unrecognized arguments: --bogus x", "无法识别的参数：--bogus x"),
    ("argument --preset: invalid choice: 'foo' (choose from 'uci', 'bpic2013')",
     "参数 --preset：'foo' 不是可选值（可选：'uci', 'bpic2013'）"),
    ("argument --now: expected one argument", "参数 --now：后面需要跟一个值"),
    ("argument --preset: not allowed with argument --mapping",
     "参数 --preset：不能与参数 --mapping 同时使用"),
    ("argument --jobs: invalid int value: 'two'", "参数 --jobs：'two' 不是有效的整数"),
    ("a sentence argparse may print one day", "a sentence argparse may print one day"),
])
def test_argparse_errors_are_said_again_or_left_as_they_are(english: str, chinese: str) -> None:
    assert argparse_error(ZH, english) == chinese
    assert argparse_error(translator("en"), english) == english
