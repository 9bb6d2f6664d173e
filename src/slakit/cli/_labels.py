"""Every human word of the HTML report, in one place, marked for the gettext catalogues.

Design rules:

* The page (:mod:`slakit.cli._html`) writes no sentence of its own: it calls :func:`label`
  with a key and named values; the values here are msgids of :mod:`slakit.i18n`.
* The language is scoped to one render: :func:`labels_in` sets it in a ``ContextVar`` and
  resets it on exit, so the page's many ``label`` calls need no parameter, and renders in
  other threads or tasks keep their own language. Outside ``labels_in``: English.
* Numbers and durations are formatted before they are put in (thousands separators,
  readable durations), so a sentence never formats a number itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from slakit._message import render
from slakit.i18n import Translator, translator
from slakit.i18n._durations import readable_duration
from slakit.i18n._translator import N_

LABELS: dict[str, str] = {
    "title": N_("SLA compliance report"),
    "intro": N_("Log {log} ({mapping} mapping), policy {policy}, clocks evaluated at {now}."),
    "counts": N_("{replayed} tickets replayed, {rejected} rejected, {events} events."),
    "bad_lines": N_("{n} lines naming no ticket."),
    "junk_rows": N_("{n} junk rows skipped."),
    "period": N_("Tickets opened from {first} to {last}; times in {zone}."),
    "period_none": N_("No ticket was replayed; times in {zone}."),
    "rule": N_("Compliance = met / (met + breached). Running cycles are counted apart and never "
               "mixed into the rate. Durations are over finished cycles, in business time of "
               "the target's calendar (d = 24 h)."),
    "no_clock_title": N_("Warning: {n} of {total} tickets got no SLA clock"),
    "no_clock_text": N_("These tickets are in no compliance figure below. Fix the policy (a "
                        "target for their priority, or a fallback policy) or the log mapping."),
    "reason": N_("reason"), "tickets": N_("tickets"), "examples": N_("for example"),
    "targets_title": N_("Targets and calendars"), "policy": N_("policy"), "peak": N_("peak window"),
    "metric": N_("metric"),
    "priority": N_("priority"),
    "within": N_("within"),
    "calendar": N_("calendar"),
    "zone": N_("zone"), "no_targets": N_("The policy set has no target."),
    "met": N_("met"),
    "breached": N_("breached"),
    "running": N_("running"),
    "cancelled": N_("cancelled"),
    "compliance": N_("compliance"), "mean_business": N_("mean business"),
    "median_business": N_("median business"), "p90_business": N_("p90 business"),
    "median_wall": N_("median wall time"),
    "all": N_("all"),
    "chart_compliance": N_("{metric}: compliance per priority"),
    "chart_compliance_note": N_("green: met; red: breached; running cycles are not in the rate"),
    "cycles_tip": N_("{met} met, {breached} breached, {running} running"),
    "trend_title": N_("Trend per {period}"),
    "period_day": N_("day"), "period_week": N_("week"), "period_month": N_("month"),
    "chart_trend": N_("Tickets opened (bars) and compliance (lines) per {period}"),
    "backlog": N_("backlog at end"), "reopened": N_("reopen rate"),
    "csat": N_("CSAT (4-5)"), "resolution_rate": N_("resolution rate"),
    "teams_title": N_("Per team"),
    "agents_title": N_("Per agent"),
    "team": N_("team"),
    "agent": N_("agent"),
    "more_rows": N_("... {n} more in the JSON report."),
    "heatmap_title": N_("When breaches happen (weekday x hour, {zone})"),
    "chart_heatmap": N_("{metric}: {n} breaches by weekday and hour"),
    "heatmap_unplaced": N_("{n} breaches have no known instant and are not placed."),
    "heatmap_none": N_("{metric}: no breach."),
    "weekdays": N_("Mon Tue Wed Thu Fri Sat Sun"),
    "worst_title": N_("Worst breaches"), "worst_none": N_("No breach."),
    "ticket": N_("ticket"),
    "target": N_("target"),
    "took": N_("took"),
    "late_by": N_("late by (business)"),
    "due": N_("due"), "ended": N_("ended"),
    "reopen_title": N_("Reopen rate and satisfaction"), "satisfaction": N_("satisfaction (1-5)"),
    "notes_title": N_("What the log needed"), "note": N_("note"),
    "rejected_title": N_("Rejected ({n})"), "count": N_("count"), "where": N_("where"),
    "rejected_none": N_("None: every ticket of the log was replayed."),
}


_LANG: ContextVar[Translator | None] = ContextVar("slakit_html_labels", default=None)


@contextmanager
def labels_in(lang: str | Translator) -> Iterator[Translator]:
    """Within the block, :func:`label` speaks ``lang`` (raises UnknownLanguageError first)."""
    tr = translator(lang)
    token = _LANG.set(tr)
    try:
        yield tr
    finally:
        _LANG.reset(token)


def said(text: str) -> str:
    """A sentence slakit built (a reason, a note) in the render's language, if it can be."""
    return render(text, _LANG.get())


def duration(seconds: float | None) -> str:
    """A duration (``3 d 4 h``) in the render's language."""
    return readable_duration(seconds, _LANG.get())


def label(key: str, **values: str) -> str:
    """The sentence ``key`` in the render's language, with ``values`` put in (formatted text)."""
    tr = _LANG.get()
    return (LABELS[key] if tr is None else tr.gettext(LABELS[key])).format(**values)
