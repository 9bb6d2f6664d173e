"""China's official holiday breaks (放假调休), each as a whole, from the State Council notices.

Design rules:

* Facts only: every row restates one break of a yearly notice of the General Office of the
  State Council (国务院办公厅关于 YYYY 年部分节假日安排的通知); the notice is cited above its
  year. A break is its first and last day off (weekend days inside it included) and the
  weekend days worked to make it up (调休上班).
* A notice that says a holiday "joins the weekend" (与周末连休) gives a break that runs
  through that weekend.
* The table covers the years listed in :data:`CN_BREAK_YEARS`; outside them slakit knows no
  break and a calendar falls back to the ``holidays`` package's listed days.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache

import attrs


@attrs.frozen
class OfficialBreak:
    """One official break: every day from ``first`` to ``last`` is off; ``makeup`` is worked."""

    name: str
    first: date
    last: date
    makeup: tuple[date, ...] = ()

    def days(self) -> Iterator[date]:
        """Every day of the break, ``first`` to ``last`` inclusive."""
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)


def _b(name: str, first: str, last: str, *makeup: str) -> OfficialBreak:
    return OfficialBreak(
        name, date.fromisoformat(first), date.fromisoformat(last),
        tuple(date.fromisoformat(d) for d in makeup),
    )


NEW_YEAR, SPRING, QINGMING, LABOUR = "New Year", "Spring Festival", "Qingming", "Labour Day"
DRAGON, MID_AUTUMN, NATIONAL = "Dragon Boat", "Mid-Autumn", "National Day"

CN_BREAKS: tuple[OfficialBreak, ...] = (
    # 2020: 国务院办公厅关于2020年部分节假日安排的通知 (国办发明电〔2019〕16号, 2019-11-21),
    # Spring Festival as extended to 2 February by 国务院办公厅关于延长2020年春节假期的通知
    # (国办发明电〔2020〕1号, 2020-01-26), which cancelled the worked Saturday 1 February.
    _b(NEW_YEAR, "2020-01-01", "2020-01-01"),
    _b(SPRING, "2020-01-24", "2020-02-02", "2020-01-19"),
    _b(QINGMING, "2020-04-04", "2020-04-06"),
    _b(LABOUR, "2020-05-01", "2020-05-05", "2020-04-26", "2020-05-09"),
    _b(DRAGON, "2020-06-25", "2020-06-27", "2020-06-28"),
    _b(f"{NATIONAL} and {MID_AUTUMN}", "2020-10-01", "2020-10-08", "2020-09-27", "2020-10-10"),
    # 2021: 国务院办公厅关于2021年部分节假日安排的通知 (国办发明电〔2020〕27号, 2020-11-25).
    _b(NEW_YEAR, "2021-01-01", "2021-01-03"),
    _b(SPRING, "2021-02-11", "2021-02-17", "2021-02-07", "2021-02-20"),
    _b(QINGMING, "2021-04-03", "2021-04-05"),
    _b(LABOUR, "2021-05-01", "2021-05-05", "2021-04-25", "2021-05-08"),
    _b(DRAGON, "2021-06-12", "2021-06-14"),
    _b(MID_AUTUMN, "2021-09-19", "2021-09-21", "2021-09-18"),
    _b(NATIONAL, "2021-10-01", "2021-10-07", "2021-09-26", "2021-10-09"),
    # 2022: 国务院办公厅关于2022年部分节假日安排的通知 (国办发明电〔2021〕11号, 2021-10-25).
    _b(NEW_YEAR, "2022-01-01", "2022-01-03"),
    _b(SPRING, "2022-01-31", "2022-02-06", "2022-01-29", "2022-01-30"),
    _b(QINGMING, "2022-04-03", "2022-04-05", "2022-04-02"),
    _b(LABOUR, "2022-04-30", "2022-05-04", "2022-04-24", "2022-05-07"),
    _b(DRAGON, "2022-06-03", "2022-06-05"),
    _b(MID_AUTUMN, "2022-09-10", "2022-09-12"),
    _b(NATIONAL, "2022-10-01", "2022-10-07", "2022-10-08", "2022-10-09"),
    # 2023: 国务院办公厅关于2023年部分节假日安排的通知 (国办发明电〔2022〕16号, 2022-12-08).
    _b(NEW_YEAR, "2022-12-31", "2023-01-02"),
    _b(SPRING, "2023-01-21", "2023-01-27", "2023-01-28", "2023-01-29"),
    _b(QINGMING, "2023-04-05", "2023-04-05"),
    _b(LABOUR, "2023-04-29", "2023-05-03", "2023-04-23", "2023-05-06"),
    _b(DRAGON, "2023-06-22", "2023-06-24", "2023-06-25"),
    _b(f"{MID_AUTUMN} and {NATIONAL}", "2023-09-29", "2023-10-06", "2023-10-07", "2023-10-08"),
    # 2024: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号, 2023-10-25).
    # New Year's Day and the Dragon Boat Festival "与周末连休" (join the weekend before).
    _b(NEW_YEAR, "2023-12-30", "2024-01-01"),
    _b(SPRING, "2024-02-10", "2024-02-17", "2024-02-04", "2024-02-18"),
    _b(QINGMING, "2024-04-04", "2024-04-06", "2024-04-07"),
    _b(LABOUR, "2024-05-01", "2024-05-05", "2024-04-28", "2024-05-11"),
    _b(DRAGON, "2024-06-08", "2024-06-10"),
    _b(MID_AUTUMN, "2024-09-15", "2024-09-17", "2024-09-14"),
    _b(NATIONAL, "2024-10-01", "2024-10-07", "2024-09-29", "2024-10-12"),
    # 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12).
    _b(NEW_YEAR, "2025-01-01", "2025-01-01"),
    _b(SPRING, "2025-01-28", "2025-02-04", "2025-01-26", "2025-02-08"),
    _b(QINGMING, "2025-04-04", "2025-04-06"),
    _b(LABOUR, "2025-05-01", "2025-05-05", "2025-04-27"),
    _b(DRAGON, "2025-05-31", "2025-06-02"),
    _b(f"{NATIONAL} and {MID_AUTUMN}", "2025-10-01", "2025-10-08", "2025-09-28", "2025-10-11"),
    # 2026: 国务院办公厅关于2026年部分节假日安排的通知 (published by Xinhua, 2025-11-04).
    _b(NEW_YEAR, "2026-01-01", "2026-01-03", "2026-01-04"),
    _b(SPRING, "2026-02-15", "2026-02-23", "2026-02-14", "2026-02-28"),
    _b(QINGMING, "2026-04-04", "2026-04-06"),
    _b(LABOUR, "2026-05-01", "2026-05-05", "2026-05-09"),
    _b(DRAGON, "2026-06-19", "2026-06-21"),
    _b(MID_AUTUMN, "2026-09-25", "2026-09-27"),
    _b(NATIONAL, "2026-10-01", "2026-10-07", "2026-09-20", "2026-10-10"),
)

CN_BREAK_YEARS = range(2020, 2027)
"""The years whose notices the table restates (a 2023 break may start on 2022-12-31)."""


@cache
def cn_break_days(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The days off and the makeup workdays of ``year`` under China's official breaks.

    Example:
        >>> off, worked = cn_break_days(2025)
        >>> date(2025, 2, 1) in off, date(2025, 2, 8) in worked
        (True, True)
    """
    off = {d for b in CN_BREAKS for d in b.days() if d.year == year}
    worked = {d for b in CN_BREAKS for d in b.makeup if d.year == year}
    return frozenset(off), frozenset(worked)
