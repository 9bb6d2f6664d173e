"""Pauses per policy and per metric, per-metric change modes (issue 14, item 3)."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import (
    DEFAULT_METRICS,
    FIRST_RESPONSE,
    MetricDefinition,
    MetricSettings,
    PolicyDataError,
    PolicySet,
    PriorityChangeSettings,
    SlaPolicy,
    dump_policies,
    load_policies,
)
from slakit.sla import SlaEngine
from slakit.workflow import Event
from tests.sla.sla_testkit import C247, OFFICE, Events, H, M, sh, targets
from tests.sla.test_properties import streams

STATUSES = ("new", "assigned", "in_progress", "waiting_on_customer", "waiting_on_third_party")


def carrier_policy(*settings_: MetricSettings) -> SlaPolicy:
    return SlaPolicy("p", "1", targets=targets(
        "normal", C247, first_response=30 * M, periodic_update=H, resolution=8 * H),
        metric_settings=settings_)


def run(policy: SlaPolicy, events: list[Event]) -> dict[tuple[str, int], object]:
    eng = SlaEngine(PolicySet([], fallback=policy, priorities=("urgent", "normal")))
    _, st_ = eng.apply_all(events)
    return {(r.metric, r.cycle): (r.due_at, r.elapsed) for r in st_.at(sh(3, 3, 12))
            if r.metric in ("resolution", "periodic_update")}


def carrier_events() -> list[Event]:
    ev = Events()
    return [ev.opened(sh(3, 3, 9)), ev.reply(sh(3, 3, 9, 10)),
            ev.status(sh(3, 3, 9, 20), "waiting_on_third_party")]


def test_waiting_on_the_carrier_pauses_resolution_but_not_the_update_clock() -> None:
    plain = run(carrier_policy(), carrier_events())
    # Both paused since 09:20 (no due time while paused): resolution 20 min counted, the
    # update 10 min.
    assert plain == {("resolution", 1): (None, 20 * M),
                     ("periodic_update", 1): (None, 10 * M)}
    own = run(carrier_policy(MetricSettings("periodic_update", ["waiting_on_customer"])),
              carrier_events())
    assert own == {("resolution", 1): (None, 20 * M),
                   ("periodic_update", 1): (sh(3, 3, 10, 10), 170 * M)}


def test_a_metric_definition_names_its_own_pausing_statuses() -> None:
    metrics = tuple(attrs.evolve(m, pauses_in=["waiting_on_customer"])
                    if m.name == "periodic_update" else m for m in DEFAULT_METRICS)
    eng = SlaEngine(PolicySet([], fallback=carrier_policy(), metrics=metrics))
    _, st_ = eng.apply_all(carrier_events())
    assert {r.metric: r.due_at for r in st_.at(sh(3, 3, 12))}["periodic_update"] == sh(3, 3, 10, 10)


def test_a_built_in_metric_adopted_with_one_setting_changed() -> None:
    adopted = MetricDefinition.from_data({"like": "first_response", "pausable": False})
    assert adopted == attrs.evolve(FIRST_RESPONSE, pausable=False)
    renamed = MetricDefinition.from_data({"like": "resolution", "name": "fix",
                                          "pauses_in": ["waiting_on_customer"]})
    assert (renamed.name, renamed.pauses_in, renamed.resumes) == (
        "fix", frozenset({"waiting_on_customer"}), DEFAULT_METRICS[3].resumes)
    with pytest.raises(PolicyDataError, match="'answer' is not a built-in metric"):
        MetricDefinition.from_data({"like": "answer"})


def test_the_change_mode_can_be_set_per_metric() -> None:
    policy = SlaPolicy("p", "1", targets=[
        *targets("normal", OFFICE, first_response=2 * H, resolution=24 * H),
        *targets("urgent", C247, first_response=30 * M, resolution=4 * H)],
        priority_change=PriorityChangeSettings(upgrade="keep_elapsed"),
        metric_settings=[MetricSettings("resolution", priority_change=PriorityChangeSettings(
            upgrade="restart"))])
    ev = Events()
    eng = SlaEngine(PolicySet([], fallback=policy, priorities=("urgent", "normal")))
    _, st_ = eng.apply_all([ev.opened(sh(3, 3, 9)), ev.priority(sh(3, 3, 10), "urgent")])
    due = {r.metric: r.due_at for r in st_.at(sh(3, 3, 10)) if r.target is not None}
    # first response keeps the office hour counted, past its new 30 minutes (due at the
    # change); resolution starts again at 10:00.
    assert due == {"first_response": sh(3, 3, 10), "resolution": sh(3, 3, 14)}
    modes = {c.metric: c.current.changes[-1].mode for c in st_.clocks
             if c.current is not None and c.current.changes}
    assert modes == {"first_response": "keep_elapsed", "resolution": "restart",
                     "solution_plan": "keep_elapsed", "engineer_assigned": "keep_elapsed"}


def test_metric_settings_round_trip_and_list_their_problems() -> None:
    policy = carrier_policy(
        MetricSettings("periodic_update", ["waiting_on_customer"]),
        MetricSettings("resolution", None, PriorityChangeSettings(upgrade="restart")))
    ps = PolicySet([], fallback=policy, priorities=("normal",))
    data = dump_policies(ps)
    assert data["fallback"]["metric_settings"] == [
        {"metric": "periodic_update", "pauses_in": ["waiting_on_customer"]},
        {"metric": "resolution", "priority_change": {"upgrade": "restart",
                                                     "downgrade": "keep_elapsed"}}]
    assert load_policies(json.loads(json.dumps(data))) == ps
    with pytest.raises(PolicyDataError) as info:
        MetricSettings.from_data({"metric": "resolution", "pause": [], "pauses_in": "x",
                                  "priority_change": {"upgrade": "later"}}, "m")
    assert info.value.problems == (
        "m: unknown key 'pause'; use metric, pauses_in, priority_change",
        "m.pauses_in: expected a list of statuses, got 'x'",
        "m.priority_change.upgrade: unknown mode 'later'; use one of restart, keep_elapsed, "
        "from_creation, stricter")
    with pytest.raises(PolicyDataError, match="settings for unknown metric 'answer'"):
        PolicySet([], fallback=carrier_policy(MetricSettings("answer", [])))


@settings(max_examples=120, deadline=None)
@given(streams(priority_changes=False),
       st.lists(st.frozensets(st.sampled_from(STATUSES)), min_size=6, max_size=6),
       st.integers(0, 3000))
def test_per_metric_pauses_never_move_a_due_time_earlier(
    events: list[Event], extra: list[frozenset[str]], minutes: int
) -> None:
    base = SlaPolicy("p", "1", targets=[
        *targets("urgent", C247, first_response=30 * M, resolution=4 * H, next_response=H),
        *targets("normal", OFFICE, first_response=2 * H, resolution=24 * H,
                 periodic_update=3 * H)])
    waiting = frozenset({"waiting_on_customer", "waiting_on_third_party"})
    more = attrs.evolve(base, metric_settings=[
        MetricSettings(m.name, waiting | e) for m, e in zip(DEFAULT_METRICS, extra, strict=True)])
    ps = dict(priorities=("urgent", "important", "normal", "low"))
    _, a = SlaEngine(PolicySet([], fallback=base, **ps)).apply_all(events)  # type: ignore[arg-type]
    _, b = SlaEngine(PolicySet([], fallback=more, **ps)).apply_all(events)  # type: ignore[arg-type]
    now = events[-1].at + minutes * M
    before = {(x.metric, x.cycle): x for x in a.at(now)}
    for x in b.at(now):
        y = before[(x.metric, x.cycle)]
        assert x.elapsed <= y.elapsed
        if x.due_at is not None and y.due_at is not None:
            assert x.due_at >= y.due_at
        assert x.paused_for >= y.paused_for
