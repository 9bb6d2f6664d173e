"""Every human sentence of the fault analysis report, in one place, marked for the catalogue.

The values are msgids of the gettext catalogues (:mod:`slakit.i18n`): the renderers
translate them with the report's language (``FaultReport.lang``) when they print.
"""

from __future__ import annotations

from slakit.i18n._translator import N_

EVENT = {
    "opened": N_("opened with priority {priority} via {channel}"),
    "assigned": N_("assigned to {assignee} ({group})"),
    "stage_changed": N_("stage: {stage}"),
    "agent_replied": N_("agent replied"),
    "agent_replied_private": N_("internal note"),
    "customer_replied": N_("customer replied"),
    "status_changed": N_("status: {status}"),
    "priority_changed": N_("priority changed to {priority}"),
    "resolved": N_("resolved ({code})"),
    "reopened": N_("reopened"),
    "closed": N_("closed"),
    "closed_auto": N_("closed automatically"),
    "cancelled": N_("cancelled"),
    "rated": N_("rated: response speed {response_speed}, resolution {resolution}, attitude {attitude}"),
}
"""What each event type says on the timeline (``{placeholders}`` filled from the event)."""

LABEL = {
    "title": N_("Fault analysis report: {ticket}"),
    "summary": N_("Summary"),
    "subject": N_("Subject"),
    "priority": N_("Priority"),
    "category": N_("Category"),
    "root_cause": N_("Root cause"),
    "affected": N_("Affected period"),
    "impact": N_("Impact"),
    "zone": N_("Times in"),
    "timeline": N_("Timeline"),
    "time": N_("Time"),
    "event": N_("Event"),
    "actor": N_("By"),
    "stages": N_("Stages"),
    "stage": N_("Stage"),
    "from": N_("From"),
    "until": N_("Until"),
    "wall": N_("Wall time"),
    "business": N_("Business time"),
    "against_target": N_("Respond, plan and fix against target"),
    "milestone": N_("Milestone"),
    "metric": N_("Clock"),
    "target": N_("Target"),
    "status": N_("Outcome"),
    "due": N_("Due"),
    "ended": N_("Ended"),
    "breaches": N_("Breaches"),
    "breached_at": N_("Breached at"),
    "late": N_("Late by (business time)"),
    "escalations": N_("Escalations"),
    "level": N_("Level"),
    "rule": N_("Rule"),
    "reason": N_("Reason"),
    "solution": N_("Solution"),
    "advice": N_("Long-term advice"),
    "none": N_("none"),
    "unknown": N_("unknown"),
    "open": N_("still open"),
    "ongoing": N_("ongoing"),
    "respond": N_("respond"),
    "plan": N_("plan"),
    "fix": N_("fix"),
}
"""Headings, column names and fixed words of the report."""
