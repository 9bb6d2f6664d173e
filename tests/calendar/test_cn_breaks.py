"""China's official holiday breaks 2020-2026, checked day by day against the notices.

The breaks below are restated independently of ``slakit.calendar._cn_breaks`` from the
yearly notices of the General Office of the State Council (国务院办公厅关于 YYYY 年部分节假日
安排的通知: 2019-11-21 for 2020, with the Spring Festival extension of 2020-01-26;
2020-11-25; 2021-10-25; 2022-12-08; 2023-10-25; 2024-11-12; 2025-11-04), one line per
break: ``first..last`` off, then ``+date`` for each weekend day worked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from slakit import CalendarConfigError
from slakit.calendar import BusinessCalendar
from slakit.calendar._cn_breaks import CN_BREAKS, cn_break_days

SHANGHAI = ZoneInfo("Asia/Shanghai")

NOTICES = """
2020-01-01..2020-01-01
2020-01-24..2020-02-02 +2020-01-19
2020-04-04..2020-04-06
2020-05-01..2020-05-05 +2020-04-26 +2020-05-09
2020-06-25..2020-06-27 +2020-06-28
2020-10-01..2020-10-08 +2020-09-27 +2020-10-10
2021-01-01..2021-01-03
2021-02-11..2021-02-17 +2021-02-07 +2021-02-20
2021-04-03..2021-04-05
2021-05-01..2021-05-05 +2021-04-25 +2021-05-08
2021-06-12..2021-06-14
2021-09-19..2021-09-21 +2021-09-18
2021-10-01..2021-10-07 +2021-09-26 +2021-10-09
2022-01-01..2022-01-03
2022-01-31..2022-02-06 +2022-01-29 +2022-01-30
2022-04-03..2022-04-05 +2022-04-02
2022-04-30..2022-05-04 +2022-04-24 +2022-05-07
2022-06-03..2022-06-05
2022-09-10..2022-09-12
2022-10-01..2022-10-07 +2022-10-08 +2022-10-09
2022-12-31..2023-01-02
2023-01-21..2023-01-27 +2023-01-28 +2023-01-29
2023-04-05..2023-04-05
2023-04-29..2023-05-03 +2023-04-23 +2023-05-06
2023-06-22..2023-06-24 +2023-06-25
2023-09-29..2023-10-06 +2023-10-07 +2023-10-08
2023-12-30..2024-01-01
2024-02-10..2024-02-17 +2024-02-04 +2024-02-18
2024-04-04..2024-04-06 +2024-04-07
2024-05-01..2024-05-05 +2024-04-28 +2024-05-11
2024-06-08..2024-06-10
2024-09-15..2024-09-17 +2024-09-14
2024-10-01..2024-10-07 +2024-09-29 +2024-10-12
2025-01-01..2025-01-01
2025-01-28..2025-02-04 +2025-01-26 +2025-02-08
2025-04-04..2025-04-06
2025-05-01..2025-05-05 +2025-04-27
2025-05-31..2025-06-02
2025-10-01..2025-10-08 +2025-09-28 +2025-10-11
2026-01-01..2026-01-03 +2026-01-04
2026-02-15..2026-02-23 +2026-02-14 +2026-02-28
2026-04-04..2026-04-06
2026-05-01..2026-05-05 +2026-05-09
2026-06-19..2026-06-21
2026-09-25..2026-09-27
2026-10-01..2026-10-07 +2026-09-20 +2026-10-10
"""


def _notices() -> tuple[set[date], set[date]]:
    off: set[date] = set()
    worked: set[date] = set()
    for line in NOTICES.split("\n"):
        if not line:
            continue
        span, *makeup = line.split()
        first, last = (date.fromisoformat(s) for s in span.split(".."))
        off.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        worked.update(date.fromisoformat(m.lstrip("+")) for m in makeup)
    return off, worked


OFF, WORKED = _notices()
YEARS = range(2020, 2027)


def _days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=SHANGHAI)


@pytest.mark.parametrize("year", YEARS)
def test_seven_day_desk_is_closed_exactly_on_every_break_day(year: int) -> None:
    desk = BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI, country="CN")
    closed = {d for d in _days(year) if not desk.is_open(_noon(d))}
    assert closed == {d for d in OFF if d.year == year}


@pytest.mark.parametrize("year", YEARS)
def test_office_desk_works_the_makeup_days_and_rests_the_breaks(year: int) -> None:
    desk = BusinessCalendar.weekdays("09:00", "18:00", timezone=SHANGHAI, country="CN")
    opened = {d for d in _days(year) if desk.is_open(_noon(d))}
    expected = {d for d in _days(year) if d.weekday() < 5 and d not in OFF}
    assert opened == expected | {d for d in WORKED if d.year == year}


def test_table_matches_the_restated_notices() -> None:
    off = set().union(*(cn_break_days(y)[0] for y in range(2019, 2028)))
    worked = set().union(*(cn_break_days(y)[1] for y in range(2019, 2028)))
    assert (off, worked) == (OFF, WORKED)
    assert len(CN_BREAKS) == 46
    assert not OFF & WORKED


def test_holidays_package_lists_a_subset_of_each_break() -> None:
    package = holidays.country_holidays("CN", years=list(YEARS))
    listed = {d for d in package if d.year in YEARS}
    assert listed <= OFF
    # every weekday of a break is a listed holiday: the breaks add weekend days only
    assert {d for d in OFF if d.weekday() < 5 and d.year in YEARS} <= listed
    makeup = {d for d in package.weekend_workdays if d.year in YEARS}
    assert makeup == WORKED


def test_issue_example_spring_festival_and_national_day_weekends() -> None:
    desk = BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI, country="CN")
    for day in (date(2025, 2, 1), date(2025, 2, 2), date(2025, 10, 4), date(2025, 10, 5)):
        assert not desk.is_open(_noon(day)), day
    assert desk.next_opening(_noon(date(2025, 1, 27)).replace(hour=21)) == datetime(
        2025, 2, 5, 9, tzinfo=SHANGHAI
    )


def test_listed_mode_keeps_the_package_days_only() -> None:
    desk = BusinessCalendar.every_day(
        "09:00", "21:00", timezone=SHANGHAI, country="CN", holiday_breaks="listed"
    )
    assert desk.is_open(_noon(date(2025, 2, 1)))
    assert not desk.is_open(_noon(date(2025, 1, 31)))
    assert desk.is_open(_noon(date(2025, 1, 26)))
    assert desk.to_mapping()["holiday_breaks"] == "listed"


def test_mode_round_trips_and_defaults_by_country() -> None:
    cn = BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI, country="CN")
    assert cn.to_mapping()["holiday_breaks"] == "whole"
    again = BusinessCalendar.from_mapping(cn.to_mapping())
    assert again == cn
    assert not again.is_open(_noon(date(2025, 2, 1)))
    de = BusinessCalendar.every_day("09:00", "17:00", timezone="Europe/Berlin", country="DE")
    assert de.to_mapping()["holiday_breaks"] == "listed"
    plain = BusinessCalendar.every_day("09:00", "17:00", timezone="Europe/Berlin")
    assert plain.to_mapping()["holiday_breaks"] is None


def test_years_outside_the_table_fall_back_to_listed_days() -> None:
    desk = BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI, country="CN")
    # 2019 Spring Festival break ran 4-10 February; the Saturday 9th is not listed.
    assert desk.is_open(_noon(date(2019, 2, 9)))
    assert not desk.is_open(_noon(date(2019, 2, 5)))


def test_bad_modes_are_refused_together() -> None:
    with pytest.raises(CalendarConfigError) as info:
        BusinessCalendar.from_mapping(
            {"timezone": "Europe/Berlin", "country": "DE", "holiday_breaks": "whole",
             "weekly": {"funday": []}}
        )
    assert list(info.value.problems) == [
        "weekly: unknown weekday 'funday'; use one of mon, tue, wed, thu, fri, sat, sun",
        "holiday_breaks: 'whole' needs a country whose official breaks slakit knows (CN), "
        "got country 'DE'; use 'listed' or set country='CN'",
    ]
    with pytest.raises(CalendarConfigError, match="expected 'whole' or 'listed', got 'all'"):
        BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI, country="CN",
                                   holiday_breaks="all")
    with pytest.raises(ValueError, match="'whole' needs a country"):
        BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI, holiday_breaks="whole")
