"""Any calendar to and from plain data, with a ``kind`` key saying which calendar it is.

``BusinessCalendar.to_mapping()`` keeps the plain form of the foundation issue (no ``kind``);
this module adds the kinds so that policies can store any calendar: ``"business"`` (the
default when ``kind`` is absent), ``"always_open"``, and the compositions
``"intersection"``, ``"union"`` and ``"difference"`` with their ``parts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from slakit._errors import CalendarConfigError
from slakit._message import Message
from slakit._problems import Problems, Table, depth_problem, described, did_you_mean, join, shown
from slakit.calendar._always_open import AlwaysOpen
from slakit.calendar._business import BusinessCalendar
from slakit.calendar._compose import ComposedCalendar, Operation, tagged_mapping
from slakit.calendar._protocol import Calendar

_COMPOSED = ("intersection", "union", "difference")
_KINDS = ("business", "always_open", *_COMPOSED)


def calendar_to_mapping(calendar: Calendar) -> dict[str, Any]:
    """Plain, JSON-able data for any slakit calendar.

    Raises:
        WrongTypeError: ``calendar`` is not one of slakit's calendars.
    """
    return tagged_mapping(calendar)


def calendar_from_mapping(data: Mapping[str, Any]) -> Calendar:
    """The calendar that :func:`calendar_to_mapping` described.

    Every problem is listed at once, each with its path (``parts[1].timezone: ...``);
    unknown keys are problems with a "did you mean" suggestion, and an ``always_open``
    calendar must name its zone (it is never silently UTC).

    Raises:
        CalendarConfigError: listing every problem found.
    """
    if not isinstance(data, Mapping):
        raise CalendarConfigError([Message("expected a table (a calendar), got {got}", got=described(data))])
    deep = depth_problem(data)
    if deep is not None:
        raise CalendarConfigError([deep])
    problems = Problems()
    calendar = _read(data, "", problems)
    if problems.items or calendar is None:
        raise CalendarConfigError(problems.items)
    return calendar


def _read(data: object, path: str, problems: Problems) -> Calendar | None:
    table = Table.of(data, path, problems, Message("a calendar"))
    if table is None:
        return None
    kind = table.get("kind", "business")
    if not isinstance(kind, str) or kind not in _KINDS:
        table.bad("kind", Message("unknown calendar kind {kind}{did_you_mean}; use {items}",
                                  kind=shown(kind), did_you_mean=did_you_mean(kind, _KINDS),
                                  items=', '.join(_KINDS)))
        return None
    rest = {k: v for k, v in table.raw.items() if k != "kind"}
    try:
        if kind == "business":
            return BusinessCalendar.from_mapping(rest)
        if kind == "always_open":
            table.only(("kind", "timezone"), Message("an always_open calendar"))
            zone = table.text("timezone", required=True, what=(
                Message("an IANA zone name such as 'Asia/Shanghai' (a 24/7 calendar is never assumed "
                "to be UTC)")))
            return None if table.failed or zone is None else AlwaysOpen(zone)
        table.only(("kind", "timezone", "parts"), f"a {kind} calendar")
        raw_parts = table.items("parts", Message("calendars"), required=True)
        parts = [_read(p, join(table.at("parts"), n), problems)
                 for n, p in enumerate(raw_parts or [])]
        if table.failed or any(p is None for p in parts):
            return None
        return ComposedCalendar(cast(Operation, kind), [p for p in parts if p is not None],
                                rest.get("timezone"))
    except CalendarConfigError as error:
        problems.extend(path, error.problems)
        return None
