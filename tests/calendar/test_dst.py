"""Hand-computed DST cases: real elapsed time, boundaries in gaps and folds.

Transitions used (checked against zoneinfo):

* Europe/Berlin 2025-03-30 02:00 CET -> 03:00 CEST (01:00Z); 2025-10-26 03:00 CEST -> 02:00 CET
  (01:00Z), so 02:00-03:00 happens twice.
* America/New_York 2025-03-09 02:00 EST -> 03:00 EDT (07:00Z).
* Australia/Lord_Howe (30-minute DST): 2025-04-06 02:00 (+11:00) -> 01:30 (+10:30) at 15:00Z
  on 04-05; 2025-10-05 02:00 (+10:30) -> 02:30 (+11:00) at 15:30Z on 10-04.
* America/Sao_Paulo 2016-10-16 00:00 (-03:00) -> 01:00 (-02:00) at 03:00Z: that midnight does
  not exist; 2017-02-19 00:00 (-02:00) -> 2017-02-18 23:00 (-03:00) at 02:00Z.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slakit.calendar import BusinessCalendar
from tests.calendar.calendar_testkit import UTC, as_utc, assert_instant

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
H = timedelta(hours=1)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def night_shift(zone: str) -> BusinessCalendar:
    return BusinessCalendar(zone, {day: [("22:00", "06:00")] for day in EVERY_DAY})


def one_day(zone: str, day: str, start: str, end: str) -> BusinessCalendar:
    return BusinessCalendar(zone, {day: [(start, end)]})


def only_period(cal: BusinessCalendar, lo: datetime, hi: datetime) -> tuple[datetime, datetime]:
    (period,) = cal.periods(lo, hi)
    return as_utc(period.start), as_utc(period.end)


# --- Europe/Berlin night shift 22:00-06:00 -------------------------------------------------


def test_berlin_spring_night_is_seven_hours() -> None:
    cal = night_shift("Europe/Berlin")
    # Sat 2025-03-29 22:00 CET = 21:00Z .. Sun 06:00 CEST = 04:00Z
    lo, hi = utc(2025, 3, 29, 12), utc(2025, 3, 30, 12)
    assert only_period(cal, lo, hi) == (utc(2025, 3, 29, 21), utc(2025, 3, 30, 4))
    assert cal.elapsed(lo, hi) == 7 * H
    start = datetime(2025, 3, 29, 22, tzinfo=BERLIN)
    # 7 h lands exactly on the close: the answer is the next opening, Sun 22:00 CEST = 20:00Z.
    assert_instant(cal.add(start, 7 * H), utc(2025, 3, 30, 20), BERLIN)
    assert_instant(cal.add(start, 7 * H - timedelta(minutes=1)), utc(2025, 3, 30, 3, 59), BERLIN)
    # 23:30 CET + 3 h of real time = 01:30Z = 03:30 CEST (a wall-clock sum would say 02:30).
    result = cal.add(datetime(2025, 3, 29, 23, 30, tzinfo=BERLIN), 3 * H)
    assert_instant(result, utc(2025, 3, 30, 1, 30), BERLIN)
    assert (result.hour, result.minute) == (3, 30)
    assert_instant(cal.subtract(datetime(2025, 3, 30, 6, tzinfo=BERLIN), 7 * H), start, BERLIN)


def test_berlin_autumn_night_is_nine_hours() -> None:
    cal = night_shift("Europe/Berlin")
    # Sat 2025-10-25 22:00 CEST = 20:00Z .. Sun 06:00 CET = 05:00Z
    lo, hi = utc(2025, 10, 25, 12), utc(2025, 10, 26, 12)
    assert only_period(cal, lo, hi) == (utc(2025, 10, 25, 20), utc(2025, 10, 26, 5))
    assert cal.elapsed(lo, hi) == 9 * H
    start = datetime(2025, 10, 25, 23, tzinfo=BERLIN)  # 21:00Z
    first_0230 = cal.add(start, 3.5 * H)  # 00:30Z = 02:30 CEST, the first 02:30
    assert_instant(first_0230, utc(2025, 10, 26, 0, 30), BERLIN)
    assert (first_0230.hour, first_0230.minute, first_0230.utcoffset()) == (2, 30, 2 * H)
    second_0200 = cal.add(start, 4 * H)  # 01:00Z = 02:00 CET, the repeated hour
    assert_instant(second_0200, utc(2025, 10, 26, 1), BERLIN)
    assert (second_0200.hour, second_0200.fold, second_0200.utcoffset()) == (2, 1, H)
    assert_instant(cal.add(start, 4.5 * H), utc(2025, 10, 26, 1, 30), BERLIN)
    # Elapsed between the two 02:30s is one real hour.
    assert (
        cal.elapsed(
            datetime(2025, 10, 26, 2, 30, tzinfo=BERLIN, fold=0),
            datetime(2025, 10, 26, 2, 30, tzinfo=BERLIN, fold=1),
        )
        == H
    )


# --- 24-hour days: 23 h and 25 h ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "opens", "closes", "hours"),
    [
        ((2025, 3, 30), utc(2025, 3, 29, 23), utc(2025, 3, 30, 22), 23),
        ((2025, 10, 26), utc(2025, 10, 25, 22), utc(2025, 10, 26, 23), 25),
        ((2025, 4, 6), utc(2025, 4, 5, 22), utc(2025, 4, 6, 22), 24),
    ],
)
def test_berlin_whole_sunday_follows_real_time(
    day: tuple[int, int, int], opens: datetime, closes: datetime, hours: int
) -> None:
    cal = one_day("Europe/Berlin", "sun", "00:00", "24:00")
    y, m, d = day
    lo = datetime(y, m, d, tzinfo=BERLIN) - timedelta(days=1)
    hi = datetime(y, m, d, tzinfo=BERLIN) + timedelta(days=2)
    assert only_period(cal, lo, hi) == (opens, closes)
    assert cal.elapsed(lo, hi) == hours * H
    assert_instant(cal.next_opening(lo), opens, BERLIN)
    assert_instant(cal.next_closing(lo), closes, BERLIN)
    assert_instant(cal.subtract(closes, hours * H), opens, BERLIN)
    assert_instant(
        cal.add(opens, hours * H - timedelta(microseconds=1)), closes - timedelta(microseconds=1), BERLIN
    )


# --- Boundaries inside a gap move later by the gap ---------------------------------------


def test_berlin_opening_in_spring_gap_moves_to_0330() -> None:
    cal = one_day("Europe/Berlin", "sun", "02:30", "10:00")
    # 02:30 does not exist on 2025-03-30; fold=0 reads it with CET: 01:30Z = 03:30 CEST.
    opening = cal.next_opening(datetime(2025, 3, 30, 0, tzinfo=BERLIN))
    assert_instant(opening, utc(2025, 3, 30, 1, 30), BERLIN)
    assert (opening.hour, opening.minute) == (3, 30)
    assert not cal.is_open(utc(2025, 3, 30, 1, 15))  # 03:15 CEST
    assert cal.is_open(utc(2025, 3, 30, 1, 30))
    # 03:30 CEST .. 10:00 CEST (08:00Z) = 6.5 h; an ordinary Sunday has 7.5 h.
    assert cal.elapsed(utc(2025, 3, 29), utc(2025, 3, 31)) == 6.5 * H
    assert cal.elapsed(utc(2025, 4, 5), utc(2025, 4, 7)) == 7.5 * H
    assert_instant(cal.previous_opening(utc(2025, 3, 30, 5)), utc(2025, 3, 30, 1, 30), BERLIN)


def test_berlin_closing_in_spring_gap_moves_to_0330() -> None:
    cal = one_day("Europe/Berlin", "sun", "00:00", "02:30")
    # 00:00 CET (23:00Z Sat) .. "02:30" read with CET = 01:30Z = 03:30 CEST.
    assert_instant(cal.next_closing(utc(2025, 3, 30, 0)), utc(2025, 3, 30, 1, 30), BERLIN)
    assert cal.elapsed(utc(2025, 3, 29), utc(2025, 3, 31)) == 2.5 * H
    assert cal.is_open(utc(2025, 3, 30, 1, 15))  # 03:15 CEST, before the moved close


def test_berlin_interval_wholly_in_gap_keeps_its_length() -> None:
    cal = one_day("Europe/Berlin", "sun", "02:15", "02:45")
    assert only_period(cal, utc(2025, 3, 29), utc(2025, 3, 31)) == (
        utc(2025, 3, 30, 1, 15),
        utc(2025, 3, 30, 1, 45),
    )


def test_new_york_opening_in_gap() -> None:
    cal = one_day("America/New_York", "sun", "02:30", "05:00")
    # 02:30 EST = 07:30Z = 03:30 EDT; closes 05:00 EDT = 09:00Z.
    assert_instant(cal.next_opening(utc(2025, 3, 9)), utc(2025, 3, 9, 7, 30), NEW_YORK)
    assert cal.elapsed(utc(2025, 3, 8), utc(2025, 3, 10)) == 1.5 * H


# --- Ambiguous boundaries take their first occurrence ------------------------------------


def test_berlin_ambiguous_opening_is_first_occurrence() -> None:
    cal = one_day("Europe/Berlin", "sun", "02:30", "10:00")
    # first 02:30 is CEST = 00:30Z; 10:00 CET = 09:00Z -> 8.5 h
    opening = cal.next_opening(utc(2025, 10, 25, 12))
    assert_instant(opening, utc(2025, 10, 26, 0, 30), BERLIN)
    assert opening.utcoffset() == 2 * H
    assert cal.elapsed(utc(2025, 10, 25), utc(2025, 10, 27)) == 8.5 * H
    assert cal.is_open(datetime(2025, 10, 26, 2, 30, tzinfo=BERLIN, fold=1))


def test_berlin_ambiguous_closing_is_first_occurrence() -> None:
    cal = one_day("Europe/Berlin", "sun", "00:00", "02:30")
    # 00:00 CEST = 22:00Z Sat .. first 02:30 = 00:30Z -> 2.5 h
    assert_instant(cal.next_closing(utc(2025, 10, 25, 23)), utc(2025, 10, 26, 0, 30), BERLIN)
    assert cal.elapsed(utc(2025, 10, 25), utc(2025, 10, 27)) == 2.5 * H
    assert not cal.is_open(datetime(2025, 10, 26, 2, 15, tzinfo=BERLIN, fold=1))  # 01:15Z
    assert cal.is_open(datetime(2025, 10, 26, 2, 15, tzinfo=BERLIN, fold=0))  # 00:15Z


def test_berlin_overnight_shift_ending_in_fold() -> None:
    cal = one_day("Europe/Berlin", "sat", "22:00", "02:30")
    # Sat 22:00 CEST = 20:00Z .. first 02:30 = 00:30Z -> 4.5 h
    assert only_period(cal, utc(2025, 10, 25), utc(2025, 10, 27)) == (
        utc(2025, 10, 25, 20),
        utc(2025, 10, 26, 0, 30),
    )


# --- Australia/Lord_Howe: 30-minute DST --------------------------------------------------


def test_lord_howe_whole_days_are_24h30_and_23h30() -> None:
    cal = one_day("Australia/Lord_Howe", "sun", "00:00", "24:00")
    # 2025-04-06 00:00 +11:00 = 04-05 13:00Z .. 04-07 00:00 +10:30 = 04-06 13:30Z
    assert only_period(cal, utc(2025, 4, 4), utc(2025, 4, 8)) == (
        utc(2025, 4, 5, 13),
        utc(2025, 4, 6, 13, 30),
    )
    assert cal.elapsed(utc(2025, 4, 4), utc(2025, 4, 8)) == 24.5 * H
    # 2025-10-05 00:00 +10:30 = 10-04 13:30Z .. 10-06 00:00 +11:00 = 10-05 13:00Z
    assert cal.elapsed(utc(2025, 10, 3), utc(2025, 10, 7)) == 23.5 * H


def test_lord_howe_night_shifts() -> None:
    cal = night_shift("Australia/Lord_Howe")
    # Sat 2025-10-04 22:00 +10:30 = 11:30Z .. Sun 06:00 +11:00 = 19:00Z -> 7.5 h
    assert only_period(cal, utc(2025, 10, 4, 6), utc(2025, 10, 5, 6)) == (
        utc(2025, 10, 4, 11, 30),
        utc(2025, 10, 4, 19),
    )
    # Sat 2025-04-05 22:00 +11:00 = 11:00Z .. Sun 06:00 +10:30 = 19:30Z -> 8.5 h
    assert cal.elapsed(utc(2025, 4, 5, 6), utc(2025, 4, 6, 6)) == 8.5 * H
    # 8 h after 22:00 is 19:00Z = 05:30 LHST: wall-clock arithmetic would say 06:00 (closed).
    result = cal.add(datetime(2025, 4, 5, 22, tzinfo=LORD_HOWE), 8 * H)
    assert_instant(result, utc(2025, 4, 5, 19), LORD_HOWE)
    assert (result.hour, result.minute) == (5, 30)


def test_lord_howe_opening_in_half_hour_gap() -> None:
    cal = one_day("Australia/Lord_Howe", "sun", "02:15", "04:00")
    # 02:15 read with +10:30 = 15:45Z (10-04) = 02:45 +11:00; 04:00 +11:00 = 17:00Z
    opening = cal.next_opening(utc(2025, 10, 4, 12))
    assert_instant(opening, utc(2025, 10, 4, 15, 45), LORD_HOWE)
    assert (opening.hour, opening.minute) == (2, 45)
    assert cal.elapsed(utc(2025, 10, 4), utc(2025, 10, 6)) == 1.25 * H


# --- America/Sao_Paulo: midnight that does not exist -------------------------------------


def test_sao_paulo_missing_midnight() -> None:
    cal = one_day("America/Sao_Paulo", "sun", "00:00", "24:00")
    # 2016-10-16 "00:00" -> 01:00 -02:00 = 03:00Z; 10-17 00:00 -02:00 = 02:00Z -> 23 h
    opening = cal.next_opening(datetime(2016, 10, 15, 12, tzinfo=SAO_PAULO))
    assert_instant(opening, utc(2016, 10, 16, 3), SAO_PAULO)
    assert (opening.hour, opening.utcoffset()) == (1, -2 * H)
    assert cal.elapsed(utc(2016, 10, 15), utc(2016, 10, 18)) == 23 * H
    assert not cal.is_open(utc(2016, 10, 16, 2, 59))


def test_sao_paulo_evening_and_morning_touch_across_missing_midnight() -> None:
    cal = BusinessCalendar("America/Sao_Paulo", {"sat": [("22:00", "24:00")], "sun": [("00:00", "06:00")]})
    # Sat 24:00 and Sun 00:00 both become 01:00 -02:00 (03:00Z): one period, 22:00 -03:00
    # (01:00Z) .. 06:00 -02:00 (08:00Z) = 7 h.
    assert only_period(cal, utc(2016, 10, 15), utc(2016, 10, 17)) == (
        utc(2016, 10, 16, 1),
        utc(2016, 10, 16, 8),
    )
    assert_instant(
        cal.add(datetime(2016, 10, 15, 23, tzinfo=SAO_PAULO), 1 * H), utc(2016, 10, 16, 3), SAO_PAULO
    )


def test_sao_paulo_night_shift_and_long_saturday() -> None:
    night = night_shift("America/Sao_Paulo")
    # Sat 2016-10-15 22:00 -03:00 = 01:00Z .. Sun 06:00 -02:00 = 08:00Z -> 7 h
    assert night.elapsed(utc(2016, 10, 15, 12), utc(2016, 10, 16, 12)) == 7 * H
    day = one_day("America/Sao_Paulo", "sat", "00:00", "24:00")
    # 2017-02-18 00:00 -02:00 = 02:00Z .. 02-19 00:00 -03:00 = 03:00Z -> 25 h
    assert day.elapsed(utc(2017, 2, 17), utc(2017, 2, 20)) == 25 * H
    evening = one_day("America/Sao_Paulo", "sat", "23:30", "02:00")
    # the first 23:30 (-02:00) = 01:30Z .. Sun 02:00 -03:00 = 05:00Z -> 3.5 h
    assert only_period(evening, utc(2017, 2, 17), utc(2017, 2, 20)) == (
        utc(2017, 2, 19, 1, 30),
        utc(2017, 2, 19, 5),
    )
