"""Reading the per-ticket record a replay writes (``slakit replay --out``).

Design rules:

* Unknown keys are refused and every problem is listed at once with its path
  (``record['INC1'].metrics.resolution[0].business_s``); every instant must carry an offset.
* Speed: a record is first read by a fast path that accepts only well-formed records and
  gives up (to the checking path, which lists every problem or returns the same fields) at
  the first thing it does not expect.
* The result is the tuple of :class:`~slakit.reports.TicketOutcome` fields, in order, so this
  module does not import the class it feeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from slakit._message import Message
from slakit.reports._clock import SATISFACTION_DIMENSIONS, ClockOutcome
from slakit.reports._errors import ReportInputError

Fields = tuple[Any, ...]
"""The positional fields of a ``TicketOutcome``."""

RECORD_KEYS = frozenset({
    "ticket", "status", "priority", "policy", "policy_version", "opened_at", "resolved_at",
    "closed_at", "cancelled_at", "category", "channel", "group", "assignee", "customer_tier",
    "resolution_code", "tags", "reopens", "events", "metrics", "no_clock", "escalations",
    "satisfaction", "notes", "skipped_rows", "source",
})
"""The keys of a replay's per-ticket record; any other key is refused."""

_CLOCK_KEYS = frozenset({
    "cycle", "status", "target_s", "calendar", "started_at", "due_at", "ended_at",
    "breached_at", "business_s", "calendar_s", "paused_s", "priority",
})
# "state" is the cycle's status in records written before it was renamed (issue #11): still
# read, never written, and never both in one cycle.
_HOST_KEYS = frozenset({"plan", "root_cause", "keywords"})


