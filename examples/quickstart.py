"""Deadlines for one ticket under three service levels (the README's main job).

A ticket is opened on Friday 2025-01-24 at 20:30 in Shanghai, the evening before China's
Spring Festival holidays. Each service level counts its targets on its own calendar:

* urgent, 7x24: respond within 30 minutes, resolve within 4 hours;
* important, 7x12 (every day 09:00-21:00): respond within 1 hour, resolve within 8 hours;
* normal, office hours (Mon-Fri 09:00-18:00, China's public holidays off, its makeup
  workdays on): respond within 2 hours, resolve within 24 business hours.

Run it with ``python3 dev.py demo``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slakit import AlwaysOpen, BusinessCalendar, Calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENED = datetime(2025, 1, 24, 20, 30, tzinfo=SHANGHAI)

LEVELS: list[tuple[str, str, Calendar, timedelta, timedelta]] = [
    ("urgent", "7x24", AlwaysOpen(SHANGHAI), timedelta(minutes=30), timedelta(hours=4)),
    (
        "important",
        "7x12, 09:00-21:00",
        BusinessCalendar.every_day("09:00", "21:00", timezone=SHANGHAI),
        timedelta(hours=1),
        timedelta(hours=8),
    ),
    (
        "normal",
        "Mon-Fri 09:00-18:00, CN holidays",
        BusinessCalendar.weekdays("09:00", "18:00", timezone=SHANGHAI, country="CN"),
        timedelta(hours=2),
        timedelta(hours=24),
    ),
]


def _fmt(t: datetime) -> str:
    return t.strftime("%a %Y-%m-%d %H:%M")


def main() -> None:
    print(f"Ticket opened {_fmt(OPENED)} (Asia/Shanghai)\n")
    header = f"{'priority':<10} {'calendar':<34} {'respond by':<22} {'resolve by':<22}"
    print(header)
    print("-" * len(header))
    for priority, label, calendar, respond, resolve in LEVELS:
        respond_by = calendar.add(OPENED, respond)
        resolve_by = calendar.add(OPENED, resolve)
        print(f"{priority:<10} {label:<34} {_fmt(respond_by):<22} {_fmt(resolve_by):<22}")
    _, _, office, _, resolve = LEVELS[2]
    print(
        "\nWhy 'normal' resolves on 5 February: Sunday 2025-01-26 is a makeup workday and"
        "\n2025-01-28 .. 2025-02-04 are Spring Festival holidays. Open time counted:"
    )
    for period in office.periods(OPENED, office.add(OPENED, resolve)):
        print(f"  {_fmt(period.start)} - {period.end:%H:%M}  ({period.duration})")


if __name__ == "__main__":
    main()
