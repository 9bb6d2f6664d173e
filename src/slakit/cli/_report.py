"""The aggregate report of a replay: the ``slakit.reports`` API over the per-ticket records.

Design rules:

* No second computation: every figure of compliance, durations, rates, satisfaction, trends,
  teams, agents, worst breaches and the breach heatmap comes from :mod:`slakit.reports`
  (:class:`~slakit.reports.ReportBuilder`, :class:`~slakit.reports.HeatmapBuilder`) fed with
  exactly the records written to ``--out``, so the report and the lines agree by construction.
  This module adds only what a replay alone knows: events, rejections, conversion notes,
  tickets without a clock, and the policy's own targets and calendars.
* Priorities come in the policy ladder's order, then unknown ones by name, then none.
* The desk's zone (periods, the heatmap, shown instants) is the zone of the calendars the
  policy's targets use (the most used one); UTC when the policy has no target.
* ``rejected`` counts tickets (a ticket with three bad lines is one rejection naming the
  three); lines that name no ticket are counted apart as ``bad_lines``.
* Tickets that got no SLA clock are counted per reason (``no_clock``) with a few ticket ids
  each, so a policy that fits none of the log's priorities cannot pass for an empty table.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import timedelta
from typing import Any

from slakit._message import render
from slakit.i18n import Translator, metric_label, translator
from slakit.i18n._durations import readable_duration
from slakit.policies import PolicySet
from slakit.replay import Rejected
from slakit.reports import HeatmapBuilder, Report, TicketOutcome
from slakit.reports import ReportBuilder as _Fold

NO_CLOCK_EXAMPLES = 20
"""Ticket ids kept per no-clock reason (every ticket's own line names its reason)."""

MET = frozenset({"met"})
BREACHED = frozenset({"breached", "breached_then_met"})
NONE_KEY = "(none)"
"""The row label of tickets with no value for a dimension (no priority, no team...)."""
MONTHLY_FROM_DAYS, WEEKLY_FROM_DAYS = 92, 14
"""Trends are per month when the tickets span at least 92 days, per week from 14, else per day."""


def desk_zone(policies: PolicySet | None) -> str:
    """The zone of the calendars the policy's targets use most; UTC without targets."""
    zones: Counter[str] = Counter()
    for policy in () if policies is None else policies.all_policies():
        for target in policy.targets:
            zones[target.calendar.calendar.zone.key] += 1
    return zones.most_common(1)[0][0] if zones else "UTC"


def _within(value: object) -> dict[str, Any]:
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds(), "text": None}
    return {"seconds": None, "text": str(value)}


def policy_targets(policies: PolicySet | None) -> list[dict[str, Any]]:
    """Every target of every policy (and of its peak windows), priorities in ladder order."""
    if policies is None:
        return []
    rank = {p: i for i, p in enumerate(policies.priorities)}
    out = []
    for policy in policies.all_policies():
        windows: list[tuple[str | None, Any]] = [(None, t) for t in policy.targets]
        windows += [(getattr(peak, "name", None), t) for peak in policy.peaks
                    for t in getattr(peak, "targets", ())]
        for peak, t in windows:
            cal = t.calendar
            out.append({"policy": policy.name, "peak": peak, "metric": t.metric,
                        "priority": t.priority, "within": _within(t.within),
                        "calendar": cal.name, "zone": cal.calendar.zone.key})
    out.sort(key=lambda d: (d["policy"], d["peak"] or "", rank.get(d["priority"], len(rank)),
                            d["priority"], d["metric"]))
    return out


def _stats(s: Any) -> dict[str, Any]:
    return {"count": s.count, "mean": s.mean, "median": s.median, "p90": s.p90}


def _label(value: str | None) -> str:
    return NONE_KEY if value is None else value


