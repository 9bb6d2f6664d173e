"""Where a calendar's holidays and makeup workdays come from.

Two sources combine: dates given by hand, and optionally an object of the ``holidays``
package (passed in, or made from a ``country`` code). The package object also knows the
*makeup workdays* some countries declare (China moves weekend days to bridge holidays): its
``weekend_workdays`` are open days.

The package object fills itself year by year when asked about a date, so asking about any
year works with no fixed horizon.

This module sits below :mod:`slakit.calendar._config`: the configuration reader passes in
how to read a list of dates (``read_dates``), so the two do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import attrs
import holidays as holidays_pkg


def _is_holiday_object(value: object) -> bool:
    return isinstance(value, holidays_pkg.HolidayBase)


@attrs.frozen(eq=False)
class HolidaySource:
    """Explicit holiday dates plus an optional ``holidays`` package object."""

    dates: frozenset[date]
    package: Any = None
    country: str | None = None
    subdivision: str | None = None
    _years: dict[int, tuple[frozenset[date], frozenset[date]]] = attrs.field(
        factory=dict, init=False, repr=False
    )

    @classmethod
    def build(
        cls,
        holidays: object,
        country: str | None,
        subdivision: str | None,
        report: Callable[[str], None],
        read_dates: Callable[[object], frozenset[date]],
    ) -> HolidaySource:
        """Build from the calendar's ``holidays``/``country``/``subdivision`` settings.

        ``report`` receives each problem; ``read_dates`` reads hand-given dates (reporting
        its own problems) when ``holidays`` is not an object of the ``holidays`` package.
        """
        package: Any = None
        dates: frozenset[date] = frozenset()
        if _is_holiday_object(holidays):
            package = holidays
            if country is not None:
                report("holidays: give either a holidays object or a country code, not both")
            country = getattr(holidays, "country", None)
            subdivision = getattr(holidays, "subdiv", None)
        elif holidays is not None:
            dates = read_dates(holidays)
        if package is None and country is not None:
            try:
                package = holidays_pkg.country_holidays(country, subdiv=subdivision)
            except NotImplementedError:
                where = f"{country!r}" + (f" subdivision {subdivision!r}" if subdivision else "")
                report(
                    f"country: the holidays package has no calendar for {where}; use an ISO "
                    "3166 code it supports (e.g. 'DE', 'CN', 'US') or list the dates in holidays"
                )
        elif package is None and subdivision is not None:
            report("subdivision: given without a country; add the country code")
        return cls(dates, package, country, subdivision)

    def year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """The holidays and the package's makeup workdays of one year, computed once."""
        found = self._years.get(year)
        if found is None:
            holidays = {d for d in self.dates if d.year == year}
            makeup: frozenset[date] = frozenset()
            if self.package is not None:
                _ = date(year, 1, 1) in self.package  # makes the package fill in the year
                holidays.update(d for d in self.package if d.year == year)
                workdays: Iterable[date] = getattr(self.package, "weekend_workdays", ())
                makeup = frozenset(d for d in workdays if d.year == year)
            found = (frozenset(holidays), makeup)
            self._years[year] = found
        return found

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a holiday of either source."""
        return day in self.year(day.year)[0]

    def is_makeup_workday(self, day: date) -> bool:
        """Whether the package declares ``day`` a makeup workday (a weekend day worked)."""
        return day in self.year(day.year)[1]

    @property
    def stored_as_data(self) -> bool:
        """Whether ``to_mapping`` can record this source (a country code or plain dates)."""
        return self.package is None or self.country is not None
