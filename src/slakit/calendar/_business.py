"""``BusinessCalendar``: weekly hours, holidays, makeup workdays, overrides and breaks.

The public face of the calendar arithmetic: it validates the configuration once (every problem
listed at once), converts datetimes to integer microseconds at the door and back on the way
out, and leaves the arithmetic to :class:`~slakit.calendar._open_time.OpenTime`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from slakit._errors import CalendarConfigError
from slakit._message import Message
from slakit._problems import unknown_key
from slakit.calendar._config import build_spec, spec_to_mapping
from slakit.calendar._indexed_calendar import IndexedCalendar
from slakit.calendar._open_time import OpenTime

TimeOfDay = str | time
Hours = Sequence[Sequence[TimeOfDay]]

_MAPPING_KEYS = frozenset(
    {"timezone", "weekly", "holidays", "country", "subdivision", "holiday_breaks", "makeup_workdays",
     "makeup_hours", "overrides", "breaks"}
)


class BusinessCalendar(IndexedCalendar):
    """Open hours of a desk: a weekly schedule in a zone, less holidays, plus exceptions.

    Args:
        timezone: IANA zone name (``"Europe/Berlin"``) or a ``ZoneInfo``; results come back
            in this zone.
        weekly: ``{"mon": [("09:00", "12:00"), ("13:00", "17:00")], ...}``; missing days are
            closed. An interval whose end is at or before its start runs past midnight and
            belongs to the day it starts on; ``"24:00"`` is a valid end.
        holidays: dates, or a ``holidays`` package object (its ``weekend_workdays`` then
            count as makeup workdays).
        country: ISO code whose public holidays and makeup workdays the ``holidays``
            package supplies (with optional ``subdivision``).
        subdivision: state or province code for ``country``.
        holiday_breaks: ``"whole"`` closes every day of each official holiday break (the
            weekend days inside it too) and opens its makeup workdays, from slakit's table of
            China's State Council notices 2020-2026; ``"listed"`` closes only the days the
            ``holidays`` package lists. Default: ``"whole"`` for ``country="CN"``,
            ``"listed"`` for other countries.
        makeup_workdays: extra open dates given by hand.
        makeup_hours: hours of a makeup workday; Monday's hours by default.
        overrides: date -> intervals that replace that date's hours, beating the weekly
            hours *and* a holiday; an empty list closes the date.
        breaks: date -> intervals cut out of that date's open time.

    Raises:
        CalendarConfigError: listing every problem of the configuration.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
        >>> friday = datetime(2025, 1, 24, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add(friday, timedelta(hours=2)).isoformat()
        '2025-01-27T10:00:00+01:00'
    """

    __slots__ = ("_key", "_spec", "_zoned")

    def __init__(
        self,
        timezone: str | ZoneInfo,
        weekly: Mapping[str, Hours],
        *,
        holidays: Iterable[date | str] | Any = (),
        country: str | None = None,
        subdivision: str | None = None,
        holiday_breaks: str | None = None,
        makeup_workdays: Iterable[date | str] = (),
        makeup_hours: Hours | None = None,
        overrides: Mapping[date | str, Hours] | None = None,
        breaks: Mapping[date | str, Hours] | None = None,
    ) -> None:
        self._spec = build_spec(
            timezone,
            weekly,
            holidays=holidays,
            country=country,
            subdivision=subdivision,
            makeup_workdays=makeup_workdays,
            makeup_hours=makeup_hours,
            overrides={} if overrides is None else overrides,
            breaks={} if breaks is None else breaks,
            holiday_breaks=holiday_breaks,
        )
        self._key: str | None = None
        self._zoned: dict[str, BusinessCalendar] = {}
        super().__init__(self._spec.zone, OpenTime.for_spec(self._spec))

    # -- named constructors ------------------------------------------------------------

    @classmethod
    def weekdays(
        cls, opens: TimeOfDay, closes: TimeOfDay, *, timezone: str | ZoneInfo, **options: Any
    ) -> BusinessCalendar:
        """Monday to Friday from ``opens`` to ``closes``; ``options`` as for the constructor."""
        hours = [(opens, closes)]
        return cls(timezone, {d: hours for d in ("mon", "tue", "wed", "thu", "fri")}, **options)

    @classmethod
    def every_day(
        cls, opens: TimeOfDay, closes: TimeOfDay, *, timezone: str | ZoneInfo, **options: Any
    ) -> BusinessCalendar:
        """Seven days a week from ``opens`` to ``closes`` (a 7x12 desk, say)."""
        hours = [(opens, closes)]
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        return cls(timezone, {d: hours for d in days}, **options)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> BusinessCalendar:
        """Build from the plain, JSON-able form that :meth:`to_mapping` returns.

        Keys: ``timezone`` (required), ``weekly``, ``holidays`` (ISO dates), ``country``,
        ``subdivision``, ``holiday_breaks``, ``makeup_workdays``, ``makeup_hours``,
        ``overrides`` and ``breaks`` (ISO date keys).
        """
        if not isinstance(mapping, Mapping):
            raise CalendarConfigError([Message("expected a mapping, got {kind}",
                                               kind=type(mapping).__name__)])
        known = sorted(_MAPPING_KEYS)
        problems = [f"{k}: {unknown_key(k, known, 'a business calendar')}"
                    for k in mapping if k not in _MAPPING_KEYS]
        if "timezone" not in mapping:
            problems.append(Message("timezone: missing; give an IANA zone name such as 'Asia/Shanghai'"))
        if problems:
            raise CalendarConfigError(problems)
        return cls(
            mapping["timezone"],
            mapping.get("weekly") or {},
            holidays=mapping.get("holidays") or (),
            country=mapping.get("country"),
            subdivision=mapping.get("subdivision"),
            holiday_breaks=mapping.get("holiday_breaks"),
            makeup_workdays=mapping.get("makeup_workdays") or (),
            makeup_hours=mapping.get("makeup_hours"),
            overrides=mapping.get("overrides") or {},
            breaks=mapping.get("breaks") or {},
        )

    def to_mapping(self) -> dict[str, Any]:
        """The plain, JSON-able form of this calendar; :meth:`from_mapping` reads it back.

        A ``holidays`` package object is stored by its country and subdivision.

        Raises:
            CalendarConfigError: the calendar uses a custom holidays object with no country.
        """
        if not self._spec.holidays.stored_as_data:
            raise CalendarConfigError(
                [Message("holidays: a custom holidays object without a country cannot be stored as data; "
                         "pass its dates as a list instead")]
            )
        return spec_to_mapping(self._spec)

    def in_zone(self, timezone: str | ZoneInfo) -> BusinessCalendar:
        """The same hours, holidays and exceptions, read on the wall clock of ``timezone``.

        "Office hours" in the customer's zone: 09:00-18:00 in Berlin and 09:00-18:00 in
        Shanghai are different instants. Calendars are cached per zone.

        Example:
            >>> office = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin")
            >>> office.in_zone("Asia/Shanghai").zone.key
            'Asia/Shanghai'
        """
        key = timezone.key if isinstance(timezone, ZoneInfo) else str(timezone)
        if key == self._spec.zone.key:
            return self
        found = self._zoned.get(key)
        if found is None:
            if not self._spec.holidays.stored_as_data:
                raise CalendarConfigError(
                    [Message("in_zone: a calendar with a custom holidays object (no country) cannot be "
                             "rebuilt in another zone; pass its dates as a list instead")])
            found = BusinessCalendar.from_mapping({**self.to_mapping(), "timezone": key})
            self._zoned[key] = found
        return found

    # -- identity ----------------------------------------------------------------------

    def _identity(self) -> str:
        if self._key is None:
            try:
                self._key = json.dumps(self.to_mapping(), sort_keys=True)
            except CalendarConfigError:
                self._key = f"object:{id(self)}"
        return self._key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        spec = self._spec
        week = spec_to_mapping(spec)["weekly"]
        extras = [f"country={spec.holidays.country!r}"] if spec.holidays.country else []
        if spec.holidays.dates:
            extras.append(f"{len(spec.holidays.dates)} holidays")
        if spec.overrides or spec.breaks:
            extras.append(f"{len(spec.overrides)} overrides, {len(spec.breaks)} breaks")
        tail = "".join(f", {e}" for e in extras)
        return f"BusinessCalendar({spec.zone.key!r}, {week!r}{tail})"

