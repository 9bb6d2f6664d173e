"""``slakit explain``: every clock of one ticket, in words, and optionally as a timeline.

Text from the log (ticket ids, priorities) is printed with control characters and escape
sequences escaped (see :mod:`slakit.cli._printable`).

It answers "why is this breached?" from the same machine-readable explanation the engine
gives hosts: the periods counted, the out-of-hours periods skipped, the pauses, and each
target change with the deadlines before and after.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TextIO

from slakit._message import Message
from slakit.calendar import Period
from slakit.cli._printable import printable
from slakit.cli._run import InputError, Source, load_checked_policy
from slakit.i18n import Translator, metric_label, translator
from slakit.i18n._translator import N_
from slakit.i18n._words import weekday_time
from slakit.replay import Rejected, TicketLog
from slakit.sla import ClockResult, EscalationDecision, SlaEngine, due_escalations, evaluate_clocks
from slakit.workflow import TicketState

UTC = timezone.utc


def find_ticket(source: Source, ticket: str) -> TicketLog:
    """The ticket's events, read from the log (stops reading once it has passed)."""
    for item in source.tickets():
        if item.ticket != ticket:
            continue
        if isinstance(item, Rejected):
            raise InputError(Message("ticket {ticket} cannot be replayed: {why}", ticket=ticket,
                                     why=item.describe()))
        return item
    raise InputError(Message("ticket {ticket!r} is not in {path}", ticket=ticket,
                             path=source.path))


