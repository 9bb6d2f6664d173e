"""The fault analysis report (故障分析报告) of one ticket, as data.

Design rules:

* Built from what slakit already knows: the ticket's events (folded through the workflow and
  the SLA engine) and its clocks with their explanation at ``now``; the host adds what
  only people know (root cause, impact, solution, long-term advice).
* Pure: ``now`` and the desk's zone are parameters; every instant shown is in that zone.
* Stages are the spans between changes of status or work stage; each has its wall time and,
  when the desk's calendar is given, its business time.
* "Respond / plan / fix" are SLA metrics named by the host (``first_response``, ``solution_plan``,
  ``resolution`` by default); a metric the policy does not time is left out, not invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import attrs

from slakit._message import Message
from slakit._zone import read_zone
from slakit.calendar import Calendar
from slakit.i18n import Translator, translator
from slakit.reports._errors import ReportInputError
from slakit.reports._fault_text import EVENT, LABEL
from slakit.sla import SlaEngine, due_escalations, evaluate_clocks
from slakit.workflow import DEFAULT_WORKFLOW, Event, Workflow, apply

MILESTONES: Mapping[str, str] = {
    "respond": "first_response", "plan": "solution_plan", "fix": "resolution"}
"""Default milestone -> SLA metric names."""


@attrs.frozen
class TimelineEntry:
    """One event on the timeline, in the desk's zone."""

    at: datetime
    event: str
    text: str
    actor: str | None


@attrs.frozen
class StageSpan:
    """A span with one status (and work stage): when, and how long in wall and business time."""

    stage: str
    started_at: datetime
    ended_at: datetime | None
    wall_s: float
    business_s: float | None


@attrs.frozen
class Milestone:
    """One cycle of a respond / plan / fix clock against its target."""

    name: str
    metric: str
    cycle: int
    status: str
    target_s: float | None
    business_s: float
    due_at: datetime | None
    ended_at: datetime | None


@attrs.frozen
class BreachEntry:
    """A clock that went past its target: when, and by how much business time."""

    metric: str
    cycle: int
    breached_at: datetime
    late_s: float | None


@attrs.frozen
class EscalationEntry:
    """An escalation that fired."""

    at: datetime
    metric: str
    rule: str
    level: int
    reason: str


@attrs.frozen
class FaultReport:
    """Everything a fault analysis report shows; render with ``to_markdown`` / ``to_html``."""

    ticket: str
    zone: str
    subject: str
    priority: str
    category: str | None
    root_cause: str | None
    impact: str | None
    affected_from: datetime
    affected_until: datetime | None
    timeline: tuple[TimelineEntry, ...]
    stages: tuple[StageSpan, ...]
    milestones: tuple[Milestone, ...]
    breaches: tuple[BreachEntry, ...]
    escalations: tuple[EscalationEntry, ...]
    solution: str | None
    advice: str | None
    lang: str = "en"

    def to_markdown(self) -> str:
        """The report as Markdown."""
        from slakit.reports._fault_render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """The report as one self-contained HTML page (no scripts, nothing fetched)."""
        from slakit.reports._fault_render import to_html

        return to_html(self)


def _describe(event: Event, tr: Translator) -> str:
    kind = event.event_type
    fields = {k: v for k, v in attrs.asdict(event).items()}
    if kind == "agent_replied" and not fields.get("public", True):
        kind = "agent_replied_private"
    if kind == "closed" and fields.get("auto"):
        kind = "closed_auto"
    if kind == "status_changed":
        fields["status"] = fields["to"]
    if kind == "resolved":
        fields["code"] = fields.get("resolution_code") or tr.gettext(LABEL["none"])
    fields = {k: tr.gettext(LABEL["unknown"]) if v is None else v for k, v in fields.items()}
    return tr.gettext(EVENT[kind]).format(**fields)


