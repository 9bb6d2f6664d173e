"""Reading logs: rows (CSV or JSON Lines, optionally gzipped) grouped by ticket.

Design rules:

* Streaming: a log whose rows are grouped by ticket (every real export we know) is read one
  ticket at a time, so memory is bounded by the largest ticket, not by the log.
* Every row keeps its file line number, so every problem can be reported as ``file:line``.
* A ticket whose rows come back after another ticket's rows in a log declared grouped stops
  the run with a clear error (its earlier rows would otherwise be judged alone); ungrouped
  logs are read whole.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from array import array
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from slakit._errors import SlakitError

Row = dict[str, Any]


class MissingColumnsError(SlakitError, ValueError):
    """A mapping names columns that the log's header does not have."""


class UngroupedLogError(SlakitError, ValueError):
    """A log declared grouped by ticket has a ticket whose rows are not contiguous."""


@attrs.frozen
class SourceRow:
    """One row of a log with its position."""

    line: int
    data: Row


@attrs.frozen
class TicketRows:
    """The rows of one ticket, in file order."""

    ticket: str
    rows: tuple[SourceRow, ...]


@attrs.frozen
class Rejected:
    """A ticket (or a line) left out of a replay, with the reason and where it was found."""

    ticket: str | None
    file: str
    line: int
    reason: str

    def describe(self) -> str:
        """``file:line: ticket T: reason``."""
        who = f"ticket {self.ticket}: " if self.ticket else ""
        return f"{self.file}:{self.line}: {who}{self.reason}"


def open_text(path: Path) -> IO[str]:
    """Open a log for reading as text, gunzipping ``*.gz``."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def read_rows(
    path: Path, fmt: str, columns: Collection[str] | None = None
) -> Iterator[SourceRow | Rejected]:
    """Rows of a CSV or JSON Lines log; malformed lines come back as :class:`Rejected`.

    With ``columns``, a CSV row keeps only those columns (a mapping reads a handful of a
    wide export's columns; building the rest would be wasted work), and a column missing
    from the header raises :class:`MissingColumnsError` before any row is read.
    """
    with open_text(path) as stream:
        if fmt == "csv":
            yield from _csv_rows(path, stream, columns)
            return
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                yield Rejected(None, str(path), n, f"malformed JSON line: {exc}")
                continue
            if not isinstance(data, dict):
                yield Rejected(None, str(path), n, "a JSON line must be an object")
                continue
            yield SourceRow(n, data)


def _csv_rows(
    path: Path, stream: IO[str], columns: Collection[str] | None
) -> Iterator[SourceRow | Rejected]:
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        return
    wanted = list(header) if columns is None else sorted(set(columns))
    missing = [c for c in wanted if c not in header]
    if missing:
        raise MissingColumnsError(
            f"{path}: the mapping names columns the log does not have: {missing}; the header "
            f"has: {header}"
        )
    picks = [(name, header.index(name)) for name in wanted]
    width = len(header)
    for cells in reader:
        if len(cells) != width:
            if not cells:
                continue
            yield Rejected(None, str(path), reader.line_num,
                           f"malformed CSV row: {len(cells)} cells, the header has {width}")
            continue
        yield SourceRow(reader.line_num, {name: cells[i] for name, i in picks})


def group_by_ticket(
    rows: Iterator[SourceRow | Rejected], ticket_key: str, path: Path, *, grouped: bool
) -> Iterator[TicketRows | Rejected]:
    """Group rows by their ticket id; see the module docs for the two modes."""
    keyed = _keyed(rows, ticket_key, path)
    if not grouped:
        tickets: dict[str, list[SourceRow]] = {}
        for item in keyed:
            if isinstance(item, Rejected):
                yield item
            else:
                tickets.setdefault(item[0], []).append(item[1])
        for ticket, items in tickets.items():
            yield TicketRows(ticket, tuple(items))
        return
    seen = _SeenTickets()
    current: str | None = None
    batch: list[SourceRow] = []
    for item in keyed:
        if isinstance(item, Rejected):
            yield item
            continue
        ticket, row = item
        if ticket != current:
            if current is not None:
                yield TicketRows(current, tuple(batch))
            if seen.contains(ticket):
                # Its earlier rows were already replayed alone: stop rather than report a
                # ticket from part of its history.
                raise UngroupedLogError(
                    f"{path}:{row.line}: ticket {ticket} appears again after other tickets, but "
                    "the log is declared grouped by ticket; sort it by ticket, or set "
                    "grouped = false in the mapping (then the log is read whole)"
                )
            seen.add(ticket)
            current, batch = ticket, []
        batch.append(row)
    if current is not None:
        yield TicketRows(current, tuple(batch))


def _keyed(
    rows: Iterator[SourceRow | Rejected], ticket_key: str, path: Path
) -> Iterator[tuple[str, SourceRow] | Rejected]:
    """Each row with its ticket id; a row without one becomes a rejection."""
    for row in rows:
        if isinstance(row, Rejected):
            yield row
            continue
        ticket = _ticket_of(row, ticket_key)
        if ticket is None:
            yield Rejected(None, str(path), row.line, f"no ticket id in column {ticket_key!r}")
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
