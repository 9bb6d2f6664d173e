"""The ``slakit`` command: replay, compare and explain SLA outcomes over service-desk logs.

Exit codes (stable, documented in docs/cli.md):

* 0: done (rejected tickets, if any, are counted in the report);
* 2: bad command line (unknown option, missing argument);
* 3: ``--strict`` stopped at the first rejected ticket or line, or at a ticket without an
  SLA clock;
* 4: an input cannot be used (policy, mapping or log file, time zone, ticket not found).

Output files are written whole or not at all: ``--out`` goes to a temporary file renamed
into place when the run succeeds, and the reports are written after it, so a run stopped by
bad input leaves no partial output behind.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from slakit._errors import SlakitError
from slakit._instants import check_instant
from slakit.cli._printable import printable_lines
from slakit.cli._progress import Progress
from slakit.cli._report import summary_text
from slakit.cli._run import InputError, Source, StrictStop, run_replay
from slakit.i18n import lang_from_environ, translator

EXIT_OK, EXIT_USAGE, EXIT_STRICT, EXIT_INPUT = 0, 2, 3, 4

def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(timezone.utc)  # the command line is a host: it owns the clock
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--now: cannot read {value!r}; write ISO 8601 with an offset, "
                         "e.g. 2017-03-01T00:00:00+00:00") from None
    if t.tzinfo is None:
        raise InputError(f"--now: {value!r} has no UTC offset; add one, e.g. +00:00")
    check_instant("--now", t)  # the library's supported range, stated when refused
    return t


def _source_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("log", type=Path, help="event log: CSV/JSONL with a mapping, or slakit JSONL")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--mapping", help="mapping file (TOML or JSON) from columns to events")
    group.add_argument("--preset", choices=("uci", "bpic2013", "helpdesk4tu"),
                       help="a shipped mapping for a public service-desk log")
    p.add_argument("--timezone", help="IANA zone of naive times in the log")
    p.add_argument("--now", help="evaluate clocks at this ISO 8601 instant (default: the "
                                 "current time)")
    p.add_argument("--lang", help="language of the output: en or zh-CN (default: from "
                                  "LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else en)")
    p.add_argument("--allow-fast-repeats", action="store_true",
                   help="accept escalation rules repeating more often than every minute")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``slakit`` command."""
    parser = argparse.ArgumentParser(
        prog="slakit", description="Replay service-desk logs through slakit's SLA engine.")
    sub = parser.add_subparsers(dest="command", required=True)

    replay = sub.add_parser("replay", help="per-ticket SLA outcomes and a compliance report")
    _source_options(replay)
    replay.add_argument("--policy", type=Path, required=True, help="SLA policy file")
    replay.add_argument("--out", type=Path, help="write one JSON line per ticket here")
    replay.add_argument("--report", type=Path, help="write the report as JSON here")
    replay.add_argument("--html", type=Path, help="write a self-contained HTML report here")
    replay.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    replay.add_argument("--strict", action="store_true",
                        help="stop at the first rejected ticket or line, or at a ticket "
                             "without an SLA clock (exit 3)")
    replay.add_argument("--quiet", action="store_true", help="no progress bar, no summary")

    compare = sub.add_parser("compare", help="what-if: two policies over the same log")
    _source_options(compare)
    compare.add_argument("--policy", type=Path, action="append", required=True,
                         help="give exactly two: --policy A --policy B")
    compare.add_argument("--out", type=Path, help="write the comparison as JSON here")
    compare.add_argument("--limit", type=int, default=20, help="flips to print (default 20)")

    explain = sub.add_parser("explain", help="every clock of one ticket, in words")
    _source_options(explain)
    explain.add_argument("ticket", help="the ticket id")
    explain.add_argument("--policy", type=Path, required=True, help="SLA policy file")
    explain.add_argument("--svg", type=Path, help="write a timeline picture here")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the command line; returns the exit code.

    The language is ``--lang`` when given, else what the locale variables of ``environ``
    (default: the process environment) ask for, else English.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        args.lang = translator(args.lang if args.lang is not None
                               else lang_from_environ(os.environ if environ is None else environ))
        if args.command == "replay":
            return _replay(args, out, err)
        if args.command == "compare":
            from slakit.cli._compare import compare_command

            return compare_command(args, _now(args.now), out)
        from slakit.cli._explain import explain_command

        return explain_command(args, _now(args.now), out)
    except StrictStop as exc:
        print(printable_lines(f"slakit: --strict: {exc}"), file=err)
        return EXIT_STRICT
    except (SlakitError, OSError) as exc:
        print(printable_lines(f"slakit: {exc}"), file=err)
        return EXIT_INPUT


def _replay(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    source = Source.open(args.log, args.mapping, args.preset, args.timezone)
    now = _now(args.now)
    progress = Progress(err, enabled=not args.quiet and err.isatty())
    partial = args.out.with_name(f".{args.out.name}.partial") if args.out else None
    lines = partial.open("w", encoding="utf-8") if partial else None
    try:
        def write(record: dict[str, Any]) -> None:
            if lines is not None:
                lines.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")

        report = run_replay(source, args.policy, now, jobs=args.jobs, strict=args.strict,
                            on_record=write, on_progress=progress.update,
                            allow_fast_repeats=args.allow_fast_repeats)
    except BaseException:
        if lines is not None:
            lines.close()
            partial.unlink(missing_ok=True)  # type: ignore[union-attr]
        raise
    finally:
        progress.close()
    if lines is not None:
        lines.close()
        os.replace(partial, args.out)  # type: ignore[arg-type]
    if args.report:
        args.report.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                               encoding="utf-8")
    if args.html:
        from slakit.cli._html import render_report

        args.html.write_text(render_report(report, lang=args.lang), encoding="utf-8")
    if not args.quiet:
        _ = args.lang.gettext
        print(printable_lines(summary_text(report, lang=args.lang)), file=out)
        for path, what in ((args.out, _("tickets: {path}")), (args.report, _("report: {path}")),
                           (args.html, _("HTML: {path}"))):
            if path:
                print(what.format(path=path), file=out)
    return EXIT_OK
