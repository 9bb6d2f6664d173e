"""A ticket's clocks as a timeline picture (self-contained SVG, no scripts, no fonts fetched).

One lane per clock cycle: green where open time was counted, grey where the clock ran but
the desk was closed (nights, weekends, holidays), amber where it was paused, blue where time
was discarded by a priority change; a dashed line at the due time, a red cross at the
breach, and a triangle at each escalation that fired.

Every time on the picture, the axis included, is on the wall clock of the clocks' calendar
zone (the zone the explanation's text uses), and the axis says which zone that is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from html import escape

from slakit.calendar import Period
from slakit.i18n import Translator, metric_label, status_label, translator
from slakit.i18n._translator import N_
from slakit.sla import ClockResult, EscalationDecision
from slakit.workflow import TicketState

UTC = timezone.utc
WIDTH, LEFT, RIGHT, TOP, LANE = 1000, 190, 20, 64, 40
COLOURS = {"counted": "#3a9e5c", "closed": "#c9ccd1", "paused": "#e7a33e",
           "not_counted": "#8fb3e0"}
LEGEND = {"counted": N_("counted"), "closed": N_("out of hours"), "paused": N_("paused"),
          "not_counted": N_("not counted")}


def _bounds(
    ticket: TicketState, clocks: Iterable[ClockResult], now: datetime
) -> tuple[datetime, datetime]:
    points = [ticket.opened_at.astimezone(UTC), ticket.last_event_at.astimezone(UTC)]
    for c in clocks:
        for t in (c.started_at, c.ended_at, c.due_at, c.breached_at):
            if t is not None:
                points.append(t.astimezone(UTC))
    lo, hi = min(points), max(points)
    hi = min(max(hi, lo + timedelta(hours=1)), max(now.astimezone(UTC), lo + timedelta(hours=1)))
    pad = (hi - lo) * 0.04
    return lo - pad, hi + pad


def _zone(ticket: TicketState, clocks: tuple[ClockResult, ...]) -> tzinfo:
    for c in clocks:
        if c.started_at is not None and c.started_at.tzinfo is not None:
            return c.started_at.tzinfo
    return ticket.opened_at.tzinfo or UTC


def _zone_name(zone: tzinfo, at: datetime) -> str:
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else at.astimezone(zone).tzname() or "UTC"


def render_timeline(ticket: TicketState, clocks: tuple[ClockResult, ...],
                    fired: tuple[EscalationDecision, ...], now: datetime, *,
                    lang: str | Translator = "en", zone: tzinfo | None = None) -> str:
    """The SVG document of a ticket's clock timeline, its words in ``lang``.

    Times are shown in ``zone``; by default the clocks' calendar zone (else the ticket's).
    """
    tr = translator(lang)
    _ = tr.gettext
    zone = zone or _zone(ticket, clocks)
    lo, hi = _bounds(ticket, clocks, now)
    span = (hi - lo).total_seconds()
    plot = WIDTH - LEFT - RIGHT

    def x(t: datetime) -> float:
        seconds = (t.astimezone(UTC) - lo).total_seconds()
        return LEFT + plot * min(max(seconds / span, 0.0), 1.0)

    height = TOP + LANE * max(len(clocks), 1) + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
        "<title>" + escape(_("SLA timeline of ticket {ticket}").format(ticket=ticket.ticket))
        + "</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="10" y="20" font-size="15" font-weight="bold">'
        + escape(_("Ticket {ticket} - {priority}, {status}").format(
            ticket=ticket.ticket, priority=ticket.priority, status=ticket.status)) + "</text>",
    ]
    legend_x = 10
    for name, colour in COLOURS.items():
        label = _(LEGEND[name])
        parts.append(f'<rect x="{legend_x}" y="32" width="14" height="10" fill="{colour}"/>'
                     f'<text x="{legend_x + 18}" y="41">{escape(label)}</text>')
        legend_x += 30 + 8 * _width(label)
    due, breach = escape(_("due")), escape(_("breach"))
    parts.append(f'<line x1="{legend_x}" y1="37" x2="{legend_x + 14}" y2="37" stroke="#333" '
                 f'stroke-dasharray="3,2"/><text x="{legend_x + 18}" y="41">{due}</text>')
    parts.append(f'<text x="{legend_x + 50}" y="41" fill="#c0392b">&#10005; {breach}</text>'
                 f'<text x="{legend_x + 115}" y="41" fill="#6c3483">&#9650; '
                 f'{escape(_("escalation"))}</text>')

    def iso(t: datetime) -> str:
        return t.astimezone(zone).isoformat()

    for lane, c in enumerate(clocks):
        y = TOP + lane * LANE
        parts.append(f'<text x="10" y="{y + 17}">{escape(metric_label(tr, c.metric))} '
                     f'#{c.cycle}</text><text x="10" y="{y + 31}" fill="#555">'
                     f"{escape(status_label(tr, c.status))}</text>")
        parts.append(f'<rect x="{LEFT}" y="{y + 6}" width="{plot}" height="22" fill="#f4f5f7"/>')
        e = c.explanation
        if e is not None:
            for kind, periods in (("closed", e.closed), ("not_counted", e.not_counted),
                                  ("paused", e.paused), ("counted", e.counted)):
                parts.extend(_bars(periods, x, y, COLOURS[kind], iso))
        if c.due_at is not None:
            dx = x(c.due_at)
            parts.append(f'<line x1="{dx:.1f}" y1="{y + 2}" x2="{dx:.1f}" y2="{y + 32}" '
                         f'stroke="#333" stroke-dasharray="3,2"><title>{due} '
                         f"{iso(c.due_at)}</title></line>")
        if c.breached_at is not None:
            bx = x(c.breached_at)
            parts.append(f'<text x="{bx - 5:.1f}" y="{y + 22}" fill="#c0392b" font-size="14">'
                         "&#10005;<title>" + escape(_("breached {at}").format(at=iso(c.breached_at)))
                         + "</title></text>")
        for d in fired:
            if d.metric == c.metric and d.cycle == c.cycle:
                fx = x(d.fire_at)
                parts.append(f'<path d="M{fx - 5:.1f},{y + 38} L{fx + 5:.1f},{y + 38} '
                             f'L{fx:.1f},{y + 30} Z" fill="#6c3483"><title>'
                             + escape(_("{rule} at {at}: {reason}").format(
                                 rule=d.rule, at=iso(d.fire_at), reason=d.reason))
                             + "</title></path>")
    parts.extend(_axis(lo, hi, x, TOP + LANE * max(len(clocks), 1) + 8, zone,
                       _("times in {zone}").format(zone=_zone_name(zone, hi))))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _width(text: str) -> int:
    """Legend width in Latin letters: a CJK character is about two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _bars(periods: Iterable[Period], x: Callable[[datetime], float], y: int,
          colour: str, iso: Callable[[datetime], str]) -> list[str]:
    out = []
    for p in periods:
        x0, x1 = x(p.start), x(p.end)
        out.append(f'<rect x="{x0:.1f}" y="{y + 6}" width="{max(x1 - x0, 0.8):.1f}" '
                   f'height="22" fill="{colour}"><title>{iso(p.start)} - '
                   f"{iso(p.end)}</title></rect>")
    return out