def _span(d: timedelta) -> str:
    total = int(d.total_seconds())
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours}:{rest // 60:02}"


def _t(value: datetime | None, tr: Translator, zone: tzinfo | None = None) -> str:
    if value is None:
        return "-"
    return weekday_time(tr, value if zone is None else value.astimezone(zone))


def _periods(tr: Translator, label: str, periods: tuple[Period, ...], limit: int = 6) -> list[str]:
    if not periods:
        return []
    total = sum((p.duration for p in periods), timedelta())
    lines = ["    " + tr.gettext("{label}: {n} period(s), {total} in all").format(
        label=label, n=len(periods), total=_span(total))]
    for p in periods[:limit]:
        lines.append(f"      {_t(p.start, tr)} -> {_t(p.end, tr)}  ({_span(p.duration)})")
    if len(periods) > limit:
        lines.append("      " + tr.gettext("... and {n} more").format(n=len(periods) - limit))
    return lines


def _zone_of(ticket: TicketState, clocks: tuple[ClockResult, ...]) -> tzinfo | None:
    """The zone the clocks are shown in: their calendar's (the first clock's)."""
    for c in clocks:
        if c.started_at is not None:
            return c.started_at.tzinfo
    return ticket.opened_at.tzinfo


def explain_lines(ticket: TicketState, clocks: tuple[ClockResult, ...],
                  fired: tuple[EscalationDecision, ...], now: datetime,
                  policy: str, *, lang: str | Translator = "en") -> list[str]:
    """The explanation of every clock of a ticket, as lines of text in ``lang``.

    Every instant is shown on the wall clock of the clocks' calendar zone (the ticket's
    opening and ``now`` included), so the header and the clocks read alike.
    """
    tr = translator(lang)
    _ = tr.gettext
    zone = _zone_of(ticket, clocks)
    lines = [
        _("Ticket {ticket}: status {status}, priority {priority}, opened {opened}; {policy}; "
          "evaluated at {now}").format(
            ticket=ticket.ticket, status=ticket.status, priority=ticket.priority,
            opened=_t(ticket.opened_at, tr, zone), policy=policy, now=_t(now, tr, zone)),
    ]
    if not clocks:
        lines.append("  " + _("no SLA clock applies (no target for this ticket's priority)"))
    for c in clocks:
        target = _("no target") if c.target is None else _span(c.target)
        lines.append("")
        lines.append("  " + _("{metric} #{cycle}: {status}  (target {target} on calendar "
                              "{calendar} v{calendar_version}; policy {policy} "
                              "v{policy_version})").format(
            metric=metric_label(tr, c.metric), cycle=c.cycle,
            status=_(_STATUS[c.status]) if c.status in _STATUS else c.status.upper(),
            target=target, calendar=c.calendar, calendar_version=c.calendar_version,
            policy=c.policy, policy_version=c.policy_version))
        lines.append("    " + _("started {started}, due {due}, ended {ended}").format(
            started=_t(c.started_at, tr), due=_t(c.due_at, tr), ended=_t(c.ended_at, tr)))
        remaining = "-" if c.remaining is None else _span(c.remaining)
        lines.append("    " + _("business time counted {elapsed}, remaining {remaining}, "
                                "paused {paused}").format(
            elapsed=_span(c.elapsed), remaining=remaining, paused=_span(c.paused_for)))
        if c.breached_at is not None:
            lines.append("    " + _("breached at {at}: the counted business time passed the "
                                    "target {target} then").format(
                at=_t(c.breached_at, tr), target=target))
        e = c.explanation
        if e is None:
            continue
        if e.carried:
            lines.append("    " + _("carried over from before a priority change: "
                                    "{carried}").format(carried=_span(e.carried)))
        lines += _periods(tr, _("counted (open hours while running)"), e.counted)
        lines += _periods(tr, _("not counted (closed: nights, weekends, holidays)"), e.closed)
        lines += _periods(tr, _("paused (waiting status)"), e.paused)
        lines += _periods(tr, _("stopped (resolved, until reopened)"), e.stopped)
        lines += _periods(tr, _("before the current basis (discarded or carried)"),
                          e.not_counted)
        for ch in e.changes:
            if ch.mode in ("override", "override_cleared") and ch.kept == "new":
                text = (_("{at}: deadline set by hand ({reason}); due {old_due} -> {new_due}")
                        if ch.mode == "override" else
                        _("{at}: deadline handed back to the policy ({reason}); due {old_due} -> "
                          "{new_due}"))
                lines.append("    " + text.format(
                    at=_t(ch.at, tr), reason=ch.reason, old_due=_t(ch.old_due, tr),
                    new_due=_t(ch.new_due, tr)))
                continue
            text = _("{at}: priority {old} -> {new} ({mode}); due {old_due} -> {new_due}")
            if ch.kept == "old":
                text = _("{at}: priority {old} -> {new} ({mode}); due {old_due} -> {new_due} "
                         "(old deadline kept)")
            lines.append("    " + text.format(
                at=_t(ch.at, tr), old=ch.from_priority, new=ch.to_priority, mode=ch.mode,
                old_due=_t(ch.old_due, tr), new_due=_t(ch.new_due, tr)))
    if fired:
        lines.append("")
        lines.append("  " + _("escalations fired:"))
        for d in fired:
            lines.append("    " + _("{at} {metric} #{cycle} {rule} (level {level}): "
                                    "{reason}").format(
                at=_t(d.fire_at, tr, zone), metric=metric_label(tr, d.metric), cycle=d.cycle,
                rule=d.rule, level=d.level, reason=d.reason))
    return lines


_STATUS = {"pending": N_("PENDING"), "running": N_("RUNNING"), "paused": N_("PAUSED"),
           "met": N_("MET"), "breached": N_("BREACHED"),
           "breached_then_met": N_("BREACHED_THEN_MET"), "cancelled": N_("CANCELLED")}


def explain_command(args: argparse.Namespace, now: datetime, out: TextIO) -> int:
    """Run ``slakit explain``."""
    source = Source.open(args.log, args.mapping, args.preset, args.timezone)
    log = find_ticket(source, args.ticket)
    engine = SlaEngine(load_checked_policy(args.policy, args.allow_fast_repeats))
    cutoff = now.astimezone(UTC)
    events = [e for e in log.events if e.at.astimezone(UTC) <= cutoff]
    if not events:
        raise InputError(Message("ticket {ticket} has no event before --now {now}",
                                 ticket=args.ticket, now=now.isoformat()))
    ticket, sla = engine.apply_all(events)
    clocks = evaluate_clocks(sla, now, explain=True)
    lang = translator(args.lang)
    fired = due_escalations(sla, now, lang=lang.lang)
    policy = sla.choice.describe(lang.lang)
    print("\n".join(map(printable, explain_lines(ticket, clocks, fired, now, policy,
                                                  lang=lang))), file=out)
    if args.svg:
        from slakit.cli._timeline_svg import render_timeline

        args.svg.write_text(render_timeline(ticket, clocks, fired, now, lang=lang),
                            encoding="utf-8")
        print("\n" + lang.gettext("timeline: {path}").format(path=args.svg), file=out)
    return 0
