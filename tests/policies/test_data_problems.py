"""load_policies on bad documents: every problem listed at once, with its path and the fix.

A corpus of broken documents (each asserting the exact list of problems), the issue #12
examples that used to end in a raw TypeError/OverflowError or load silently, and a
Hypothesis fuzz asserting that only slakit errors escape and valid documents round trip.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slakit.policies import PolicyDataError, PolicySet, dump_policies, load_policies
from tests.problems_testkit import documents, mutated, nested, only_slakit_errors

LADDER = "priorities ('urgent', 'normal')"
TOP = ("the top level takes format, version, priorities, calendars, policies, fallback, "
       "metrics, fields")
POLICY = ("a policy takes name, version, when, targets, priority_change, peaks, escalations, "
          "metric_settings, effective_from, effective_until")
NOT_UTC = "give an IANA zone name such as 'Asia/Shanghai' (a 24/7 calendar is never assumed to be UTC)"
COUNTRY = ("is not a country code the holidays package supports; use an ISO 3166 code from "
           "holidays.list_supported_countries() (e.g. 'DE', 'CN', 'US') or list the dates in "
           "holidays")


def valid() -> dict[str, Any]:
    return {
        "format": "slakit.sla-policies/1", "version": "2025-01",
        "priorities": ["urgent", "normal"],
        "calendars": {
            "c24": {"version": "1", "always_open": True, "timezone": "Asia/Shanghai"},
            "office": {"version": "2025", "timezone": "Asia/Shanghai",
                       "weekly": {"mon": [["09:00", "18:00"]]}},
        },
        "policies": [{
            "name": "vip", "version": "1", "when": {"customer_tier_is": ["vip"]},
            "targets": [{"metric": "first_response", "priority": "urgent", "within": "PT30M",
                         "calendar": "c24"}],
            "escalations": [{"name": "late", "metric": "first_response",
                             "trigger": {"fraction": 0.8}, "actions": [{"notify": ["lead"]}]}],
        }],
        "fallback": {"name": "default", "targets": [
            {"metric": "first_response", "priority": "normal", "within": "P1D",
             "calendar": "office"}]},
    }


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``path`` (dotted, ``[i]`` for list items) to ``value``."""
    def change(doc: dict[str, Any]) -> None:
        steps = [int(s) if s.isdigit() else s for s in path.replace("[", ".").replace("]", "")
                 .split(".")]
        parent: Any = doc
        for step in steps[:-1]:
            parent = parent[step]
        parent[steps[-1]] = value
    return change


