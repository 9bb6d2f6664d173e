"""The replay report as one self-contained HTML page.

Design rules:

* Charts are inline SVG; there are no scripts and nothing is fetched from a network. Every
  figure on the page comes from the report data (the same as ``--report``), which comes
  from :mod:`slakit.reports`: the page formats, it never computes a measure.
* Every word comes from :mod:`slakit.cli._labels`; numbers carry thousands separators and
  durations read as ``3 d 4 h``.
* Chinese text is shaped with a font fallback list (no bundled font): Noto Sans CJK SC,
  Source Han Sans SC, Microsoft YaHei, PingFang SC, then the system's sans-serif.
"""

from __future__ import annotations

from typing import Any

from slakit.cli._charts import FONTS, compliance_chart, heatmap_chart, num, pct, trend_chart
from slakit.cli._charts import esc as _e
from slakit.cli._labels import duration, label, labels_in, said
from slakit.cli._report import rejected_kinds
from slakit.i18n import Translator, translator

_CSS = """
body { font-family: FONTS; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; white-space: nowrap; }
.muted { color: #666; } .charts { display: flex; flex-wrap: wrap; gap: 24px; }
.warning { border: 2px solid #c0392b; background: #fdf0ee; padding: 0.5em 1em; margin: 1em 0; }
.warning h2 { color: #c0392b; border: none; margin-top: 0.3em; }
""".replace("FONTS", FONTS)

AGENT_ROWS = 20
"""Teams and agents shown (most tickets first); the JSON report has them all."""
MAIN_METRICS = ("first_response", "resolution")
"""Shown first in the trend, team and agent figures."""
SHOWN_METRICS = 2
"""How many metrics the trend, team and agent figures show (the JSON report has them all)."""


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def _metric_table(rows: dict[str, Any]) -> str:
    head = [label(k) for k in ("priority", "met", "breached", "running", "cancelled",
                               "compliance", "mean_business", "median_business",
                               "p90_business", "median_wall")]
    body = []
    for name, r in rows.items():
        b, c = r["business_s"], r["calendar_s"]
        body.append([_e(label("all") if name == "all" else name), num(r["met"]),
                     num(r["breached"]), num(r["running"]), num(r["cancelled"]),
                     pct(r["compliance"]), duration(b["mean"]), duration(b["median"]),
                     duration(b["p90"]), duration(c["median"])])
    return _table(head, body)


def _targets(report: dict[str, Any]) -> str:
    """Rows per policy, peak window and priority (ladder order); one column per metric."""
    targets = report.get("targets") or []
    if not targets:
        return f"<p>{_e(label('no_targets'))}</p>"
    names = sorted({t["metric"] for t in targets})
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for t in targets:  # already in ladder order
        within = t["within"]
        span = duration(within["seconds"]) if within["seconds"] is not None else within["text"]
        cell = rows.setdefault((t["policy"], t["peak"] or "", t["priority"]), {})
        cell[t["metric"]] = f"{span} ({t['calendar']}, {t['zone']})"
    head = [label("policy"), label("peak"), label("priority"), *names]
    return _table(head, [[_e(p), _e(k), _e(pr), *(_e(c.get(m, "-")) for m in names)]
                         for (p, k, pr), c in rows.items()])


def _group_table(key: str, rows: list[dict[str, Any]], metrics: list[str],
                 period: bool = False) -> str:
    shown = rows if period else sorted(rows, key=lambda r: -r["tickets"])[:AGENT_ROWS]
    head = [label(key), label("tickets"), label("resolution_rate"), label("reopened"),
            label("csat")] + ([label("backlog")] if period else [])
    for m in metrics:
        head += [f"{m} {label('compliance')}", f"{m} {label('median_business')}"]
    name = "period" if period else key.replace("team", "group").replace("agent", "assignee")
    body = []
    for r in shown:
        cells = [_e(r[name]), num(r["tickets"]), pct(r["resolution_rate"]), pct(r["reopen_rate"]),
                 pct(r["csat"])] + ([num(r["backlog"])] if period else [])
        for m in metrics:
            cells += [pct(r[f"{m}_compliance"]), duration(r[f"{m}_business_median_s"])]
        body.append(cells)
    more = len(rows) - len(shown)
    tail = f'<p class="muted">{_e(label("more_rows", n=num(more)))}</p>' if more > 0 else ""
    return _table(head, body) + tail


def _worst(report: dict[str, Any]) -> str:
    worst = report.get("worst_breaches") or []
    if not worst:
        return f"<p>{_e(label('worst_none'))}</p>"
    head = [label(k) for k in ("ticket", "metric", "priority", "target", "took", "late_by",
                               "due", "ended")]
    rows = [[_e(b["ticket"]), _e(f"{b['metric']} #{b['cycle']}"), _e(b["priority"] or ""),
             duration(b["target_s"]), duration(b["business_s"]),
             duration(b["late_business_s"]), _e(_when(b["due_at"])), _e(_when(b["ended_at"]))]
            for b in worst]
    return _table(head, rows)


def _when(iso: str | None) -> str:
    return "-" if iso is None else iso[:16].replace("T", " ")


