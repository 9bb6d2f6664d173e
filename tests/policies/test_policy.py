"""Policy sets: first match, fallback, reported gaps, definition-time checks, peaks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slakit import AlwaysOpen
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PeakWindow,
    PolicyDataError,
    PolicySet,
    SlaPolicy,
    TicketFacts,
    always,
    at_fraction,
    category_is,
    channel_is,
    has_tag,
    priority_is,
    raise_priority,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
PRIOS = ("urgent", "normal")


def full(name: str, when: object = None, minutes: int = 30) -> SlaPolicy:
    ts = [MetricTarget("first_response", p, timedelta(minutes=minutes), CAL) for p in PRIOS]
    return SlaPolicy(name, "1", always() if when is None else when, ts)  # type: ignore[arg-type]


HOTLINE = full("hotline", channel_is("hotline"), 3)
VIP = full("vip", has_tag("vip"), 10)
STANDARD = full("standard")


def test_first_match_wins_then_fallback() -> None:
    ps = PolicySet([HOTLINE, VIP], fallback=STANDARD, priorities=PRIOS)
    both = TicketFacts(priority="urgent", channel="hotline", tags=frozenset({"vip"}))
    assert ps.select(both).policy == HOTLINE
    assert ps.select(TicketFacts(priority="urgent", tags=frozenset({"vip"}))).policy == VIP
    choice = ps.select(TicketFacts(priority="normal"))
    assert (choice.policy, choice.via) == (STANDARD, "fallback")
    assert choice.describe() == "policy 'standard' v1 (fallback)"


def test_no_match_without_fallback_is_reported() -> None:
    ps = PolicySet([HOTLINE], priorities=PRIOS)
    choice = ps.select(TicketFacts(priority="normal", channel="email"))
    assert (choice.policy, choice.via) == (None, "none")
    (problem,) = ps.problems()
    assert problem.startswith("the policy set has no fallback: tickets matching no policy get "
                              "no SLA clocks (e.g. TicketFacts(priority='normal'")


def test_a_shadowed_or_unsatisfiable_policy_is_reported() -> None:
    never_reached = full("hotline-urgent", channel_is("hotline") & priority_is("urgent"))
    impossible = full("impossible", priority_is("urgent") & ~priority_is("urgent"))
    ps = PolicySet([HOTLINE, never_reached, impossible], fallback=STANDARD, priorities=PRIOS)
    assert ps.problems() == (
        "policy 'hotline-urgent' can never be chosen: its conditions "
        'channel_is("hotline") & priority_is("urgent") match nothing not already matched by an '
        "earlier policy",
        "policy 'impossible' can never be chosen: its conditions "
        'priority_is("urgent") & ~priority_is("urgent") match nothing not already matched by an '
        "earlier policy",
    )


def test_missing_targets_are_reported() -> None:
    thin = SlaPolicy("thin", "1", category_is("suggestion"),
                     [MetricTarget("first_response", "urgent", timedelta(hours=1), CAL)])
    ps = PolicySet([thin], fallback=STANDARD, priorities=PRIOS)
    assert ps.problems() == ("policy 'thin' has no target for priority 'normal'",)


def test_definition_errors_are_listed_together() -> None:
    bad = SlaPolicy("x", "1", always(), [
        MetricTarget("first_reply", "urgent", timedelta(hours=1), CAL),
        MetricTarget("resolution", "p9", timedelta(hours=1), CAL),
    ])
    with pytest.raises(PolicyDataError) as info:
        PolicySet([bad, full("x")], priorities=PRIOS)
    assert info.value.problems == (
        "policy name 'x' is used twice; names identify policies",
        "policy 'x': target for unknown metric 'first_reply'; known: ['first_response', "
        "'next_response', 'periodic_update', 'resolution', 'solution_plan', 'engineer_assigned']",
        "policy 'x': target for priority 'p9', which is not in priorities ('urgent', 'normal'); "
        "add it there or fix the spelling",
    )


def test_duplicate_targets_and_bad_values_are_refused() -> None:
    t = MetricTarget("first_response", "urgent", timedelta(hours=1), CAL)
    with pytest.raises(PolicyDataError, match="two targets"):
        SlaPolicy("x", "1", always(), [t, t])
    with pytest.raises(PolicyDataError, match="positive timedelta"):
        MetricTarget("first_response", "urgent", timedelta(0), CAL)
    with pytest.raises(PolicyDataError, match="swap them"):
        PeakWindow("w", date(2025, 11, 12), date(2025, 11, 1), "Asia/Shanghai", [])


def test_peak_windows_apply_by_the_local_date_of_the_instant() -> None:
    tight = MetricTarget("first_response", "normal", timedelta(minutes=10), CAL)
    peak = PeakWindow("11.11", date(2025, 11, 1), date(2025, 11, 12), "Asia/Shanghai", [tight])
    pol = SlaPolicy("p", "1", always(), STANDARD.targets, peaks=[peak])
    # 2025-11-12 23:30 in Shanghai is 15:30 UTC: inside; 2025-10-31 16:30 UTC is Nov 1 00:30.
    inside = datetime(2025, 11, 12, 23, 30, tzinfo=SH)
    assert pol.target_for("first_response", "normal", inside) == tight
    outside = datetime(2025, 11, 13, 0, 0, tzinfo=SH)
    assert pol.target_for("first_response", "normal", outside) == STANDARD.targets[1]
    from datetime import timezone
    assert pol.target_for("first_response", "normal",
                          datetime(2025, 10, 31, 16, 30, tzinfo=timezone.utc)) == tight
    # Metrics the window does not list keep the normal target.
    assert pol.target_for("first_response", "urgent", inside) == STANDARD.targets[0]
    assert pol.metrics() == frozenset({"first_response"})


def test_rank_orders_priorities_and_unknown_ones_last() -> None:
    ps = PolicySet([], fallback=STANDARD, priorities=PRIOS)
    assert [ps.rank(p) for p in ("urgent", "normal", "whatever")] == [0, 1, 2]
    with pytest.raises(LookupError, match="unknown metric"):
        ps.metric("nope")


# Issue 14 item 6: a priority outside the ladder would silently match nothing.


def test_a_condition_on_a_priority_outside_the_ladder_is_refused() -> None:
    rule = EscalationRule("late", "first_response", at_fraction(0.5),
                          [raise_priority("critical")], priority_is("low") | priority_is("urgent"))
    policy = SlaPolicy("p", "1", ~priority_is("suggestion"),
                       full("x").targets, escalations=[rule])
    with pytest.raises(PolicyDataError) as info:
        PolicySet([policy], priorities=PRIOS)
    ladder = "not in priorities ('urgent', 'normal'); add it there or fix the spelling"
    assert info.value.problems == (
        f"policy 'p': its condition tests priority 'suggestion', {ladder}",
        f"policy 'p': the condition of escalation 'late' tests priority 'low', {ladder}",
        f"policy 'p': escalation 'late' raises to priority 'critical', {ladder}",
    )
    assert PolicySet([policy], priorities=(*PRIOS, "suggestion", "low", "critical"))


def test_a_policy_set_with_custom_fields_pickles_equal() -> None:
    """Worker processes of the command line receive the policy set by pickle."""
    import pickle

    from slakit.policies import PolicySet

    original = PolicySet(policies=(), fields={"order_value": "number"})
    copy = pickle.loads(pickle.dumps(original))
    assert copy == original
    assert dict(copy.fields) == {"order_value": "number"}
    with pytest.raises(TypeError):
        copy.fields["x"] = "string"
