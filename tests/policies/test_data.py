"""Policies as plain data: round trips (JSON and TOML), durations, errors with paths."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import AlwaysOpen, BusinessCalendar
from slakit.policies import (
    DEFAULT_METRICS,
    EscalationRule,
    MetricDefinition,
    MetricTarget,
    NamedCalendar,
    PeakWindow,
    PolicyDataError,
    PolicySet,
    PriorityChangeSettings,
    SlaPolicy,
    after_breach,
    at_fraction,
    before_due,
    breach_ladder,
    channel_is,
    dump_policies,
    every,
    format_duration,
    load_policies,
    notify,
    on,
    parse_duration,
    priority_is,
    raise_priority,
    reassign,
)

C247 = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
OFFICE = NamedCalendar(
    "office",
    BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Shanghai",
                              holidays=[date(2025, 10, 1)]),
    "2025",
)


def rich_set() -> PolicySet:
    escalate = MetricDefinition("escalated", starts=[on("opened")],
                                stops=[on("assigned", group="tier2")], pausable=False)
    hotline = SlaPolicy(
        "hotline", "3", channel_is("hotline") & ~priority_is("low"),
        [MetricTarget("first_response", "urgent", timedelta(minutes=3), C247),
         MetricTarget("escalated", "urgent", timedelta(minutes=20), C247)],
        PriorityChangeSettings("restart", "from_creation"),
        [PeakWindow("11.11", date(2025, 11, 1), date(2025, 11, 12), "Asia/Shanghai",
                    [MetricTarget("first_response", "urgent", timedelta(minutes=2), C247)])],
        [EscalationRule("half", "first_response", at_fraction(0.5), [notify("lead", "ops")]),
         EscalationRule("soon", "first_response", before_due(timedelta(minutes=1)),
                        [reassign("tier2")], when=priority_is("urgent")),
         EscalationRule("nag", "first_response", every(timedelta(minutes=5), limit=4),
                        [notify("lead")]),
         EscalationRule("late-nag", "first_response",
                        every(timedelta(minutes=5), after_breach=True), [notify("lead")]),
         *breach_ladder("ladder", "first_response", [
             (timedelta(0), [notify("lead")]),
             (timedelta(minutes=30), [notify("boss"), raise_priority("urgent")])]),
         EscalationRule("odd", "first_response", after_breach(timedelta(seconds=1.5)), [])],
    )
    standard = SlaPolicy("standard", "1", targets=[
        MetricTarget("resolution", "normal", timedelta(days=1, hours=3), OFFICE)])
    return PolicySet([hotline], standard, ("urgent", "normal", "low"),
                     (*DEFAULT_METRICS, escalate), version="7")


def test_round_trip_through_json_keeps_everything() -> None:
    ps = rich_set()
    data = dump_policies(ps)
    back = load_policies(json.loads(json.dumps(data)))
    assert back == ps
    assert dump_policies(back) == data
    assert data["calendars"]["office"] == {
        "version": "2025", "timezone": "Asia/Shanghai",
        "weekly": {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": ["2025-10-01"], "makeup_workdays": [], "overrides": {}, "breaks": {},
    }
    assert data["policies"][0]["escalations"][3]["trigger"] == {"every": "PT5M",
                                                               "after_breach": True}
    assert data["fallback"]["targets"] == [{"metric": "resolution", "priority": "normal",
                                            "within": "P1DT3H", "calendar": "office"}]


def test_the_documented_toml_form_loads() -> None:
    text = '''
format = "slakit.sla-policies/1"
version = "2"
priorities = ["urgent", "normal"]
[calendars.office]
timezone = "Asia/Shanghai"
weekly = { mon = [["09:00", "18:00"]] }
[fallback]
name = "standard"
version = "4"
targets = [{ metric = "first_response", priority = "normal", within = "PT2H", calendar = "office" }]
'''
    ps = load_policies(tomllib.loads(text))
    assert ps.fallback is not None
    assert ps.fallback.target_for("first_response", "normal") == MetricTarget(
        "first_response", "normal", timedelta(hours=2),
        NamedCalendar("office", BusinessCalendar("Asia/Shanghai", {"mon": [("09:00", "18:00")]})))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other/9"), "format: expected"),
        (lambda d: d["fallback"]["targets"][0].update(calendar="nope"),
         r"fallback.targets\[0\].calendar: unknown calendar 'nope'"),
        (lambda d: d["fallback"]["targets"][0].update(within="1 hour"),
         r"fallback.targets\[0\].within: expected an ISO 8601 duration"),
        (lambda d: d["policies"][0]["escalations"][0].update(trigger={"fraction": -1}),
         "at_fraction"),
        (lambda d: d["policies"][0]["escalations"][0].update(trigger={"sometimes": 1}),
         r"policies\[0\].escalations\[0\].trigger: expected one of"),
        (lambda d: d["policies"][0].update(when={"colour_is": "red"}),
         r"policies\[0\].when: unknown condition"),
        (lambda d: d["policies"][0].update(priority_change={"upgrade": "never"}),
         "unknown mode 'never'"),
        (lambda d: d["metrics"][-1]["stops"].append({"kind": "x"}),
         r"metrics\[6\].stops\[1\]: an event match needs a 'type'"),
        (lambda d: d["policies"][0]["escalations"][0]["actions"].append({"email": ["x"]}),
         r"actions\[1\]: expected"),
    ],
)
def test_bad_data_is_refused_with_its_path(mutate: Any, message: str) -> None:
    data = json.loads(json.dumps(dump_policies(rich_set())))
    mutate(data)
    with pytest.raises(PolicyDataError, match=message):
        load_policies(data)


def test_two_different_calendars_with_one_name_cannot_be_dumped() -> None:
    other = NamedCalendar("24x7", AlwaysOpen("UTC"))
    ps = PolicySet([], SlaPolicy("p", "1", targets=[
        MetricTarget("first_response", "urgent", timedelta(hours=1), C247),
        MetricTarget("resolution", "urgent", timedelta(hours=1), other)]))
    with pytest.raises(PolicyDataError, match="both named '24x7'"):
        dump_policies(ps)


@pytest.mark.parametrize(
    ("text", "value"),
    [("PT30M", timedelta(minutes=30)), ("P3D", timedelta(days=3)),
     ("PT1H30M", timedelta(minutes=90)), ("PT0.5S", timedelta(milliseconds=500)),
     ("P1DT3H", timedelta(hours=27))],
)
def test_durations(text: str, value: timedelta) -> None:
    assert parse_duration(text) == value


@pytest.mark.parametrize("text", ["P", "PT", "P1DT", "PT1H30", "P1M2D", "30m", "", 5])
def test_bad_durations(text: object) -> None:
    with pytest.raises(PolicyDataError, match="ISO 8601"):
        parse_duration(text)


@settings(max_examples=150, deadline=None)
@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_duration_round_trip(value: timedelta) -> None:
    assert parse_duration(format_duration(value)) == value