def _axis(lo: datetime, hi: datetime, x: Callable[[datetime], float], y: int, zone: tzinfo,
          note: str) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#333"/>']
    span = hi - lo
    step = timedelta(hours=1)
    for candidate in (timedelta(hours=h) for h in (1, 3, 6, 12, 24, 48, 168, 720)):
        step = candidate
        if span / candidate <= 10:
            break
    tick = lo.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    if step >= timedelta(days=1):
        tick = tick.replace(hour=0)
    else:  # ticks on the local clock's round hours: 00:00, 06:00, 12:00 ... in the zone
        every = int(step.total_seconds() // 3600)
        tick = tick.replace(hour=tick.hour - tick.hour % every)
    while tick <= hi:
        if tick >= lo:
            tx = x(tick)
            label = tick.strftime("%m-%d" if step >= timedelta(days=1) else "%m-%d %H:%M")
            out.append(f'<line x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + 5}" stroke="#333"/>'
                       f'<text x="{tx:.1f}" y="{y + 18}" text-anchor="middle" '
                       f'font-size="10">{label}</text>')
        tick += step
    out.append(f'<text x="{WIDTH - RIGHT}" y="{y + 34}" text-anchor="end" font-size="10" '
               f'fill="#555">{escape(note)}</text>')
    return out
