"""Reading a log file as rows (CSV or JSON Lines, optionally gzipped), each with its line.

Design rules:

* Every row keeps its file line number, so every problem can be reported as ``file:line``.
* A malformed line becomes a :class:`Rejected` naming its ticket when the line still shows
  it, so the caller can reject that whole ticket; otherwise it names no ticket.
* A file that cannot be read as text (not UTF-8, truncated or corrupt gzip, binary data, an
  unterminated CSV quote, a field past the CSV reader's limit) stops the reading with
  :class:`LogReadError` naming ``file:line``: rows after the damage cannot be trusted to be
  rows. A UTF-8 byte order mark (Excel's CSV) is dropped, never read into the first column
  or line.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from slakit._errors import SlakitError

Row = dict[str, Any]


class MissingColumnsError(SlakitError, ValueError):
    """A mapping names columns that the log's header does not have."""


class LogReadError(SlakitError, ValueError):
    """A log file cannot be read as rows: bad encoding, damaged gzip, broken CSV quoting."""


@attrs.frozen
class SourceRow:
    """One row of a log with its position."""

    line: int
    data: Row


@attrs.frozen
class Rejected:
    """A ticket (or a line naming no ticket) left out of a replay, with the reason and where.

    ``line`` is the first line at fault; ``lines`` lists every one when there are several
    (a ticket with three bad lines is one rejection naming the three).
    """

    ticket: str | None
    file: str
    line: int
    reason: str
    lines: tuple[int, ...] = ()

    def describe(self) -> str:
        """``file:line: ticket T: reason`` (``file:line (lines a, b): ...`` for several)."""
        who = f"ticket {self.ticket}: " if self.ticket else ""
        more = f" (lines {', '.join(map(str, self.lines))})" if len(self.lines) > 1 else ""
        return f"{self.file}:{self.line}{more}: {who}{self.reason}"

    @classmethod
    def merged(cls, ticket: str, problems: tuple[Rejected, ...]) -> Rejected:
        """One rejection of ``ticket`` for all its bad lines, each reason with its line."""
        lines = tuple(sorted({p.line for p in problems}))
        if len(problems) == 1:
            (p,) = problems
            return cls(ticket, p.file, p.line, p.reason, lines)
        reasons = "; ".join(f"line {p.line}: {p.reason}" for p in problems)
        return cls(ticket, problems[0].file, lines[0],
                   f"{len(problems)} bad lines: {reasons}", lines)


def open_text(path: Path) -> IO[str]:
    """Open a log for reading as UTF-8 text (a byte order mark is dropped), gunzipping ``*.gz``.

    Decoding is strict: bytes that are not UTF-8 raise :class:`LogReadError` when reached.
    """
    # Returned open to the caller, who closes it.
    raw: gzip.GzipFile | io.BufferedReader = (
        gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb"))  # noqa: SIM115
    head = raw.peek(4)[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raw.close()
        raise LogReadError(f"{path}:1: the log is UTF-16 text; slakit reads UTF-8: re-export "
                           "it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_rows(
    path: Path, fmt: str, columns: Collection[str] | None = None, ticket: str | None = None,
) -> Iterator[SourceRow | Rejected]:
    """Rows of a CSV or JSON Lines log; malformed lines come back as :class:`Rejected`.

    With ``columns``, a CSV row keeps only those columns (a mapping reads a handful of a
    wide export's columns; building the rest would be wasted work), and a column missing
    from the header raises :class:`MissingColumnsError` before any row is read. With
    ``ticket`` (the ticket column), a malformed line that still shows its ticket id names
    it, so the whole ticket is rejected.

    Raises:
        LogReadError: the file cannot be read as text rows (see the module docs).
    """
    where = _Where()
    try:
        with open_text(path) as stream:
            if fmt == "csv":
                yield from _csv_rows(path, stream, columns, ticket, where)
            else:
                yield from _json_rows(path, stream, ticket, where)
    except UnicodeDecodeError as exc:
        raise LogReadError(
            f"{path}:{where.line + 1}: byte {exc.object[exc.start:exc.start + 1]!r} is not "
            "UTF-8; the log looks like another encoding (Latin-1, Windows-1252) or binary "
            "data: re-export it as UTF-8") from None
    except EOFError:
        raise LogReadError(f"{path}:{where.line + 1}: the gzip file ends early (truncated "
                           "download or copy?); nothing after this line can be read") from None
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise LogReadError(f"{path}:{where.line + 1}: the gzip data is corrupt ({exc}); "
                           "get a fresh copy of the file") from None


class _Where:
    """The last line number read, for errors raised while reading the next one."""

    __slots__ = ("line",)

    def __init__(self) -> None:
        self.line = 0


def _json_rows(path: Path, stream: IO[str], ticket: str | None,
               where: _Where) -> Iterator[SourceRow | Rejected]:
    for n, line in enumerate(stream, start=1):
        where.line = n
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError) as exc:
            why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield Rejected(None, str(path), n, f"malformed JSON line: {why}")
            continue
        if not isinstance(data, dict):
            yield Rejected(None, str(path), n, "a JSON line must be an object")
            continue
        yield SourceRow(n, data)


def _csv_rows(
    path: Path, stream: IO[str], columns: Collection[str] | None, ticket: str | None,
    where: _Where,
) -> Iterator[SourceRow | Rejected]:
    reader = csv.reader(stream, strict=True)
    cells_of = _csv_guard(path, reader, where)
    header = next(cells_of, None)
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
    at = header.index(ticket) if ticket in header else None
    first = where.line + 1
    for cells in cells_of:
        line, first = first, where.line + 1
        if len(cells) != width:
            if not cells:
                continue
            if where.line > line:  # a quoted field ran over line ends and broke the row
                raise LogReadError(
                    f"{path}:{line}: a quoted field opened on this line runs to line "
                    f"{where.line} and the row has {len(cells)} cells, not {width}: an "
                    f"unterminated quote? Lines {line}-{where.line} cannot be read as rows; fix "
                    "the quote")
            owner = cells[at] if at is not None and at < len(cells) and cells[at] else None
            yield Rejected(owner, str(path), line,
                           f"malformed CSV row: {len(cells)} cells, the header has {width}")
            continue
        yield SourceRow(line, {name: cells[i] for name, i in picks})


def _csv_guard(path: Path, reader: Any, where: _Where) -> Iterator[list[str]]:
    """The reader's rows, keeping ``where`` current; csv errors become :class:`LogReadError`."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start = where.line + 1
            text = str(exc)
            if "field larger than field limit" in text:
                why = (f"a field is longer than {csv.field_size_limit():,} characters (the CSV "
                       "reader's limit); usually an unterminated quote that swallowed the "
                       "following rows; fix the quote or shorten the field")
            elif "NUL" in text:
                why = "the line holds NUL bytes: this is binary data, not a CSV export"
            elif "unexpected end of data" in text or "EOF" in text:
                why = ("a quoted field opened here is never closed (unterminated quote): the "
                       "rest of the file would be read as one field; fix the quote")
            else:
                why = f"malformed CSV ({text})"
            raise LogReadError(f"{path}:{start}: {why}") from None
        where.line = reader.line_num
        yield cells