class ReportBuilder:
    """Accumulates ticket records and rejections; :meth:`build` gives the report.

    Args:
        policies: the policy set the records were judged with (ladder, metrics, targets,
            and the desk's zone); without it, priorities sort by name and the zone is UTC.
    """

    def __init__(self, policies: PolicySet | None = None) -> None:
        self.policies = policies
        self.zone = desk_zone(policies)
        ladder = policies.priorities if policies is not None else ()
        self.metric_names = tuple(m.name for m in policies.metrics) if policies else ()
        common: dict[str, Any] = {"metrics": self.metric_names, "priorities": ladder}
        self._folds = {
            "priority": _Fold(self.zone, by=("priority",), worst=10, **common),
            "day": _Fold(self.zone, by=("period",), period="day", worst=0, top=0, **common),
            "week": _Fold(self.zone, by=("period",), period="week", worst=0, top=0, **common),
            "month": _Fold(self.zone, by=("period",), period="month", worst=0, top=0, **common),
            "group": _Fold(self.zone, by=("group",), worst=0, top=0, **common),
            "assignee": _Fold(self.zone, by=("assignee",), worst=0, top=0, **common),
        }
        self._heat = HeatmapBuilder(self.zone, self.metric_names)
        self._policies: Counter[str] = Counter()
        self._notes: Counter[str] = Counter()
        self._no_clock: dict[str, list[Any]] = {}
        self.rejected: list[Rejected] = []
        self.events = 0
        self.skipped_rows = 0

    def add(self, record: dict[str, Any]) -> None:
        """Count one ticket record (a line of ``--out``)."""
        outcome = TicketOutcome.from_record(record)
        for fold in self._folds.values():
            fold.add(outcome)
        self._heat.add(outcome)
        self.events += record["events"]
        self.skipped_rows += record["skipped_rows"]
        self._policies[str(record["policy"])] += 1
        for note in record["notes"]:
            # "line 12: closed from 'new'; resolution inferred" counts as its kind.
            kind = note.split(": ", 1)[1] if note.startswith("line ") else note
            self._notes[kind.split(";")[0]] += 1
        reason = record.get("no_clock")
        if reason:
            entry = self._no_clock.setdefault(reason, [0, []])
            entry[0] += 1
            if len(entry[1]) < NO_CLOCK_EXAMPLES:
                entry[1].append(record["ticket"])

    def reject(self, rejected: Rejected) -> None:
        """Count one rejected ticket (or line naming no ticket)."""
        self.rejected.append(rejected)

    def build(self, **header: Any) -> dict[str, Any]:
        """The report as plain data; ``header`` (now, log, policy...) goes first."""
        by_priority = self._folds["priority"].build()
        rows = [(_label(r.key[0]), r) for r in by_priority.rows]
        metrics: dict[str, dict[str, Any]] = {}
        for name in by_priority.metric_names:
            table = {key: _summary(r, name) for key, r in rows}
            table = {k: v for k, v in table.items() if v["cycles"]}
            if table:
                metrics[name] = {**table, "all": _summary(by_priority.total, name)}
        span = _span_days(by_priority)
        days = span or 0.0
        period = ("month" if days >= MONTHLY_FROM_DAYS else "week" if days >= WEEKLY_FROM_DAYS
                  else "day")
        reasons = Counter(_reason_kind(r.reason) for r in self.rejected)
        bad_lines = sum(r.ticket is None for r in self.rejected)
        no_clock = sorted(self._no_clock.items(), key=lambda kv: (-kv[1][0], kv[0]))
        full = by_priority.to_mapping()
        return {
            **header,
            "zone": self.zone,
            "first_opened": full["first_opened"], "last_opened": full["last_opened"],
            "tickets": {"replayed": by_priority.total.tickets,
                        "rejected": len(self.rejected) - bad_lines, "bad_lines": bad_lines,
                        "no_clock": sum(n for n, _ in self._no_clock.values()),
                        "events": self.events, "skipped_rows": self.skipped_rows,
                        "by_priority": {key: r.tickets for key, r in rows}},
            "no_clock": [{"reason": reason, "tickets": n, "examples": examples}
                         for reason, (n, examples) in no_clock],
            "policies": dict(sorted(self._policies.items())),
            "targets": policy_targets(self.policies),
            "metrics": metrics,
            "reopen_rate": {key: r.reopen_rate for key, r in rows},
            "satisfaction": {key: dict(r.satisfaction) for key, r in rows if r.satisfaction},
            "csat": {key: r.csat for key, r in rows if r.ratings},
            "trend": {"period": period,
                      "rows": full_rows(self._folds[period].build())},
            "teams": full_rows(self._folds["group"].build()),
            "agents": full_rows(self._folds["assignee"].build()),
            "worst_breaches": full["worst_breaches"],
            "top_by_month": full["top_by_month"],
            "breach_heatmap": [h.to_mapping() for h in self._heat.build()],
            "notes": dict(self._notes.most_common()),
            "rejected": {
                "count": len(self.rejected),
                "by_reason": dict(reasons.most_common()),
                "items": [{"ticket": r.ticket, "file": r.file, "line": r.line,
                           "lines": list(r.lines or (r.line,)), "reason": r.reason}
                          for r in self.rejected],
            },
        }


