"""The report fold: exact figures of a hand-built desk, ordering, backlog, breaches, properties."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import SlakitError
from slakit.reports import (
    ClockOutcome,
    ReportBuilder,
    ReportInputError,
    Stats,
    TicketOutcome,
    build_report,
    period_label,
)
from slakit.reports._stats import Durations, stats_of

UTC = timezone.utc
SHANGHAI = "Asia/Shanghai"
LADDER = ("critical", "high", "low")


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def clock(state: str, business: float, target: float | None = 7200.0, wall: float | None = None,
          due: datetime | None = None, ended: datetime | None = None) -> ClockOutcome:
    return ClockOutcome("resolution", 1, state, target, business, wall, None, due, ended, None)


DESK = (
    TicketOutcome("T1", "resolved", "high", at(2025, 1, 31, 20), resolved_at=at(2025, 2, 1, 2),
                  category="login", satisfaction=(("resolution", 5), ("attitude", 3)),
                  clocks=(clock("met", 3600, wall=21600),)),
    TicketOutcome("T2", "closed", "low", at(2025, 1, 10, 1), resolved_at=at(2025, 2, 3),
                  category="login", reopens=1,
                  satisfaction=(("response_speed", 2), ("resolution", 4)),
                  clocks=(clock("breached_then_met", 10800, wall=50000, due=at(2025, 1, 10, 5),
                                ended=at(2025, 2, 3)),)),
    TicketOutcome("T3", "open", "high", at(2025, 1, 15, 3), category="refund", escalations=2,
                  keywords=("退款", "物流"), clocks=(clock("breached", 9000),)),
    TicketOutcome("T4", "cancelled", "urgent", at(2025, 2, 10), cancelled_at=at(2025, 2, 11),
                  clocks=(clock("cancelled", 100),)),
    TicketOutcome("T5", "new", None, at(2025, 2, 12)),
)


def test_rows_by_priority_follow_the_ladder_then_names_then_none() -> None:
    report = build_report(DESK, SHANGHAI, metrics=("resolution",), priorities=LADDER)
    assert [r.key for r in report.rows] == [("high",), ("low",), ("urgent",), (None,)]
    high = report.row("high")
    assert (high.tickets, high.resolved, high.reopened, high.escalated) == (2, 1, 0, 1)
    assert (high.ratings, high.satisfied, high.csat) == (2, 1, 0.5)
    assert high.satisfaction == (("resolution", 5.0), ("attitude", 3.0))
    m = high.metric("resolution")
    assert (m.met, m.breached, m.running, m.cancelled, m.compliance) == (1, 1, 0, 0, 0.5)
    assert m.business == Stats(1, 3600.0, 3600.0, 3600.0)
    assert m.wall == Stats(1, 21600.0, 21600.0, 21600.0)
    low = report.row("low")
    assert (low.resolution_rate, low.reopen_rate) == (1.0, 1.0)
    assert low.metric("resolution").compliance == 0.0
    assert report.row("urgent").metric("resolution").compliance is None
    assert report.row(None).metric("resolution").business == Stats(0, None, None, None)


def test_total_row() -> None:
    total = build_report(DESK, SHANGHAI, metrics=("resolution",)).total
    assert (total.tickets, total.resolved, total.resolution_rate, total.reopen_rate) == (5, 2, 0.4, 0.2)
    m = total.metric("resolution")
    assert (m.met, m.breached, m.running, m.cancelled) == (1, 2, 0, 1)
    assert m.compliance == pytest.approx(1 / 3, abs=0, rel=1e-15)
    assert m.business == Stats(2, 7200.0, 7200.0, 10800.0)
    assert (total.ratings, total.csat) == (4, 0.5)
    assert total.satisfaction == (("response_speed", 2.0), ("resolution", 4.5), ("attitude", 3.0))


def test_months_are_read_in_the_desks_zone_with_backlog_at_each_end() -> None:
    report = build_report(DESK, SHANGHAI, by=("period",), metrics=("resolution",))
    assert [(r.key, r.tickets, r.backlog) for r in report.rows] == [
        (("2025-01",), 2, 2),  # T2 and T3 open at the end of January (Shanghai)
        (("2025-02",), 3, 2),  # T1 opened 04:00 on 1 February in Shanghai; T3 and T5 open
    ]
    in_utc = build_report(DESK, "UTC", by=("period",), metrics=("resolution",))
    assert [(r.key, r.tickets, r.backlog) for r in in_utc.rows] == [
        (("2025-01",), 3, 3), (("2025-02",), 2, 2)]
    assert report.first_opened == datetime.fromisoformat("2025-01-10T09:00:00+08:00")
    assert report.last_opened == datetime.fromisoformat("2025-02-12T08:00:00+08:00")


def test_two_dimensions_and_backlog_per_other_dimension() -> None:
    report = build_report(DESK, SHANGHAI, by=("category", "period"), period="week",
                          metrics=("resolution",))
    assert [(r.key, r.tickets, r.backlog) for r in report.rows] == [
        (("login", "2025-W02"), 1, 1),
        (("login", "2025-W05"), 1, 1),  # T1 resolved in week 5, T2 still open
        (("refund", "2025-W03"), 1, 1),
        ((None, "2025-W07"), 2, 1),  # T4 cancelled the next day, T5 open
    ]


def test_period_labels() -> None:
    t = at(2025, 12, 31, 17)  # 01:00 on 1 January 2026 in Shanghai, ISO week 2026-W01
    assert [period_label(t, ZoneInfo(SHANGHAI), p)
            for p in ("day", "week", "month")] == ["2026-01-01", "2026-W01", "2026-01"]


def test_worst_breaches_with_how_late_bounded_by_worst() -> None:
    report = build_report(DESK, SHANGHAI, metrics=("resolution",))
    assert [(b.ticket, b.late_business_s, b.late_wall_s) for b in report.worst_breaches] == [
        ("T2", 3600.0, 23 * 86400 + 19 * 3600.0), ("T3", 1800.0, None)]
    assert report.worst_breaches[0].due_at == datetime.fromisoformat("2025-01-10T13:00:00+08:00")
    one = build_report(DESK, SHANGHAI, metrics=("resolution",), worst=1)
    assert [b.ticket for b in one.worst_breaches] == ["T2"]
    assert build_report(DESK, SHANGHAI, worst=0).worst_breaches == ()


def test_top_categories_and_keywords_per_month() -> None:
    report = build_report(DESK, SHANGHAI, top=1)
    assert [(t.month, t.tickets, t.categories, t.keywords) for t in report.top_by_month] == [
        ("2025-01", 2, (("login", 1),), (("退款", 1),)),
        ("2025-02", 3, (("login", 1),), ()),
    ]


def test_per_agent_satisfaction_is_a_grouping_by_assignee() -> None:
    outcomes = [TicketOutcome(f"A{n}", "resolved", "low", at(2025, 3, 1), assignee=agent,
                              satisfaction=(("attitude", score),))
                for n, (agent, score) in enumerate([("li", 5), ("li", 4), ("wang", 2)])]
    report = build_report(outcomes, SHANGHAI, by="assignee")
    assert [(r.key, r.csat, r.satisfaction) for r in report.rows] == [
        (("li",), 1.0, (("attitude", 4.5),)), (("wang",), 0.0, (("attitude", 2.0),))]


def test_bad_settings_are_listed_together_and_nothing_is_built() -> None:
    with pytest.raises(ReportInputError) as info:
        ReportBuilder("Mars/Base", by=("priority", "colour", "priority"), period="year", worst=-1)
    assert list(info.value.problems) == [
        "zone: unknown zone 'Mars/Base'; give the desk's IANA zone, e.g. 'Asia/Shanghai'",
        "by: unknown dimension 'colour'; use any of priority, category, channel, group, assignee, "
        "customer_tier, plan, root_cause, period",
        "by: ['priority', 'colour', 'priority'] names a dimension twice; name each once",
        "period: expected one of day, week, month, got 'year'",
        "worst: expected a whole number >= 0, got -1",
    ]
    assert isinstance(info.value, ValueError)


def test_adding_something_else_raises_and_changes_nothing() -> None:
    builder = ReportBuilder(SHANGHAI)
    builder.add(DESK[0])
    before = builder.build()
    with pytest.raises(SlakitError, match="add expects a TicketOutcome, got dict"):
        builder.add({"ticket": "T9"})  # type: ignore[arg-type]
    assert builder.build() == before


def test_precision_is_checked() -> None:
    with pytest.raises(ReportInputError, match=r"precision: expected None \(exact\) or a "
                       r"fraction between 0 and 1 such as 0.005, got 1.5"):
        ReportBuilder(SHANGHAI, precision=1.5)


def test_binned_durations_keep_few_bins_and_say_so() -> None:
    binned = Durations(0.005)
    for v in range(0, 10**7, 7):
        binned.add(float(v))
    assert len(binned) < 2_000  # 1,428,572 distinct values, a few hundred bins per decade
    report = build_report(DESK, SHANGHAI, metrics=("resolution",), precision=0.01)
    assert report.precision == 0.01
    assert report.total.metric("resolution").business.mean == 7200.0


# -- properties -------------------------------------------------------------------------


@given(st.lists(st.floats(0, 1e8, allow_nan=False), min_size=1, max_size=80),
       st.sampled_from([0.001, 0.005, 0.02]))
def test_binned_quantiles_are_within_the_precision(values: list[float], precision: float) -> None:
    binned = Durations(precision)
    for v in values:
        binned.add(v)
    exact, got = stats_of(Counter(values)), binned.stats()
    assert got.count == exact.count
    assert got.mean == pytest.approx(exact.mean, rel=1e-9, abs=1e-6)
    for want, have in ((exact.p90, got.p90), (exact.median, got.median)):
        assert want is not None
        assert have is not None
        assert abs(have - want) <= precision * want * (1 + 1e-9) + 1e-9


@given(st.lists(st.integers(0, 50), min_size=1, max_size=60))
def test_stats_equal_the_sorted_list_definitions(values: list[int]) -> None:
    ordered = sorted(float(v) for v in values)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    p90 = next(v for v in ordered if sum(x <= v for x in ordered) >= 0.9 * n)
    got = stats_of(Counter(ordered))
    assert got == Stats(n, pytest.approx(sum(ordered) / n), median, p90)  # type: ignore[arg-type]


STATES = ("met", "breached", "breached_then_met", "running", "paused", "cancelled")
outcome_strategy = st.builds(
    lambda n, p, c, day, status, states, business: TicketOutcome(
        f"T{n}", status, p, at(2025, 1, 1) + timedelta(hours=day), category=c,
        clocks=tuple(clock(s, float(b)) for s, b in zip(states, business, strict=False))),
    st.integers(0, 10**6), st.sampled_from(["high", "low", "urgent", None]),
    st.sampled_from(["a", "b", None]), st.integers(0, 24 * 90),
    st.sampled_from(["new", "open", "resolved", "closed"]),
    st.lists(st.sampled_from(STATES), max_size=2), st.lists(st.integers(0, 9000), max_size=2))


@settings(max_examples=60, deadline=None)
@given(st.lists(outcome_strategy, max_size=30), st.randoms(use_true_random=False))
def test_groupings_partition_the_tickets_and_order_does_not_matter(
    outcomes: list[TicketOutcome], rng: random.Random
) -> None:
    reports = [build_report(outcomes, SHANGHAI, by=by, metrics=("resolution",), worst=0,
                            priorities=LADDER)
               for by in (("priority",), ("category", "period"), ())]
    for report in reports:
        assert sum(r.tickets for r in report.rows) == len(outcomes)
        assert sum(r.metric("resolution").met for r in report.rows) == \
            report.total.metric("resolution").met
        assert report.total == reports[0].total
    shuffled = list(outcomes)
    rng.shuffle(shuffled)
    again = build_report(shuffled, SHANGHAI, by=("category", "period"), metrics=("resolution",),
                         worst=0, priorities=LADDER)
    assert again.rows == reports[1].rows


def test_a_clock_counts_under_the_priority_it_was_judged_by() -> None:
    # T6 ended low, but its first response was met on the critical target before the
    # downgrade: the ticket counts under low, that cycle under critical.
    fr = ClockOutcome("first_response", 1, "met", 1800.0, 600.0, 600.0, priority="critical")
    res = ClockOutcome("resolution", 1, "breached", 7200.0, 9000.0, None, priority="low")
    t6 = TicketOutcome("T6", "open", "low", at(2025, 1, 5), clocks=(fr, res))
    report = build_report([t6], SHANGHAI, metrics=("first_response", "resolution"),
                          priorities=LADDER)
    assert [r.key for r in report.rows] == [("critical",), ("low",)]
    critical, low = report.row("critical"), report.row("low")
    assert (critical.tickets, low.tickets) == (0, 1)
    assert critical.metric("first_response").met == 1
    assert low.metric("first_response").met == 0
    assert (low.metric("resolution").breached, critical.metric("resolution").breached) == (1, 0)
    assert report.total.metric("first_response").met == 1
    (worst,) = report.worst_breaches
    assert worst.priority == "low"
    by_period = build_report([t6], SHANGHAI, by=("period",), metrics=("first_response",))
    assert by_period.rows[0].metric("first_response").met == 1  # no priority: one group