class _Reader:
    """Reads typed values out of a record, collecting problems with their paths."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{self.where}.{path}: {message}")

    def text(self, raw: Mapping[str, Any], key: str, path: str, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add(path, Message("missing; every record needs it"))
            return None
        if not isinstance(value, str):
            self.add(path, Message("expected a string, got {value!r}", value=value))
            return None
        return value

    def instant(self, raw: Mapping[str, Any], key: str, path: str,
                required: bool = False) -> datetime | None:
        value = raw.get(key)
        text = self.text(raw, key, path, required)
        if text is None:
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.add(path, Message("cannot read instant {value!r}; write ISO 8601 with an offset",
                                   value=value))
            return None
        if parsed.tzinfo is None:
            self.add(path, Message("instant {value!r} has no offset; add one, e.g. '+08:00'", value=value))
            return None
        return parsed

    def number(self, raw: Mapping[str, Any], key: str, path: str,
               required: bool = False) -> float | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add(path, Message("missing; every clock cycle needs it"))
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, Message("expected a number of seconds, got {value!r}", value=value))
            return None
        return float(value)

    def unknown(self, raw: Mapping[str, Any], known: frozenset[str], path: str) -> None:
        for key in sorted(set(raw) - known, key=str):
            self.add(f"{path}{key}", Message("unknown key; known keys: {items}",
                                             items=', '.join(sorted(known))))


def _read_clocks(metrics: object, r: _Reader) -> tuple[ClockOutcome, ...]:
    if not isinstance(metrics, Mapping):
        r.add("metrics", Message("expected a mapping of metric to cycles, got {metrics!r}", metrics=metrics))
        return ()
    out: list[ClockOutcome] = []
    for metric, cycles in metrics.items():
        if not isinstance(cycles, list):
            r.add(f"metrics.{metric}", Message("expected a list of cycles, got {cycles!r}", cycles=cycles))
            continue
        for n, cycle in enumerate(cycles):
            path = f"metrics.{metric}[{n}]"
            if not isinstance(cycle, Mapping):
                r.add(path, Message("expected a mapping, got {cycle!r}", cycle=cycle))
                continue
            r.unknown({k: v for k, v in cycle.items() if k != "state"}, _CLOCK_KEYS, f"{path}.")
            number = cycle.get("cycle")
            if isinstance(number, bool) or not isinstance(number, int):
                r.add(f"{path}.cycle", Message("expected a cycle number, got {number!r}", number=number))
                number = 0
            if "state" in cycle and "status" in cycle:
                r.add(f"{path}.state", Message("the older name of 'status'; give only 'status'"))
            key = "state" if "state" in cycle and "status" not in cycle else "status"
            status = r.text(cycle, key, f"{path}.{key}", required=True)
            business = r.number(cycle, "business_s", f"{path}.business_s", required=True)
            out.append(ClockOutcome(
                str(metric), number, status or "", r.number(cycle, "target_s", f"{path}.target_s"),
                business or 0.0, r.number(cycle, "calendar_s", f"{path}.calendar_s"),
                r.instant(cycle, "started_at", f"{path}.started_at"),
                r.instant(cycle, "due_at", f"{path}.due_at"),
                r.instant(cycle, "ended_at", f"{path}.ended_at"),
                r.instant(cycle, "breached_at", f"{path}.breached_at"),
                r.text(cycle, "priority", f"{path}.priority")))
    return tuple(out)


def _read_satisfaction(raw: object, r: _Reader) -> tuple[tuple[str, int], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        r.add("satisfaction", Message("expected a mapping of dimension to rating, got {raw!r}", raw=raw))
        return ()
    r.unknown(raw, frozenset(SATISFACTION_DIMENSIONS), "satisfaction.")
    scores = []
    for key in SATISFACTION_DIMENSIONS:
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            r.add(f"satisfaction.{key}", Message("expected a rating from 1 to 5, got {value!r}",
                                                 value=value))
            continue
        scores.append((key, value))
    return tuple(scores)


def _words(raw: object, path: str, r: _Reader) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str) or not isinstance(raw, Iterable) or not all(
            isinstance(w, str) for w in raw):
        r.add(path, Message("expected a list of strings, got {raw!r}", raw=raw))
        return ()
    return tuple(raw)


def _count(raw: Mapping[str, Any], key: str, r: _Reader) -> int:
    value = raw.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        r.add(key, Message("expected a count (a whole number >= 0), got {value!r}", value=value))
        return 0
    return value


class _Slow(Exception):
    """The fast path met something it does not expect."""


def _instant(value: object) -> datetime | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Slow
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise _Slow
    return parsed


def _seconds(value: object) -> float | None:
    if value is None:
        return None
    if type(value) is not float and type(value) is not int:
        raise _Slow
    return float(value)


def _optional_text(value: object) -> str | None:
    if value is not None and type(value) is not str:
        raise _Slow
    return value


def _fast_clocks(metrics: Mapping[str, Any]) -> tuple[ClockOutcome, ...]:
    out = []
    for metric, cycles in metrics.items():
        if type(cycles) is not list or type(metric) is not str:
            raise _Slow
        for c in cycles:
            if not c.keys() <= _CLOCK_KEYS or type(c["cycle"]) is not int or type(
                    c["status"]) is not str:
                raise _Slow
            business = _seconds(c["business_s"])
            if business is None:
                raise _Slow
            get = c.get
            out.append(ClockOutcome(
                metric, c["cycle"], c["status"], _seconds(get("target_s")), business,
                _seconds(get("calendar_s")), _instant(get("started_at")), _instant(get("due_at")),
                _instant(get("ended_at")), _instant(get("breached_at")),
                _optional_text(get("priority"))))
    return tuple(out)


def _fast_record(record: Mapping[str, Any], host: Mapping[str, Any]) -> Fields:
    if not record.keys() <= RECORD_KEYS or (host and not host.keys() <= _HOST_KEYS):
        raise _Slow
    get = record.get
    ticket, status, opened = get("ticket"), get("status"), _instant(get("opened_at"))
    if type(ticket) is not str or type(status) is not str or opened is None:
        raise _Slow
    rating = get("satisfaction")
    scores: tuple[tuple[str, int], ...] = ()
    if rating is not None:
        if not rating.keys() <= _RATING_KEYS:
            raise _Slow
        scores = tuple((k, v) for k in SATISFACTION_DIMENSIONS if (v := rating.get(k)) is not None)
        if any(type(v) is not int or not 1 <= v <= 5 for _, v in scores):
            raise _Slow
    words = host.get("keywords") or get("tags") or ()
    if (type(words) is not list and type(words) is not tuple) or any(
            type(w) is not str for w in words):
        raise _Slow
    reopens, escalations = get("reopens", 0), get("escalations", 0)
    if type(reopens) is not int or type(escalations) is not int or min(reopens, escalations) < 0:
        raise _Slow
    metrics = get("metrics", {})
    if not isinstance(metrics, Mapping):
        raise _Slow
    code = _optional_text(get("resolution_code"))
    return (
        ticket, status, _optional_text(get("priority")), opened, _instant(get("resolved_at")),
        _instant(get("closed_at")), _instant(get("cancelled_at")),
        _optional_text(get("category")), _optional_text(get("channel")),
        _optional_text(get("group")), _optional_text(get("assignee")),
        _optional_text(get("customer_tier")), _optional_text(host.get("plan")),
        _optional_text(host.get("root_cause")) or code, tuple(words), reopens, escalations,
        scores, _fast_clocks(metrics))


_RATING_KEYS = frozenset(SATISFACTION_DIMENSIONS)


def read_record(record: Mapping[str, Any], host: Mapping[str, Any]) -> Fields:
    """The fields of a ``TicketOutcome`` in order, read from a replay record.

    Raises:
        ReportInputError: listing every problem of the record, each with its path.
    """
    if isinstance(record, dict):
        try:
            return _fast_record(record, host)
        except Exception:  # the checking path reports what is wrong
            pass
    return _checked_record(record, host)


def _checked_record(record: Mapping[str, Any], host: Mapping[str, Any]) -> Fields:
    if not isinstance(record, Mapping):
        raise ReportInputError([Message("record: expected a mapping (one replay line), got {record!r}",
                                        record=record)])
    r = _Reader(f"record[{record.get('ticket')!r}]")
    r.unknown(record, RECORD_KEYS, "")
    for key in sorted(set(host) - _HOST_KEYS):
        r.add(key, Message("unknown host field; known: {items}", items=', '.join(sorted(_HOST_KEYS))))
    ticket = r.text(record, "ticket", "ticket", required=True)
    status = r.text(record, "status", "status", required=True)
    opened = r.instant(record, "opened_at", "opened_at", required=True)
    texts = {k: r.text(record, k, k) for k in (
        "priority", "category", "channel", "group", "assignee", "customer_tier", "resolution_code")}
    resolved = r.instant(record, "resolved_at", "resolved_at")
    closed = r.instant(record, "closed_at", "closed_at")
    cancelled = r.instant(record, "cancelled_at", "cancelled_at")
    clocks = _read_clocks(record.get("metrics", {}), r)
    scores = _read_satisfaction(record.get("satisfaction"), r)
    keywords = _words(host.get("keywords"), "keywords", r) or _words(record.get("tags"), "tags", r)
    reopens, escalations = _count(record, "reopens", r), _count(record, "escalations", r)
    plan = r.text(host, "plan", "plan")
    root = r.text(host, "root_cause", "root_cause") or texts["resolution_code"]
    if r.problems:
        raise ReportInputError(r.problems)
    assert ticket is not None
    assert status is not None
    assert opened is not None
    return (
        ticket, status, texts["priority"], opened, resolved, closed, cancelled, texts["category"],
        texts["channel"], texts["group"], texts["assignee"], texts["customer_tier"], plan, root,
        keywords, reopens, escalations, scores, clocks)
