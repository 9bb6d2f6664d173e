"""How a desk's export maps onto slakit's events: a small, validated, plain-data spec.

A mapping says which column holds the ticket id, the event time (and how to read it), the
status (one column, or several joined with ``/``), and the ticket attributes; and which
source status means which workflow status. It is read from TOML or JSON, validated once
with every problem listed (unknown keys included, with a "did you mean" suggestion: a
misspelt ``[opend_at]`` must not silently lose the registration time), then frozen.

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
from zoneinfo import ZoneInfo

import attrs

from slakit._errors import DefinitionError
from slakit._fast import derive
from slakit._message import Message
from slakit._problems import (
    MAX_DEPTH,
    Problems,
    Table,
    depth_problem,
    described,
    did_you_mean,
    shown,
)
from slakit._zone import read_zone
from slakit.i18n._translator import N_

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


class MappingError(DefinitionError):
    """A log mapping is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(Message("log mapping {source}", source=source), problems)


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
        derive(self, "field_plan", plan)

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
        """Read a mapping file (``.toml`` or ``.json``).

        Raises:
            MappingError: the file cannot be read or parsed, or the mapping is invalid.
        """
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
            data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
        except (OSError, ValueError) as exc:
            raise MappingError(str(p), [Message("cannot read it: {reason}", reason=exc)]
                               ) from None
        except RecursionError:
            raise MappingError(str(p), [Message(
                "cannot read it: nested deeper than the parser can follow; a mapping needs at "
                "most {limit} levels", limit=MAX_DEPTH)]) from None
        return cls.from_mapping(data, name=p.stem)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, name: str = "mapping") -> LogMapping:
        """Validate plain data (the documented form) and freeze it.

        Every problem is listed at once with its path; unknown keys (``[opend_at]``) are
        problems with a "did you mean" suggestion, and ``grouped`` must be true or false.

        Raises:
            MappingError: listing every problem found.
        """
        if not isinstance(data, Mapping):
            raise MappingError(name, [Message("expected a table (the mapping), got {got}",
                                              got=described(data))])
        deep = depth_problem(data)
        if deep is not None:
            raise MappingError(name, [deep])
        problems = Problems()
        top = Table(data, "", problems)
        top.only(_TOP_KEYS, N_("a log mapping"))
        fmt = top.get("format", "csv")
        if fmt not in ("csv", "jsonl"):
            top.bad("format", Message("{value} is not 'csv' or 'jsonl'", value=shown(fmt)))
        column = N_("a column name")
        time = top.table("time", N_("the event time"), required=True)
        zone = None
        if time is not None:
            time.only(("column", "format", "timezone"), N_("the time table"))
            zone_name = time.text("timezone", what=N_("an IANA zone name such as 'UTC'"))
            if zone_name is not None:
                zone = read_zone(zone_name)
                if zone is None:
                    time.bad("timezone", Message("unknown zone {zone!r}; give an IANA name such "
                                                 "as 'Europe/Rome'", zone=zone_name))
        opened = top.table("opened_at", N_("the registration time column"))
        if opened is not None:
            opened.only(("column",), N_("the opened_at table"))
        status = top.table("status", N_("the status column(s) and their map"), required=True)
        columns: tuple[str, ...] | None = None
        status_map: dict[str, str] = {}
        if status is not None:
            status.only(("columns", "column", "ignore", "map"), N_("the status table"))
            columns = status.texts("columns", N_("column names"))
            if "column" in status:
                one = status.text("column", what=column)
                columns = (*(columns or ()), *((one,) if one else ()))
            if not columns and not status.failed:
                status.bad("columns", Message("missing; name the column(s) holding the status"))
            status_map = _status_map(status)
        fields = _fields(top)
        missing = top.texts("missing", N_("values meaning 'no value'"), empty=True)
        ignore = (status.texts("ignore", N_("junk status values"), empty=True)
                  if status is not None else None)
        mapping_name = top.text("name", default=name, what=N_("a name for the mapping"))
        mapping = cls(
            name=mapping_name or name,
            format=fmt if fmt in ("csv", "jsonl") else "csv",
            ticket=top.text("ticket", "", what=column, required=True) or "",
            time_column=(time.text("column", "", what=column, required=True) or ""
                         if time is not None else ""),
            time_format=(time.text("format", what=N_("a strptime format such as '%d/%m/%Y %H:%M'"))
                         if time is not None else None),
            timezone=zone,
            status_columns=columns or (),
            status_map=status_map,
            status_ignore=frozenset(ignore or ()),
            fields=fields,
            order=top.texts("order", N_("column names")) or (),
            grouped=top.flag("grouped", True) is not False,
            missing=frozenset(("", "?") if missing is None else missing),
            opened_at_column=(opened.text("column", what=column, required=True)
                              if opened is not None else None),
        )
        if problems.items:
            raise MappingError(name, problems.items)
        return mapping


_TOP_KEYS = ("name", "format", "ticket", "order", "grouped", "missing", "time", "opened_at",
             "status", "fields")


def _status_map(status: Table) -> dict[str, str]:
    table = status.table("map", N_("source status -> workflow status"))
    if table is None:
        return {}
    out: dict[str, str] = {}
    for source, target in table.raw.items():
        if not isinstance(target, str) or target not in (*STATUSES, "keep"):
            table.problems.add(
                f"{table.path}[{source!r}]",
                Message("{value} is not a workflow status; use one of {statuses}, or 'keep' for a "
                        "row that changes no status", value=shown(target),
                        statuses=", ".join(STATUSES)))
        else:
            out[str(source)] = target
    return out


def _fields(top: Table) -> dict[str, FieldMapping]:
    table = top.table("fields", N_("ticket attribute -> column"))
    fields: dict[str, FieldMapping] = {}
    for key, spec in (table.raw.items() if table is not None else ()):
        assert table is not None
        if key not in FIELDS:
            table.bad(key, Message("unknown field{suggestion}; known fields: {known}",
                                   suggestion=did_you_mean(key, FIELDS), known=", ".join(FIELDS)))
            continue
        if isinstance(spec, str) and spec:
            fields[key] = FieldMapping(spec)
            continue
        field = Table.of(spec, table.at(key), table.problems,
                         N_("a column name, or a table with column and map"))
        if field is None:
            continue
        field.only(("column", "map"), N_("a field"))
        column = field.text("column", what=N_("a column name"), required=True)
        translation = field.table("map", N_("source value -> value"))
        values: dict[str, str] = {}
        for source, value in (translation.raw.items() if translation is not None else ()):
            assert translation is not None
            if isinstance(value, str):
                values[str(source)] = value
            else:
                translation.problems.add(f"{translation.path}[{source!r}]",
                                         Message("expected a string, got {got}",
                                                 got=described(value)))
        if column is not None:
            fields[key] = FieldMapping(column, values or None)
    return fields
