"""Grouping a log's rows by ticket, streaming when the log is grouped.

Design rules:

* Streaming: a log whose rows are grouped by ticket (every real export we know) is read one
  ticket at a time, so memory is bounded by the largest ticket, not by the log.
* A ticket whose rows come back after another ticket's rows in a log declared grouped stops
  the run with a clear error (its earlier rows would otherwise be judged alone); ungrouped
  logs are read whole.
* A bad line that still names its ticket travels with that ticket's rows, so the ticket is
  rejected as a whole (never judged from the lines that happened to be readable); a line
  naming no ticket is reported on its own.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from pathlib import Path

import attrs

from slakit._errors import SlakitError
from slakit._message import Message
from slakit.replay._rows import (
    LogReadError,
    MissingColumnsError,
    Rejected,
    Row,
    SourceRow,
    read_rows,
    text_lines,
)

__all__ = [
    "LogReadError", "MissingColumnsError", "Rejected", "Row", "SourceRow", "TicketRows",
    "UngroupedLogError", "group_by_ticket", "read_rows", "text_lines",
]


class UngroupedLogError(SlakitError, ValueError):
    """A log declared grouped by ticket has a ticket whose rows are not contiguous."""


@attrs.frozen
class TicketRows:
    """The rows of one ticket, in file order, and its lines that could not be read."""

    ticket: str
    rows: tuple[SourceRow, ...]
    problems: tuple[Rejected, ...] = ()


def group_by_ticket(
    rows: Iterator[SourceRow | Rejected], ticket_key: str, path: Path, *, grouped: bool
) -> Iterator[TicketRows | Rejected]:
    """Group rows by their ticket id; see the module docs for the two modes.

    A rejected line that names its ticket joins that ticket's ``problems``; one that names
    none comes through on its own, where it was read.
    """
    keyed = _keyed(rows, ticket_key, path)
    if not grouped:
        tickets: dict[str, tuple[list[SourceRow], list[Rejected]]] = {}
        for item in keyed:
            if isinstance(item, Rejected):
                yield item
                continue
            good, bad = tickets.setdefault(item[0], ([], []))
            if isinstance(item[1], Rejected):
                bad.append(item[1])
            else:
                good.append(item[1])
        for ticket, (items, bad_lines) in tickets.items():
            yield TicketRows(ticket, tuple(items), tuple(bad_lines))
        return
    seen = _SeenTickets()
    current: str | None = None
    batch: list[SourceRow] = []
    problems: list[Rejected] = []
    for item in keyed:
        if isinstance(item, Rejected):
            yield item
            continue
        ticket, row = item
        if ticket != current:
            if current is not None:
                yield TicketRows(current, tuple(batch), tuple(problems))
            if seen.contains(ticket):
                # Its earlier rows were already replayed alone: stop rather than report a
                # ticket from part of its history.
                raise UngroupedLogError(Message(
                    "{path}:{line}: ticket {ticket} appears again after other tickets, but the "
                    "log is declared grouped by ticket; sort it by ticket, or set grouped = "
                    "false in the mapping (then the log is read whole)", path=path,
                    line=row.line, ticket=ticket))
            seen.add(ticket)
            current, batch, problems = ticket, [], []
        if isinstance(row, Rejected):
            problems.append(row)
        else:
            batch.append(row)
    if current is not None:
        yield TicketRows(current, tuple(batch), tuple(problems))


def _keyed(
    rows: Iterator[SourceRow | Rejected], ticket_key: str, path: Path
) -> Iterator[tuple[str, SourceRow | Rejected] | Rejected]:
    """Each row (or bad line naming its ticket) with its ticket id.

    A row without a ticket id is rejected on its own.
    """
    for row in rows:
        if isinstance(row, Rejected):
            yield row if row.ticket is None else (row.ticket, row)
            continue
        ticket = _ticket_of(row, ticket_key)
        if ticket is None:
            yield Rejected(None, str(path), row.line, Message("no ticket id in column {column!r}",
                                                              column=ticket_key))
        else:
            yield ticket, row


class _SeenTickets:
    """The tickets a grouped log has finished, kept small so memory does not follow the log.

    Real exports are usually sorted by ticket id as well as grouped: then a new id is greater
    than every id before it and cannot have been seen, so nothing is looked up and each
    ticket costs 8 bytes (its hash, in an array). An id that breaks the order is looked up
    in those hashes, by a scan at first and through a set once the log has shown it is not
    sorted. Two different ids with one 64-bit hash would stop the run with a false
    "appears again": about one chance in 10^7 for a million tickets, and loud, never silent.
    """

    __slots__ = ("_hashes", "_index", "_last", "_misses")

    def __init__(self) -> None:
        self._hashes = array("q")
        self._index: set[int] | None = None
        self._last: str | None = None
        self._misses = 0

    def contains(self, ticket: str) -> bool:
        if self._last is None or ticket > self._last:
            return False
        h = hash(ticket)
        if self._index is None:
            self._misses += 1
            if self._misses < 64:
                return h in self._hashes
            self._index = set(self._hashes)
        return h in self._index

    def add(self, ticket: str) -> None:
        h = hash(ticket)
        self._hashes.append(h)
        if self._index is not None:
            self._index.add(h)
        if self._last is None or ticket > self._last:
            self._last = ticket


def _ticket_of(row: SourceRow, key: str) -> str | None:
    value = row.data.get(key)
    if value is None or value == "":
        return None
    return str(value)
