"""Working-day targets and the one target parser (issue 14, item 4)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from slakit.calendar import BusinessCalendar
from slakit.policies import (
    MetricTarget,
    NamedCalendar,
    PolicyDataError,
    PolicySet,
    SlaPolicy,
    WorkingDays,
    dump_policies,
    format_target,
    load_policies,
    parse_target,
)
from slakit.sla import SlaEngine
from slakit.testing import calendars
from tests.sla.sla_testkit import SH, Events, H, M

CN = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Shanghai", country="CN")


def sh(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SH)


# 2025 Spring Festival: closed Jan 28 - Feb 4, makeup working days Sun Jan 26 and Sat Feb 8.
# 2025 National Day: closed Oct 1 - Oct 8, makeup working days Sun Sep 28 and Sat Oct 11.
@pytest.mark.parametrize(("start", "n", "due"), [
    (sh(1, 24, 15), 3, sh(2, 5, 18)),   # Sun 26 (makeup), Mon 27, Wed Feb 5
    (sh(1, 24, 15), 5, sh(2, 7, 18)),   # ... Thu 6, Fri 7
    (sh(1, 24, 15), 7, sh(2, 10, 18)),  # ... Sat 8 (makeup), Mon 10
    (sh(9, 26, 15), 3, sh(9, 30, 18)),  # Sun 28 (makeup), Mon 29, Tue 30
    (sh(9, 26, 15), 5, sh(10, 10, 18)),  # ... Thu Oct 9, Fri 10
    (sh(9, 26, 15), 7, sh(10, 13, 18)),  # ... Sat 11 (makeup), Mon 13
    (sh(1, 28, 10), 3, sh(2, 7, 18)),   # started inside the break: Wed 5, Thu 6, Fri 7
])
def test_the_three_working_day_rules_over_the_2025_breaks(
    start: datetime, n: int, due: datetime
) -> None:
    assert WorkingDays(n).due(CN, start) == due


def test_next_working_day_by_16_00() -> None:
    rule = WorkingDays(1, by=time(16))
    assert rule.due(CN, sh(1, 27, 17)) == sh(2, 5, 16)   # Monday before the break
    assert rule.due(CN, sh(2, 7, 10)) == sh(2, 8, 16)    # Friday -> Saturday makeup day


def engine_with(within: timedelta | WorkingDays) -> SlaEngine:
    cal = NamedCalendar("cn", CN, "2025")
    policy = SlaPolicy("p", "1", targets=[MetricTarget("first_response", "normal", within, cal)])
    return SlaEngine(PolicySet([], fallback=policy, priorities=("normal",)))


def test_a_working_day_target_in_the_engine_and_its_pause_rule() -> None:
    ev = Events()
    opened = ev.opened(sh(1, 24, 15))
    _, st_ = engine_with(WorkingDays(3)).apply_all([opened])
    (r,) = [x for x in st_.at(sh(2, 5, 17, 59)) if x.metric == "first_response"]
    # 27 office hours (3 h on Friday, Sun, Mon, Wed): due at Wednesday's close, reported as
    # the next open instant the budget is used up, Thursday 09:00.
    assert (r.target, r.due_at, r.status) == (30 * H, sh(2, 6, 9), "running")
    (late,) = [x for x in st_.at(sh(2, 6, 9, 1)) if x.metric == "first_response"]
    assert (late.status, late.breached_at) == ("breached", sh(2, 6, 9))
    # A pause of one office hour moves it by exactly one office hour.
    paused = [opened, ev.status(sh(1, 27, 10), "waiting_on_customer"),
              ev.status(sh(1, 27, 11), "in_progress")]
    _, st2 = engine_with(WorkingDays(3)).apply_all(paused)
    assert [x.due_at for x in st2.at(sh(1, 27, 11)) if x.metric == "first_response"] == [
        sh(2, 6, 10)]


@pytest.mark.parametrize(("text", "value"), [
    ("PT30M", 30 * M), ("P3D", timedelta(days=3)), ("30m", 30 * M), ("4h", 4 * H),
    ("1h30m", 90 * M), ("2d", timedelta(days=2)), ("90s", timedelta(seconds=90)),
    ("3wd", WorkingDays(3)), ("1wd@16:00", WorkingDays(1, by=time(16))),
])
def test_one_parser_for_every_target_form(text: str, value: object) -> None:
    assert parse_target(text) == value
    assert parse_target(format_target(value)) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "0m", "PT0S", "3 wd", "1wd@25:00", "0wd", "400wd", "4H",
                                  "P1M", 30, None, "h"])
def test_bad_targets_show_the_accepted_forms(text: object) -> None:
    with pytest.raises(PolicyDataError) as info:
        parse_target(text, "policies[0].targets[1].within")
    message = str(info.value)
    assert "policies[0].targets[1].within" in message
    assert "working days" in message or "from 1 to 366" in message


def test_working_day_targets_round_trip_through_the_policy_file() -> None:
    ps = engine_with(WorkingDays(1, by=time(16))).policies
    data = dump_policies(ps)
    assert data["fallback"]["targets"][0]["within"] == "1wd@16:00"
    assert load_policies(json.loads(json.dumps(data))) == ps
    data["fallback"]["targets"][0]["within"] = "27h"
    assert load_policies(data).fallback.targets[0].within == 27 * H  # type: ignore[union-attr]


ZONES = ("Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC")


def brute_due(cal: BusinessCalendar, start: datetime, n: int) -> datetime | None:
    """The close of the n-th local date after start's with open time, read from periods."""
    zone = cal.zone
    first = start.astimezone(zone).date() + timedelta(days=1)
    begin = datetime.combine(first, time(), zone)
    last_end: dict[date, datetime] = {}
    for p in cal.periods(begin, begin + timedelta(days=60)):
        s, e = p.start.astimezone(zone), p.end.astimezone(zone)
        d = s.date()
        while d <= e.date():
            lo = max(s, datetime.combine(d, time(), zone))
            hi = min(e, datetime.combine(d + timedelta(days=1), time(), zone))
            if lo < hi:
                last_end[d] = max(hi, last_end.get(d, hi))
            d += timedelta(days=1)
    days = sorted(last_end)
    return last_end[days[n - 1]] if len(days) >= n else None


@settings(max_examples=80, deadline=None)
@given(calendars(zones=ZONES, countries=("CN",)), st.integers(1, 6),
       st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1)))
def test_a_working_day_target_equals_a_brute_force_count_of_open_days(
    cal: BusinessCalendar, n: int, naive: datetime
) -> None:
    start = naive.replace(tzinfo=cal.zone)
    expected = brute_due(cal, start, n)
    assume(expected is not None)
    assert WorkingDays(n).due(cal, start) == expected
    # What the clock counts reaches exactly that instant.
    budget = WorkingDays(n).budget(cal, start)
    assert cal.elapsed(start, expected) == budget
