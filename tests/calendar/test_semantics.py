"""Exact semantics of BusinessCalendar apart from DST, computed by hand.

Covers: overrides beating holidays, breaks, holidays and overnight shifts, makeup days and the
named constructors; merging of touching intervals and clipping of periods; far years (2300,
local mean time before 1893, ten-year spans, 50 000-hour additions).
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from slakit import InvalidPeriodError
from slakit.calendar import AlwaysOpen, BusinessCalendar, Calendar, Period
from tests.calendar.calendar_testkit import UTC, as_utc, assert_instant

BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
NINE_TO_FIVE = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}


def u(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def spans(periods: Iterator[Period]) -> list[tuple[datetime, datetime]]:
    return [(as_utc(p.start), as_utc(p.end)) for p in periods]


# --- overrides, holidays, breaks, makeup days --------------------------------------------


def test_overrides_beat_holidays_and_weekly_hours() -> None:
    cal = BusinessCalendar(
        "UTC",
        NINE_TO_FIVE,
        holidays=[date(2025, 6, 2), date(2025, 6, 3)],
        overrides={
            date(2025, 6, 2): [("10:00", "12:00")],  # a holiday, yet open 10-12
            date(2025, 6, 4): [],  # a Wednesday, closed
            date(2025, 6, 7): [("10:00", "14:00")],  # a Saturday, open
        },
    )
    assert cal.elapsed(u(2025, 6, 2), u(2025, 6, 3)) == 2 * H
    assert cal.elapsed(u(2025, 6, 3), u(2025, 6, 4)) == timedelta(0)
    assert cal.elapsed(u(2025, 6, 4), u(2025, 6, 5)) == timedelta(0)
    assert cal.elapsed(u(2025, 6, 5), u(2025, 6, 6)) == 8 * H
    assert cal.elapsed(u(2025, 6, 7), u(2025, 6, 8)) == 4 * H
    assert_instant(cal.add(u(2025, 6, 2, 11), 2 * H), u(2025, 6, 5, 10), cal.zone)


def test_breaks_cut_open_time() -> None:
    cal = BusinessCalendar(
        "UTC",
        NINE_TO_FIVE,
        breaks={date(2025, 6, 4): [("12:00", "13:00")], date(2025, 6, 5): [("08:00", "18:00")]},
    )
    assert cal.elapsed(u(2025, 6, 4), u(2025, 6, 5)) == 7 * H
    assert not cal.is_open(u(2025, 6, 4, 12, 30))
    assert cal.is_open(u(2025, 6, 4, 13))
    assert spans(cal.periods(u(2025, 6, 4), u(2025, 6, 5))) == [
        (u(2025, 6, 4, 9), u(2025, 6, 4, 12)),
        (u(2025, 6, 4, 13), u(2025, 6, 4, 17)),
    ]
    # 30 min before the break, 1 h of work ends 30 min after it.
    assert_instant(cal.add(u(2025, 6, 4, 11, 30), H), u(2025, 6, 4, 13, 30), cal.zone)
    # Landing exactly on the break start is a close: move to the end of the break.
    assert_instant(cal.add(u(2025, 6, 4, 11), H), u(2025, 6, 4, 13), cal.zone)
    assert_instant(cal.subtract(u(2025, 6, 4, 13, 30), H), u(2025, 6, 4, 11, 30), cal.zone)
    assert cal.elapsed(u(2025, 6, 5), u(2025, 6, 6)) == timedelta(0)  # a break all day


def test_holiday_removes_shifts_starting_that_day_only() -> None:
    every_night = {d: [("22:00", "06:00")] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    cal = BusinessCalendar("UTC", every_night, holidays=[date(2025, 6, 4)])
    # The shift from the evening before runs into the holiday; the holiday's own does not.
    assert spans(cal.periods(u(2025, 6, 3, 12), u(2025, 6, 5, 12))) == [
        (u(2025, 6, 3, 22), u(2025, 6, 4, 6)),
    ]
    assert cal.is_open(u(2025, 6, 4, 5))
    assert not cal.is_open(u(2025, 6, 4, 23))
    assert_instant(cal.add(u(2025, 6, 4, 5), 2 * H), u(2025, 6, 5, 23), cal.zone)


def test_makeup_workday_and_weekday_constructors() -> None:
    cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin", holidays=[date(2025, 12, 25)])
    assert cal.zone == BERLIN
    assert not cal.is_open(datetime(2025, 12, 25, 10, tzinfo=BERLIN))
    assert not cal.is_open(datetime(2025, 12, 27, 10, tzinfo=BERLIN))  # Saturday
    assert cal.is_open(datetime(2025, 12, 29, 10, tzinfo=BERLIN))
    assert_instant(
        cal.add(datetime(2025, 12, 24, 16, tzinfo=BERLIN), 2 * H),
        datetime(2025, 12, 26, 10, tzinfo=BERLIN),
        BERLIN,
    )
    daily = BusinessCalendar.every_day("09:00", "21:00", timezone="Asia/Shanghai")
    sh = ZoneInfo("Asia/Shanghai")
    assert daily.elapsed(datetime(2025, 6, 7, tzinfo=sh), datetime(2025, 6, 9, tzinfo=sh)) == 24 * H
    assert isinstance(cal, Calendar)
    assert isinstance(AlwaysOpen(), Calendar)


# --- merging and clipping -----------------------------------------------------------------


def test_evening_and_early_morning_are_one_period() -> None:
    cal = BusinessCalendar("UTC", {"mon": [("22:00", "24:00")], "tue": [("00:00", "06:00")]})
    mon, tue = 2, 3  # 2025-06-02 is a Monday
    assert spans(cal.periods(u(2025, 6, mon, 12), u(2025, 6, 4))) == [
        (u(2025, 6, mon, 22), u(2025, 6, tue, 6))
    ]
    assert spans(cal.periods(u(2025, 6, mon, 23), u(2025, 6, tue, 5))) == [
        (u(2025, 6, mon, 23), u(2025, 6, tue, 5))
    ]
    assert spans(cal.periods_before(u(2025, 6, tue, 5), u(2025, 6, mon, 23))) == [
        (u(2025, 6, mon, 23), u(2025, 6, tue, 5))
    ]
    assert spans(itertools.islice(cal.periods_before(u(2025, 6, tue, 5)), 2)) == [
        (u(2025, 6, mon, 22), u(2025, 6, tue, 5)),
        (u(2025, 5, 26, 22), u(2025, 5, 27, 6)),
    ]
    assert spans(itertools.islice(cal.periods(u(2025, 6, tue, 5)), 2)) == [
        (u(2025, 6, tue, 5), u(2025, 6, tue, 6)),
        (u(2025, 6, 9, 22), u(2025, 6, 10, 6)),
    ]
    # Midnight is neither an opening nor a closing.
    assert_instant(cal.previous_opening(u(2025, 6, tue, 3)), u(2025, 6, mon, 22), cal.zone)
    assert_instant(cal.next_closing(u(2025, 6, mon, 23)), u(2025, 6, tue, 6), cal.zone)
    assert_instant(cal.next_opening(u(2025, 6, mon, 23)), u(2025, 6, 9, 22), cal.zone)
    assert_instant(cal.add(u(2025, 6, mon, 23), H), u(2025, 6, tue, 0), cal.zone)
    assert_instant(cal.subtract(u(2025, 6, tue, 1), H), u(2025, 6, tue, 0), cal.zone)


def test_touching_intervals_in_a_day_and_across_the_week_merge() -> None:
    cal = BusinessCalendar(
        "UTC",
        {
            "mon": [("00:00", "06:00"), ("09:00", "12:00"), ("12:00", "17:00")],
            "sun": [("22:00", "24:00")],
        },
    )
    assert spans(cal.periods(u(2025, 6, 1), u(2025, 6, 3))) == [
        (u(2025, 6, 1, 22), u(2025, 6, 2, 6)),
        (u(2025, 6, 2, 9), u(2025, 6, 2, 17)),
    ]
    assert_instant(cal.previous_opening(u(2025, 6, 2, 14)), u(2025, 6, 2, 9), cal.zone)
    assert_instant(cal.next_closing(u(2025, 6, 2, 10)), u(2025, 6, 2, 17), cal.zone)


def test_end_at_or_before_start_runs_past_midnight() -> None:
    whole = BusinessCalendar("UTC", {"mon": [("09:00", "09:00")]})
    assert spans(whole.periods(u(2025, 6, 1), u(2025, 6, 8))) == [(u(2025, 6, 2, 9), u(2025, 6, 3, 9))]
    midnight = BusinessCalendar("UTC", {"mon": [("22:00", "00:00")]})
    assert spans(midnight.periods(u(2025, 6, 1), u(2025, 6, 8))) == [(u(2025, 6, 2, 22), u(2025, 6, 3))]


def test_period_value() -> None:
    p = Period(datetime(2025, 3, 30, tzinfo=BERLIN), datetime(2025, 3, 31, tzinfo=BERLIN))
    assert p.duration == 23 * H
    assert p.contains(p.start)
    assert not p.contains(p.end)
    with pytest.raises(InvalidPeriodError):
        Period(p.end, p.start)
    with pytest.raises(InvalidPeriodError):
        Period(p.start, p.start)


# --- far years ----------------------------------------------------------------------------


def test_year_2300() -> None:
    cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
    # Fri 2300-03-30 16:00 CEST + 2 h -> Mon 2300-04-02 10:00 CEST
    assert_instant(
        cal.add(datetime(2300, 3, 30, 16, tzinfo=BERLIN), 2 * H),
        datetime(2300, 4, 2, 10, tzinfo=BERLIN),
        BERLIN,
    )
    # Across that year's spring-forward weekend (Sun 2300-03-25): CET Friday, CEST Monday.
    assert_instant(cal.add(datetime(2300, 3, 23, 16, tzinfo=BERLIN), 2 * H), u(2300, 3, 26, 8), BERLIN)
    assert_instant(cal.subtract(datetime(2300, 3, 26, 10, tzinfo=BERLIN), 2 * H), u(2300, 3, 23, 15), BERLIN)


def test_elapsed_across_ten_years() -> None:
    lo, hi = date(2030, 1, 1), date(2040, 1, 1)
    weekdays = sum(1 for n in range((hi - lo).days) if (lo + timedelta(days=n)).weekday() < 5)
    start, end = datetime(2030, 1, 1, tzinfo=BERLIN), datetime(2040, 1, 1, tzinfo=BERLIN)
    plain = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
    assert plain.elapsed(start, end) == 8 * H * weekdays
    german = BusinessCalendar.from_mapping(
        {
            "timezone": "Europe/Berlin",
            "weekly": {d: [["09:00", "17:00"]] for d in NINE_TO_FIVE},
            "country": "DE",
        }
    )
    official = holidays.country_holidays("DE", years=range(2030, 2040))
    days_off = sum(1 for d in official if d.weekday() < 5 and lo <= d < hi)
    assert german.elapsed(start, end) == 8 * H * (weekdays - days_off)
    assert german.elapsed(end, start) == -8 * H * (weekdays - days_off)


def test_override_overnight_shift_runs_into_a_holiday() -> None:
    cal = BusinessCalendar(
        "UTC",
        NINE_TO_FIVE,
        holidays=[date(2025, 6, 5)],
        overrides={date(2025, 6, 4): [("22:00", "06:00")]},
    )
    assert spans(cal.periods(u(2025, 6, 4), u(2025, 6, 7))) == [
        (u(2025, 6, 4, 22), u(2025, 6, 5, 6)),
        (u(2025, 6, 6, 9), u(2025, 6, 6, 17)),
    ]


def test_local_mean_time_offsets_before_1893() -> None:
    # Berlin kept local mean time (+00:53:28) until 1893: openings are not on whole minutes of UTC.
    cal = BusinessCalendar(ZoneInfo("Europe/Berlin"), NINE_TO_FIVE)
    assert cal.zone is BERLIN
    monday = u(1890, 6, 2)
    opening = cal.next_opening(monday)
    assert as_utc(opening) == datetime(1890, 6, 2, 8, 6, 32, tzinfo=UTC)
    assert (opening.hour, opening.minute, opening.second) == (9, 0, 0)
    assert cal.elapsed(monday, monday + timedelta(days=1)) == 8 * H
    assert_instant(cal.add(opening, 30 * H), datetime(1890, 6, 5, 15, tzinfo=BERLIN), BERLIN)


def test_long_addition_is_exact() -> None:
    cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
    # 50 000 h = 6 250 weekdays of 8 h, counted from Wed 2025-01-01 (a closed night): the last
    # one is Tue 2048-12-15 and ends on its close, so the answer is Wed 2048-12-16 09:00.
    assert_instant(cal.add(u(2025, 1, 1), 50_000 * H), datetime(2048, 12, 16, 9, tzinfo=BERLIN), BERLIN)
    assert_instant(
        cal.subtract(datetime(2048, 12, 15, 17, tzinfo=BERLIN), 50_000 * H),
        datetime(2025, 1, 1, 9, tzinfo=BERLIN),
        BERLIN,
    )


def test_calendars_pickle_and_the_copies_compute_the_same_instants() -> None:
    # Hosts hand calendars (inside policies and SLA states) to worker processes.
    office = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Shanghai", country="CN")
    cals: list[Calendar] = [office, AlwaysOpen("Europe/Berlin"), office & AlwaysOpen("Europe/Berlin"),
            office | BusinessCalendar.weekdays("08:00", "12:00", timezone="Europe/London")]
    t = datetime(2025, 1, 24, 20, tzinfo=timezone.utc)
    for cal in cals:
        before = cal.add(t, timedelta(hours=30))  # the original has built a window by now
        copy = pickle.loads(pickle.dumps(cal))
        assert copy.add(t, timedelta(hours=30)) == before
        assert copy.elapsed(t, t + timedelta(days=20)) == cal.elapsed(t, t + timedelta(days=20))
        assert copy.zone == cal.zone


def test_open_at_or_after_refuses_what_is_not_a_calendar_or_an_aware_instant() -> None:
    from datetime import datetime, timezone

    from slakit import NaiveDatetimeError, WrongTypeError
    from slakit.calendar import AlwaysOpen, open_at_or_after

    with pytest.raises(WrongTypeError, match=r"calendar must be a slakit calendar .*got 'office'"):
        open_at_or_after("office", datetime(2025, 1, 6, tzinfo=timezone.utc))  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        open_at_or_after(AlwaysOpen("UTC"), datetime(2025, 1, 6))
    t = datetime(2025, 1, 6, 3, tzinfo=timezone.utc)
    assert open_at_or_after(AlwaysOpen("Asia/Shanghai"), t) == t
