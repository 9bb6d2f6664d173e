"""Targets: how much business time a metric may take, on which (versioned) calendar.

A :class:`MetricTarget` says "for priority *p*, metric *m* must be met within *d* of open time
on calendar *c*". Calendars are wrapped in :class:`NamedCalendar` so every clock can record
the name and version of the calendar it was judged by, and so stored policy data can refer to
one calendar from many targets. A :class:`PeakWindow` swaps in other targets for clocks whose
target is set during its dates (the time of the event, never "now").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from slakit._errors import CalendarConfigError, NaiveDatetimeError, WrongTypeError
from slakit._fast import derive
from slakit._message import Message
from slakit._problems import Problems, Table, described, shown
from slakit._zone import read_zone
from slakit.calendar import (
    AlwaysOpen,
    BusinessCalendar,
    Calendar,
    ComposedCalendar,
    calendar_from_mapping,
    calendar_to_mapping,
)
from slakit.i18n._translator import N_
from slakit.policies._errors import PolicyDataError
from slakit.policies._working_days import WorkingDays

UTC = timezone.utc


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, WorkingDays):
        return
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise PolicyDataError(
            [Message("{name} must be a positive timedelta or WorkingDays(n), got {value!r}",
                     name=attribute.name, value=value)]
        )


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value:
        raise PolicyDataError([Message("{name} must be a non-empty string, got {value!r}",
                                       name=attribute.name, value=value)])


def _calendar(instance: object, attribute: attrs.Attribute[Calendar], value: object) -> None:
    if not isinstance(value, Calendar):
        raise WrongTypeError(
            Message("NamedCalendar.calendar must be a slakit calendar (BusinessCalendar, AlwaysOpen, "
                    "...), got {kind} {value}", kind=type(value).__name__, value=shown(value)))


@attrs.frozen
class NamedCalendar:
    """A calendar with the name and version clocks record when they are judged by it.

    Example:
        >>> office = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"), version="2025")
        >>> office.name, office.calendar, office.version, office.follows_ticket_zone
        ('24x7', AlwaysOpen('Asia/Shanghai'), '2025', False)
    """

    name: str = attrs.field(validator=_non_empty)
    calendar: Calendar = attrs.field(validator=_calendar)
    version: str = "1"
    follows_ticket_zone: bool = False
    """Read the hours in the ticket's zone (see :class:`ZoneChain`) instead of the calendar's."""
    _localized: dict[str, NamedCalendar] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def in_zone(self, zone: ZoneInfo | None) -> NamedCalendar:
        """This calendar read in ``zone`` when it follows the ticket's zone; else itself."""
        if zone is None or not self.follows_ticket_zone or zone.key == self.calendar.zone.key:
            return self
        found = self._localized.get(zone.key)
        if found is None:
            move = getattr(self.calendar, "in_zone", None)
            if move is None:
                raise PolicyDataError([Message("calendar {name!r} cannot be read in another zone",
                                               name=self.name)])
            found = NamedCalendar(self.name, move(zone), self.version, follows_ticket_zone=True)
            self._localized[zone.key] = found
        return found

    def to_data(self) -> dict[str, Any]:
        """Plain data: the calendar's mapping plus ``version`` (``always_open`` for 24/7).

        Compositions are stored with their ``kind`` and ``parts``; a calendar that follows
        the ticket's zone has ``zone = "ticket"``.
        """
        cal = self.calendar
        extra = {"zone": "ticket"} if self.follows_ticket_zone else {}
        if isinstance(cal, AlwaysOpen):
            return {"version": self.version, "always_open": True, "timezone": cal.zone.key,
                    **extra}
        if isinstance(cal, BusinessCalendar):
            return {"version": self.version, **cal.to_mapping(), **extra}
        if isinstance(cal, ComposedCalendar):
            return {"version": self.version, **calendar_to_mapping(cal), **extra}
        raise PolicyDataError(
            [Message("calendar {name!r}: only slakit's own calendars can be stored as data, got {kind}",
                     name=self.name, kind=type(cal).__name__)]
        )

    @classmethod
    def from_data(cls, name: str, data: object) -> NamedCalendar:
        """Rebuild from :meth:`to_data` output.

        Raises:
            PolicyDataError: listing every problem, each with its path under
                ``calendars.<name>``.
        """
        path = f"calendars.{name}"
        if not isinstance(data, Mapping):
            raise PolicyDataError(
                [Message("{path}: expected a table (a calendar), got {got}", path=path, got=described(data))])
        problems = Problems()
        table = Table(data, path, problems)
        body = dict(data)
        version = body.pop("version", "1")
        if not isinstance(version, str | int) or isinstance(version, bool):
            table.bad("version", Message("expected a string such as '2025', got {got}",
                                         got=described(version)))
        zone = body.pop("zone", "calendar")
        if zone not in ("calendar", "ticket"):
            table.bad("zone", Message("expected 'calendar' or 'ticket', got {zone}", zone=shown(zone)))
        always_open = table.flag("always_open", False)
        body.pop("always_open", None)
        calendar: Calendar | None = None
        if always_open:
            table.only(("version", "zone", "always_open", "timezone"), N_("an always_open calendar"))
            zone_name = table.text("timezone", required=True, what=(
                N_("an IANA zone name such as 'Asia/Shanghai' (a 24/7 calendar is never assumed "
                "to be UTC)")))
            if zone_name is not None:
                try:
                    calendar = AlwaysOpen(zone_name)
                except CalendarConfigError as error:
                    problems.extend(path, error.problems)
        elif not problems.items:
            try:
                calendar = (calendar_from_mapping(body) if "kind" in body
                            else BusinessCalendar.from_mapping(body))
            except CalendarConfigError as error:
                problems.extend(path, error.problems)
        if problems.items or calendar is None:
            raise PolicyDataError(problems.items)
        return cls(name, calendar, str(version), zone == "ticket")


