"""Reading log files as rows: damaged files stop with file:line, odd but valid ones read."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from slakit._errors import SlakitError
from slakit.replay import Rejected, read_rows
from slakit.replay._rows import LogReadError, SourceRow

HEADER = "id,at,state\n"
ROWS = "".join(f"T{i},2025-01-06 09:0{i},New\n" for i in range(1, 6))


def rows(path: Path, fmt: str = "csv") -> list[SourceRow | Rejected]:
    return list(read_rows(path, fmt, None, "id"))


def test_an_excel_bom_csv_reads_its_first_column(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + ROWS).encode())
    got = rows(path)
    assert [r.data["id"] for r in got if isinstance(r, SourceRow)] == [
        "T1", "T2", "T3", "T4", "T5"]


def test_a_bom_jsonl_keeps_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"ticket": "T1"}\n{"ticket": "T2"}\n')
    got = rows(path, "jsonl")
    assert [(r.line, r.data) for r in got if isinstance(r, SourceRow)] == [
        (1, {"ticket": "T1"}), (2, {"ticket": "T2"})]


def _damaged(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


BIG = HEADER + "".join(f"T{i},2025-01-06 09:00,New\n" for i in range(20_000))


@pytest.mark.parametrize(("name", "data", "message"), [
    ("latin1.csv", (HEADER + "T1,2025-01-06 09:00,Résolu\n").encode("latin-1"),
     r"latin1.csv:2: byte b'\\xe9' is not UTF-8"),
    ("utf16.csv", (HEADER + ROWS).encode("utf-16"), "utf16.csv:1: the log is UTF-16 text"),
    ("binary.csv", HEADER.encode() + b"T1,\x00\x01\x02,New\n",
     "binary.csv:2: the line holds NUL bytes"),
    ("truncated.csv.gz", _gzip(BIG)[:-2000], "the gzip file ends early"),
    ("corrupt.csv.gz", _gzip(BIG)[:40] + b"\xff" * 64 + _gzip(BIG)[104:],
     "the gzip data is corrupt"),
    ("quote_eof.csv", (HEADER + 'T1,2025-01-06 09:00,"New\n' + ROWS).encode(),
     "quote_eof.csv:2: a quoted field opened here is never closed"),
    ("quote_mid.csv", (HEADER + 'T1,2025-01-06 09:00,"New\n' + ROWS + 'T9,x,"y\n').encode(),
     "quote_mid.csv:2: "),
    ("huge.csv", (HEADER + "T1,2025-01-06 09:00," + "x" * (csv.field_size_limit() + 1)
                  + "\n").encode(), "huge.csv:2: a field is longer than 131,072 characters"),
])
def test_a_damaged_log_stops_with_file_and_line(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = _damaged(tmp_path, name, data)
    with pytest.raises(LogReadError) as err:
        rows(path)
    assert message.replace("\\\\", "\\") in str(err.value)
    assert isinstance(err.value, SlakitError)
    assert isinstance(err.value, ValueError)


def test_an_unterminated_quote_never_swallows_rows_silently(tmp_path: Path) -> None:
    # 100 tickets after the stray quote: before, they became one field and vanished.
    tickets = "".join(f"T{i},2025-01-06 09:00,New\n" for i in range(100))
    path = _damaged(tmp_path, "q.csv", (HEADER + 'T0,2025-01-06 09:00,"New\n' + tickets
                                        + 'T9,"a",b\n').encode())
    with pytest.raises(LogReadError, match=r"q\.csv:2: "):
        rows(path)


def test_a_multiline_field_that_closes_is_one_row_at_its_first_line(tmp_path: Path) -> None:
    path = _damaged(tmp_path, "ok.csv", (HEADER + 'T1,2025-01-06 09:00,"Ne\nw"\n'
                                         "T2,2025-01-06 09:00,New\n").encode())
    got = rows(path)
    assert [(r.line, r.data["id"]) for r in got if isinstance(r, SourceRow)] == [
        (2, "T1"), (4, "T2")]


def test_a_short_row_names_its_ticket_so_the_ticket_can_be_rejected(tmp_path: Path) -> None:
    path = _damaged(tmp_path, "short.csv", (HEADER + "T1,2025-01-06 09:00\n"
                                            ",2025-01-06 09:00\n").encode())
    got = rows(path)
    assert [(r.ticket, r.line) for r in got if isinstance(r, Rejected)] == [("T1", 2), (None, 3)]
