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
from typing import Any, TextIO

from slakit._errors import SlakitError
from slakit._instants import check_instant
from slakit._message import Message
from slakit.cli._parser import build_parser, lang_asked
from slakit.cli._printable import printable_lines
from slakit.cli._progress import Progress
from slakit.cli._report import summary_text
from slakit.cli._run import InputError, Source, StrictStop, run_replay
from slakit.i18n import Translator, translator

EXIT_OK, EXIT_USAGE, EXIT_STRICT, EXIT_INPUT = 0, 2, 3, 4

def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(timezone.utc)  # the command line is a host: it owns the clock
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(Message("--now: cannot read {value!r}; write ISO 8601 with an offset, "
                                 "e.g. 2017-03-01T00:00:00+00:00", value=value)) from None
    if t.tzinfo is None:
        raise InputError(Message("--now: {value!r} has no UTC offset; add one, e.g. +00:00",
                                 value=value))
    check_instant("--now", t)  # the library's supported range, stated when refused
    return t


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the command line; returns the exit code.

    The language is ``--lang`` when given, else what the locale variables of ``environ``
    (default: the process environment) ask for, else English.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    environ = os.environ if environ is None else environ
    asked = lang_asked(arguments, environ)
    try:
        args = build_parser(asked).parse_args(arguments)
    except SystemExit as exc:
        return int(exc.code or 0)
    said: Translator | None = None  # English until the language is known to be good
    try:
        chosen = args.lang if args.lang is not None else args.lang_before_command
        args.lang = translator(chosen if chosen is not None else asked)
        said = None if args.lang.lang == "en" else args.lang
        if args.command == "replay":
            return _replay(args, out, err)
        if args.command == "compare":
            from slakit.cli._compare import compare_command

            return compare_command(args, _now(args.now), out)
        from slakit.cli._explain import explain_command

        return explain_command(args, _now(args.now), out)
    except StrictStop as exc:
        print(printable_lines(f"slakit: --strict: {exc.message(said)}"), file=err)
        return EXIT_STRICT
    except SlakitError as exc:
        print(printable_lines(f"slakit: {exc.message(said)}"), file=err)
        return EXIT_INPUT
    except OSError as exc:
        print(printable_lines(f"slakit: {exc}"), file=err)
        return EXIT_INPUT


def _replay(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.jobs < 1:
        raise InputError(Message("--jobs must be at least 1"))
    source = Source.open(args.log, args.mapping, args.preset, args.timezone)
    now = _now(args.now)
    progress = Progress(err, enabled=not args.quiet and err.isatty(), lang=args.lang)
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
