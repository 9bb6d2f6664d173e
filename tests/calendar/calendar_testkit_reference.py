"""A deliberately naive reference calendar: open-ness minute by minute, straight from a mapping.

It shares no code with slakit. For every local date it looks up the day's hours (override, else
holiday -> none, else makeup day -> makeup hours or Monday's, else the weekday's), turns each
wall-clock boundary into an instant with zoneinfo (fold=0: a time in a gap moves later by the
gap, an ambiguous time is its first occurrence), puts every UTC minute of the interval in a
set, then removes the minutes of the breaks. Queries walk that set one minute at a time.

Only minute-grid instants inside the window ``[lo, hi)`` are answered; a query that would need
minutes outside it returns None so the caller can discard the example.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def to_minute(t: datetime) -> int:
    """UTC minutes since the epoch (``t`` must be on a whole minute)."""
    whole, rest = divmod(t.astimezone(UTC) - EPOCH, MINUTE)
    assert not rest, f"{t!r} is not on a whole minute"
    return whole


def from_minute(m: int) -> datetime:
    """The UTC instant ``m`` minutes after the epoch."""
    return EPOCH + m * MINUTE


def _wall_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class ReferenceCalendar:
    """Open minutes of a calendar mapping for the local dates ``first .. last``."""

    def __init__(self, mapping: dict[str, Any], first: date, last: date) -> None:
        self.zone = ZoneInfo(mapping["timezone"])
        self.weekly: dict[str, list[list[str]]] = mapping.get("weekly", {})
        self.holidays = {date.fromisoformat(d) for d in mapping.get("holidays", [])}
        self.overrides: dict[date, list[list[str]]] = {
            date.fromisoformat(d): ivs for d, ivs in mapping.get("overrides", {}).items()
        }
        self.breaks: dict[date, list[list[str]]] = {
            date.fromisoformat(d): ivs for d, ivs in mapping.get("breaks", {}).items()
        }
        self.makeup = {date.fromisoformat(d) for d in mapping.get("makeup_workdays", [])}
        self.makeup_hours: list[list[str]] | None = mapping.get("makeup_hours")
        self.lo = self._instant(first, 0)
        self.hi = self._instant(last + timedelta(days=1), 0)
        #: True when some interval is empty or inverted once mapped to real time (both ends in
        #: or around a DST gap); such configurations are outside what the tests compare.
        self.degenerate = False
        self.open: set[int] = set()
        day = first - timedelta(days=1)  # yesterday's overnight shift reaches into the window
        while day <= last:
            for start, end in self.hours_for(day):
                a, b = self._span(day, start, end)
                if b <= a:
                    self.degenerate = True
                self.open.update(range(a, b))
            day += timedelta(days=1)
        day = first - timedelta(days=1)
        while day <= last + timedelta(days=1):
            for start, end in self.breaks.get(day, []):
                a, b = self._span(day, start, end)
                self.open.difference_update(range(a, b))
            day += timedelta(days=1)

    def hours_for(self, day: date) -> list[list[str]]:
        """The wall-clock intervals that start on ``day``."""
        if day in self.overrides:
            return self.overrides[day]
        if day in self.holidays:
            return []
        if day in self.makeup:
            return self.makeup_hours if self.makeup_hours is not None else self.weekly.get("mon", [])
        return self.weekly.get(WEEKDAY_KEYS[day.weekday()], [])

    def _instant(self, day: date, minutes: int) -> int:
        day += timedelta(days=minutes // 1440)
        minutes %= 1440
        wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.zone)
        return to_minute(wall)

    def _span(self, day: date, start: str, end: str) -> tuple[int, int]:
        s, e = _wall_minutes(start), _wall_minutes(end)
        if e <= s:
            e += 1440  # runs past midnight into the next day
        return self._instant(day, s), self._instant(day, e)

    # Queries on minute instants; None when the answer is not decided inside the window.

    def is_open(self, m: int) -> bool:
        return m in self.open

    def elapsed(self, a: int, b: int) -> int:
        if b < a:
            return -self.elapsed(b, a)
        return sum(1 for m in range(a, b) if m in self.open)

    def next_opening(self, m: int) -> int | None:
        while m < self.hi:
            if m in self.open and m - 1 not in self.open:
                return m
            m += 1
        return None

    def previous_opening(self, m: int) -> int | None:
        while m > self.lo:
            if m in self.open and m - 1 not in self.open:
                return m
            m -= 1
        return None

    def next_closing(self, m: int) -> int | None:
        while m < self.hi:
            if m not in self.open and m - 1 in self.open:
                return m
            m += 1
        return None

    def previous_closing(self, m: int) -> int | None:
        while m > self.lo:
            if m not in self.open and m - 1 in self.open:
                return m
            m -= 1
        return None

    def add(self, m: int, minutes: int) -> int | None:
        """``minutes`` of open time after ``m``; a landing on a close moves to the next opening."""
        if minutes < 0:
            return self.subtract(m, -minutes)
        counted = 0
        while counted < minutes:
            if m >= self.hi:
                return None
            if m in self.open:
                counted += 1
            m += 1
        if m in self.open:
            return m
        return self.next_opening(m)

    def subtract(self, m: int, minutes: int) -> int | None:
        """``minutes`` of open time before ``m``; a landing on an opening stays there."""
        if minutes < 0:
            return self.add(m, -minutes)
        if minutes == 0:
            return m if m in self.open else self.previous_closing(m)
        counted = 0
        while counted < minutes:
            m -= 1
            if m < self.lo:
                return None
            if m in self.open:
                counted += 1
        return m

    def periods(self) -> list[tuple[int, int]]:
        """Maximal runs of open minutes inside ``[lo, hi)``."""
        runs: list[tuple[int, int]] = []
        m = self.lo
        while m < self.hi:
            if m in self.open:
                start = m
                while m < self.hi and m in self.open:
                    m += 1
                runs.append((start, m))
            else:
                m += 1
        return runs
