"""Reading one row's time: a strptime format (fast path for plain numeric formats) or ISO 8601.

Design rules:

* A naive time takes the mapping's or the command line's zone; with neither it is refused,
  never read in an implicit system zone.
* Exports repeat the same stamps a great deal: parsed values are cached, with a bounded
  cache so memory never follows the log.
* A time that cannot be read raises :class:`Reject` with the row's line and the reason; the
  caller rejects the whole ticket.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slakit._message import Message
from slakit.replay._mapping import LogMapping


class Reject(Exception):
    """One row cannot be replayed: its line and the reason (the ticket is rejected)."""

    def __init__(self, line: int, reason: str, *, refused: bool = False) -> None:
        self.line = line
        self.reason = reason
        self.refused = refused  # the workflow refused an event the row's status led to


_PARSED: dict[tuple[str, str | None, ZoneInfo | None], datetime] = {}
"""Parsed time strings: exports repeat the same minute stamps a great deal, strptime is slow."""


def parse_time(value: Any, mapping: LogMapping, zone: ZoneInfo | None, line: int) -> datetime:
    key = (value, mapping.time_format, zone) if isinstance(value, str) else None
    if key is not None:
        found = _PARSED.get(key)
        if found is not None:
            return found
    t = _parse_uncached(value, mapping, zone, line)
    if key is not None:
        if len(_PARSED) > 20_000:  # bounded: memory must not follow the log
            _PARSED.clear()
        _PARSED[key] = t
    return t


_FIELDS = {"%Y": r"(?P<Y>\d{4})", "%m": r"(?P<m>\d{1,2})", "%d": r"(?P<d>\d{1,2})",
           "%H": r"(?P<H>\d{1,2})", "%M": r"(?P<M>\d{1,2})", "%S": r"(?P<S>\d{1,2})",
           "%f": r"(?P<f>\d{1,6})"}
_COMPILED: dict[str, re.Pattern[str] | None] = {}


def _fast_pattern(fmt: str) -> re.Pattern[str] | None:
    """A regular expression for formats of plain numeric fields, or None (use strptime).

    Exports repeat one simple format on every row; strptime re-interprets it each time and
    costs about ten times more. Fields have bounded digit counts, so matching is linear.
    """
    if fmt not in _COMPILED:
        parts = re.split(r"(%.)", fmt)
        ok = all(p in _FIELDS or not p.startswith("%") for p in parts if p)
        # As in strptime, a space in the format matches any run of whitespace.
        pattern = "".join(_FIELDS.get(p, re.sub(r"\\ ", r"\\s+", re.escape(p)))
                          for p in parts) if ok else None
        _COMPILED[fmt] = re.compile(pattern) if pattern and "%Y" in fmt else None
    return _COMPILED[fmt]


def _strptime(value: str, fmt: str) -> datetime:
    pattern = _fast_pattern(fmt)
    if pattern is None:
        return datetime.strptime(value, fmt)
    m = pattern.fullmatch(value)
    if m is None:
        raise ValueError(f"{value!r} does not match {fmt!r}")
    g = m.groupdict()
    micro = g.get("f")
    return datetime(int(g["Y"]), int(g.get("m") or 1), int(g.get("d") or 1), int(g.get("H") or 0),
                    int(g.get("M") or 0), int(g.get("S") or 0),
                    int(micro.ljust(6, "0")) if micro else 0)


def _parse_uncached(
    value: Any, mapping: LogMapping, zone: ZoneInfo | None, line: int
) -> datetime:
    if isinstance(value, str) and value:
        try:
            if mapping.time_format:
                t = _strptime(value.strip(), mapping.time_format)
            else:
                t = datetime.fromisoformat(value.strip())
        except ValueError:
            fmt = mapping.time_format or "ISO 8601"  # a format name, not a sentence
            raise Reject(line, Message("cannot read time {value!r} with format {fmt}",
                                       value=value, fmt=fmt)) from None
        if t.tzinfo is None:
            if zone is None:
                raise Reject(line, Message(
                    "time {value!r} has no offset and no time zone is known; pass --timezone or "
                    "set time.timezone in the mapping", value=value))
            t = t.replace(tzinfo=zone)
        return t
    raise Reject(line, Message("no time in column {column!r}", column=mapping.time_column))
