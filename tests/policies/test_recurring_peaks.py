"""Peak windows that recur every year, written as rrule rules (issue 14, item 5)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit.policies import (
    MetricTarget,
    PolicyDataError,
    PolicySet,
    RecurringPeak,
    SlaPolicy,
    dump_policies,
    load_policies,
)
from slakit.sla import SlaEngine
from tests.sla.sla_testkit import C247, SH, Events, H, targets

PEAK_TARGETS = [MetricTarget("first_response", "normal", 4 * H, C247)]
DOUBLE_11 = RecurringPeak("11.11", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=1", 12, "Asia/Shanghai",
                          PEAK_TARGETS)
SIX_18 = RecurringPeak("618", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", 18, "Asia/Shanghai",
                       PEAK_TARGETS)
BLACK_FRIDAY = RecurringPeak(
    "black-friday", "FREQ=YEARLY;BYMONTH=11;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29", 4,
    "Asia/Shanghai", PEAK_TARGETS)


def at(y: int, m: int, d: int, hh: int = 12) -> datetime:
    return datetime(y, m, d, hh, tzinfo=SH)


@pytest.mark.parametrize(("peak", "inside", "outside"), [
    (DOUBLE_11, [at(2025, 11, 1, 0), at(2026, 11, 12, 23), at(2031, 11, 11)],
     [at(2025, 10, 31, 23), at(2025, 11, 13, 0)]),
    (SIX_18, [at(2025, 6, 1, 0), at(2027, 6, 18, 23)], [at(2025, 6, 19, 0), at(2025, 5, 31)]),
    # Black Friday: the Friday after the fourth Thursday (29 Nov 2024 is the fifth Friday).
    (BLACK_FRIDAY, [at(2024, 11, 29), at(2024, 12, 2), at(2025, 11, 28), at(2026, 11, 27)],
     [at(2024, 11, 22), at(2024, 12, 3), at(2025, 12, 2), at(2026, 11, 26)]),
])
def test_recurring_windows_cover_every_year(
    peak: RecurringPeak, inside: list[datetime], outside: list[datetime]
) -> None:
    assert [peak.covers(t) for t in inside] == [True] * len(inside)
    assert [peak.covers(t) for t in outside] == [False] * len(outside)


def test_black_friday_first_days() -> None:
    assert BLACK_FRIDAY.first_days(2024, 2027) == [
        date(2024, 11, 29), date(2025, 11, 28), date(2026, 11, 27), date(2027, 11, 26)]


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 31)))
def test_covers_equals_a_brute_force_over_the_occurrences(day: date) -> None:
    for peak in (DOUBLE_11, SIX_18, BLACK_FRIDAY):
        starts = peak.first_days(day.year - 1, day.year)
        expected = any(s <= day < s + timedelta(days=peak.days) for s in starts)
        assert peak.covers(datetime.combine(day, time(9), SH)) is expected


def test_a_clock_started_in_any_years_window_takes_the_peak_target() -> None:
    policy = SlaPolicy("p", "1", targets=targets("normal", C247, first_response=H),
                       peaks=[DOUBLE_11])
    eng = SlaEngine(PolicySet([], fallback=policy, priorities=("normal",)))
    for year in (2025, 2030):
        ev = Events()
        _, st_ = eng.apply_all([ev.opened(at(year, 11, 11, 9))])
        fr = [r for r in st_.at(at(year, 11, 11, 9)) if r.metric == "first_response"]
        assert [(r.target, r.due_at) for r in fr] == [(4 * H, at(year, 11, 11, 13))]
    _, st2 = eng.apply_all([Events().opened(at(2030, 11, 13, 9))])
    assert [r.target for r in st2.at(at(2030, 11, 13, 9))] == [H]


def test_recurring_peaks_round_trip_through_the_policy_file() -> None:
    policy = SlaPolicy("p", "1", targets=targets("normal", C247, first_response=H),
                       peaks=[DOUBLE_11, BLACK_FRIDAY])
    ps = PolicySet([], fallback=policy, priorities=("normal",))
    data = dump_policies(ps)
    assert data["fallback"]["peaks"][0] == {
        "name": "11.11", "rule": "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=1", "days": 12,
        "timezone": "Asia/Shanghai", "targets": [
            {"metric": "first_response", "priority": "normal", "within": "PT4H",
             "calendar": "24x7"}]}
    assert load_policies(json.loads(json.dumps(data))) == ps


def test_bad_recurring_peaks_list_every_problem() -> None:
    with pytest.raises(PolicyDataError) as info:
        RecurringPeak("", "FREQ=SOMETIMES", 0, "UTC", [])
    assert info.value.problems == (
        "recurring peak name must be a non-empty string, got ''",
        "recurring peak '': days must be a whole number from 1 to 366, got 0",
        "recurring peak rule 'FREQ=SOMETIMES' is not RRULE text (invalid 'FREQ': "
        "SOMETIMES); write it like 'FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=11'")
    with pytest.raises(PolicyDataError, match="without DTSTART"):
        RecurringPeak("x", "DTSTART:20250101T000000\nRRULE:FREQ=YEARLY", 3, "UTC", [])

