"""China 2025: Spring Festival and National Day with makeup workdays, hand-computed.

Mon-Fri 09:00-18:00 Asia/Shanghai (9 h a day, UTC+8, no DST). The official 2025 schedule
(as the ``holidays`` package states it): Tue 2025-01-28 .. Tue 2025-02-04 off, with Sunday
2025-01-26 and Saturday 2025-02-08 worked instead; Wed 2025-10-01 .. Wed 2025-10-08 off,
with Sunday 2025-09-28 and Saturday 2025-10-11 worked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest

from slakit.calendar import BusinessCalendar
from tests.calendar.calendar_testkit import assert_instant

SHANGHAI = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
WEEKDAYS_9_TO_18: dict[str, Any] = {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def from_country_code() -> BusinessCalendar:
    return BusinessCalendar.from_mapping(
        {"timezone": "Asia/Shanghai", "weekly": WEEKDAYS_9_TO_18, "country": "CN"}
    )


def from_holidays_object() -> BusinessCalendar:
    weekly = {day: [("09:00", "18:00")] for day in WEEKDAYS_9_TO_18}
    return BusinessCalendar("Asia/Shanghai", weekly, holidays=holidays.country_holidays("CN"))


@pytest.fixture(params=[from_country_code, from_holidays_object], ids=["country", "object"])
def cal(request: pytest.FixtureRequest) -> BusinessCalendar:
    factory = request.param
    built: BusinessCalendar = factory()
    return built


def test_makeup_sunday_is_open_with_mondays_hours(cal: BusinessCalendar) -> None:
    assert not cal.is_open(sh(2025, 1, 26, 8, 59))
    assert cal.is_open(sh(2025, 1, 26, 9))
    assert cal.is_open(sh(2025, 1, 26, 17, 59) + timedelta(seconds=59, microseconds=999_999))
    assert not cal.is_open(sh(2025, 1, 26, 18))
    assert cal.elapsed(sh(2025, 1, 26), sh(2025, 1, 27)) == 9 * H
    assert not cal.is_open(sh(2025, 1, 25, 12))  # the Saturday before stays closed


def test_spring_festival_is_closed(cal: BusinessCalendar) -> None:
    for day in range(28, 32):
        assert not cal.is_open(sh(2025, 1, day, 10)), f"2025-01-{day}"
    for day in range(1, 5):
        assert not cal.is_open(sh(2025, 2, day, 10)), f"2025-02-0{day}"
    assert cal.elapsed(sh(2025, 1, 28), sh(2025, 2, 5)) == timedelta(0)
    assert cal.is_open(sh(2025, 2, 5, 9))
    assert cal.is_open(sh(2025, 1, 27, 17))


def test_makeup_saturday_is_open(cal: BusinessCalendar) -> None:
    assert cal.is_open(sh(2025, 2, 8, 9))
    assert cal.elapsed(sh(2025, 2, 8), sh(2025, 2, 9)) == 9 * H
    assert not cal.is_open(sh(2025, 2, 9, 10))


def test_add_across_spring_festival(cal: BusinessCalendar) -> None:
    # Fri 17:00 + 2 h: 1 h on Friday, then the makeup Sunday from 09:00.
    assert_instant(cal.add(sh(2025, 1, 24, 17), 2 * H), sh(2025, 1, 26, 10), SHANGHAI)
    # Mon 01-27 17:00 + 2 h: 1 h on Monday, then Wed 02-05 from 09:00.
    assert_instant(cal.add(sh(2025, 1, 27, 17), 2 * H), sh(2025, 2, 5, 10), SHANGHAI)
    # From the closing instant, 9 h end exactly at Wed 18:00 -> next opening Thu 09:00.
    assert_instant(cal.add(sh(2025, 1, 27, 18), 9 * H), sh(2025, 2, 6, 9), SHANGHAI)
    # Fri 02-07 17:00 + 2 h: the makeup Saturday.
    assert_instant(cal.add(sh(2025, 2, 7, 17), 2 * H), sh(2025, 2, 8, 10), SHANGHAI)
    # 5 working days (45 h) from Fri 01-24 09:00: 24, 26, 27, 02-05, 02-06 -> Fri 02-07 09:00.
    assert_instant(cal.add(sh(2025, 1, 24, 9), 45 * H), sh(2025, 2, 7, 9), SHANGHAI)


def test_subtract_across_spring_festival(cal: BusinessCalendar) -> None:
    assert_instant(cal.subtract(sh(2025, 2, 5, 10), 2 * H), sh(2025, 1, 27, 17), SHANGHAI)
    # 9 h back from Wed 09:00 lands exactly on Mon 01-27 09:00, an opening: stays there.
    assert_instant(cal.subtract(sh(2025, 2, 5, 9), 9 * H), sh(2025, 1, 27, 9), SHANGHAI)
    assert_instant(cal.subtract(sh(2025, 1, 27, 10), 2 * H), sh(2025, 1, 26, 17), SHANGHAI)
    # From closed time, 0 h back is the previous closing.
    assert_instant(cal.subtract(sh(2025, 2, 1, 12), timedelta(0)), sh(2025, 1, 27, 18), SHANGHAI)


def test_events_around_spring_festival(cal: BusinessCalendar) -> None:
    assert_instant(cal.next_opening(sh(2025, 1, 27, 18)), sh(2025, 2, 5, 9), SHANGHAI)
    assert_instant(cal.previous_closing(sh(2025, 2, 4, 12)), sh(2025, 1, 27, 18), SHANGHAI)
    assert_instant(cal.previous_opening(sh(2025, 1, 27, 8)), sh(2025, 1, 26, 9), SHANGHAI)
    assert_instant(cal.next_closing(sh(2025, 1, 25, 12)), sh(2025, 1, 26, 18), SHANGHAI)


def test_elapsed_across_both_golden_weeks(cal: BusinessCalendar) -> None:
    # 01-24, 01-26 (makeup), 01-27, 02-05, 02-06, 02-07, 02-08 (makeup): 7 days x 9 h.
    assert cal.elapsed(sh(2025, 1, 24, 9), sh(2025, 2, 10, 9)) == 63 * H
    # 09-26, 09-28 (makeup), 09-29, 09-30, 10-09, 10-10, 10-11 (makeup): 7 days x 9 h.
    assert cal.elapsed(sh(2025, 9, 26, 9), sh(2025, 10, 13, 9)) == 63 * H
    assert cal.elapsed(sh(2025, 10, 13, 9), sh(2025, 9, 26, 9)) == -63 * H


def test_makeup_day_uses_mondays_hours_not_the_weekdays() -> None:
    weekly = {"mon": [("08:00", "12:00")], **{d: [("09:00", "18:00")] for d in ("tue", "wed")}}
    cal = BusinessCalendar("Asia/Shanghai", weekly, holidays=holidays.country_holidays("CN"))
    assert cal.elapsed(sh(2025, 1, 26), sh(2025, 1, 27)) == 4 * H
    assert_instant(cal.next_opening(sh(2025, 1, 25)), sh(2025, 1, 26, 8), SHANGHAI)


def test_makeup_hours_replace_mondays_hours() -> None:
    weekly = {day: [("09:00", "18:00")] for day in WEEKDAYS_9_TO_18}
    cal = BusinessCalendar(
        "Asia/Shanghai",
        weekly,
        holidays=holidays.country_holidays("CN"),
        makeup_hours=[("10:00", "16:00")],
    )
    assert cal.elapsed(sh(2025, 1, 26), sh(2025, 1, 27)) == 6 * H
    assert cal.elapsed(sh(2025, 1, 27), sh(2025, 1, 28)) == 9 * H  # Monday itself unchanged


def test_makeup_workdays_by_hand() -> None:
    weekly = {day: [("09:00", "18:00")] for day in WEEKDAYS_9_TO_18}
    cal = BusinessCalendar(
        "Asia/Shanghai",
        weekly,
        holidays=[date(2025, 1, 28), date(2025, 1, 29)],
        makeup_workdays=[date(2025, 1, 26)],
    )
    assert cal.is_open(sh(2025, 1, 26, 9))
    assert not cal.is_open(sh(2025, 1, 28, 9))
    assert cal.is_open(sh(2025, 1, 30, 9))
    assert not cal.is_open(sh(2025, 2, 8, 9))  # not declared by hand


def test_country_code_round_trips(cal: BusinessCalendar) -> None:
    if cal.to_mapping().get("country") is None:
        pytest.skip("a holidays object built by hand need not be stored as a country code")
    mapping = cal.to_mapping()
    assert mapping["country"] == "CN"
    again = BusinessCalendar.from_mapping(mapping)
    assert again.elapsed(sh(2025, 1, 24, 9), sh(2025, 2, 10, 9)) == 63 * H


def test_later_years_extend_lazily() -> None:
    cal = from_country_code()
    # 2026 Spring Festival: Mon 02-16 .. Mon 02-23 off; Sat 02-14 and Sat 02-28 worked.
    assert cal.is_open(sh(2026, 2, 14, 9))
    assert not cal.is_open(sh(2026, 2, 16, 10))
    assert not cal.is_open(sh(2026, 2, 23, 10))
    assert cal.is_open(sh(2026, 2, 28, 10))
    assert_instant(cal.add(sh(2026, 2, 13, 17), 2 * H), sh(2026, 2, 14, 10), SHANGHAI)
    assert_instant(cal.add(sh(2026, 2, 14, 17), 2 * H), sh(2026, 2, 24, 10), SHANGHAI)
