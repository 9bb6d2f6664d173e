"""How a desk's export maps onto slakit's events: a small, validated, plain-data spec.

A mapping says which column holds the ticket id, the event time (and how to read it), the
status (one column, or several joined with ``/``), and the ticket attributes; and which
source status means which workflow status. It is read from TOML or JSON, validated once
with every problem listed, then frozen.

The documented form (TOML; JSON has the same keys)::

    format = "csv"                     # "csv" or "jsonl"
    ticket = "number"                  # column of the ticket id
    order = ["sys_mod_count"]          # optional: integer columns ordering a ticket's rows
    grouped = true                     # rows of a ticket are contiguous (stream with bounded memory)
    missing = ["?", ""]                # values that mean "no value"

    [time]
    column = "sys_updated_at"
    format = "%d/%m/%Y %H:%M"          # strptime format; omit for ISO 8601
    timezone = "UTC"                   # zone of naive times; omit to require --timezone

    [opened_at]                        # optional: registration time, if earlier than row 1
    column = "opened_at"

    [status]
    columns = ["incident_state"]
    ignore = ["-100"]                  # junk values: the row is skipped and counted
    [status.map]                       # source value -> workflow status, or "keep"
    "New" = "new"
    "Resolved" = "resolved"

    [fields.priority]                  # priority, category, channel, customer,
    column = "priority"                # customer_tier, assignee, group, subject, body
    map = { "1 - Critical" = "urgent" }
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from slakit._errors import SlakitError

FIELDS = (
    "priority", "category", "channel", "customer", "customer_tier", "assignee", "group",
    "subject", "body",
)
"""Ticket attributes a mapping may fill from columns."""

STATUSES = (
    "new", "assigned", "in_progress", "waiting_on_customer", "waiting_on_third_party",
    "resolved", "closed", "cancelled",
)
"""Targets a source status may map to (the default workflow's statuses)."""


class MappingError(SlakitError, ValueError):
    """A log mapping is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid log mapping {source} ({len(problems)} problems):\n{lines}")


@attrs.frozen
class FieldMapping:
    """One ticket attribute read from a column, optionally translated by ``map``."""

    column: str
    map: Mapping[str, str] | None = None


@attrs.frozen
class LogMapping:
    """A validated mapping from a desk's export to slakit events."""

    name: str
    format: Literal["csv", "jsonl"]
    ticket: str
    time_column: str
    time_format: str | None
    timezone: ZoneInfo | None
    status_columns: tuple[str, ...]
    status_map: Mapping[str, str]
    status_ignore: frozenset[str]
    fields: Mapping[str, FieldMapping]
    order: tuple[str, ...] = ()
    grouped: bool = True
    missing: frozenset[str] = frozenset({"", "?"})
    opened_at_column: str | None = None
    field_plan: tuple[tuple[str, str, Mapping[str, str] | None], ...] = attrs.field(
        init=False, eq=False, repr=False)
    """``(field, column, translation)`` for every mapped field, in order (derived)."""

    def __attrs_post_init__(self) -> None:
        plan = tuple((name, f.column, f.map) for name, f in self.fields.items())
        object.__setattr__(self, "field_plan", plan)

    @property
    def columns(self) -> frozenset[str]:
        """Every source column this mapping reads."""
        names = {self.ticket, self.time_column, *self.status_columns, *self.order,
                 *(f.column for f in self.fields.values())}
        if self.opened_at_column:
            names.add(self.opened_at_column)
        return frozenset(names)

    @classmethod
    def load(cls, path: str | Path) -> LogMapping:
        """Read a mapping file (``.toml`` or ``.json``)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
            data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
        except (OSError, ValueError) as exc:
            raise MappingError(str(p), [f"cannot read it: {exc}"]) from None
        return cls.from_mapping(data, name=p.stem)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, name: str = "mapping") -> LogMapping:
        """Validate plain data (the documented form) and freeze it."""
        problems: list[str] = []

        def text(value: object, where: str) -> str:
            if isinstance(value, str) and value:
                return value
            problems.append(f"{where}: expected a column name, got {value!r}")
            return ""

        fmt = data.get("format", "csv")
        if fmt not in ("csv", "jsonl"):
            problems.append(f"format: {fmt!r} is not 'csv' or 'jsonl'")
        time = data.get("time") or {}
        zone = None
        if time.get("timezone") is not None:
            try:
                zone = ZoneInfo(str(time["timezone"]))
            except (ZoneInfoNotFoundError, ValueError):
                problems.append(f"time.timezone: unknown zone {time['timezone']!r}")
        status = data.get("status") or {}
        columns = status.get("columns") or ([status["column"]] if "column" in status else [])
        if not columns:
            problems.append("status.columns: missing; name the column(s) holding the status")
        status_map = dict(status.get("map") or {})
        for source, target in status_map.items():
            if target not in (*STATUSES, "keep"):
                problems.append(
                    f"status.map[{source!r}]: {target!r} is not a workflow status; use one of "
                    f"{', '.join(STATUSES)}, or 'keep' for a row that changes no status"
                )
        fields: dict[str, FieldMapping] = {}
        for key, spec in (data.get("fields") or {}).items():
            if key not in FIELDS:
                problems.append(f"fields.{key}: unknown field; known fields: {', '.join(FIELDS)}")
                continue
            spec = {"column": spec} if isinstance(spec, str) else spec
            fields[key] = FieldMapping(text(spec.get("column"), f"fields.{key}.column"),
                                       dict(spec["map"]) if spec.get("map") else None)
        opened = data.get("opened_at") or {}
        mapping = cls(
            name=str(data.get("name", name)),
            format=fmt,
            ticket=text(data.get("ticket"), "ticket"),
            time_column=text(time.get("column"), "time.column"),
            time_format=time.get("format"),
            timezone=zone,
            status_columns=tuple(text(c, "status.columns") for c in columns),
            status_map=status_map,
            status_ignore=frozenset(status.get("ignore") or ()),
            fields=fields,
            order=tuple(text(c, "order") for c in data.get("order") or ()),
            grouped=bool(data.get("grouped", True)),
            missing=frozenset(data.get("missing", ("", "?"))),
            opened_at_column=opened.get("column"),
        )
        if problems:
            raise MappingError(name, problems)
        return mapping