def full_rows(report: Report) -> list[dict[str, Any]]:
    """The report's flat rows (one per group, :meth:`Report.columns`), no total."""
    return [{k: (_label(v) if k in report.by else v) for k, v in rec.items()}
            for rec in report.records(total=False)]


def _summary(row: Any, metric: str) -> dict[str, Any]:
    m = row.metric(metric)
    return {"cycles": m.met + m.breached + m.running + m.cancelled, "met": m.met,
            "breached": m.breached, "running": m.running, "cancelled": m.cancelled,
            "compliance": m.compliance, "business_s": _stats(m.business),
            "calendar_s": _stats(m.wall)}


def _span_days(report: Report) -> float | None:
    if report.first_opened is None or report.last_opened is None:
        return None
    return (report.last_opened - report.first_opened).total_seconds() / 86400

def _reason_kind(reason: str) -> str:
    """A reason without its particulars, for counting ("event out of order", ...)."""
    head = reason.split(";")[0].split(":")[0]
    return head.split(" at ")[0][:80]


def rejected_kinds(rejected: dict[str, Any], tr: Translator) -> dict[str, int]:
    """The report's rejections counted by kind, the kinds in ``tr``'s language.

    English is the report's own ``by_reason``. Another language counts the reasons of the
    listed rejections again, each said in that language and cut at its first ``；`` or
    ``：`` (a report read back from JSON has English reasons: they count as they are).
    """
    if tr.lang == "en":
        return dict(rejected["by_reason"])
    kinds = Counter(_reason_kind(render(i["reason"], tr).replace("；", ";").replace("：", ":"))
                    for i in rejected["items"])
    return dict(kinds.most_common())


def summary_text(report: dict[str, Any], *, lang: str | Translator = "en") -> str:
    """A short plain-text summary for the terminal, in ``lang``."""
    tr = translator(lang)
    _ = tr.gettext
    t = report["tickets"]
    counts = _("tickets: {replayed} replayed, {rejected} rejected").format(
        replayed=t["replayed"], rejected=t["rejected"])
    if t["bad_lines"]:
        counts += _(", {n} lines naming no ticket").format(n=t["bad_lines"])
    counts += _("; {n} events").format(n=t["events"])
    if t["skipped_rows"]:
        counts += _(", {n} junk rows skipped").format(n=t["skipped_rows"])
    lines = [
        _("slakit replay of {log} at now={now}").format(log=report.get("log", "?"),
                                                        now=report.get("now", "?")),
        counts,
        "",
        f"{_pad(_('metric'), 18)} {_pad(_('priority'), 12)} {_pad(_('met'), 7, '>')} "
        f"{_pad(_('breached'), 8, '>')} {_pad(_('running'), 7, '>')} "
        f"{_pad(_('compliance'), 10, '>')} {_pad(_('median business'), 16, '>')}",
    ]
    for metric, rows in report["metrics"].items():
        for priority, row in rows.items():
            rate = "-" if row["compliance"] is None else f"{row['compliance']:.1%}"
            med = readable_duration(row["business_s"]["median"], tr)
            shown = _("all") if priority == "all" else priority
            lines.append(f"{_pad(metric_label(tr, metric), 18)} {_pad(shown, 12)} {row['met']:>7} "
                         f"{row['breached']:>8} {row['running']:>7} {rate:>10} {_pad(med, 16, '>')}")
    if report["no_clock"]:
        lines.append("")
        lines.append(_("warning: {n} of {replayed} tickets got no SLA clock:").format(
            n=t["no_clock"], replayed=t["replayed"]))
        lines += ["  " + _("{n} {reason} (e.g. {examples})").format(
            n=e["tickets"], reason=render(e["reason"], tr), examples=", ".join(e["examples"][:3]))
                  for e in report["no_clock"]]
    if report["rejected"]["count"]:
        lines.append("")
        lines.append(_("rejected: {counts}").format(counts=", ".join(
            f"{n} {kind}" for kind, n in rejected_kinds(report["rejected"], tr).items())))
    return "\n".join(lines)


def _pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded to ``width`` terminal columns (a CJK character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - columns, 0)
    return text + fill if align == "<" else fill + text
