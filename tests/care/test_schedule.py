"""Care schedules and follow-ups: exact instants on the CN calendar, keys, overdue, properties."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.calendar import BusinessCalendar
from slakit.care import (
    CareSchedule,
    CareState,
    FollowUpCompleted,
    apply_care_event,
    care_event_from_json,
    care_event_to_json,
    due_care,
    next_care_at,
)
from slakit.plans import CareDataError, Plan, PlanInputError, PlanStarted, apply_plan_events

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar.weekdays("09:00", "18:00", timezone=SH, country="CN")


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


QUARTERLY = CareSchedule("visit", at(2025, 1, 6), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
                         until=at(2027, 1, 6), overdue_after=timedelta(hours=18))


def test_first_working_day_of_each_quarter_for_two_years() -> None:
    got = [(o.name, o.at) for o in QUARTERLY.occurrences(CN, at(2030, 1, 1))]
    # dtstart 6 Jan: monthly by 3 from January gives 1 Apr, 1 Jul, 1 Oct, 1 Jan ...
    assert got == [
        ("2025-04-01T00:00", at(2025, 4, 1, 9)),
        ("2025-07-01T00:00", at(2025, 7, 1, 9)),
        ("2025-10-01T00:00", at(2025, 10, 9, 9)),   # National Day 1-8 Oct
        ("2026-01-01T00:00", at(2026, 1, 4, 9)),    # New Year 1-3 Jan; Sunday 4 Jan worked
        ("2026-04-01T00:00", at(2026, 4, 1, 9)),
        ("2026-07-01T00:00", at(2026, 7, 1, 9)),
        ("2026-10-01T00:00", at(2026, 10, 8, 9)),
        ("2027-01-01T00:00", at(2027, 1, 4, 9)),
    ]


def test_dated_events_with_an_offset_and_working_days() -> None:
    peaks = CareSchedule("pre-peak", at(2025, 1, 1), dates=(at(2025, 6, 18), at(2025, 11, 11)),
                         offset_days=-7, action="check")
    assert [o.at for o in peaks.occurrences(CN, at(2026, 1, 1))] == [
        at(2025, 6, 11, 9), at(2025, 11, 4, 9)]
    notice = CareSchedule("upgrade-notice", at(2025, 1, 1), dates=(at(2025, 10, 10, 22),),
                          offset_days=-3, working=True, action="notify")
    # three working days before Friday 10 Oct: 9 Oct, 30 Sep, 29 Sep; 22:00 is closed.
    assert [o.at for o in notice.occurrences(CN, at(2026, 1, 1))] == [at(2025, 9, 30, 9)]
    with pytest.raises(PlanInputError, match="pass the calendar"):
        list(notice.occurrences(None, at(2026, 1, 1)))


def test_due_next_and_overdue_escalation() -> None:
    state = CareState("t", "s", [QUARTERLY])
    assert next_care_at(state, at(2025, 1, 6), calendar=CN) == at(2025, 4, 1, 9)
    # 18 business hours after 1 Apr 09:00 end at the 2 Apr close: the calendar gives the
    # next opening, 3 Apr 09:00.
    assert next_care_at(state, at(2025, 4, 1, 9), calendar=CN) == at(2025, 4, 3, 9)
    got = due_care(state, at(2025, 4, 3, 9), calendar=CN)
    assert [(d.key, d.fire_at, d.action) for d in got] == [
        ("t/s/visit/2025-04-01T00:00", at(2025, 4, 1, 9), "visit"),
        ("t/s/visit/2025-04-01T00:00/overdue", at(2025, 4, 3, 9), "escalate_overdue")]
    done = apply_care_event(state, FollowUpCompleted(
        subject="s", at=at(2025, 4, 2, 10), event_id="f1", schedule="visit",
        occurrence="2025-04-01T00:00"), CN)
    assert [d.action for d in due_care(done, at(2025, 4, 3, 9), calendar=CN)] == ["visit"]
    assert next_care_at(done, at(2025, 4, 1, 9), calendar=CN) == at(2025, 7, 1, 9)


def test_per_plan_schedule_skips_a_lapse() -> None:
    sched = CareSchedule("visit", at(2025, 1, 1), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
                         plan="annual")
    plans = apply_plan_events("t", "s", [PlanStarted(subject="s", at=at(2025, 3, 1), event_id="e",
        plan=Plan("annual", "annual", at(2025, 3, 1), at(2025, 8, 1)))])
    state = CareState("t", "s", [sched])
    assert [d.occurrence for d in due_care(state, at(2026, 1, 1), calendar=CN, plans=plans)] == [
        "2025-04-01T00:00", "2025-07-01T00:00"]
    assert next_care_at(state, at(2025, 7, 2), calendar=CN, plans=plans) is None


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"rule": "FREQ=SOMETIMES"}, "not a valid RRULE"),
    ({"rule": "DTSTART:20250101\nFREQ=DAILY"}, "DTSTART"),
    ({"rule": ""}, "give a rule"),
])
def test_bad_schedules_are_refused(kwargs: dict[str, str], match: str) -> None:
    with pytest.raises(PlanInputError, match=match):
        CareSchedule("x", at(2025, 1, 1), **kwargs)  # type: ignore[arg-type]


def test_completion_of_an_unknown_occurrence_raises_and_changes_nothing() -> None:
    state = CareState("t", "s", [QUARTERLY])
    for sched, occ in (("visit", "2025-04-02T00:00"), ("other", "2025-04-01T00:00")):
        with pytest.raises(PlanInputError):
            apply_care_event(state, FollowUpCompleted(subject="s", at=at(2025, 4, 2),
                             event_id="f", schedule=sched, occurrence=occ), CN)
    assert state.completed == {}
    assert state.event_ids == frozenset()


def test_care_event_json() -> None:
    e = FollowUpCompleted(subject="s", at=at(2025, 4, 2), event_id="f", schedule="visit",
                          occurrence="2025-04-01T00:00")
    assert care_event_from_json(care_event_to_json(e)) == e
    with pytest.raises(CareDataError, match="occurrence: missing"):
        care_event_from_json(care_event_to_json(e).replace(',"occurrence":"2025-04-01T00:00"', ""))


RULES = ["FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1",
         "FREQ=WEEKLY;BYDAY=SA", "FREQ=YEARLY;BYMONTH=6,11;BYMONTHDAY=11",
         "FREQ=DAILY;INTERVAL=10"]
schedules = st.builds(
    lambda rule, day, hour, offset: CareSchedule(
        "s", at(2025, 1, 1) + timedelta(days=day, hours=hour), rule, offset_days=offset,
        until=at(2027, 1, 1), overdue_after=timedelta(hours=9)),
    st.sampled_from(RULES), st.integers(0, 400), st.integers(0, 23), st.integers(-10, 10))
instants = st.integers(0, 800 * 24).map(lambda h: at(2025, 1, 1) + timedelta(hours=h))


@settings(max_examples=40, deadline=None)
@given(schedules)
def test_every_occurrence_falls_on_an_open_instant(sched: CareSchedule) -> None:
    occs = list(sched.occurrences(CN, at(2027, 6, 1)))
    assert all(CN.is_open(o.at) for o in occs)
    assert [o.at for o in occs] == sorted(o.at for o in occs)


@settings(max_examples=40, deadline=None)
@given(schedules, instants, instants)
def test_keys_unique_stable_and_wake_not_after_next_due(
    sched: CareSchedule, now: datetime, later: datetime
) -> None:
    state = CareState("t", "s", [sched])
    now, later = min(now, later), max(now, later)
    first = due_care(state, later, calendar=CN)
    keys = [d.key for d in first]
    assert len(keys) == len(set(keys))
    # replaying in two steps (now, then since=now) gives the same decisions with the same keys
    assert due_care(state, now, calendar=CN) + due_care(
        state, later, calendar=CN, since=now) == first
    wake = next_care_at(state, now, calendar=CN)
    after_now = [d.fire_at for d in first if d.fire_at > now]
    if after_now:
        assert wake is not None
        assert wake <= min(after_now)
