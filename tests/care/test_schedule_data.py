"""The schedules table: round trip, every problem listed with its path."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slakit.care import CareSchedule, schedule_to_mapping, schedules_from_mapping
from slakit.plans import CareDataError

SH = ZoneInfo("Asia/Shanghai")


def test_round_trip() -> None:
    schedules = (
        CareSchedule("visit", datetime(2025, 1, 6, tzinfo=SH),
                     "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", until=datetime(2027, 1, 6, tzinfo=SH),
                     overdue_after=timedelta(hours=18), plan="annual"),
        CareSchedule("notice", datetime(2025, 1, 1, tzinfo=SH),
                     dates=(datetime(2025, 3, 15, 2, tzinfo=SH),), offset_days=-7, working=True,
                     roll=False, overdue_after=timedelta(minutes=90), action="notify"),
    )
    table = {s.name: schedule_to_mapping(s) for s in schedules}
    assert table["visit"]["overdue_after"] == "18 hours"
    assert table["notice"]["overdue_after"] == "90 minutes"
    back = schedules_from_mapping(table)
    assert back == schedules
    assert back[0].start.tzinfo == SH


def test_every_problem_with_its_path() -> None:
    with pytest.raises(CareDataError) as info:
        schedules_from_mapping({
            "a": {"rule": "FREQ=MONTHLY", "colour": "red"},
            "b": {"start": "2025-01-01T00:00", "timezone": "Mars/Olympus", "dates": "x"},
            "c": {"start": "2025-01-01T00:00:00+08:00", "rule": "FREQ=NEVER"},
            "d": {"start": "2025-01-01T00:00:00+08:00", "rule": "FREQ=DAILY",
                  "overdue_after": "soon"},
            "e": [],
        })
    paths = [p.split(":")[0] for p in info.value.problems]
    assert paths == ["schedules.a.colour", "schedules.a.start", "schedules.b.start",
                     "schedules.b.dates", "schedules.c", "schedules.d.overdue_after",
                     "schedules.e"]
