"""Judging one ticket: its events through the workflow, the SLA clocks and the escalations.

This is the one per-ticket function of a replay. Sequential runs, ``--jobs`` process pools
and Dask bags all call it, so their results are identical by construction. Its output is
plain JSON-able data: the line written to ``--out`` and the input of the report.

A ticket that gets no SLA clock with a target (no policy matched, or its priority has no
target) is not silently left out of every table: its record says why in ``no_clock``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from slakit._message import Message
from slakit.cli._due_count import DEFAULT_CAP, count_due
from slakit.replay import TicketLog
from slakit.sla import SlaEngine, SlaState, evaluate_clocks

UTC = timezone.utc


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat()


def _seconds(td: Any) -> float | None:
    return None if td is None else td.total_seconds()


def judge_ticket(log: TicketLog, engine: SlaEngine, now: datetime) -> dict[str, Any]:
    """The per-ticket record: status, priority, policy and every clock cycle at ``now``."""
    cutoff = now.astimezone(UTC)
    events = list(log.events)
    if events and events[-1].at.astimezone(UTC) > cutoff:  # events are in time order
        events = [e for e in events if e.at.astimezone(UTC) <= cutoff]
    if log.states is not None and events:
        # The reader already folded the workflow: feed its states to the clocks.
        sla = None
        for event, ticket in zip(events, log.states, strict=False):
            sla = engine.advance(sla, event, ticket)
        ticket = log.states[len(events) - 1]
        assert sla is not None
    else:
        ticket, sla = engine.apply_all(events)
    metrics: dict[str, list[dict[str, Any]]] = {}
    for clock in evaluate_clocks(sla, now):
        end = clock.ended_at or now
        calendar_s = None
        if clock.started_at is not None:
            calendar_s = (end.astimezone(UTC) - clock.started_at.astimezone(UTC)).total_seconds()
        metrics.setdefault(clock.metric, []).append({
            "cycle": clock.cycle,
            "status": clock.status,
            "priority": clock.judged_priority,
            "target_s": _seconds(clock.target),
            "calendar": clock.calendar,
            "started_at": _iso(clock.started_at),
            "due_at": _iso(clock.due_at),
            "ended_at": _iso(clock.ended_at),
            "breached_at": _iso(clock.breached_at),
            "business_s": clock.elapsed.total_seconds(),
            "calendar_s": calendar_s,
            "paused_s": clock.paused_for.total_seconds(),
        })
    fired, capped = count_due(sla, now, DEFAULT_CAP)
    notes = list(log.notes)
    if capped:
        notes.append(Message("escalations: counting stopped at {cap:,}; more are due",
                             cap=DEFAULT_CAP))
    rating = ticket.satisfaction
    return {
        "ticket": log.ticket,
        "status": ticket.status,
        "priority": ticket.priority,
        "policy": sla.choice.policy.name if sla.choice and sla.choice.policy else None,
        "policy_version": sla.choice.policy.version if sla.choice and sla.choice.policy else None,
        "opened_at": _iso(ticket.opened_at),
        "resolved_at": _iso(ticket.resolved_at),
        "closed_at": _iso(ticket.closed_at),
        "cancelled_at": _iso(ticket.cancelled_at),
        "category": ticket.category,
        "channel": ticket.channel,
        "group": ticket.group,
        "assignee": ticket.assignee,
        "customer_tier": ticket.customer_tier,
        "resolution_code": ticket.resolution_code,
        "tags": sorted(ticket.tags),
        "reopens": ticket.reopen_count,
        "events": len(events),
        "metrics": metrics,
        "no_clock": _no_clock(sla, ticket.priority, engine, metrics),
        "escalations": fired,
        "satisfaction": None if rating is None else {
            "response_speed": rating.response_speed, "resolution": rating.resolution,
            "attitude": rating.attitude},
        "notes": notes,
        "skipped_rows": log.skipped_rows,
        "source": f"{log.file}:{log.first_line}",
    }


def _no_clock(sla: SlaState, priority: str, engine: SlaEngine,
              metrics: dict[str, list[dict[str, Any]]]) -> str | None:
    """Why the ticket has no clock with a target, or None when it has one."""
    if any(c["target_s"] is not None for cycles in metrics.values() for c in cycles):
        return None
    policy = sla.choice.policy
    if policy is None:
        return Message("no SLA policy matched and the policy set has no fallback")
    ladder = engine.policies.priorities
    if priority not in ladder:
        return Message("priority {priority!r} is not in the policy set's priorities ({ladder})",
                       priority=priority, ladder=", ".join(ladder))
    return Message("policy {policy!r} has no target for priority {priority!r}",
                   policy=policy.name, priority=priority)
