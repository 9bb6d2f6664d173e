"""The strategies of slakit.testing: always valid, and they do reach the awkward cases."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from slakit import NaiveDatetimeError
from slakit.calendar import BusinessCalendar
from slakit.policies import channel_is, dump_policies, fact, has_tag, load_policies
from slakit.testing import (
    DEFECTS,
    Defect,
    InvalidEventLog,
    TicketVocabulary,
    aware_datetimes,
    calendars,
    event_logs,
    invalid_event_logs,
    policies,
)
from slakit.testing._events import _fields, _Same, make_event
from slakit.testing._instants import zone_transitions
from slakit.workflow import DEFAULT_WORKFLOW, EVENT_TYPES, Event, Workflow, apply, apply_all

UTC = timezone.utc
US = timedelta(microseconds=1)
PROPS = settings(max_examples=60, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
T = TypeVar("T")


class _Found(Exception):
    pass


def reaches(strategy: st.SearchStrategy[T], wanted: Callable[[T], bool], tries: int = 1000) -> T:
    """The first drawn example that is ``wanted`` (no shrinking: faster than ``find``)."""
    found: list[T] = []

    # Derandomized: a rare shape found by luck in one run and missed in the next would make
    # the suite flaky (the reopened-then-closed log was missed about one run in four).
    @settings(max_examples=tries, phases=[Phase.generate], deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def search(example: T) -> None:
        if wanted(example):
            found.append(example)
            raise _Found

    with contextlib.suppress(_Found):
        search()
    assert found, f"no example in {tries} tries is {getattr(wanted, '__name__', 'wanted')}"
    return found[0]

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessCalendar.weekdays("09:00", "17:00", timezone=BERLIN, holidays=[date(2025, 12, 25)])
DESK = Workflow.from_mapping({
    "name": "simple desk",
    "initial": "open",
    "statuses": {"open": {}, "on_hold": {"pauses_clock": True},
                 "done": {"terminal": True, "exits": ["reopened"]}},
    "transitions": [["open", "status_changed", "on_hold"], ["on_hold", "status_changed", "open"],
                    ["open", "agent_replied", "open"], ["open", "resolved", "done"],
                    ["done", "reopened", "open"]],
})


def utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def weekly_pairs(cal: BusinessCalendar) -> list[tuple[str, str, str]]:
    return [(day, s, e) for day, hours in cal.to_mapping()["weekly"].items() for s, e in hours]


# ---- calendars -------------------------------------------------------------------------------

@PROPS
@given(calendars(countries=("CN", "DE")))
def test_drawn_calendars_are_valid_open_and_round_trip(cal: BusinessCalendar) -> None:
    assert BusinessCalendar.from_mapping(cal.to_mapping()) == cal
    start = datetime(2025, 1, 6, tzinfo=cal.zone)
    assert cal.add(start, timedelta(minutes=1)) > start  # some open time ahead


def test_calendars_reach_the_awkward_configurations() -> None:
    def overnight(cal: BusinessCalendar) -> bool:
        return any(e != "24:00" and e <= s for _, s, e in weekly_pairs(cal))

    def ends_where_next_day_starts(cal: BusinessCalendar) -> bool:
        weekly = cal.to_mapping()["weekly"]
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        return any(
            weekly[d][-1][1] != "00:00" and weekly[d][-1][1] <= weekly[d][-1][0]
            and weekly[d][-1][1] == weekly[days[(i + 1) % 7]][0][0]
            for i, d in enumerate(days) if d in weekly and days[(i + 1) % 7] in weekly
        )

    def split_shift(cal: BusinessCalendar) -> bool:
        return any(len(h) >= 2 for h in cal.to_mapping()["weekly"].values())

    def closing_override(cal: BusinessCalendar) -> bool:
        return [] in cal.to_mapping()["overrides"].values()

    def sao_paulo_dst_breaks(cal: BusinessCalendar) -> bool:
        data = cal.to_mapping()
        return data["timezone"] == "America/Sao_Paulo" and any(
            d.startswith("2018") or d.startswith("2019") for d in data["breaks"])

    def lord_howe_makeup(cal: BusinessCalendar) -> bool:
        data = cal.to_mapping()
        return data["timezone"] == "Australia/Lord_Howe" and bool(data["makeup_workdays"])

    for wanted in (overnight, ends_where_next_day_starts, split_shift, closing_override,
                   sao_paulo_dst_breaks, lord_howe_makeup):
        reaches(calendars(), wanted)


def test_calendar_options_are_checked() -> None:
    with pytest.raises(ValueError, match="max_intervals_per_day"):
        calendars(max_intervals_per_day=0)
    with pytest.raises(ValueError, match="zones"):
        calendars(zones=())


# ---- aware datetimes -------------------------------------------------------------------------

@PROPS
@given(aware_datetimes(OFFICE))
def test_instants_are_aware_and_in_the_default_window(t: datetime) -> None:
    assert t.tzinfo is not None
    assert t.utcoffset() is not None
    assert datetime(2024, 1, 1, tzinfo=BERLIN) <= t < datetime(2027, 1, 1, tzinfo=BERLIN)


@PROPS
@given(aware_datetimes(min_value=datetime(2025, 3, 1, tzinfo=UTC),
                       max_value=datetime(2025, 4, 1, tzinfo=UTC)))
def test_instants_stay_within_given_bounds(t: datetime) -> None:
    assert datetime(2025, 3, 1, tzinfo=UTC) <= utc(t) < datetime(2025, 4, 1, tzinfo=UTC)


def test_instants_favour_boundaries_folds_gaps_and_holidays() -> None:
    probe = aware_datetimes(OFFICE)
    opening = reaches(probe, lambda t: OFFICE.is_open(t) and not OFFICE.is_open(utc(t) - US))
    assert utc(opening) == utc(OFFICE.next_opening(opening))
    reaches(probe, lambda t: not OFFICE.is_open(t) and OFFICE.is_open(utc(t) - US))
    reaches(probe, lambda t: OFFICE.is_open(t) and not OFFICE.is_open(utc(t) + US))
    reaches(probe, lambda t: t.tzinfo is BERLIN and t.fold == 1
         and t.replace(fold=0).utcoffset() != t.utcoffset())  # a repeated hour
    christmas = reaches(probe, lambda t: t.astimezone(BERLIN).date() == date(2025, 12, 25))
    assert not OFFICE.is_open(christmas)
    sao_paulo = reaches(aware_datetimes(zones=[ZoneInfo("America/Sao_Paulo")]),
                     lambda t: utc(t) in zone_transitions("America/Sao_Paulo", utc(t).year))
    assert sao_paulo.year in (2018, 2019)  # its last DST years, although the default is 2024+


def test_imaginary_wall_times_only_when_asked() -> None:
    def imaginary(t: datetime) -> bool:
        return utc(t).astimezone(t.tzinfo).replace(tzinfo=None) != t.replace(tzinfo=None)

    gap = reaches(aware_datetimes(OFFICE, allow_imaginary=True), imaginary)
    assert gap.tzinfo is BERLIN
    assert gap.hour == 2  # 02:xx on a spring-forward night

    @PROPS
    @given(aware_datetimes(OFFICE))
    def never(t: datetime) -> None:
        assert not imaginary(t)

    never()


def test_bounds_must_be_aware() -> None:
    with pytest.raises(NaiveDatetimeError, match="min_value"):
        aware_datetimes(min_value=datetime(2025, 1, 1))


# ---- event logs ------------------------------------------------------------------------------

def check_log_shape(log: list[Event], workflow: Workflow) -> None:
    assert log[0].event_type == "opened"
    assert len({e.event_id for e in log}) == len(log)
    assert all(utc(a.at) <= utc(b.at) for a, b in pairwise(log))
    state = None
    for event in log:
        if state is not None:
            assert event.event_type in workflow.allowed_events(state.status)
        state = apply(state, event, workflow)


@PROPS
@given(event_logs(calendar=OFFICE))
def test_event_logs_follow_the_default_workflow(log: list[Event]) -> None:
    check_log_shape(log, DEFAULT_WORKFLOW)


@PROPS
@given(event_logs(DESK, max_events=20))
def test_event_logs_follow_a_custom_workflow_table(log: list[Event]) -> None:
    check_log_shape(log, DESK)
    assert {e.event_type for e in log} <= {"opened", "status_changed", "agent_replied",
                                           "resolved", "reopened"}


def test_event_logs_reach_equal_times_boundaries_and_terminal_statuses() -> None:
    logs = event_logs(calendar=OFFICE)
    reaches(logs, lambda log: any(utc(a.at) == utc(b.at) for a, b in pairwise(log)))
    reaches(logs, lambda log: any(OFFICE.is_open(e.at) and not OFFICE.is_open(utc(e.at) - US)
                               for e in log[1:]))
    reaches(logs, lambda log: apply_all(log).status == "cancelled")
    # The rarest shape (17 logs in 3,000 drawn): a wider search keeps it from
    # being missed in runs whose draws differ (xdist workers, set orders).
    reaches(logs, lambda log: apply_all(log).reopen_count >= 1 and apply_all(log).status == "closed",
            tries=5000)


def test_vocabulary_of_a_policy_set_uses_the_values_its_conditions_mention() -> None:
    data = {"priorities": ["p1", "p2"], "policies": [
        {"name": "hot", "when": (channel_is("hotline") & ~has_tag("vip")).to_data(), "targets": []}]}
    vocab = TicketVocabulary.of_policies(load_policies(data))
    assert vocab.priorities == ("p1", "p2")
    assert "hotline" in vocab.channels
    assert None in vocab.channels
    assert "vip" in vocab.tags
    log = reaches(event_logs(vocabulary=vocab), lambda log: apply_all(log).channel == "hotline")
    assert apply_all(log).priority in ("p1", "p2")


def test_vocabulary_of_custom_fields_crosses_each_boundary() -> None:
    data = {"priorities": ["p1"], "fields": {"order_value": "number", "vip": "bool"},
            "policies": [{"name": "big", "when": (fact("order_value").gt(300)
                                                  & fact("organisation").eq("acme")).to_data(),
                          "targets": []}]}
    vocab = TicketVocabulary.of_policies(load_policies(data))
    assert dict(vocab.custom) == {"order_value": (299, 300, 301), "vip": (True, False)}
    assert vocab.organisations == (None, "acme", "other")
    log = reaches(event_logs(vocabulary=vocab),
                  lambda log: apply_all(log).custom.get("order_value") == 301)
    assert apply_all(log).custom["order_value"] == 301


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_type_gets_fields_that_build_it(event_type: str) -> None:
    made = find(_fields(event_type, "new", _Same(DEFAULT_WORKFLOW), TicketVocabulary()),
                lambda _: True)
    event = make_event(event_type, ticket="T-1", at=datetime(2025, 1, 1, tzinfo=timezone.utc),
                       event_id="e1", fields=made)
    assert event.event_type == event_type


def test_event_log_options_are_checked() -> None:
    with pytest.raises(ValueError, match="max_events"):
        event_logs(max_events=0)


# ---- invalid event logs ----------------------------------------------------------------------

@PROPS
@given(invalid_event_logs())
def test_each_invalid_log_is_refused_at_its_defect_and_valid_without_it(bad: InvalidEventLog) -> None:
    before = apply_all(bad.events[: bad.index]) if bad.index else None
    with pytest.raises(bad.expected_error):
        apply(before, bad.offending_event)
    with pytest.raises(bad.expected_error):
        apply_all(bad.events)
    apply_all(bad.without_defect())
    assert bad.defect in DEFECTS
    assert f"event {bad.index}" in bad.description


@PROPS
@given(invalid_event_logs(DESK))
def test_invalid_logs_for_a_custom_workflow(bad: InvalidEventLog) -> None:
    with pytest.raises(bad.expected_error):
        apply_all(bad.events, DESK)
    apply_all(bad.without_defect(), DESK)


@pytest.mark.parametrize("defect", DEFECTS)
def test_every_defect_is_drawn(defect: Defect) -> None:
    bad = reaches(invalid_event_logs(defects=[defect]), lambda b: True)
    assert bad.defect == defect


def test_unknown_defects_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown defects"):
        invalid_event_logs(defects=["typo"])  # type: ignore[list-item]


# ---- policies --------------------------------------------------------------------------------

@PROPS
@given(policies())
def test_drawn_policy_sets_round_trip_through_json(policy_set: object) -> None:
    from slakit.policies import PolicySet

    assert isinstance(policy_set, PolicySet)
    assert load_policies(json.loads(json.dumps(dump_policies(policy_set)))) == policy_set


def test_policies_reach_rich_sets() -> None:
    rich = reaches(policies(fallback=True), lambda ps: len(ps.policies) >= 2 and any(
        p.peaks and p.escalations for p in ps.all_policies()))
    assert rich.fallback is not None
    reaches(policies(), lambda ps: any(t.calendar.name != "24x7" and isinstance(
        t.calendar.calendar, BusinessCalendar) for p in ps.all_policies() for t in p.targets))
    reaches(policies(), lambda ps: any(p.priority_change.upgrade == "from_creation"
                                    for p in ps.all_policies()))
    reaches(policies(), lambda ps: "tier2_assigned" in [m.name for m in ps.metrics])
