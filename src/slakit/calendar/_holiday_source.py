"""Where a calendar's holidays and makeup workdays come from.

Two sources combine: dates given by hand, and optionally an object of the ``holidays``
package (passed in, or made from a ``country`` code). The package object also knows the
*makeup workdays* some countries declare (China moves weekend days to bridge holidays): its
``weekend_workdays`` are open days.

The package object fills itself year by year when asked about a date, so asking about any
year works with no fixed horizon.

This module sits below :mod:`slakit.calendar._config`: the configuration reader passes in
how to read a list of dates (``read_dates``), so the two do not import each other.

China declares its holidays as whole *breaks* (放假调休): the listed holidays, the weekend
days inside them, and makeup workdays. ``holiday_breaks="whole"`` (the default for
``country="CN"``) closes every day of each official break in slakit's table of the State
Council notices (:mod:`slakit.calendar._cn_breaks`); ``"listed"`` closes only the days the
``holidays`` package lists, which leaves a seven-day desk open on the weekend inside a break.
Years outside the table fall back to the listed days.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import attrs
import holidays as holidays_pkg

from slakit._problems import did_you_mean, shown
from slakit.calendar._cn_breaks import cn_break_days

BREAK_MODES = ("whole", "listed")
"""``holiday_breaks`` values: close each official break whole, or only its listed days."""

_WHOLE_BREAK_COUNTRIES = frozenset({"CN"})


def _is_holiday_object(value: object) -> bool:
    return isinstance(value, holidays_pkg.HolidayBase)


@functools.cache
def _supported() -> frozenset[str]:
    return frozenset(holidays_pkg.list_supported_countries())


def _unsupported(country: object, report: Callable[[str], None]) -> bool:
    """Report (and say True) when ``country`` is not a code the holidays package supports.

    Checked against the package's own list: looking the name up on the module would accept
    any attribute (``"HolidayBase"`` gave a calendar with no holidays at all).
    """
    if isinstance(country, str) and country in _supported():
        return False
    hint = ""
    if isinstance(country, str):
        close = country.strip().upper()
        hint = f" (did you mean {close!r}?)" if close in _supported() else did_you_mean(
            country, sorted(_supported()))
    report(
        f"country: {shown(country)} is not a country code the holidays package supports{hint}; "
        "use an ISO 3166 code from holidays.list_supported_countries() (e.g. 'DE', 'CN', "
        "'US') or list the dates in holidays"
    )
    return True


@attrs.frozen(eq=False)
class HolidaySource:
    """Explicit holiday dates plus an optional ``holidays`` package object."""

    dates: frozenset[date]
    package: Any = None
    country: str | None = None
    subdivision: str | None = None
    breaks: str | None = None
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
        holiday_breaks: object = None,
    ) -> HolidaySource:
        """Build from the calendar's ``holidays``/``country``/``subdivision`` settings.

        ``report`` receives each problem; ``read_dates`` reads hand-given dates (reporting
        its own problems) when ``holidays`` is not an object of the ``holidays`` package.
        ``holiday_breaks`` is ``"whole"``, ``"listed"`` or None (``"whole"`` for a country
        whose official breaks slakit knows, China; ``"listed"`` for any other country).
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
        if subdivision is not None and not isinstance(subdivision, str):
            report(f"subdivision: expected a subdivision code such as 'BY', got {shown(subdivision)}")
            subdivision = None
        if package is None and country is not None and _unsupported(country, report):
            country = None  # reported; the checks below must not read it as a code
        elif package is None and country is not None:
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
        breaks = _breaks_mode(holiday_breaks, country, report)
        return cls(dates, package, country, subdivision, breaks)

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
            if self.breaks == "whole":
                off, worked = cn_break_days(year)
                holidays.update(off - worked)
                makeup = makeup | worked
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


def _breaks_mode(value: object, country: str | None, report: Callable[[str], None]) -> str | None:
    """The ``holiday_breaks`` setting checked against the country, default resolved."""
    known = isinstance(country, str) and country.upper() in _WHOLE_BREAK_COUNTRIES
    if value is None:
        if country is None:
            return None
        return "whole" if known else "listed"
    if not isinstance(value, str) or value not in BREAK_MODES:
        report(f"holiday_breaks: expected 'whole' or 'listed', got {shown(value)}")
        return None
    if value == "whole" and not known:
        report(
            f"holiday_breaks: 'whole' needs a country whose official breaks slakit knows "
            f"(CN), got country {country!r}; use 'listed' or set country='CN'"
        )
        return None
    return str(value)
