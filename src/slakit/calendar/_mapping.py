"""Any calendar to and from plain data, with a ``kind`` key saying which calendar it is.

``BusinessCalendar.to_mapping()`` keeps the plain form of the foundation issue (no ``kind``);
this module adds the kinds so that policies can store any calendar: ``"business"`` (the
default when ``kind`` is absent), ``"always_open"``, and the compositions
``"intersection"``, ``"union"`` and ``"difference"`` with their ``parts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slakit._errors import CalendarConfigError
from slakit.calendar._always_open import AlwaysOpen
from slakit.calendar._business import BusinessCalendar
from slakit.calendar._compose import ComposedCalendar, tagged_mapping
from slakit.calendar._protocol import Calendar

_COMPOSED = ("intersection", "union", "difference")


def calendar_to_mapping(calendar: Calendar) -> dict[str, Any]:
    """Plain, JSON-able data for any slakit calendar.

    Raises:
        WrongTypeError: ``calendar`` is not one of slakit's calendars.
    """
    return tagged_mapping(calendar)


def calendar_from_mapping(data: Mapping[str, Any]) -> Calendar:
    """The calendar that :func:`calendar_to_mapping` described."""
    if not isinstance(data, Mapping):
        raise CalendarConfigError([f"expected a mapping, got {type(data).__name__}"])
    kind = data.get("kind", "business")
    rest = {k: v for k, v in data.items() if k != "kind"}
    if kind == "business":
        return BusinessCalendar.from_mapping(rest)
    if kind == "always_open":
        unknown = sorted(set(rest) - {"timezone"})
        if unknown:
            raise CalendarConfigError([f"always_open: unknown keys {unknown}"])
        return AlwaysOpen(rest.get("timezone", "UTC"))
    if kind in _COMPOSED:
        parts = rest.get("parts")
        if not isinstance(parts, list):
            raise CalendarConfigError([f"{kind}: 'parts' must be a list of calendars"])
        return ComposedCalendar(kind, [calendar_from_mapping(p) for p in parts],
                                rest.get("timezone"))
    raise CalendarConfigError(
        [f"kind: unknown calendar kind {kind!r}; use business, always_open, "
         f"{', '.join(_COMPOSED)}"]
    )
