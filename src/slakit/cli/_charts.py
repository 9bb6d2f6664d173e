"""The report's charts as inline SVG: compliance per priority, the trend, the breach heatmap.

Design rules:

* Each chart is one ``<svg>`` with its size, a ``<title>`` and the page's font list, drawn
  from the report data only (no computation of a measure); words come from
  :mod:`slakit.cli._labels`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from slakit.cli._labels import label

FONTS = ("system-ui, 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', "
         "'PingFang SC', sans-serif")
"""The font fallback list of the page and its charts (Chinese shaped without a bundled font)."""

MET_COLOUR, BREACH_COLOUR, BREACH_BACK, BAR_COLOUR = "#3a9e5c", "#c0392b", "#f1d4d0", "#8fb3e0"
LINE_COLOURS = ("#1f5f99", "#e67e22", "#8e44ad", "#16a085")


def num(value: int | None) -> str:
    """A count with thousands separators (``1,234``)."""
    return "-" if value is None else f"{value:,}"


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal."""
    return "-" if value is None else f"{value:.1%}"


def esc(value: object) -> str:
    """``value`` as text escaped for HTML and SVG."""
    return escape(str(value))


def _svg(width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{esc(FONTS)}" font-size="12" '
            f'role="img" class="chart">', f"<title>{esc(title)}</title>"]


def compliance_chart(metric: str, rows: dict[str, Any]) -> str:
    """Bars of compliance per priority (ladder order, then all), with the cycles in a tip."""
    names = [p for p in rows if p != "all"] + (["all"] if "all" in rows else [])
    width, bar, gap, left, top = 520, 26, 10, 110, 30
    height = top + len(names) * (bar + gap) + 30
    title = label("chart_compliance", metric=metric)
    out = _svg(width, height, title)
    out.append(f'<text x="0" y="16" font-weight="bold">{esc(title)}</text>')
    plot = width - left - 60
    for i, name in enumerate(names):
        row = rows[name]
        y = top + i * (bar + gap)
        rate = row["compliance"]
        w = 0 if rate is None else plot * rate
        tip = label("cycles_tip", met=num(row["met"]), breached=num(row["breached"]),
                    running=num(row["running"]))
        shown = label("all") if name == "all" else name
        out.append(f'<text x="0" y="{y + 17}">{esc(shown)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{plot}" height="{bar}" '
                   f'fill="{BREACH_BACK if rate is not None else "#eee"}"/>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{MET_COLOUR}">'
                   f"<title>{esc(tip)}</title></rect>")
        out.append(f'<text x="{left + plot + 6}" y="{y + 17}">{pct(rate)}</text>')
    out.append(f'<text x="{left}" y="{height - 8}" fill="#666" font-size="10">'
               f'{esc(label("chart_compliance_note"))}</text></svg>')
    return "\n".join(out)


def trend_chart(period: str, rows: list[dict[str, Any]], metrics: list[str]) -> str:
    """Tickets opened per period (bars) and each metric's compliance (lines, 0-100 %)."""
    width, height, left, right, top, bottom = 1000, 260, 50, 50, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    title = label("chart_trend", period=label(f"period_{period}"))
    out = _svg(width, height, title)
    out.append(f'<text x="0" y="16" font-weight="bold">{esc(title)}</text>')
    peak = max([r["tickets"] for r in rows] + [1])
    step = min(plot_w / max(len(rows), 1), 80.0)
    every = max(1, len(rows) // 16)
    for i, r in enumerate(rows):
        h = plot_h * r["tickets"] / peak
        x = left + i * step
        out.append(f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(step - 2, 1):.1f}"'
                   f' height="{h:.1f}" fill="{BAR_COLOUR}"><title>{esc(r["period"])}: '
                   f'{num(r["tickets"])} {esc(label("tickets"))}</title></rect>')
        if i % every == 0:
            out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 14}" font-size="9" '
                       f'text-anchor="middle">{esc(r["period"])}</text>')
    for k, metric in enumerate(metrics):
        points = [(left + (i + 0.5) * step, top + plot_h * (1 - r[f"{metric}_compliance"]))
                  for i, r in enumerate(rows) if r[f"{metric}_compliance"] is not None]
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       'stroke-width="2"/>')
            out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>'
                    for x, y in points]
        out.append(f'<text x="{left + 250 * k}" y="{height - 10}" fill="{colour}">'
                   f'{esc(metric)} {esc(label("compliance"))}</text>')
    out.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="9">'
               f'{num(peak)}</text>')
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        out.append(f'<text x="{width - right + 6}" y="{y + 4:.1f}" font-size="9">{frac:.0%}</text>')
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   'stroke="#ccc" stroke-dasharray="3,3"/>')
    out.append("</svg>")
    return "\n".join(out)


def heatmap_chart(heat: dict[str, Any]) -> str:
    """Breaches of one metric per weekday (rows) and local hour (columns)."""
    cells = heat["cells"]
    total = sum(map(sum, cells))
    cell, left, top = 30, 40, 30
    width, height = left + 24 * cell + 10, top + 7 * cell + 24
    title = label("chart_heatmap", metric=heat["metric"], n=num(total + heat["unplaced"]))
    out = _svg(width, height, title)
    out.append(f'<text x="0" y="16" font-weight="bold">{esc(title)}</text>')
    peak = max(max(row) for row in cells) or 1
    days = label("weekdays").split()
    for d, row in enumerate(cells):
        y = top + d * cell
        out.append(f'<text x="0" y="{y + 19}">{esc(days[d])}</text>')
        for h, n in enumerate(row):
            fill, shade = (BREACH_COLOUR, 0.12 + 0.88 * n / peak) if n else ("#f4f4f4", 1.0)
            out.append(f'<rect x="{left + h * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}"'
                       f' fill="{fill}" fill-opacity="{shade:.2f}">'
                       f"<title>{esc(days[d])} {h:02d}:00: {num(n)}</title></rect>")
    for h in range(0, 24, 3):
        out.append(f'<text x="{left + h * cell + cell / 2 - 1}" y="{top + 7 * cell + 14}" '
                   f'font-size="10" text-anchor="middle">{h:02d}</text>')
    out.append("</svg>")
    return "\n".join(out)
