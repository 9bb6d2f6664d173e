"""PeakWindow.covers: the interval fast path equals the definition (local date in range)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import AlwaysOpen, NaiveDatetimeError, PeakWindow, WrongTypeError
from slakit.policies import MetricTarget, NamedCalendar, PolicyDataError

# Zones with DST at or near midnight (Sao Paulo until 2019, Havana, Santiago, Beirut), a
# half-hour shift (Lord Howe) and plain ones.
ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/Sao_Paulo", "America/Havana",
         "America/Santiago", "Asia/Beirut", "Australia/Lord_Howe", "UTC"]


@settings(max_examples=400, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first=st.dates(date(2010, 1, 1), date(2030, 12, 31)),
    days=st.integers(0, 40),
    offset_min=st.integers(-3 * 24 * 60, 45 * 24 * 60),
)
def test_covers_is_local_date_in_range(zone: str, first: date, days: int, offset_min: int) -> None:
    tz = ZoneInfo(zone)
    window = PeakWindow("w", first, first + timedelta(days=days), zone, [])
    base = datetime.combine(first, datetime.min.time(), tz).astimezone(timezone.utc)
    at = base + timedelta(minutes=offset_min)
    expected = window.first_day <= at.astimezone(tz).date() <= window.last_day
    assert window.covers(at) is expected


def test_window_edges_to_the_microsecond_across_a_midnight_fall_back() -> None:
    # Sao Paulo 2018-02-18: at 00:00 the clocks went back to 23:00 on the 17th.
    tz = ZoneInfo("America/Sao_Paulo")
    window = PeakWindow("carnival", date(2018, 2, 17), date(2018, 2, 17), tz, [])
    last = datetime(2018, 2, 18, 2, 59, 59, 999_999, tzinfo=timezone.utc)  # 23:59:59.999999
    assert window.covers(last)
    assert not window.covers(last + timedelta(microseconds=1))
    assert window.covers(datetime(2018, 2, 17, 2, tzinfo=timezone.utc))  # 00:00 on the 17th
    assert not window.covers(datetime(2018, 2, 17, 1, 59, 59, 999_999, tzinfo=timezone.utc))


def test_a_naive_instant_is_refused() -> None:
    window = PeakWindow("w", date(2025, 11, 1), date(2025, 11, 12), "Asia/Shanghai", [])
    with pytest.raises(NaiveDatetimeError, match="timezone-aware"):
        window.covers(datetime(2025, 11, 5, 12))


@pytest.mark.parametrize(("first", "last"), [
    (date(2025, 1, 1), date.max), (date.min, date(2025, 1, 1)), (date.min, date.max)])
def test_windows_reaching_the_ends_of_the_calendar_are_accepted(first: date, last: date) -> None:
    window = PeakWindow("open-ended", first, last, "Asia/Shanghai", [])
    assert window.covers(datetime(2025, 1, 1, 12, tzinfo=timezone.utc))
    assert window.covers(datetime(2024, 12, 31, 15, 59, tzinfo=timezone.utc)) is (
        first == date.min)


@pytest.mark.parametrize("zone_and_day", [
    ("Asia/Shanghai", date(2025, 11, 1)), ("America/Santiago", date(2024, 9, 8))])
@pytest.mark.parametrize("bad", [date(2025, 11, 5), "2025-11-05", 17])
def test_not_a_datetime_is_a_wrong_type_on_either_path(
    zone_and_day: tuple[str, date], bad: object
) -> None:
    # Santiago's clocks skip midnight on 2024-09-08: that window takes the slow path.
    zone, day = zone_and_day
    window = PeakWindow("w", day, day + timedelta(days=3), zone, [])
    with pytest.raises(WrongTypeError, match="must be a timezone-aware datetime"):
        window.covers(bad)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        window.covers(datetime(2025, 11, 5, 12))


# Issue 14 item 6: no silent configuration when targets and windows are built in code.


def test_a_plain_calendar_in_a_target_is_refused_with_the_fix() -> None:
    with pytest.raises(WrongTypeError) as info:
        MetricTarget("first_response", "urgent", timedelta(hours=1),
                     AlwaysOpen("Asia/Shanghai"))  # type: ignore[arg-type]
    assert str(info.value) == (
        "MetricTarget.calendar must be a NamedCalendar (clocks record its name and version), "
        "got AlwaysOpen AlwaysOpen('Asia/Shanghai'); wrap it: NamedCalendar('office', calendar, "
        "version='2025')")
    assert isinstance(info.value, TypeError)


def test_a_named_calendar_needs_a_calendar() -> None:
    with pytest.raises(WrongTypeError, match=r"NamedCalendar\.calendar must be a slakit calendar"):
        NamedCalendar("office", "Asia/Shanghai")  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["first_day", "last_day"])
def test_string_dates_in_a_peak_window_are_refused_with_the_fix(field: str) -> None:
    days: dict[str, object] = {"first_day": date(2025, 11, 1), "last_day": date(2025, 11, 12)}
    days[field] = "2025-11-05"
    with pytest.raises(WrongTypeError) as info:
        PeakWindow("11.11", days["first_day"], days["last_day"],  # type: ignore[arg-type]
                   "Asia/Shanghai", [])
    assert str(info.value) == (
        f"PeakWindow.{field} must be a datetime.date, got str '2025-11-05'; convert a string "
        "with date.fromisoformat('2025-11-11')")


def test_a_datetime_is_not_a_peak_window_day() -> None:
    with pytest.raises(WrongTypeError, match=r"PeakWindow\.first_day must be a datetime\.date"):
        PeakWindow("w", datetime(2025, 11, 1, tzinfo=timezone.utc), date(2025, 11, 2), "UTC", [])


@pytest.mark.parametrize("zone", ["Nowhere/Zone", "", 5])
def test_an_unknown_peak_zone_is_a_policy_error(zone: object) -> None:
    with pytest.raises(PolicyDataError, match="peak window timezone: unknown zone"):
        PeakWindow("w", date(2025, 11, 1), date(2025, 11, 2), zone, [])  # type: ignore[arg-type]
