"""``slakit explain``: every clock of one ticket, in words, and optionally as a timeline.

Text from the log (ticket ids, priorities) is printed with control characters and escape
sequences escaped (see :mod:`slakit.cli._printable`).

It answers "why is this breached?" from the same machine-readable explanation the engine
gives hosts: the periods counted, the out-of-hours periods skipped, the pauses, and each
target change with the deadlines before and after.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone
from typing import TextIO

from slakit.calendar import Period
from slakit.cli._printable import printable
from slakit.cli._run import InputError, Source, load_checked_policy
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
            raise InputError(f"ticket {ticket} cannot be replayed: {item.describe()}")
        return item
    raise InputError(f"ticket {ticket!r} is not in {source.path}")


def _span(d: timedelta) -> str:
    total = int(d.total_seconds())
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours}:{rest // 60:02}"


def _t(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%a %Y-%m-%d %H:%M")


def _periods(label: str, periods: tuple[Period, ...], limit: int = 6) -> list[str]:
    if not periods:
        return []
    total = sum((p.duration for p in periods), timedelta())
    lines = [f"    {label}: {len(periods)} period(s), {_span(total)} in all"]
    for p in periods[:limit]:
        lines.append(f"      {_t(p.start)} -> {_t(p.end)}  ({_span(p.duration)})")
    if len(periods) > limit:
        lines.append(f"      ... and {len(periods) - limit} more")
    return lines


def explain_lines(ticket: TicketState, clocks: tuple[ClockResult, ...],
                  fired: tuple[EscalationDecision, ...], now: datetime,
                  policy: str) -> list[str]:
    """The explanation of every clock of a ticket, as lines of text."""
    lines = [
        f"Ticket {ticket.ticket}: status {ticket.status}, priority {ticket.priority}, "
        f"opened {_t(ticket.opened_at)}; {policy}; evaluated at {_t(now)}",
    ]
    if not clocks:
        lines.append("  no SLA clock applies (no target for this ticket's priority)")
    for c in clocks:
        target = "no target" if c.target is None else _span(c.target)
        lines.append("")
        lines.append(f"  {c.metric} #{c.cycle}: {c.status.upper()}  (target {target} on "
                     f"calendar {c.calendar} v{c.calendar_version}; policy {c.policy} "
                     f"v{c.policy_version})")
        lines.append(f"    started {_t(c.started_at)}, due {_t(c.due_at)}, "
                     f"ended {_t(c.ended_at)}")
        remaining = "-" if c.remaining is None else _span(c.remaining)
        lines.append(f"    business time counted {_span(c.elapsed)}, remaining {remaining}, "
                     f"paused {_span(c.paused_for)}")
        if c.breached_at is not None:
            lines.append(f"    breached at {_t(c.breached_at)}: the counted business time "
                         f"passed the target {target} then")
        e = c.explanation
        if e is None:
            continue
        if e.carried:
            lines.append(f"    carried over from before a priority change: {_span(e.carried)}")
        lines += _periods("counted (open hours while running)", e.counted)
        lines += _periods("not counted (closed: nights, weekends, holidays)", e.closed)
        lines += _periods("paused (waiting status)", e.paused)
        lines += _periods("stopped (resolved, until reopened)", e.stopped)
        lines += _periods("before the current basis (discarded or carried)", e.not_counted)
        for ch in e.changes:
            if ch.mode in ("override", "override_cleared") and ch.kept == "new":
                what = "set by hand" if ch.mode == "override" else "handed back to the policy"
                lines.append(f"    {_t(ch.at)}: deadline {what} ({ch.reason}); due "
                             f"{_t(ch.old_due)} -> {_t(ch.new_due)}")
                continue
            lines.append(f"    {_t(ch.at)}: priority {ch.from_priority} -> {ch.to_priority} "
                         f"({ch.mode}); due {_t(ch.old_due)} -> {_t(ch.new_due)}"
                         + (" (old deadline kept)" if ch.kept == "old" else ""))
    if fired:
        lines.append("")
        lines.append("  escalations fired:")
        for d in fired:
            lines.append(f"    {_t(d.fire_at)} {d.metric} #{d.cycle} {d.rule} "
                         f"(level {d.level}): {d.reason}")
    return lines


def explain_command(args: argparse.Namespace, now: datetime, out: TextIO) -> int:
    """Run ``slakit explain``."""
    source = Source.open(args.log, args.mapping, args.preset, args.timezone)
    log = find_ticket(source, args.ticket)
    engine = SlaEngine(load_checked_policy(args.policy, args.allow_fast_repeats))
    cutoff = now.astimezone(UTC)
    events = [e for e in log.events if e.at.astimezone(UTC) <= cutoff]
    if not events:
        raise InputError(f"ticket {args.ticket} has no event before --now {now.isoformat()}")
    ticket, sla = engine.apply_all(events)
    clocks = evaluate_clocks(sla, now, explain=True)
    fired = due_escalations(sla, now)
    policy = sla.choice.describe()
    print("\n".join(map(printable, explain_lines(ticket, clocks, fired, now, policy))),
          file=out)
    if args.svg:
        from slakit.cli._timeline_svg import render_timeline

        args.svg.write_text(render_timeline(ticket, clocks, fired, now), encoding="utf-8")
        print(f"\ntimeline: {args.svg}", file=out)
    return 0