def _named(instance: object, attribute: attrs.Attribute[NamedCalendar], value: object) -> None:
    if not isinstance(value, NamedCalendar):
        raise WrongTypeError(
            Message("MetricTarget.calendar must be a NamedCalendar (clocks record its name and version), "
                    "got {kind} {value}; wrap it: NamedCalendar('office', calendar, version='2025')",
                    kind=type(value).__name__, value=shown(value)))


@attrs.frozen
class MetricTarget:
    """The promise for one metric at one priority: met within ``within`` of open time.

    Example:
        >>> from datetime import timedelta
        >>> cal = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
        >>> MetricTarget("first_response", "urgent", timedelta(minutes=30), cal).within
        datetime.timedelta(seconds=1800)
    """

    metric: str = attrs.field(validator=_non_empty)
    priority: str = attrs.field(validator=_non_empty)
    within: timedelta | WorkingDays = attrs.field(validator=_positive)
    """Business time, or :class:`WorkingDays` resolved when the target is set."""
    calendar: NamedCalendar = attrs.field(validator=_named)

    def budget(self, at: datetime) -> timedelta:
        """The business time the target allows a clock whose target is set at ``at``."""
        if isinstance(self.within, WorkingDays):
            return self.within.budget(self.calendar.calendar, at)
        return self.within

    @property
    def key(self) -> tuple[str, str]:
        """``(metric, priority)``: what this target is looked up by."""
        return (self.metric, self.priority)


def _zone(value: str | ZoneInfo) -> ZoneInfo:
    zone = read_zone(value)
    if zone is None:
        raise PolicyDataError(
            [Message("peak window timezone: unknown zone {value}; give an IANA name such as "
                     "'Asia/Shanghai'", value=shown(value))])
    return zone


def _day(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise WrongTypeError(
            Message("PeakWindow.{name} must be a datetime.date, got {kind} {value}; convert a string "
                    "with date.fromisoformat('2025-11-11')", name=attribute.name,
                    kind=type(value).__name__, value=shown(value)))


def _target_tuple(items: Iterable[MetricTarget]) -> tuple[MetricTarget, ...]:
    return tuple(items)


def _day_bounds(first: date, after: date, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The instants local midnight of ``first`` and of ``after`` happen, if each is one.

    A midnight inside a DST gap or a fall-back has no single instant (the local date may
    start elsewhere or go back for a while): None, and :meth:`PeakWindow.covers` converts
    each instant to the local date instead.
    """
    out = []
    for day in (first, after):
        try:
            t0 = datetime.combine(day, time(), zone)
            if t0.replace(fold=1).utcoffset() != t0.utcoffset():
                return None
            out.append(t0.astimezone(UTC))
        except OverflowError:  # a window reaching date.min or date.max: compare dates
            return None
    return out[0], out[1]


@attrs.frozen
class PeakWindow:
    """Dates (inclusive, in ``timezone``) during which other targets apply.

    A clock takes its target from the window in force at the instant the target is set: the
    event that starts its cycle or changes the ticket's priority. Targets not listed in the
    window keep the policy's normal value.

    Example:
        >>> from datetime import date, datetime, time, timedelta, timezone
        >>> cal = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
        >>> w = PeakWindow("11.11", date(2025, 11, 1), date(2025, 11, 12), "Asia/Shanghai",
        ...     (MetricTarget("first_response", "normal", timedelta(hours=1), cal),))
        >>> w.covers(datetime(2025, 11, 12, 23, 59, tzinfo=cal.calendar.zone))
        True
    """

    name: str = attrs.field(validator=_non_empty)
    first_day: date = attrs.field(validator=_day)
    last_day: date = attrs.field(validator=_day)
    timezone: ZoneInfo = attrs.field(converter=_zone)
    targets: tuple[MetricTarget, ...] = attrs.field(converter=_target_tuple)
    _bounds: tuple[datetime, datetime] | None = attrs.field(
        init=False, eq=False, repr=False, default=None
    )
    """``[first instant of first_day, first instant after last_day)``, when that interval
    is exactly the window (see :meth:`covers`)."""

    def __attrs_post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise PolicyDataError(
                [Message("peak window {name!r}: last_day {last_day} is before first_day {first_day}; swap "
                         "them", name=self.name, last_day=self.last_day, first_day=self.first_day)]
            )
        after = self.last_day + timedelta(days=1) if self.last_day < date.max else None
        derive(self, "_bounds", None if after is None else _day_bounds(
            self.first_day, after, self.timezone))

    def covers(self, at: datetime) -> bool:
        """Whether the local date of ``at`` lies within the window.

        Raises:
            WrongTypeError: ``at`` is not a datetime.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        bounds = self._bounds
        if bounds is not None:
            # Two comparisons instead of a zone conversion: targets are looked up per event.
            try:
                return bounds[0] <= at < bounds[1]
            except TypeError:  # naive, or not a datetime: the checks below say which
                pass
        if not isinstance(at, datetime):
            raise WrongTypeError(
                Message("a peak window's instant must be a timezone-aware datetime, got {kind} {at!r}",
                        kind=type(at).__name__, at=at))
        if at.tzinfo is None or at.utcoffset() is None:
            raise NaiveDatetimeError(Message("a peak window's instant"), at)
        return self.first_day <= at.astimezone(self.timezone).date() <= self.last_day
