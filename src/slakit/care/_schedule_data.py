"""How is a ``schedules`` table read and written? The data form of care schedules.

Design rules: ``{name: {start, rule?, dates?, until?, timezone?, offset_days?, working?,
roll?, overdue_after?, plan?, action?}}``. Instants are ISO 8601 strings with an offset;
``timezone`` (an IANA name) is the zone whose wall times the rule runs on (the offset's fixed
zone otherwise); ``overdue_after`` is business time written ``"18 hours"`` or
``"90 minutes"``. Unknown keys are refused and every problem is listed with its path
(:func:`slakit.care._table_data.read_named_table`, shared with the ``timers`` table), so a
policy-file loader or a store can delegate here. :func:`schedule_to_mapping` writes the form
:func:`schedules_from_mapping` reads back equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slakit._message import Message
from slakit._zone import read_zone
from slakit.care._schedule import CareSchedule
from slakit.care._table_data import read_named_table
from slakit.plans._checks import parse_instant

_KEYS = ("start", "rule", "dates", "until", "timezone", "offset_days", "working", "roll",
         "overdue_after", "plan", "action")
_SPAN = re.compile(r"^\s*(\d+)\s+(hours?|minutes?)\s*$")


def _span(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60} minutes" if seconds % 3600 else f"{seconds // 3600} hours"


def schedule_to_mapping(schedule: CareSchedule) -> dict[str, Any]:
    """The JSON-able form of ``schedule`` (its name is the table key, not in the mapping)."""
    out: dict[str, Any] = {"start": schedule.start.isoformat()}
    if isinstance(schedule.start.tzinfo, ZoneInfo):
        out["timezone"] = schedule.start.tzinfo.key
    if schedule.rule:
        out["rule"] = schedule.rule
    if schedule.dates:
        out["dates"] = [d.isoformat() for d in schedule.dates]
    if schedule.until is not None:
        out["until"] = schedule.until.isoformat()
    out.update(offset_days=schedule.offset_days, working=schedule.working, roll=schedule.roll,
               action=schedule.action)
    if schedule.overdue_after is not None:
        out["overdue_after"] = _span(schedule.overdue_after)
    if schedule.plan is not None:
        out["plan"] = schedule.plan
    return out


def schedules_from_mapping(mapping: Any, path: str = "schedules") -> tuple[CareSchedule, ...]:
    """Read a ``schedules`` table.

    >>> [s.name for s in schedules_from_mapping({"visit": {
    ...     "start": "2025-01-06T00:00:00+08:00", "timezone": "Asia/Shanghai",
    ...     "rule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "overdue_after": "18 hours"}})]
    ['visit']

    Raises:
        CareDataError: every problem, each with its path.
    """
    return read_named_table(mapping, path, "schedule", _KEYS, _read_schedule)


def _read_schedule(
    name: str, body: Mapping[str, Any], where: str, problems: list[str]
) -> Callable[[], CareSchedule] | None:
    if "start" not in body:
        problems.append(Message("{where}.start: missing; an ISO 8601 instant with an offset", where=where))
    start = parse_instant(f"{where}.start", body["start"], problems) if "start" in body else None
    zone_name = body.get("timezone")
    if zone_name is not None and start is not None:
        zone = read_zone(zone_name)
        if zone is None:
            problems.append(Message("{where}.timezone: unknown zone {zone_name!r}; give an IANA name such "
                                    "as 'Asia/Shanghai'", where=where, zone_name=zone_name))
        else:
            start = start.astimezone(zone)
    dates_in = body.get("dates", [])
    dates: list[datetime] = []
    if not isinstance(dates_in, list):
        problems.append(Message("{where}.dates: expected a list of ISO 8601 instants", where=where))
    else:
        for i, d in enumerate(dates_in):
            parsed = parse_instant(f"{where}.dates[{i}]", d, problems)
            if parsed is not None:
                dates.append(parsed)
    until = None if body.get("until") is None else parse_instant(
        f"{where}.until", body["until"], problems)
    overdue = None
    if body.get("overdue_after") is not None:
        m = _SPAN.match(body["overdue_after"]) if isinstance(body["overdue_after"],
                                                             str) else None
        if m is None:
            problems.append(Message("{where}.overdue_after: {body!r} is not business time; write e.g. '18 "
                                    "hours' or '90 minutes'", where=where, body=body['overdue_after']))
        else:
            unit = m.group(2) if m.group(2).endswith("s") else m.group(2) + "s"
            overdue = timedelta(**{unit: int(m.group(1))})
    if start is None:
        return None
    begin = start
    return lambda: CareSchedule(
        name, begin, body.get("rule", ""), dates, until, body.get("offset_days", 0),
        body.get("working", False), body.get("roll", True), overdue, body.get("plan"),
        body.get("action", "visit"))
