"""The shipped presets on the real rows that decided them (see docs/replay-status-histories.md)."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from slakit.replay import (
    Rejected,
    TicketLog,
    convert_all,
    group_by_ticket,
    load_preset,
    read_rows,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "replay"
UTC = timezone.utc


def _replay(preset: str, path: Path, zone: ZoneInfo | None = None) -> dict[str, TicketLog | Rejected]:
    mapping = load_preset(preset)
    rows = read_rows(path, mapping.format, mapping.columns, mapping.ticket)
    groups = group_by_ticket(rows, mapping.ticket, path, grouped=mapping.grouped)
    return {r.ticket or "": r for r in convert_all(groups, mapping, str(path), zone)}


def test_helpdesk_defect_record_rows_change_nothing() -> None:
    # Before: INVALID / DUPLICATE cancelled the ticket, so its later "Resolve ticket" was
    # refused and the ticket rejected; VERIFIED resolved Case 732 four weeks early.
    got = _replay("helpdesk4tu", DATA / "helpdesk4tu_defect_rows.csv")
    assert sorted(got) == ["Case 1345", "Case 3897", "Case 732"]
    case = got["Case 732"]
    assert isinstance(case, TicketLog)
    assert case.skipped_rows == 2  # VERIFIED, DUPLICATE
    resolved = [e.at for e in case.events if e.event_type == "resolved"]
    rome = ZoneInfo("Europe/Rome")
    assert resolved == [datetime(2013, 4, 19, 13, 24, 54, tzinfo=rome)]
    # Their rows carry another record's seriousness (Value 3): no priority change follows.
    assert [e.event_type for e in case.events].count("priority_changed") == 0
    assert case.events[-1].event_type == "closed"
    for name in ("Case 1345", "Case 3897"):
        t = got[name]
        assert isinstance(t, TicketLog)
        assert [e.event_type for e in t.events][-1] == "closed"
        assert "cancelled" not in [e.event_type for e in t.events]


def test_uci_rows_keep_file_order_and_the_true_disorder_is_explained() -> None:
    got = _replay("uci", DATA / "uci_slice.csv.gz", ZoneInfo("UTC"))
    # INC0000130's first row says sys_mod_count 2 (its rows: 2,1,2,3,4,5) but is the first
    # update (07:27, then 09:59): sorted by the counter it came second and the ticket was
    # rejected as out of order.
    t130 = got["INC0000130"]
    assert isinstance(t130, TicketLog)
    assert t130.first_line == 330
    assert [e.at for e in t130.events][:1] == [datetime(2016, 2, 29, 7, 27, tzinfo=ZoneInfo("UTC"))]
    for ticket in ("INC0000134", "INC0000135", "INC0000164"):
        assert isinstance(got[ticket], TicketLog)
    bad = got["INC0000137"]
    assert isinstance(bad, Rejected)
    assert (bad.line, bad.reason) == (360, (
        "event out of order: sys_updated_at 2016-02-29T09:52:00+00:00 on line 360 is before "
        "2016-02-29T11:10:00+00:00 on line 359 (rows in file order)"))
    with gzip.open(DATA / "uci_slice.csv.gz", "rt", encoding="utf-8") as f:
        assert sum(1 for line in f if line.startswith("INC0000137,")) == 4
