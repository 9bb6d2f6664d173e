"""The shipped presets on the real rows that decided them (see docs/replay-status-histories.md)."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slakit.cli import Source, run_replay
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


ROOT = Path(__file__).resolve().parents[2]
SHARED = [p / "shared" / "data" for p in (ROOT.parent, ROOT.parent.parent)]
REAL = {  # preset: (file, --timezone, replayed, rejected, tickets without a clock)
    "uci": ("uci_incident_event_log/incident_event_log.csv.gz", "UTC", 24_917, 1, 0),
    "bpic2013": ("bpic2013_incidents/bpic2013_incidents_flat.csv.gz", None, 7_554, 0, 0),
    "helpdesk4tu": ("helpdesk_4tu/finale.csv.gz", None, 4_580, 0, 4_580),
}


@pytest.mark.slow
@pytest.mark.parametrize("preset", sorted(REAL))
def test_the_full_public_logs_replay_with_their_presets(preset: str) -> None:
    name, zone, replayed, rejected, no_clock = REAL[preset]
    log = next((p / name for p in SHARED if (p / name).exists()), None)
    if log is None:
        pytest.skip(f"{name} is not in shared/data")
    report = run_replay(Source.open(log, None, preset, zone),
                        ROOT / "examples" / "policies" / "uci_weekdays.toml",
                        datetime(2017, 3, 1, tzinfo=UTC))
    t = report["tickets"]
    assert (t["replayed"], t["rejected"], t["bad_lines"], t["no_clock"]) == (
        replayed, rejected, 0, no_clock)
    if rejected:
        (item,) = report["rejected"]["items"]
        assert (item["ticket"], item["line"]) == ("INC0000137", 360)
