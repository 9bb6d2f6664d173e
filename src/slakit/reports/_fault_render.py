"""The fault analysis report as Markdown and as one self-contained HTML page.

Design rules:

* Both forms show the same sections from the same rows (:func:`sections`), so they agree.
* Instants are shown as ``YYYY-MM-DD HH:MM`` in the desk's zone (named once, in the summary);
  durations as ``3 h 05 min`` (seconds shown only when there are some).
* HTML: inline CSS, no scripts, nothing fetched; every value is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from slakit.i18n import Translator, metric_label, status_label, translator
from slakit.i18n._durations import exact_duration
from slakit.reports._fault_text import LABEL

if TYPE_CHECKING:
    from slakit.reports._fault import FaultReport

Table = tuple[list[str], list[list[str]]]


def _when(t: datetime | None, missing: str = "open", tr: Translator | None = None) -> str:
    """An instant on the wall clock of its zone; the ``missing`` label for None."""
    if t is None:
        return (tr or translator()).gettext(LABEL[missing])
    return t.strftime("%Y-%m-%d %H:%M:%S" if t.second else "%Y-%m-%d %H:%M")


def _or_none_in(value: str | None, tr: Translator) -> str:
    return tr.gettext(LABEL["none"]) if value is None else value


def sections(r: FaultReport) -> list[tuple[str, Table | str]]:
    """The report's sections in order: a table (header, rows) or a paragraph each."""
    tr = translator(r.lang)
    label = {key: tr.gettext(text) for key, text in LABEL.items()}

    def when(t: datetime | None, missing: str = "open") -> str:
        return _when(t, missing, tr)

    def _or_none(value: str | None) -> str:
        return _or_none_in(value, tr)

    summary = [
        [label["subject"], r.subject or label["none"]],
        [label["priority"], r.priority],
        [label["category"], _or_none(r.category)],
        [label["root_cause"], _or_none(r.root_cause)],
        [label["affected"], f"{when(r.affected_from)} - {when(r.affected_until)}"],
        [label["impact"], _or_none(r.impact)],
        [label["zone"], r.zone],
    ]
    timeline = [[when(e.at), e.text, e.actor or ""] for e in r.timeline]
    stages = [[s.stage, when(s.started_at), when(s.ended_at, "ongoing"), exact_duration(s.wall_s, tr),
               exact_duration(s.business_s, tr)] for s in r.stages]
    marks = [[label.get(m.name, m.name), f"{metric_label(tr, m.metric)} #{m.cycle}",
              exact_duration(m.target_s, tr), exact_duration(m.business_s, tr), status_label(tr, m.status),
              when(m.due_at, "none"), when(m.ended_at, "ongoing")] for m in r.milestones]
    breaches = [[f"{metric_label(tr, b.metric)} #{b.cycle}", when(b.breached_at),
                 exact_duration(b.late_s, tr)] for b in r.breaches]
    fired = [[when(e.at), metric_label(tr, e.metric), e.rule, str(e.level), e.reason]
             for e in r.escalations]
    out: list[tuple[str, Table | str]] = [
        (label["summary"], (["", ""], summary)),
        (label["timeline"], ([label["time"], label["event"], label["actor"]], timeline)),
        (label["stages"], ([label["stage"], label["from"], label["until"], label["wall"],
                            label["business"]], stages)),
        (label["against_target"], ([label["milestone"], label["metric"], label["target"],
                                    label["business"], label["status"], label["due"],
                                    label["ended"]], marks)),
        (label["breaches"], ([label["metric"], label["breached_at"], label["late"]], breaches)),
        (label["escalations"], ([label["time"], label["metric"], label["rule"], label["level"],
                                 label["reason"]], fired)),
        (label["solution"], _or_none(r.solution)),
        (label["advice"], _or_none(r.advice)),
    ]
    return out


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(r: FaultReport) -> str:
    """The report as Markdown: a heading, then one section per :func:`sections` entry."""
    tr = translator(r.lang)
    lines = [f"# {tr.gettext(LABEL['title']).format(ticket=r.ticket)}"]
    for heading, body in sections(r):
        lines += ["", f"## {heading}", ""]
        if isinstance(body, str):
            lines.append(body)
            continue
        header, rows = body
        if not rows:
            lines.append(tr.gettext(LABEL["none"]))
            continue
        lines.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
        lines.append("|" + "|".join(" --- " for _ in header) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_CSS = (
    "body{font-family:system-ui,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;"
    "margin:2em auto;max-width:960px;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;font-size:.9em}"
    "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
)


def to_html(r: FaultReport) -> str:
    """The report as one self-contained HTML page."""
    tr = translator(r.lang)
    title = escape(tr.gettext(LABEL["title"]).format(ticket=r.ticket))
    html = '<html lang="zh-CN">' if tr.lang == "zh-CN" else "<html>"
    parts = ['<!DOCTYPE html>', f'{html}<head><meta charset="utf-8">', f"<title>{title}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{title}</h1>"]
    for heading, body in sections(r):
        parts.append(f"<h2>{escape(heading)}</h2>")
        if isinstance(body, str):
            parts.append(f"<p>{escape(body)}</p>")
            continue
        header, rows = body
        if not rows:
            parts.append(f"<p>{escape(tr.gettext(LABEL['none']))}</p>")
            continue
        parts.append("<table>")
        if any(header):
            parts.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                  for row in rows]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