def _rename(path: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *steps, old = [int(s) if s.isdigit() else s for s in
                       path.replace("[", ".").replace("]", "").split(".")]
        parent: Any = doc
        for step in steps:
            parent = parent[step]
        parent[new] = parent.pop(old)
    return change


CORPUS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    # Issue 12 item 2: misspelt keys were ignored (exit 0, urgent tickets got no clock).
    "[[polices]]": (_rename("policies", "polices"), [
        f"polices: unknown key (did you mean 'policies'?); {TOP}"]),
    "target = [...]": (_rename("policies.0.targets", "target"), [
        f"policies[0].target: unknown key (did you mean 'targets'?); {POLICY}"]),
    "misspelt calendar key": (_set("calendars.office.weekley", {}), [
        "calendars.office.weekley: unknown key (did you mean 'weekly'?); a business calendar "
        "takes breaks, country, holiday_breaks, holidays, makeup_hours, makeup_workdays, overrides, "
        "subdivision, timezone, weekly"]),
    "misspelt target key": (_set("policies.0.targets.0.metrc", "x"), [
        "policies[0].targets[0].metrc: unknown key (did you mean 'metric'?); a target takes "
        "metric, priority, within, calendar"]),
    "misspelt escalation key": (_set("policies.0.escalations.0.trigers", {}), [
        "policies[0].escalations[0].trigers: unknown key (did you mean 'trigger'?); an "
        "escalation rule takes name, metric, trigger, actions, when, level"]),
    "misspelt peak key": (_set("policies.0.peaks", [{
        "name": "11.11", "first_day": "2025-11-01", "last_day": "2025-11-12",
        "timezone": "Asia/Shanghai", "taregts": []}]), [
        "policies[0].peaks[0].taregts: unknown key (did you mean 'targets'?); a peak window "
        "takes name, first_day, last_day, timezone, targets"]),
    "misspelt metric key, string bool": (_set("metrics", [{
        "name": "m", "starts": [{"type": "opened"}], "stops": "x", "repeats": "no",
        "pausible": True}]), [
        "metrics[0].pausible: unknown key (did you mean 'pausable'?); a metric definition "
        "takes name, starts, stops, resumes, cancels, repeats, pausable, pauses_in",
        "metrics[0].repeats: expected true or false, got str 'no'",
        "metrics[0].stops: expected a list of event matches, got str 'x'"]),
    "misspelt condition": (_set("policies.0.when", {"chanel_is": ["x"]}), [
        "policies[0].when: unknown condition 'chanel_is' (did you mean 'channel_is'?); use one "
        "of ['all', 'always', 'any', 'category_is', 'channel_is', 'customer_tier_is', 'fact', "
        "'has_tag', 'never', 'not', 'priority_is']"]),
    "string where a bool belongs": (_set("policies.0.escalations.0.trigger",
                                         {"every": "PT1H", "after_breach": "no"}), [
        "policies[0].escalations[0].trigger.after_breach: expected true or false, got str "
        "'no'"]),
    # Issue 12 item 10: these raised raw built-in errors.
    "priorities = 5": (_set("priorities", 5), [
        "priorities: expected a list of priority names, most urgent first, got int 5"]),
    "metrics = true": (_set("metrics", True), [
        "metrics: expected a list of metric definitions, got bool True"]),
    'calendar = ["c24"]': (_set("policies.0.targets.0.calendar", ["c24"]), [
        "policies[0].targets[0].calendar: expected the name of a calendar defined under "
        "'calendars', got list ['c24']"]),
    "P999999999999D": (_set("policies.0.targets.0.within", "P999999999999D"), [
        "policies[0].targets[0].within: 'P999999999999D' is longer than any target can be "
        "(at most 999999999 days)"]),
    "peaks = 3": (_set("policies.0.peaks", 3), [
        "policies[0].peaks: expected a list of peak windows, got int 3"]),
    "escalations = 3": (_set("policies.0.escalations", 3), [
        "policies[0].escalations: expected a list of escalation rules, got int 3"]),
    "level = '2'": (_set("policies.0.escalations.0.level", "2"), [
        "policies[0].escalations[0].level: expected an integer, got str '2'"]),
    "a policy that is not a table": (lambda d: d["policies"].append("vip"), [
        "policies[1]: expected a table (a policy), got str 'vip'"]),
    "a calendar that is not a table": (_set("calendars.x", 5), [
        "calendars.x: expected a table (a calendar), got int 5"]),
    'country = "HolidayBase"': (_set("calendars.office.country", "HolidayBase"), [
        f"calendars.office.country: 'HolidayBase' {COUNTRY}"]),
    'country = "__class__"': (_set("calendars.office.country", "__class__"), [
        f"calendars.office.country: '__class__' {COUNTRY}"]),
    'country = "cn"': (_set("calendars.office.country", "cn"), [
        "calendars.office.country: 'cn' is not a country code the holidays package supports "
        "(did you mean 'CN'?); use an ISO 3166 code from holidays.list_supported_countries() "
        "(e.g. 'DE', 'CN', 'US') or list the dates in holidays"]),
    "peak window dates and zone": (_set("policies.0.peaks", [{
        "name": "p", "first_day": 20251101, "last_day": "2025-13-01",
        "timezone": "Nowhere/Zone"}]), [
        "policies[0].peaks[0].first_day: expected an ISO 8601 date such as '2025-11-11', got "
        "int 20251101",
        "policies[0].peaks[0].last_day: expected an ISO 8601 date such as '2025-11-11', got "
        "str '2025-13-01'",
        "policies[0].peaks[0].timezone: unknown zone 'Nowhere/Zone'; give an IANA name such "
        "as 'Asia/Shanghai'"]),
    "format": (_set("format", "slakit.sla-policies/2"), [
        "format: expected 'slakit.sla-policies/1', got 'slakit.sla-policies/2'"]),
    # Issue 14 item 6: no silent configuration.
    "always_open without a timezone": (lambda d: d["calendars"]["c24"].pop("timezone"), [
        f"calendars.c24.timezone: missing; {NOT_UTC}"]),
    "target priority outside the ladder": (_set("policies.0.targets.0.priority", "suggestion"), [
        f"policy 'vip': target for priority 'suggestion', which is not in {LADDER}; add it "
        "there or fix the spelling"]),
    "condition priority outside the ladder": (_set("policies.0.when", {"priority_is": ["low"]}), [
        f"policy 'vip': its condition tests priority 'low', not in {LADDER}; add it there or "
        "fix the spelling"]),
    "raise_priority outside the ladder": (
        _set("policies.0.escalations.0.actions", [{"raise_priority": ["critical"]}]), [
            f"policy 'vip': escalation 'late' raises to priority 'critical', not in {LADDER}; "
            "add it there or fix the spelling"]),
}


