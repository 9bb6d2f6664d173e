"""Every human word of the HTML report, in one place (English; the zh catalogue wraps these).

Design rules:

* The page (:mod:`slakit.cli._html`) writes no sentence of its own: it calls :func:`label`
  with a key and named values, so a translation replaces this table and nothing else.
* Numbers and durations are formatted before they are put in (thousands separators,
  readable durations), so a sentence never formats a number itself.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "title": "SLA compliance report",
    "intro": "Log {log} ({mapping} mapping), policy {policy}, clocks evaluated at {now}.",
    "counts": "{replayed} tickets replayed, {rejected} rejected, {events} events.",
    "bad_lines": "{n} lines naming no ticket.",
    "junk_rows": "{n} junk rows skipped.",
    "period": "Tickets opened from {first} to {last}; times in {zone}.",
    "period_none": "No ticket was replayed; times in {zone}.",
    "rule": "Compliance = met / (met + breached). Running cycles are counted apart and never "
            "mixed into the rate. Durations are over finished cycles, in business time of "
            "the target's calendar (d = 24 h).",
    "no_clock_title": "Warning: {n} of {total} tickets got no SLA clock",
    "no_clock_text": "These tickets are in no compliance figure below. Fix the policy (a "
                     "target for their priority, or a fallback policy) or the log mapping.",
    "reason": "reason", "tickets": "tickets", "examples": "for example",
    "targets_title": "Targets and calendars", "policy": "policy", "peak": "peak window",
    "metric": "metric", "priority": "priority", "within": "within", "calendar": "calendar",
    "zone": "zone", "no_targets": "The policy set has no target.",
    "met": "met", "breached": "breached", "running": "running", "cancelled": "cancelled",
    "compliance": "compliance", "mean_business": "mean business",
    "median_business": "median business", "p90_business": "p90 business",
    "median_wall": "median wall time",
    "all": "all",
    "chart_compliance": "{metric}: compliance per priority",
    "chart_compliance_note": "green: met; red: breached; running cycles are not in the rate",
    "cycles_tip": "{met} met, {breached} breached, {running} running",
    "trend_title": "Trend per {period}",
    "period_day": "day", "period_week": "week", "period_month": "month",
    "chart_trend": "Tickets opened (bars) and compliance (lines) per {period}",
    "backlog": "backlog at end", "reopened": "reopen rate",
    "csat": "CSAT (4-5)", "resolution_rate": "resolution rate",
    "teams_title": "Per team", "agents_title": "Per agent", "team": "team", "agent": "agent",
    "more_rows": "... {n} more in the JSON report.",
    "heatmap_title": "When breaches happen (weekday x hour, {zone})",
    "chart_heatmap": "{metric}: {n} breaches by weekday and hour",
    "heatmap_unplaced": "{n} breaches have no known instant and are not placed.",
    "heatmap_none": "{metric}: no breach.",
    "weekdays": "Mon Tue Wed Thu Fri Sat Sun",
    "worst_title": "Worst breaches", "worst_none": "No breach.",
    "ticket": "ticket", "target": "target", "took": "took", "late_by": "late by (business)",
    "due": "due", "ended": "ended",
    "reopen_title": "Reopen rate and satisfaction", "satisfaction": "satisfaction (1-5)",
    "notes_title": "What the log needed", "note": "note",
    "rejected_title": "Rejected ({n})", "count": "count", "where": "where",
    "rejected_none": "None: every ticket of the log was replayed.",
}


def label(key: str, **values: str) -> str:
    """The sentence ``key`` with ``values`` put in (already formatted text)."""
    return LABELS[key].format(**values)
