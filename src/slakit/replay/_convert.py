"""Turning one ticket's rows into workflow events.

A desk's export records *states* (the ticket after each update); slakit folds *events*. The
conversion compares each row with the one before and emits the events that explain the
difference: a priority change, a (re)assignment, and the status move, planned on the default
workflow (a move back from ``resolved`` or ``closed`` is a reopen; ``closed`` straight from
an open status implies a resolution at the same instant, which is noted).

Design rules:

* Values are only read when their row happens: a row's ``resolved_at`` or ``closed_at`` is
  never looked at (real exports fill them with final values on every row). The one exception
  is the registration time (``opened_at``), known from the start, used when it is earlier
  than the first row.
* Every emitted event is checked by the real fold; anything the workflow refuses rejects the
  whole ticket with the line and the reason, and the reason names the row's source status
  (``Activity 'INVALID' (-> 'cancelled')``): the mapping decided the move, so the user must
  see which source value led to it.
* Rows are taken in file order unless the mapping names ``order`` columns; an event whose
  time goes back rejects the ticket, and the reason says which two lines and which values
  were compared, and how the rows were ordered.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from slakit._message import Message, message_of
from slakit.replay._mapping import LogMapping
from slakit.replay._sources import Rejected, SourceRow, TicketRows
from slakit.replay._times import Reject, parse_time
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    Event,
    InvalidTransition,
    LateEventError,
    PriorityChanged,
    StatusChanged,
    TicketAssigned,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketReopened,
    TicketResolved,
    TicketState,
    apply,
)

_OPEN = ("new", "assigned", "in_progress", "waiting_on_customer", "waiting_on_third_party")


@attrs.frozen
class TicketLog:
    """The events of one ticket as read from a log, with notes on what was inferred."""

    ticket: str
    events: tuple[Event, ...]
    file: str
    first_line: int
    notes: tuple[str, ...] = ()
    skipped_rows: int = 0
    states: tuple[TicketState, ...] | None = attrs.field(default=None, eq=False, repr=False)
    """The workflow state after each event, when the reader already folded them (a cache)."""


class _Builder:
    """Accumulates the events of one ticket, folding each to check it."""

    def __init__(self, ticket: str) -> None:
        self.ticket = ticket
        self.events: list[Event] = []
        self.states: list[TicketState] = []
        self.state: Any = None
        self.notes: list[str] = []
        self._line = -1
        self._on_line = 0

    def emit(self, line: int, make: type[Any], at: datetime, **fields: Any) -> None:
        # Ids from the source position: stable across runs, unique within the ticket.
        self._on_line = self._on_line + 1 if line == self._line else 0
        self._line = line
        event_id = f"L{line}" if self._on_line == 0 else f"L{line}.{self._on_line}"
        event = make(ticket=self.ticket, at=at, event_id=event_id, **fields)
        try:
            self.state = apply(self.state, event, DEFAULT_WORKFLOW)
        except (InvalidTransition, LateEventError) as exc:
            raise Reject(line, message_of(exc), refused=True) from None
        self.events.append(event)
        self.states.append(self.state)

    @property
    def status(self) -> str:
        return str(self.state.status)

    def move(self, line: int, at: datetime, target: str) -> None:
        """Emit the events that take the ticket from its status to ``target``."""
        status = self.status
        if target in (status, "keep"):
            return
        if target == "cancelled":
            self.emit(line, TicketCancelled, at)
        elif target == "closed":
            if status in _OPEN:
                self.emit(line, TicketResolved, at)
                self.notes.append(Message("line {line}: closed from {status!r}; resolution "
                                          "inferred", line=line, status=status))
            elif status == "cancelled":
                return
            self.emit(line, TicketClosed, at)
        elif target == "resolved":
            if status == "closed":
                self.emit(line, TicketReopened, at)
            self.emit(line, TicketResolved, at)
        elif status in ("resolved", "closed"):
            self.emit(line, TicketReopened, at)
            self.move(line, at, target)
        elif target == "assigned" and status == "new":
            self.emit(line, TicketAssigned, at, assignee=self.state.assignee, group=self.state.group)
        elif target in DEFAULT_WORKFLOW.status_change_targets(status):
            self.emit(line, StatusChanged, at, to=target)
        elif "in_progress" in DEFAULT_WORKFLOW.status_change_targets(status):
            self.emit(line, StatusChanged, at, to="in_progress")
            self.move(line, at, target)
        else:
            self.emit(line, StatusChanged, at, to=target)  # refused with the workflow's reason


def convert_ticket(
    rows: TicketRows, mapping: LogMapping, file: str, zone: ZoneInfo | None = None
) -> TicketLog | Rejected:
    """The events of one ticket, or the reason it cannot be replayed.

    A ticket with any unreadable line is rejected whole, naming every such line.
    """
    if rows.problems:
        return Rejected.merged(rows.ticket, rows.problems)
    zone = zone or mapping.timezone
    ordered = list(rows.rows)
    if mapping.order:
        try:
            ordered.sort(key=lambda r: tuple(int(r.data[c]) for c in mapping.order))
        except (KeyError, ValueError, TypeError):
            return Rejected(rows.ticket, file, ordered[0].line, Message(
                "order columns {columns} must hold integers", columns=list(mapping.order)))
    builder = _Builder(rows.ticket)
    skipped = 0
    how = (Message("rows sorted by {columns}", columns=", ".join(mapping.order))
           if mapping.order else Message("rows in file order"))
    try:
        last: datetime | None = None
        last_line = 0
        for row in ordered:
            status_key = "/".join(str(row.data.get(c, "")) for c in mapping.status_columns)
            if status_key in mapping.status_ignore:
                skipped += 1
                continue
            target = mapping.status_map.get(status_key)
            if target is None:
                raise Reject(row.line, Message("unknown status {status!r}; add it to status.map "
                                               "or status.ignore in the mapping",
                                               status=status_key))
            at = parse_time(row.data.get(mapping.time_column), mapping, zone, row.line)
            if last is not None and at.astimezone(timezone.utc) < last.astimezone(timezone.utc):
                raise Reject(row.line, Message(
                    "event out of order: {column} {at} on line {line} is before {last} on line "
                    "{last_line} ({how})", column=mapping.time_column, at=at.isoformat(),
                    line=row.line, last=last.isoformat(), last_line=last_line, how=how))
            last, last_line = at, row.line
            values = _fields(row, mapping)
            try:
                if builder.state is None:
                    _open(builder, row, mapping, zone, at, values, target)
                    continue
                _changes(builder, row.line, at, values, target)
                builder.move(row.line, at, target)
            except Reject as exc:
                if not exc.refused:
                    raise
                source = "/".join(mapping.status_columns)
                raise Reject(exc.line, Message(_REFUSED, source=source, status=status_key,
                                               target=target, reason=exc.reason)) from None
    except Reject as exc:
        return Rejected(rows.ticket, file, exc.line, exc.reason)
    if builder.state is None:
        return Rejected(rows.ticket, file, ordered[0].line if ordered else 0,
                        Message("every row has an ignored status; nothing to replay"))
    return TicketLog(rows.ticket, tuple(builder.events), file, ordered[0].line,
                     tuple(builder.notes), skipped, tuple(builder.states))


_REFUSED = "{source} {status!r} (-> {target!r}): {reason}"  # no words: not in the catalogue


def _fields(row: SourceRow, mapping: LogMapping) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    data = row.data
    missing = mapping.missing
    for name, column, table in mapping.field_plan:
        raw = data.get(column)
        if raw is None:
            out[name] = None
            continue
        value = raw if isinstance(raw, str) else str(raw)
        if value in missing:
            out[name] = None
        else:
            out[name] = value if table is None else table.get(value, value)
    return out


def _open(builder: _Builder, row: SourceRow, mapping: LogMapping, zone: ZoneInfo | None,
          at: datetime, values: dict[str, str | None], target: str) -> None:
    opened = at
    if mapping.opened_at_column:
        raw = row.data.get(mapping.opened_at_column)
        if raw is not None and str(raw) not in mapping.missing:
            registered = parse_time(raw, mapping, zone, row.line)
            if registered.astimezone(timezone.utc) <= at.astimezone(timezone.utc):
                opened = registered
    priority = values.get("priority")
    if priority is None:
        raise Reject(row.line, Message("no priority on the first row; map a priority column"))
    builder.emit(row.line, TicketOpened, opened, priority=priority,
                 category=values.get("category"), channel=values.get("channel"),
                 customer=values.get("customer"), customer_tier=values.get("customer_tier"),
                 subject=values.get("subject") or "", body=values.get("body") or "")
    if target not in ("new", "keep"):
        builder.notes.append(Message("starts mid-life: first status {status!r}", status=target))
    _changes(builder, row.line, at, values, target)
    builder.move(row.line, at, target)


def _changes(
    builder: _Builder, line: int, at: datetime, values: dict[str, str | None], target: str
) -> None:
    """Emit priority and assignment changes on an open ticket.

    A change recorded while the ticket is resolved or closed has no clock to act on and the
    workflow refuses it there, so it is taken up at the next open row instead. An
    assignment waits while the log still says 'new'.
    """
    state = builder.state
    priority = values.get("priority")
    if priority is not None and priority != state.priority and builder.status in _OPEN:
        builder.emit(line, PriorityChanged, at, priority=priority, reason="changed in the log")
    assignee, group = values.get("assignee"), values.get("group")
    if (assignee, group) != (state.assignee, state.group) and (assignee or group) and (
        builder.status in _OPEN and target != "new"
    ):
        builder.emit(line, TicketAssigned, at, assignee=assignee, group=group)


def convert_all(
    groups: Iterator[TicketRows | Rejected], mapping: LogMapping, file: str,
    zone: ZoneInfo | None = None,
) -> Iterator[TicketLog | Rejected]:
    """Convert every ticket of a grouped row stream."""
    for group in groups:
        if isinstance(group, Rejected):
            yield group
        else:
            yield convert_ticket(group, mapping, file, zone)