def _many(doc: dict[str, Any]) -> None:
    doc["versoin"] = "x"
    doc["policies"][0]["targets"][0]["within"] = "30 min"
    doc["fallback"]["targets"][0]["calendar"] = "ofice"
    doc["policies"][0]["priority_change"] = {"upgrade": "restrat"}


CORPUS["four problems in one run (it stopped at the first)"] = (_many, [
    f"versoin: unknown key (did you mean 'version'?); {TOP}",
    "policies[0].targets[0].within: expected an ISO 8601 duration such as 'PT30M' or 'P3D', a "
    "shorthand such as '30m', '4h', '1h30m' or '2d', or working days such as '3wd' or "
    "'1wd@16:00' (next working day by 16:00), got '30 min'",
    "policies[0].priority_change.upgrade: unknown mode 'restrat' (did you mean 'restart'?); use "
    "one of restart, keep_elapsed, from_creation, stricter",
    "fallback.targets[0].calendar: unknown calendar 'ofice' (did you mean 'office'?); define it "
    "under 'calendars' (known: ['c24', 'office'])",
])


def test_the_valid_document_loads_and_round_trips() -> None:
    loaded = load_policies(valid())
    assert load_policies(dump_policies(loaded)) == loaded
    assert loaded.priorities == ("urgent", "normal")


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_documents_list_every_problem(case: str) -> None:
    change, expected = CORPUS[case]
    doc = valid()
    change(doc)
    before = copy.deepcopy(doc)
    with pytest.raises(PolicyDataError) as info:
        load_policies(doc)
    assert isinstance(info.value, ValueError)
    assert list(info.value.problems) == expected
    assert doc == before  # the input is not touched


@pytest.mark.parametrize("data", [None, 5, "format = 1", ["policies"]])
def test_a_document_that_is_not_a_table(data: object) -> None:
    with pytest.raises(PolicyDataError) as info:
        load_policies(data)
    (problem,) = info.value.problems
    assert problem.startswith("expected a table at the top level")


def test_deep_nesting_is_a_problem_not_a_recursion_error() -> None:
    doc = valid()
    doc["policies"][0]["when"] = nested(5000, {"always": True})
    with pytest.raises(PolicyDataError) as info:
        load_policies(doc)
    (problem,) = info.value.problems
    assert problem.startswith("policies[0].when")
    assert "nested deeper than 64 levels" in problem


KEYS = ("format", "version", "priorities", "calendars", "policies", "fallback", "metrics",
        "name", "when", "targets", "priority_change", "peaks", "escalations", "metric",
        "priority", "within", "calendar", "always_open", "timezone", "weekly", "country",
        "first_day", "last_day", "trigger", "actions", "notify", "fraction", "every",
        "upgrade", "downgrade", "priority_is", "all", "not", "starts", "stops", "type")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(KEYS))
def test_fuzz_random_documents_raise_only_slakit_errors(data: Any) -> None:
    loaded = only_slakit_errors(load_policies, data)
    if loaded is not None:
        assert isinstance(loaded, PolicySet)
        assert load_policies(dump_policies(loaded)) == loaded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutations_of_a_valid_document(data: st.DataObject) -> None:
    doc = data.draw(mutated(valid(), KEYS))
    loaded = only_slakit_errors(load_policies, doc)
    if loaded is not None:  # whatever still loads is a valid set that round trips
        assert load_policies(dump_policies(loaded)) == loaded
