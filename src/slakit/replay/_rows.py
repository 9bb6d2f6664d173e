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
import json
import zlib
from collections.abc import Collection, Generator, Iterator
from pathlib import Path
from typing import Any

import attrs

from slakit._errors import SlakitError
from slakit._message import Catalogue, Message, joined

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

    def describe(self, catalogue: Catalogue | None = None) -> str:
        """``file:line: ticket T: reason`` (``file:line (lines a, b): ...`` for several).

        In ``catalogue``'s language when one is given (a :class:`slakit.i18n.Translator`);
        English, as always, without.
        """
        who = Message("ticket {ticket}: ", ticket=self.ticket) if self.ticket else ""
        more = (Message(" (lines {lines})", lines=", ".join(map(str, self.lines)))
                if len(self.lines) > 1 else "")
        return Message(_WHERE, file=self.file, line=self.line, more=more, who=who,
                       reason=self.reason).render(catalogue)

    @classmethod
    def merged(cls, ticket: str, problems: tuple[Rejected, ...]) -> Rejected:
        """One rejection of ``ticket`` for all its bad lines, each reason with its line."""
        lines = tuple(sorted({p.line for p in problems}))
        if len(problems) == 1:
            (p,) = problems
            return cls(ticket, p.file, p.line, p.reason, lines)
        reasons = joined((Message("line {line}: {reason}", line=p.line, reason=p.reason)
                          for p in problems), "; ")
        return cls(ticket, problems[0].file, lines[0],
                   Message("{count} bad lines: {reasons}", count=len(problems), reasons=reasons),
                   lines)


# placeholders alone: not in the catalogue
_WHERE = "{file}:{line}{more}: {who}{reason}"
_AT = "{path}:{line}: {why}"


class _Where:
    """Where reading is, for errors raised while reading on.

    ``line``: the last physical line of the last row parsed; ``read``: lines read so far.
    """

    __slots__ = ("line", "read")

    def __init__(self) -> None:
        self.line = 0
        self.read = 0


def text_lines(path: Path, where: _Where | None = None) -> Generator[str, None, None]:
    """The lines of a log as UTF-8 text (line ends kept), gunzipping ``*.gz``.

    A UTF-8 byte order mark is dropped. Each line is decoded on its own, so a byte that is
    not UTF-8 (or a NUL byte: binary data) raises :class:`LogReadError` naming its line.
    ``where.read`` follows the lines read, for errors raised by the decompressor.
    """
    where = where or _Where()
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as raw:
        for n, line in enumerate(raw, start=1):
            if n == 1:
                if line[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise LogReadError(Message(
                        "{path}:1: the log is UTF-16 text; slakit reads UTF-8: re-export it "
                        "as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)", path=path))
                line = line.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in line:
                raise LogReadError(Message("{path}:{n}: the line holds NUL bytes: this is "
                                           "binary data, not a text log", path=path, n=n))
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start:exc.start + 1]
                raise LogReadError(Message(
                    "{path}:{n}: byte {bad!r} is not UTF-8; the log looks like another "
                    "encoding (Latin-1, Windows-1252) or binary data: re-export it as UTF-8",
                    path=path, n=n, bad=bad)) from None
            where.read = n
            yield text


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
    lines = text_lines(path, where)
    try:
        if fmt == "csv":
            yield from _csv_rows(path, lines, columns, ticket, where)
        else:
            yield from _json_rows(path, lines, ticket, where)
    except EOFError:
        raise LogReadError(Message(
            "{path}:{n}: the gzip file ends early (truncated download or copy?); nothing from "
            "this line on can be read", path=path, n=where.read + 1)) from None
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise LogReadError(Message("{path}:{n}: the gzip data is corrupt ({reason}); get a "
                                   "fresh copy of the file", path=path, n=where.read + 1,
                                   reason=exc)) from None
    finally:
        lines.close()


def _json_rows(path: Path, stream: Iterator[str], ticket: str | None,
               where: _Where) -> Iterator[SourceRow | Rejected]:
    for n, line in enumerate(stream, start=1):
        where.line = n
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError) as exc:
            why = Message("nested too deeply") if isinstance(exc, RecursionError) else str(exc)
            yield Rejected(None, str(path), n, Message("malformed JSON line: {why}", why=why))
            continue
        if not isinstance(data, dict):
            yield Rejected(None, str(path), n, Message("a JSON line must be an object"))
            continue
        yield SourceRow(n, data)


def _csv_rows(
    path: Path, stream: Iterator[str], columns: Collection[str] | None, ticket: str | None,
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
        raise MissingColumnsError(Message(
            "{path}: the mapping names columns the log does not have: {missing}; the header "
            "has: {header}", path=path, missing=missing, header=header))
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
                raise LogReadError(Message(
                    "{path}:{line}: a quoted field opened on this line runs to line {last} and "
                    "the row has {cells} cells, not {width}: an unterminated quote? Lines "
                    "{line}-{last} cannot be read as rows; fix the quote", path=path, line=line,
                    last=where.line, cells=len(cells), width=width))
            owner = cells[at] if at is not None and at < len(cells) and cells[at] else None
            yield Rejected(owner, str(path), line, Message(
                "malformed CSV row: {cells} cells, the header has {width}", cells=len(cells),
                width=width))
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
                why = Message("a field is longer than {limit:,} characters (the CSV reader's "
                              "limit); usually an unterminated quote that swallowed the "
                              "following rows; fix the quote or shorten the field",
                              limit=csv.field_size_limit())
            elif "NUL" in text:
                why = Message("the line holds NUL bytes: this is binary data, not a CSV export")
            elif "unexpected end of data" in text or "EOF" in text:
                why = Message("a quoted field opened here is never closed (unterminated quote): "
                              "the rest of the file would be read as one field; fix the quote")
            else:
                why = Message("malformed CSV ({reason})", reason=text)
            raise LogReadError(Message(_AT, path=path, line=start, why=why)) from None
        where.line = reader.line_num
        yield cells
