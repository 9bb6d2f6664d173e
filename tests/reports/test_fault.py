"""The fault analysis report of one ticket: data, Markdown and HTML, exactly."""

from __future__ import annotations

import tomllib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from slakit.calendar import BusinessCalendar
from slakit.policies import load_policies
from slakit.reports import FaultReport, ReportInputError, StageSpan, fault_report
from slakit.sla import SlaEngine
from slakit.workflow import (
    AgentReplied,
    Event,
    StageChanged,
    TicketAssigned,
    TicketOpened,
    TicketResolved,
)

SH = ZoneInfo("Asia/Shanghai")
POLICY = load_policies(tomllib.loads('''
priorities = ["urgent", "normal"]
[calendars.office]
timezone = "Asia/Shanghai"
[calendars.office.weekly]
mon = [["09:00", "18:00"]]
tue = [["09:00", "18:00"]]
wed = [["09:00", "18:00"]]
thu = [["09:00", "18:00"]]
fri = [["09:00", "18:00"]]
[fallback]
name = "standard"
version = "1"
targets = [
  { metric = "first_response", priority = "urgent", within = "PT30M", calendar = "office" },
  { metric = "solution_plan", priority = "urgent", within = "PT2H", calendar = "office" },
  { metric = "resolution", priority = "urgent", within = "PT4H", calendar = "office" },
]
[[fallback.escalations]]
name = "fix-missed"
metric = "resolution"
trigger = { after_breach = "PT0S" }
actions = [{ notify = ["duty_manager"] }]
'''))
OFFICE = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH)


def sh(day: int, h: int, m: int = 0) -> datetime:
    return datetime(2025, 3, day, h, m, tzinfo=SH)


T = "INC-7"
EVENTS: list[Event] = [
    TicketOpened(ticket=T, at=sh(3, 9), event_id="1", priority="urgent", category="payment",
                 channel="phone", customer="shop-12", customer_tier="gold",
                 subject="支付失败 | payments fail", actor="customer"),
    TicketAssigned(ticket=T, at=sh(3, 9, 20), event_id="2", assignee="li", group="L2",
                   actor="dispatcher"),
    AgentReplied(ticket=T, at=sh(3, 9, 25), event_id="3", actor="li"),
    StageChanged(ticket=T, at=sh(3, 9, 30), event_id="4", stage="investigating", actor="li"),
    StageChanged(ticket=T, at=sh(3, 10), event_id="5", stage="planning", actor="li"),
    StageChanged(ticket=T, at=sh(3, 11, 30), event_id="6", stage="fixing", actor="li"),
    TicketResolved(ticket=T, at=sh(3, 14, 30), event_id="7", resolution_code="config", actor="li"),
]


def report() -> FaultReport:
    return fault_report(
        EVENTS, SlaEngine(POLICY), sh(3, 18), zone="Asia/Shanghai", calendar=OFFICE,
        root_cause="configuration change", impact="card payments failed for shop-12",
        solution="rolled back the gateway <config>", advice="review gateway changes before 11.11")


