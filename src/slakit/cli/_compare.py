"""``slakit compare``: two policies over the same log, side by side, and the tickets that flip.

Each ticket is read and converted once, then judged under both policies with the same
per-ticket function as ``replay``. A *flip* is a clock cycle whose outcome class (met,
breached, running, cancelled) differs between the two; its reason gives both targets, both
deadlines and the business time each calendar counted.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any, TextIO

from slakit._message import Message
from slakit.cli._printable import printable, printable_lines
from slakit.cli._report import BREACHED, MET, ReportBuilder, summary_text
from slakit.cli._run import InputError, Source, judge_or_reject, load_checked_policy
from slakit.i18n import Translator, metric_label, status_label, translator
from slakit.replay import Rejected
from slakit.sla import SlaEngine


def outcome_class(state: str) -> str:
    """``met``, ``breached``, ``cancelled`` or ``running`` (the report's four columns)."""
    if state in MET:
        return "met"
    if state in BREACHED:
        return "breached"
    return "cancelled" if state == "cancelled" else "running"


def _outcome(tr: Translator, outcome: str) -> str:
    return tr.gettext("no clock") if outcome == "no clock" else status_label(tr, outcome)


def _hours(seconds: float | None, tr: Translator) -> str:
    return tr.gettext("no target") if seconds is None else f"{seconds / 3600:g} h"


def flips(a: dict[str, Any], b: dict[str, Any], *,
          lang: str | Translator = "en") -> list[dict[str, Any]]:
    """The clock cycles of one ticket whose outcome differs between records ``a`` and ``b``.

    Each flip's ``reason`` is a sentence in ``lang``; the other fields are data.
    """
    tr = translator(lang)
    out = []
    for metric in sorted(set(a["metrics"]) | set(b["metrics"])):
        cycles_a = {c["cycle"]: c for c in a["metrics"].get(metric, [])}
        cycles_b = {c["cycle"]: c for c in b["metrics"].get(metric, [])}
        for cycle in sorted(set(cycles_a) | set(cycles_b)):
            ca, cb = cycles_a.get(cycle), cycles_b.get(cycle)
            oa = outcome_class(ca["status"]) if ca else "no clock"
            ob = outcome_class(cb["status"]) if cb else "no clock"
            if oa == ob:
                continue
            reason = tr.gettext("A: {a}; B: {b}").format(a=_describe(ca, tr),
                                                          b=_describe(cb, tr))
            out.append({"ticket": a["ticket"], "metric": metric, "cycle": cycle,
                        "a": oa, "b": ob, "reason": reason})
    return out


def _describe(c: dict[str, Any] | None, tr: Translator) -> str:
    if c is None:
        return tr.gettext("no clock (no target for this priority)")
    return tr.gettext("target {target} on {calendar}, due {due}, {counted} h counted, "
                      "{state}").format(
        target=_hours(c["target_s"], tr), calendar=c["calendar"], due=c["due_at"],
        counted=f"{c['business_s'] / 3600:g}", state=status_label(tr, c["status"]))


def run_compare(source: Source, policies: list[Any], now: datetime,
                allow_fast_repeats: bool = False, *,
                lang: str | Translator = "en") -> dict[str, Any]:
    """Both reports and every flip, as plain data (the flips' reasons in ``lang``)."""
    engines = [SlaEngine(load_checked_policy(p, allow_fast_repeats)) for p in policies]
    builders = [ReportBuilder(engine.policies) for engine in engines]
    found: list[dict[str, Any]] = []
    for item in source.tickets():
        if isinstance(item, Rejected):
            for builder in builders:
                builder.reject(item)
            continue
        records = [judge_or_reject(item, engine, now) for engine in engines]
        for builder, record in zip(builders, records, strict=True):
            if isinstance(record, Rejected):
                builder.reject(record)
            else:
                builder.add(record)
        if not isinstance(records[0], Rejected) and not isinstance(records[1], Rejected):
            found.extend(flips(records[0], records[1], lang=lang))
    header = {"log": str(source.path), "now": now.isoformat()}
    return {
        "a": builders[0].build(policy=str(policies[0]), **header),
        "b": builders[1].build(policy=str(policies[1]), **header),
        "flips": found,
    }


def compare_command(args: argparse.Namespace, now: datetime, out: TextIO) -> int:
    """Run ``slakit compare`` and print both summaries and the first flips."""
    if len(args.policy) != 2:
        raise InputError(Message("compare needs exactly two --policy files, got {n}",
                                 n=len(args.policy)))
    source = Source.open(args.log, args.mapping, args.preset, args.timezone)
    tr = translator(args.lang)
    _ = tr.gettext
    result = run_compare(source, args.policy, now, args.allow_fast_repeats, lang=tr)
    for side in ("a", "b"):
        print(_("== policy {side}: {policy}").format(side=side.upper(),
                                                      policy=result[side]["policy"]), file=out)
        print(printable_lines(summary_text(result[side], lang=tr)), file=out)
        print(file=out)
    shown = result["flips"][: max(args.limit, 0)]
    print(_("== {n} clock outcomes flip between A and B").format(n=len(result["flips"])),
          file=out)
    for f in shown:
        print(printable(_("{ticket} {metric}#{cycle}: {a} -> {b} ({reason})").format(
            ticket=f["ticket"], metric=metric_label(tr, f["metric"]), cycle=f["cycle"],
            a=_outcome(tr, f["a"]), b=_outcome(tr, f["b"]), reason=f["reason"])), file=out)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(_("comparison: {path}").format(path=args.out), file=out)
    return 0
