"""The replay report as one self-contained HTML page.

Charts are inline SVG; there are no scripts and nothing is fetched from a network. Every
figure on the page comes from the report data (the same as ``--report``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from slakit.cli._report import HISTOGRAM_HOURS

_CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.muted { color: #666; } .charts { display: flex; flex-wrap: wrap; gap: 24px; }
"""

PALETTE = ("#3a9e5c", "#c0392b", "#e7a33e", "#8fb3e0")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value / 3600:.2f} h"


def compliance_chart(metric: str, rows: dict[str, Any]) -> str:
    """Bars of compliance per priority (met share of judged cycles), with counts."""
    names = [p for p in rows if p != "all"] + (["all"] if "all" in rows else [])
    width, bar, gap, left, top = 520, 26, 10, 110, 30
    height = top + len(names) * (bar + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12" role="img">',
           f"<title>Compliance per priority: {escape(metric)}</title>",
           f'<text x="0" y="16" font-weight="bold">{escape(metric)}: compliance</text>']
    plot = width - left - 60
    for i, name in enumerate(names):
        row = rows[name]
        y = top + i * (bar + gap)
        rate = row["compliance"]
        w = 0 if rate is None else plot * rate
        out.append(f'<text x="0" y="{y + 17}">{escape(name)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{plot}" height="{bar}" fill="#f1d4d0"/>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[0]}">'
                   f"<title>{row['met']} met, {row['breached']} breached, {row['running']} "
                   f"running</title></rect>")
        out.append(f'<text x="{left + plot + 6}" y="{y + 17}">{_pct(rate)}</text>')
    out.append(f'<text x="{left}" y="{height - 8}" class="muted" fill="#666" font-size="10">'
               "green: met; red: breached; running cycles are not in the rate</text>")
    out.append("</svg>")
    return "\n".join(out)


def histogram_chart(metric: str, rows: dict[str, Any]) -> str:
    """Distribution of finished-cycle business durations, all priorities together."""
    counts = rows.get("all", {}).get("business_histogram") or [0] * (len(HISTOGRAM_HOURS) + 1)
    labels = [f"<={h}h" for h in HISTOGRAM_HOURS] + [f">{HISTOGRAM_HOURS[-1]}h"]
    width, height, left, top, bottom = 520, 220, 40, 30, 40
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = max(max(counts), 1)
    step = plot_w / len(counts)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11" role="img">',
           f"<title>Business duration distribution: {escape(metric)}</title>",
           f'<text x="0" y="16" font-size="12" font-weight="bold">{escape(metric)}: business '
           "time to finish (cycles)</text>"]
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        h = plot_h * count / peak
        x = left + i * step
        out.append(f'<rect x="{x + 2:.1f}" y="{top + plot_h - h:.1f}" width="{step - 4:.1f}" '
                   f'height="{h:.1f}" fill="{PALETTE[3]}"><title>{label}: {count}</title></rect>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                   f'font-size="9">{label}</text>')
        if count:
            out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 3:.1f}" '
                       f'text-anchor="middle" font-size="9">{count}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
               'stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out)


def _metric_table(rows: dict[str, Any]) -> str:
    head = ("<tr><th>priority</th><th>met</th><th>breached</th><th>running</th>"
            "<th>cancelled</th><th>compliance</th><th>mean business</th><th>median business</th>"
            "<th>p90 business</th><th>median calendar</th><th>paused total</th></tr>")
    body = []
    for name, r in rows.items():
        b, c = r["business_s"], r["calendar_s"]
        body.append(
            f"<tr><td>{escape(name)}</td><td>{r['met']}</td><td>{r['breached']}</td>"
            f"<td>{r['running']}</td><td>{r['cancelled']}</td><td>{_pct(r['compliance'])}</td>"
            f"<td>{_hours(b['mean'])}</td><td>{_hours(b['median'])}</td><td>{_hours(b['p90'])}"
            f"</td><td>{_hours(c['median'])}</td><td>{_hours(r['paused_s_total'])}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def render_report(report: dict[str, Any]) -> str:
    """The whole HTML page."""
    t = report["tickets"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>slakit replay: {escape(str(report.get('log', '')))}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>SLA compliance report</h1>",
        f"<p>Log <code>{escape(str(report.get('log')))}</code> ({escape(str(report.get('mapping')))}"
        f" mapping), policy <code>{escape(str(report.get('policy')))}</code>, clocks evaluated at "
        f"{escape(str(report.get('now')))}.</p>",
        f"<p><b>{t['replayed']}</b> tickets replayed, <b>{t['rejected']}</b> rejected, "
        + (f"{t['bad_lines']} lines naming no ticket, " if t.get("bad_lines") else "")
        + f"{t['events']} events" + (f", {t['skipped_rows']} junk rows skipped" if t['skipped_rows']
                                   else "") + ".</p>",
        '<p class="muted">Compliance = met / (met + breached). Running cycles are counted apart '
        "and never mixed into the rate. Durations are over finished cycles.</p>",
    ]
    if report.get("no_clock"):
        parts.append(f"<h2>Tickets without an SLA clock ({t['no_clock']})</h2>"
                     "<table><tr><th>reason</th><th>tickets</th><th>for example</th></tr>"
                     + "".join(f"<tr><td>{escape(e['reason'])}</td><td>{e['tickets']}</td><td>"
                               f"{escape(', '.join(e['examples'][:5]))}</td></tr>"
                               for e in report["no_clock"]) + "</table>")
    for metric, rows in report["metrics"].items():
        parts.append(f"<h2>{escape(metric)}</h2>")
        parts.append(f'<div class="charts">{compliance_chart(metric, rows)}'
                     f"{histogram_chart(metric, rows)}</div>")
        parts.append(_metric_table(rows))
    if report.get("reopen_rate"):
        parts.append("<h2>Reopen rate</h2><table><tr><th>priority</th><th>reopened</th></tr>"
                     + "".join(f"<tr><td>{escape(p)}</td><td>{_pct(v)}</td></tr>"
                               for p, v in report["reopen_rate"].items()) + "</table>")
    if report.get("satisfaction"):
        parts.append("<h2>Satisfaction</h2><table><tr><th>priority</th><th>scores (1-5)</th></tr>"
                     + "".join(f"<tr><td>{escape(p)}</td><td>"
                               + ", ".join(f"{escape(k)} {v:.2f}" for k, v in s.items())
                               + "</td></tr>" for p, s in report["satisfaction"].items())
                     + "</table>")
    if report.get("notes"):
        parts.append("<h2>What the log needed</h2><table><tr><th>note</th><th>tickets</th></tr>"
                     + "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>"
                               for k, v in report["notes"].items()) + "</table>")
    rej = report["rejected"]
    parts.append(f"<h2>Rejected ({rej['count']})</h2>")
    if rej["count"]:
        parts.append("<table><tr><th>reason</th><th>count</th></tr>"
                     + "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>"
                               for k, v in rej["by_reason"].items()) + "</table>")
        parts.append("<table><tr><th>where</th><th>ticket</th><th>reason</th></tr>"
                     + "".join(f"<tr><td>{escape(i['file'])}:{i['line']}</td><td>"
                               f"{escape(str(i['ticket']))}</td><td>{escape(i['reason'])}</td></tr>"
                               for i in rej["items"][:200]) + "</table>")
        if rej["count"] > 200:
            parts.append(f'<p class="muted">... {rej["count"] - 200} more in the JSON report.</p>')
    else:
        parts.append("<p>None: every ticket of the log was replayed.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
