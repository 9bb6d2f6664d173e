"""What the ``slakit`` command accepts: its options and their help, in English or Chinese.

Design rules:

* The parser is built in the language of the run (:func:`lang_asked` reads ``--lang`` from
  the arguments before parsing, else the locale variables), so ``slakit replay --help
  --lang zh-CN`` prints Chinese help.
* slakit's own help text and argparse's frame around it (``usage:``, the section titles,
  ``-h``, the ``error:`` line) come from slakit's catalogue. argparse's own error sentences
  (a missing or unknown option) are matched against the forms Python 3.11 to 3.13 print and
  said again in the chosen language; a form that does not match is printed as argparse
  wrote it, in English, never guessed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from slakit.i18n import Translator, lang_from_environ, normalize_lang, translator
from slakit.i18n._translator import N_


def lang_asked(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language the run asks for: ``--lang X`` / ``--lang=X``, else the locale variables.

    An unknown ``--lang`` gives English here; parsing goes on and the run refuses it then.

    >>> lang_asked(["replay", "--lang", "zh-CN"], {}), lang_asked([], {"LANG": "zh_CN.UTF-8"})
    ('zh-CN', 'zh-CN')
    """
    for place, arg in enumerate(argv):
        if arg == "--":
            break
        value = (argv[place + 1] if arg == "--lang" and place + 1 < len(argv)
                 else arg.partition("=")[2] if arg.startswith("--lang=") else None)
        if value is not None:
            try:
                return normalize_lang(value)
            except ValueError:
                return "en"
    return lang_from_environ(environ)


# argparse's own error sentences (Python 3.11-3.13), said again through the catalogue.
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"),
     N_("the following arguments are required: {names}")),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), N_("unrecognized arguments: {names}")),
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>'[^']*'|\S+) "
                r"\(choose from (?P<choices>.+)\)"),
     N_("argument {arg}: invalid choice: {value} (choose from {choices})")),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"),
     N_("argument {arg}: expected one argument")),
    (re.compile(r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)"),
     N_("argument {arg}: not allowed with argument {other}")),
    (re.compile(r"argument (?P<arg>\S+): invalid int value: (?P<value>.+)"),
     N_("argument {arg}: invalid int value: {value}")),
)


def argparse_error(tr: Translator, message: str) -> str:
    """Say argparse's error ``message`` in ``tr``'s language (unchanged when its form is unknown).

    >>> argparse_error(translator("zh-CN"), "unrecognized arguments: --bogus")
    '无法识别的参数：--bogus'
    """
    for pattern, template in _ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return tr.gettext(template).format(**found.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    """An argument parser whose frame (usage, titles, errors) speaks ``tr``'s language."""

    def __init__(self, tr: Translator, **kwargs: Any) -> None:
        self.tr = tr
        super().__init__(formatter_class=_formatter(tr), add_help=False, **kwargs)
        _ = tr.gettext
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the parser's language; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, self.tr.gettext("{prog}: error: {message}").format(
            prog=self.prog, message=argparse_error(self.tr, message)) + "\n")


def _formatter(tr: Translator) -> type[argparse.HelpFormatter]:
    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                      groups: Iterable[argparse._MutuallyExclusiveGroup],
                      prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups,
                              tr.gettext("usage: ") if prefix is None else prefix)

    return Formatter


def _source_options(p: argparse.ArgumentParser, tr: Translator) -> None:
    _ = tr.gettext
    p.add_argument("log", type=Path, help=_("event log: CSV/JSONL with a mapping, or slakit JSONL"))
    group = p.add_mutually_exclusive_group()
    group.add_argument("--mapping", help=_("mapping file (TOML or JSON) from columns to events"))
    group.add_argument("--preset", choices=("uci", "bpic2013", "helpdesk4tu"),
                       help=_("a shipped mapping for a public service-desk log"))
    p.add_argument("--timezone", help=_("IANA zone of naive times in the log"))
    p.add_argument("--now", help=_("evaluate clocks at this ISO 8601 instant (default: the "
                                   "current time)"))
    p.add_argument("--lang", help=_("language of the output: en or zh-CN (default: from "
                                    "LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else en)"))
    p.add_argument("--allow-fast-repeats", action="store_true",
                   help=_("accept escalation rules repeating more often than every minute"))


def build_parser(lang: str | Translator = "en") -> argparse.ArgumentParser:
    """The argument parser of the ``slakit`` command, its help and errors in ``lang``."""
    tr = translator(lang)
    _ = tr.gettext
    parser = _Parser(tr, prog="slakit",
                     description=_("Replay service-desk logs through slakit's SLA engine."))
    # Also before the command (``slakit --lang zh-CN --help``): lang_asked reads it wherever
    # it stands; its own dest keeps the command's --lang default from overwriting it.
    parser.add_argument("--lang", dest="lang_before_command", metavar="LANG",
                        help=_("language of the output: en or zh-CN (default: from "
                               "LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else en)"))
    sub = parser.add_subparsers(dest="command", required=True)

    replay = sub.add_parser("replay", tr=tr, help=_("per-ticket SLA outcomes and a compliance report"))
    _source_options(replay, tr)
    replay.add_argument("--policy", type=Path, required=True, help=_("SLA policy file"))
    replay.add_argument("--out", type=Path, help=_("write one JSON line per ticket here"))
    replay.add_argument("--report", type=Path, help=_("write the report as JSON here"))
    replay.add_argument("--html", type=Path, help=_("write a self-contained HTML report here"))
    replay.add_argument("--jobs", type=int, default=1, help=_("worker processes (default 1)"))
    replay.add_argument("--strict", action="store_true",
                        help=_("stop at the first rejected ticket or line, or at a ticket "
                               "without an SLA clock (exit 3)"))
    replay.add_argument("--quiet", action="store_true", help=_("no progress bar, no summary"))

    compare = sub.add_parser("compare", tr=tr, help=_("what-if: two policies over the same log"))
    _source_options(compare, tr)
    compare.add_argument("--policy", type=Path, action="append", required=True,
                         help=_("give exactly two: --policy A --policy B"))
    compare.add_argument("--out", type=Path, help=_("write the comparison as JSON here"))
    compare.add_argument("--limit", type=int, default=20, help=_("flips to print (default 20)"))

    explain = sub.add_parser("explain", tr=tr, help=_("every clock of one ticket, in words"))
    _source_options(explain, tr)
    explain.add_argument("ticket", help=_("the ticket id"))
    explain.add_argument("--policy", type=Path, required=True, help=_("SLA policy file"))
    explain.add_argument("--svg", type=Path, help=_("write a timeline picture here"))
    return parser
