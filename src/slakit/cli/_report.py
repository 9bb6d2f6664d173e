"""The aggregate report of a replay, computed from the per-ticket records themselves.

Design rules:

* The report is a fold over exactly the records written to ``--out`` (and the rejections),
  so its figures and the per-ticket lines agree by construction.
* Compliance is ``met / (met + breached)``; a cycle is *met* when its clock stopped within
  target, *breached* when it stopped late or is still open past its due time. Cycles still
  running within target (or paused, or not started) are counted apart as ``running``;
  cancelled cycles apart as ``cancelled``. Neither is mixed into the rate.
* Durations (business and calendar time) are taken over finished cycles. Mean, median
  (the middle value, or the mean of the two middle values) and p90 (nearest rank: the
  smallest value with at least 90 % of values at or below it) are exact. The report keeps
  each distinct duration once, with how often it occurs, never the events: real logs have
  few distinct durations (minute or second resolution), so memory follows them rather than
  the number of tickets.
* ``rejected`` counts tickets (a ticket with three bad lines is one rejection naming the
  three); lines that name no ticket are counted apart as ``bad_lines``.
* Tickets that got no SLA clock are counted per reason (``no_clock``) with a few ticket ids
  each, so a policy that fits none of the log's priorities cannot pass for an empty table.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from typing import Any

from slakit.i18n import Translator, metric_label, translator
from slakit.replay import Rejected

NO_CLOCK_EXAMPLES = 20
"""Ticket ids kept per no-clock reason (every ticket's own line names its reason)."""

HISTOGRAM_HOURS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
"""Upper bounds (hours) of the duration histogram's bins; a last bin holds the rest."""

MET = frozenset({"met"})
BREACHED = frozenset({"breached", "breached_then_met"})
FINISHED = frozenset({"met", "breached_then_met"})


def _stats(values: Counter[float]) -> dict[str, float | None]:
    """Exact mean, median and nearest-rank p90 of a multiset of durations."""
    n = sum(values.values())
    if not n:
        return {"mean": None, "median": None, "p90": None}
    ordered = sorted(values.items())

    def nth(rank: int) -> float:  # the rank-th smallest value, counting from 0
        seen = 0
        for value, count in ordered:
            seen += count
            if rank < seen:
                return value
        raise AssertionError("rank beyond the multiset")

    mid = n // 2
    median = nth(mid) if n % 2 else (nth(mid - 1) + nth(mid)) / 2
    return {
        "mean": math.fsum(v for v, c in ordered for _ in range(c)) / n,
        "median": median,
        "p90": nth(max(0, math.ceil(0.9 * n) - 1)),
    }


def _histogram(values: Counter[float]) -> list[int]:
    """Counts of finished-cycle durations per bin of :data:`HISTOGRAM_HOURS` (+ overflow)."""
    counts = [0] * (len(HISTOGRAM_HOURS) + 1)
    for seconds, times in values.items():
        hours = seconds / 3600
        k = next((i for i, bound in enumerate(HISTOGRAM_HOURS) if hours <= bound),
                 len(HISTOGRAM_HOURS))
        counts[k] += times
    return counts


class _Cell:
    """Counts and durations of one (metric, priority) pair."""

    __slots__ = ("business", "calendar", "counts", "paused")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.business: Counter[float] = Counter()
        self.calendar: Counter[float] = Counter()
        self.paused = 0.0

    def add(self, cycle: dict[str, Any]) -> None:
        state = cycle["state"]
        if state in MET:
            self.counts["met"] += 1
        elif state in BREACHED:
            self.counts["breached"] += 1
        elif state == "cancelled":
            self.counts["cancelled"] += 1
        else:
            self.counts["running"] += 1
        self.paused += cycle["paused_s"]
        if state in FINISHED:
            self.business[cycle["business_s"]] += 1
            if cycle["calendar_s"] is not None:
                self.calendar[cycle["calendar_s"]] += 1

    def summary(self) -> dict[str, Any]:
        met, breached = self.counts["met"], self.counts["breached"]
        return {
            "met": met,
            "breached": breached,
            "running": self.counts["running"],
            "cancelled": self.counts["cancelled"],
            "compliance": met / (met + breached) if met + breached else None,
            "business_s": _stats(self.business),
            "calendar_s": _stats(self.calendar),
            "business_histogram": _histogram(self.business),
            "paused_s_total": self.paused,
        }


class ReportBuilder:
    """Accumulates ticket records and rejections; :meth:`build` gives the report."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, str], _Cell] = {}
        self._tickets: Counter[str] = Counter()
        self._reopened: Counter[str] = Counter()
        self._ratings: dict[str, dict[str, list[int]]] = {}
        self._policies: Counter[str] = Counter()
        self._notes: Counter[str] = Counter()
        self._no_clock: dict[str, list[Any]] = {}
        self.rejected: list[Rejected] = []
        self.events = 0
        self.skipped_rows = 0

    def add(self, record: dict[str, Any]) -> None:
        """Count one ticket record."""
        priority = str(record["priority"])
        self._tickets[priority] += 1
        self.events += record["events"]
        self.skipped_rows += record["skipped_rows"]
        self._policies[str(record["policy"])] += 1
        if record["reopens"]:
            self._reopened[priority] += 1
        for note in record["notes"]:
            # "line 12: closed from 'new'; resolution inferred" counts as its kind.
            kind = note.split(": ", 1)[1] if note.startswith("line ") else note
            self._notes[kind.split(";")[0]] += 1
        for metric, cycles in record["metrics"].items():
            cell = self._cells.get((metric, priority))
            if cell is None:
                cell = self._cells[metric, priority] = _Cell()
            for cycle in cycles:
                cell.add(cycle)
        reason = record.get("no_clock")
        if reason:
            entry = self._no_clock.setdefault(reason, [0, []])
            entry[0] += 1
            if len(entry[1]) < NO_CLOCK_EXAMPLES:
                entry[1].append(record["ticket"])
        rating = record["satisfaction"]
        if rating:
            scores = self._ratings.setdefault(priority, {})
            for key, value in rating.items():
                if value is not None:
                    scores.setdefault(key, []).append(value)

    def reject(self, rejected: Rejected) -> None:
        """Count one rejected ticket (or line naming no ticket)."""
        self.rejected.append(rejected)

    def build(self, **header: Any) -> dict[str, Any]:
        """The report as plain data; ``header`` (now, log, policy...) goes first."""
        metrics: dict[str, dict[str, Any]] = {}
        for (metric, priority), cell in sorted(self._cells.items()):
            metrics.setdefault(metric, {})[priority] = cell.summary()
        for metric, rows in metrics.items():
            total = _Cell()
            for (m, _), cell in self._cells.items():
                if m == metric:
                    total.counts.update(cell.counts)
                    total.business.update(cell.business)
                    total.calendar.update(cell.calendar)
                    total.paused += cell.paused
            rows["all"] = total.summary()
        reasons = Counter(_reason_kind(r.reason) for r in self.rejected)
        bad_lines = sum(r.ticket is None for r in self.rejected)
        no_clock = sorted(self._no_clock.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return {
            **header,
            "tickets": {"replayed": sum(self._tickets.values()),
                        "rejected": len(self.rejected) - bad_lines, "bad_lines": bad_lines,
                        "no_clock": sum(n for n, _ in self._no_clock.values()),
                        "events": self.events, "skipped_rows": self.skipped_rows,
                        "by_priority": dict(sorted(self._tickets.items()))},
            "no_clock": [{"reason": reason, "tickets": n, "examples": examples}
                         for reason, (n, examples) in no_clock],
            "policies": dict(sorted(self._policies.items())),
            "metrics": metrics,
            "reopen_rate": {p: self._reopened[p] / n for p, n in sorted(self._tickets.items())},
            "satisfaction": {p: {k: sum(v) / len(v) for k, v in sorted(s.items())}
                             for p, s in sorted(self._ratings.items())},
            "notes": dict(self._notes.most_common()),
            "rejected": {
                "count": len(self.rejected),
                "by_reason": dict(reasons.most_common()),
                "items": [{"ticket": r.ticket, "file": r.file, "line": r.line,
                           "lines": list(r.lines or (r.line,)), "reason": r.reason}
                          for r in self.rejected],
            },
        }


def _reason_kind(reason: str) -> str:
    """A reason without its particulars, for counting ("event out of order", ...)."""
    head = reason.split(";")[0].split(":")[0]
    return head.split(" at ")[0][:80]


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
            median = row["business_s"]["median"]
            med = "-" if median is None else _hours(median)
            lines.append(f"{_pad(metric_label(tr, metric), 18)} {priority:<12} {row['met']:>7} "
                         f"{row['breached']:>8} {row['running']:>7} {rate:>10} {med:>16}")
    if report["no_clock"]:
        lines.append("")
        lines.append(_("warning: {n} of {replayed} tickets got no SLA clock:").format(
            n=t["no_clock"], replayed=t["replayed"]))
        lines += ["  " + _("{n} {reason} (e.g. {examples})").format(
            n=e["tickets"], reason=e["reason"], examples=", ".join(e["examples"][:3]))
                  for e in report["no_clock"]]
    if report["rejected"]["count"]:
        lines.append("")
        lines.append(_("rejected: {counts}").format(counts=", ".join(
            f"{n} {kind}" for kind, n in report["rejected"]["by_reason"].items())))
    return "\n".join(lines)


def _pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded to ``width`` terminal columns (a CJK character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - columns, 0)
    return text + fill if align == "<" else fill + text


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h"
