"""Every human sentence of the fault analysis report, in one place (English for now).

A later step moves these into gettext catalogues (zh-CN, en); until then nothing else in
the fault report holds prose.
"""

from __future__ import annotations

EVENT = {
    "opened": "opened with priority {priority} via {channel}",
    "assigned": "assigned to {assignee} ({group})",
    "stage_changed": "stage: {stage}",
    "agent_replied": "agent replied",
    "agent_replied_private": "internal note",
    "customer_replied": "customer replied",
    "status_changed": "status: {status}",
    "priority_changed": "priority changed to {priority}",
    "resolved": "resolved ({code})",
    "reopened": "reopened",
    "closed": "closed",
    "closed_auto": "closed automatically",
    "cancelled": "cancelled",
    "rated": "rated: response speed {response_speed}, resolution {resolution}, attitude {attitude}",
}
"""What each event type says on the timeline (``{placeholders}`` filled from the event)."""

LABEL = {
    "title": "Fault analysis report: {ticket}",
    "summary": "Summary",
    "subject": "Subject",
    "priority": "Priority",
    "category": "Category",
    "root_cause": "Root cause",
    "affected": "Affected period",
    "impact": "Impact",
    "zone": "Times in",
    "timeline": "Timeline",
    "time": "Time",
    "event": "Event",
    "actor": "By",
    "stages": "Stages",
    "stage": "Stage",
    "from": "From",
    "until": "Until",
    "wall": "Wall time",
    "business": "Business time",
    "against_target": "Respond, plan and fix against target",
    "milestone": "Milestone",
    "metric": "Clock",
    "target": "Target",
    "state": "Outcome",
    "due": "Due",
    "ended": "Ended",
    "breaches": "Breaches",
    "breached_at": "Breached at",
    "late": "Late by (business time)",
    "escalations": "Escalations",
    "level": "Level",
    "rule": "Rule",
    "reason": "Reason",
    "solution": "Solution",
    "advice": "Long-term advice",
    "none": "none",
    "unknown": "unknown",
    "open": "still open",
    "ongoing": "ongoing",
    "respond": "respond",
    "plan": "plan",
    "fix": "fix",
}
"""Headings, column names and fixed words of the report."""