MARKDOWN = """\
# Fault analysis report: INC-7

## Summary

|  |  |
| --- | --- |
| Subject | 支付失败 \\| payments fail |
| Priority | urgent |
| Category | payment |
| Root cause | configuration change |
| Affected period | 2025-03-03 09:00 - 2025-03-03 14:30 |
| Impact | card payments failed for shop-12 |
| Times in | Asia/Shanghai |

## Timeline

| Time | Event | By |
| --- | --- | --- |
| 2025-03-03 09:00 | opened with priority urgent via phone | customer |
| 2025-03-03 09:20 | assigned to li (L2) | dispatcher |
| 2025-03-03 09:25 | agent replied | li |
| 2025-03-03 09:30 | stage: investigating | li |
| 2025-03-03 10:00 | stage: planning | li |
| 2025-03-03 11:30 | stage: fixing | li |
| 2025-03-03 14:30 | resolved (config) | li |

## Stages

| Stage | From | Until | Wall time | Business time |
| --- | --- | --- | --- | --- |
| new | 2025-03-03 09:00 | 2025-03-03 09:20 | 20 min | 20 min |
| assigned | 2025-03-03 09:20 | 2025-03-03 09:30 | 10 min | 10 min |
| in_progress / investigating | 2025-03-03 09:30 | 2025-03-03 10:00 | 30 min | 30 min |
| in_progress / planning | 2025-03-03 10:00 | 2025-03-03 11:30 | 1 h 30 min | 1 h 30 min |
| in_progress / fixing | 2025-03-03 11:30 | 2025-03-03 14:30 | 3 h 00 min | 3 h 00 min |
| resolved | 2025-03-03 14:30 | ongoing | 3 h 30 min | 3 h 30 min |

## Respond, plan and fix against target

| Milestone | Clock | Target | Business time | Outcome | Due | Ended |
| --- | --- | --- | --- | --- | --- | --- |
| respond | first_response #1 | 30 min | 25 min | met | 2025-03-03 09:30 | 2025-03-03 09:25 |
| plan | solution_plan #1 | 2 h 00 min | 2 h 30 min | breached_then_met | 2025-03-03 11:00 | \
2025-03-03 11:30 |
| fix | resolution #1 | 4 h 00 min | 5 h 30 min | breached_then_met | 2025-03-03 13:00 | \
2025-03-03 14:30 |

## Breaches

| Clock | Breached at | Late by (business time) |
| --- | --- | --- |
| solution_plan #1 | 2025-03-03 11:00 | 30 min |
| resolution #1 | 2025-03-03 13:00 | 1 h 30 min |

## Escalations

| Time | Clock | Rule | Level | Reason |
| --- | --- | --- | --- | --- |
| 2025-03-03 13:00 | resolution | fix-missed | 0 | resolution (cycle 1, target 4:00:00) breached its target |

## Solution

rolled back the gateway <config>

## Long-term advice

review gateway changes before 11.11
"""


def test_markdown_exactly() -> None:
    assert report().to_markdown() == MARKDOWN


def test_data_in_the_desks_zone() -> None:
    r = report()
    assert r.affected_from == sh(3, 9)
    assert r.affected_until == sh(3, 14, 30)
    assert r.stages[3] == StageSpan("in_progress / planning", sh(3, 10), sh(3, 11, 30), 5400.0,
                                    5400.0)
    assert [(m.name, m.status, m.business_s - (m.target_s or 0)) for m in r.milestones] == [
        ("respond", "met", -300.0), ("plan", "breached_then_met", 1800.0),
        ("fix", "breached_then_met", 5400.0)]
    assert [(e.at, e.rule) for e in r.escalations] == [(sh(3, 13), "fix-missed")]
    assert all(e.at.tzinfo is SH for e in r.timeline)


def test_html_is_self_contained_and_escaped() -> None:
    html = report().to_html()
    assert html.startswith('<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
                           "<title>Fault analysis report: INC-7</title>\n<style>")
    assert "<tr><td>Subject</td><td>支付失败 | payments fail</td></tr>" in html
    assert ("<tr><td>fix</td><td>resolution #1</td><td>4 h 00 min</td><td>5 h 30 min</td>"
            "<td>breached_then_met</td><td>2025-03-03 13:00</td><td>2025-03-03 14:30</td></tr>"
            in html)
    assert "<h2>Solution</h2>\n<p>rolled back the gateway &lt;config&gt;</p>" in html
    assert html.endswith("</body></html>\n")
    for outside in ("<script", "http://", "https://", "<link", "<img"):
        assert outside not in html


def test_an_open_ticket_without_calendar_or_host_fields() -> None:
    r = fault_report(EVENTS[:3], SlaEngine(POLICY), sh(4, 9), zone=SH)
    assert r.affected_until is None
    assert (r.root_cause, r.solution, r.stages[-1].business_s) == (None, None, None)
    md = r.to_markdown()
    assert "| Affected period | 2025-03-03 09:00 - still open |" in md
    assert "| assigned | 2025-03-03 09:20 | ongoing | 23 h 40 min | - |" in md
    assert "| fix | resolution #1 | 4 h 00 min | 9 h 00 min | breached | 2025-03-03 13:00 | ongoing |" in md
    assert "## Solution\n\nnone\n" in md


def test_bad_input_lists_every_problem() -> None:
    with pytest.raises(ReportInputError) as info:
        fault_report([], SlaEngine(POLICY), sh(3, 18), zone="Mars/Base")
    assert list(info.value.problems) == [
        "events: none given; pass the ticket's events from its opening",
        "zone: unknown zone 'Mars/Base'; give the desk's IANA zone, e.g. 'Asia/Shanghai'",
    ]