def _header(report: dict[str, Any]) -> list[str]:
    t = report["tickets"]
    line = label("counts", replayed=num(t["replayed"]), rejected=num(t["rejected"]),
                 events=num(t["events"]))
    if t.get("bad_lines"):
        line += " " + label("bad_lines", n=num(t["bad_lines"]))
    if t.get("skipped_rows"):
        line += " " + label("junk_rows", n=num(t["skipped_rows"]))
    zone = str(report.get("zone", "UTC"))
    first, last = report.get("first_opened"), report.get("last_opened")
    when = (label("period", first=_when(first), last=_when(last), zone=zone) if first and last
            else label("period_none", zone=zone))
    intro = label("intro", log=f"<code>{_e(report.get('log'))}</code>",
                  mapping=_e(report.get("mapping")), policy=f"<code>{_e(report.get('policy'))}</code>",
                  now=_e(report.get("now")))
    return [f"<h1>{_e(label('title'))}</h1>", f"<p>{intro}</p>", f"<p><b>{_e(line)}</b></p>",
            f"<p>{_e(when)}</p>", f'<p class="muted">{_e(label("rule"))}</p>']


def _no_clock(report: dict[str, Any]) -> str:
    if not report.get("no_clock"):
        return ""
    t = report["tickets"]
    rows = [[_e(said(e["reason"])), num(e["tickets"]), _e(", ".join(e["examples"][:5]))]
            for e in report["no_clock"]]
    return ('<section class="warning">'
            f'<h2>{_e(label("no_clock_title", n=num(t["no_clock"]), total=num(t["replayed"])))}</h2>'
            f'<p>{_e(label("no_clock_text"))}</p>'
            + _table([label("reason"), label("tickets"), label("examples")], rows) + "</section>")


def main_metrics(metrics: list[str]) -> list[str]:
    """The metrics the trend, team and agent figures show: the main ones first, 2 at most."""
    first = [m for m in MAIN_METRICS if m in metrics]
    return (first + [m for m in metrics if m not in first])[:SHOWN_METRICS]


def render_report(report: dict[str, Any], *, lang: str | Translator = "en") -> str:
    """The whole HTML page, its words in ``lang`` (``"en"`` or ``"zh-CN"``)."""
    with labels_in(lang) as tr:
        return _page(report, tr.lang)


def _page(report: dict[str, Any], lang: str) -> str:
    metrics = main_metrics(list(report["metrics"]))
    parts = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
             f"<title>{_e(label('title'))}: {_e(report.get('log', ''))}</title>",
             f"<style>{_CSS}</style></head><body>", *_header(report), _no_clock(report),
             f"<h2>{_e(label('targets_title'))}</h2>", _targets(report)]
    for metric, rows in report["metrics"].items():
        parts.append(f"<h2>{_e(metric)}</h2>")
        parts.append(f'<div class="charts">{compliance_chart(metric, rows)}</div>')
        parts.append(_metric_table(rows))
    trend = report.get("trend")
    if trend and trend["rows"]:
        period = label(f"period_{trend['period']}")
        parts.append(f"<h2>{_e(label('trend_title', period=period))}</h2>")
        parts.append(trend_chart(trend["period"], trend["rows"], metrics))
        parts.append(_group_table(f"period_{trend['period']}", trend["rows"], metrics, True))
    heat = [h for h in report.get("breach_heatmap", []) if h["metric"] in report["metrics"]]
    if heat:
        parts.append(f"<h2>{_e(label('heatmap_title', zone=str(report.get('zone'))))}</h2>")
        for h in heat:
            if sum(map(sum, h["cells"])):
                parts.append(heatmap_chart(h))
            else:
                parts.append(f"<p>{_e(label('heatmap_none', metric=h['metric']))}</p>")
            if h["unplaced"]:
                parts.append(f'<p class="muted">{_e(label("heatmap_unplaced", n=num(h["unplaced"])))}</p>')
    parts.append(f"<h2>{_e(label('worst_title'))}</h2>{_worst(report)}")
    for key, title in (("teams", "teams_title"), ("agents", "agents_title")):
        rows = report.get(key) or []
        if rows:
            parts.append(f"<h2>{_e(label(title))}</h2>")
            parts.append(_group_table("team" if key == "teams" else "agent", rows, metrics))
    if report.get("reopen_rate"):
        sat = report.get("satisfaction", {})
        parts.append(f"<h2>{_e(label('reopen_title'))}</h2>" + _table(
            [label("priority"), label("reopened"), label("csat"), label("satisfaction")],
            [[_e(p), pct(v), pct(report.get("csat", {}).get(p)),
              _e(", ".join(f"{k} {s:.2f}" for k, s in sat.get(p, {}).items()) or "-")]
             for p, v in report["reopen_rate"].items()]))
    if report.get("notes"):
        parts.append(f"<h2>{_e(label('notes_title'))}</h2>" + _table(
            [label("note"), label("tickets")],
            [[_e(k), num(v)] for k, v in report["notes"].items()]))
    parts += _rejected(report["rejected"], lang)
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"


def _rejected(rej: dict[str, Any], lang: str) -> list[str]:
    out = [f"<h2>{_e(label('rejected_title', n=num(rej['count'])))}</h2>"]
    if not rej["count"]:
        return [*out, f"<p>{_e(label('rejected_none'))}</p>"]
    kinds = rejected_kinds(rej, translator(lang))
    out.append(_table([label("reason"), label("count")],
                      [[_e(k), num(v)] for k, v in kinds.items()]))
    out.append(_table([label("where"), label("ticket"), label("reason")],
                      [[f"{_e(i['file'])}:{i['line']}", _e(i["ticket"]), _e(said(i["reason"]))]
                       for i in rej["items"][:200]]))
    if rej["count"] > 200:
        out.append(f'<p class="muted">{_e(label("more_rows", n=num(rej["count"] - 200)))}</p>')
    return out