def fault_report(
    events: Sequence[Event],
    engine: SlaEngine,
    now: datetime,
    *,
    zone: str | ZoneInfo,
    calendar: Calendar | None = None,
    milestones: Mapping[str, str] = MILESTONES,
    root_cause: str | None = None,
    impact: str | None = None,
    solution: str | None = None,
    advice: str | None = None,
    affected: tuple[datetime, datetime | None] | None = None,
    workflow: Workflow = DEFAULT_WORKFLOW,
    lang: str = "en",
) -> FaultReport:
    """The fault analysis report of the ticket whose ``events`` are given, at ``now``.

    Args:
        events: the ticket's events in order, from its opening.
        engine: the SLA engine of the desk's policies.
        now: the instant clocks are read at (timezone-aware).
        zone: the desk's IANA zone; every instant is shown in it.
        calendar: the desk's calendar, for the business time of each stage.
        milestones: milestone name (``respond``, ``plan``, ``fix``) -> SLA metric name.
        root_cause: the root cause category; the resolution code when not given.
        impact: who or what was affected, in the host's words.
        solution: what fixed it.
        advice: long-term advice to keep it from happening again.
        affected: the affected period; opening to resolution (or open) when not given.
        workflow: the workflow the events follow.
        lang: the report's language, ``"en"`` or ``"zh-CN"`` (see :mod:`slakit.i18n`).

    Raises:
        ReportInputError: no events, or an unknown zone.
        UnknownLanguageError: ``lang`` is not a language slakit speaks.
    """
    problems = [] if events else ["events: none given; pass the ticket's events from its opening"]
    found = read_zone(zone)
    if found is None:
        problems.append(Message("zone: unknown zone {zone!r}; give the desk's IANA zone, e.g. "
                                "'Asia/Shanghai'", zone=zone))
    tz = found or ZoneInfo("UTC")
    if problems:
        raise ReportInputError(problems)
    tr = translator(lang)
    ticket, sla = engine.apply_all(events, workflow)
    timeline: list[TimelineEntry] = []
    spans: list[tuple[str, datetime]] = []
    state = None
    for event in events:
        state = apply(state, event, workflow)
        local = event.at.astimezone(tz)
        timeline.append(TimelineEntry(local, event.event_type, _describe(event, tr), event.actor))
        label = state.status if state.stage is None else f"{state.status} / {state.stage}"
        if not spans or spans[-1][0] != label:
            spans.append((label, local))
    stages = []
    for n, (label, began) in enumerate(spans):
        end = spans[n + 1][1] if n + 1 < len(spans) else None
        stop = end if end is not None else now.astimezone(tz)
        business = None if calendar is None else calendar.elapsed(began, stop).total_seconds()
        stages.append(StageSpan(label, began, end, (stop - began).total_seconds(), business))
    clocks = evaluate_clocks(sla, now)
    names = {metric: name for name, metric in milestones.items()}
    marks = tuple(
        Milestone(names[c.metric], c.metric, c.cycle, c.status,
                  None if c.target is None else c.target.total_seconds(), c.elapsed.total_seconds(),
                  _local(c.due_at, tz), _local(c.ended_at, tz))
        for c in clocks if c.metric in names)
    order = list(milestones)
    breaches = tuple(
        BreachEntry(c.metric, c.cycle, c.breached_at.astimezone(tz),
                    None if c.target is None else (c.elapsed - c.target).total_seconds())
        for c in sorted(clocks, key=lambda c: (c.breached_at or now, c.metric, c.cycle))
        if c.breached_at is not None)
    fired = tuple(EscalationEntry(d.fire_at.astimezone(tz), d.metric, d.rule, d.level, d.reason)
                  for d in due_escalations(sla, now, lang=tr.lang))
    start: datetime = ticket.opened_at
    until: datetime | None = ticket.resolved_at
    if affected is not None:
        start, until = affected
    return FaultReport(
        ticket.ticket, tz.key, ticket.subject, ticket.priority, ticket.category,
        root_cause or ticket.resolution_code, impact, start.astimezone(tz), _local(until, tz),
        tuple(timeline), tuple(stages),
        tuple(sorted(marks, key=lambda m: (order.index(m.name), m.cycle))), breaches, fired,
        solution, advice, tr.lang)


def _local(t: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if t is None else t.astimezone(tz)
