"""Converting desk exports into workflow events: hand-made logs with exact expectations."""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slakit.replay import (
    LogMapping,
    MappingError,
    Rejected,
    TicketLog,
    UngroupedLogError,
    convert_all,
    group_by_ticket,
    load_preset,
    read_rows,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "replay"
UTC = timezone.utc
ZONE_UTC = ZoneInfo("UTC")

MAPPING = LogMapping.from_mapping({
    "format": "csv",
    "ticket": "id",
    "order": ["seq"],
    "time": {"column": "at", "format": "%Y-%m-%d %H:%M"},
    "status": {"columns": ["state"], "ignore": ["junk"], "map": {
        "New": "new", "Active": "in_progress", "Waiting": "waiting_on_customer",
        "Done": "resolved", "Closed": "closed", "Note": "keep",
    }},
    "fields": {"priority": {"column": "prio", "map": {"1": "urgent", "2": "normal"}},
               "assignee": "who"},
})


def replay_text(tmp_path: Path, text: str, zone: ZoneInfo | None = ZONE_UTC,
                mapping: LogMapping = MAPPING) -> list[TicketLog | Rejected]:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    rows = read_rows(path, mapping.format)
    return list(convert_all(group_by_ticket(rows, mapping.ticket, path, grouped=mapping.grouped),
                            mapping, str(path), zone))


HEADER = "id,seq,at,state,prio,who\n"


def types(result: TicketLog | Rejected) -> list[str]:
    assert isinstance(result, TicketLog), result
    return [e.event_type for e in result.events]


def test_a_full_life_with_reopen_and_priority_change(tmp_path: Path) -> None:
    (t,) = replay_text(tmp_path, HEADER + "\n".join([
        "T1,0,2025-01-06 09:00,New,2,?",
        "T1,1,2025-01-06 09:05,Active,2,ana",
        "T1,2,2025-01-06 10:00,Waiting,1,ana",
        "T1,3,2025-01-06 11:00,Done,1,ana",
        "T1,4,2025-01-06 12:00,Active,1,ana",
        "T1,5,2025-01-06 13:00,Done,1,ana",
        "T1,6,2025-01-06 14:00,Closed,1,ana",
    ]) + "\n")
    assert types(t) == ["opened", "assigned", "status_changed", "priority_changed",
                        "status_changed", "resolved", "reopened", "resolved", "closed"]
    assert isinstance(t, TicketLog)
    assert t.events[0].at == datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    assert [e.event_id for e in t.events[:3]] == ["L2", "L3", "L3.1"]
    assert t.notes == ()


def test_rows_are_ordered_by_the_order_column_and_junk_is_counted(tmp_path: Path) -> None:
    (t,) = replay_text(tmp_path, HEADER + "\n".join([
        "T1,1,2025-01-06 09:05,Active,2,ana",
        "T1,0,2025-01-06 09:00,New,2,?",
        "T1,2,2025-01-06 09:07,junk,2,ana",
        "T1,3,2025-01-06 09:08,Note,2,ana",
        "T1,4,2025-01-06 09:09,Closed,2,ana",
    ]) + "\n")
    assert types(t) == ["opened", "assigned", "status_changed", "resolved", "closed"]
    assert isinstance(t, TicketLog)
    assert t.skipped_rows == 1
    assert t.notes == ("line 6: closed from 'in_progress'; resolution inferred",)


def test_a_log_that_starts_mid_life_is_noted(tmp_path: Path) -> None:
    (t,) = replay_text(tmp_path, HEADER + "T9,0,2025-01-06 09:00,Done,2,ana\n")
    assert types(t) == ["opened", "assigned", "resolved"]
    assert isinstance(t, TicketLog)
    assert t.notes == ("starts mid-life: first status 'resolved'",)


@pytest.mark.parametrize(("rows", "line", "reason"), [
    (["T1,0,2025-01-06 09:00,New,2,?", "T1,1,2025-01-06 08:00,Active,2,?"], 3,
     "event out of order: at 2025-01-06T08:00:00+00:00 on line 3 is before "
     "2025-01-06T09:00:00+00:00 on line 2 (rows sorted by seq)"),
    (["T1,0,2025-01-06 09:00,Frozen,2,?"], 2,
     "unknown status 'Frozen'; add it to status.map or status.ignore in the mapping"),
    (["T1,0,6 Jan 2025,New,2,?"], 2, "cannot read time '6 Jan 2025' with format %Y-%m-%d %H:%M"),
    (["T1,0,2025-01-06 09:00,New,?,?"], 2, "no priority on the first row; map a priority column"),
    (["T1,x,2025-01-06 09:00,New,2,?"], 2, "order columns ['seq'] must hold integers"),
])
def test_bad_tickets_are_rejected_with_line_and_reason(
    tmp_path: Path, rows: list[str], line: int, reason: str
) -> None:
    results = replay_text(tmp_path, HEADER + "\n".join([*rows, "T2,0,2025-01-06 09:00,New,2,?"]) + "\n")
    assert len(results) == 2
    bad, good = results
    assert isinstance(bad, Rejected)
    assert (bad.ticket, bad.line, bad.reason) == ("T1", line, reason)
    assert types(good) == ["opened"]


def test_a_naive_time_without_a_zone_is_rejected(tmp_path: Path) -> None:
    (bad,) = replay_text(tmp_path, HEADER + "T1,0,2025-01-06 09:00,New,2,?\n", zone=None)
    assert isinstance(bad, Rejected)
    assert "has no offset and no time zone is known; pass --timezone" in bad.reason


def test_the_timezone_applies_to_naive_times(tmp_path: Path) -> None:
    (t,) = replay_text(tmp_path, HEADER + "T1,0,2025-07-01 09:00,New,2,?\n",
                       zone=ZoneInfo("Europe/Berlin"))
    assert isinstance(t, TicketLog)
    assert t.events[0].at.astimezone(UTC) == datetime(2025, 7, 1, 7, 0, tzinfo=UTC)


def test_a_workflow_refusal_rejects_the_ticket(tmp_path: Path) -> None:
    mapping = LogMapping.from_mapping({
        "format": "csv", "ticket": "id",
        "time": {"column": "at", "format": "%Y-%m-%d %H:%M"},
        "status": {"columns": ["state"], "map": {"New": "new", "Gone": "cancelled",
                                                  "Done": "resolved"}},
        "fields": {"priority": "prio"},
    })
    (bad,) = replay_text(tmp_path, HEADER + "T1,0,2025-01-06 09:00,Done,2,?\n"
                                           "T1,1,2025-01-06 09:10,Gone,2,?\n", mapping=mapping)
    assert isinstance(bad, Rejected)
    assert bad.line == 3
    # The reason names the source status that led to the refused event.
    assert bad.reason.startswith(
        "state 'Gone' (-> 'cancelled'): event 'cancelled' is not allowed in status 'resolved'")


def test_an_ungrouped_log_declared_grouped_stops_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UngroupedLogError, match=r"log.csv:4: ticket T1 appears again"):
        replay_text(tmp_path, HEADER + "T1,0,2025-01-06 09:00,New,2,?\n"
                                       "T2,0,2025-01-06 09:00,New,2,?\n"
                                       "T1,1,2025-01-06 09:10,Active,2,?\n")


def test_an_ungrouped_log_is_read_whole_when_declared(tmp_path: Path) -> None:
    mapping = LogMapping.from_mapping({
        "format": "csv", "ticket": "id", "grouped": False, "order": ["seq"],
        "time": {"column": "at", "format": "%Y-%m-%d %H:%M"},
        "status": {"columns": ["state"], "map": {"New": "new", "Active": "in_progress"}},
        "fields": {"priority": "prio"},
    })
    results = replay_text(tmp_path, HEADER + "T1,0,2025-01-06 09:00,New,2,?\n"
                                             "T2,0,2025-01-06 09:00,New,2,?\n"
                                             "T1,1,2025-01-06 09:10,Active,2,?\n", mapping=mapping)
    assert [types(r) for r in results] == [["opened", "status_changed"], ["opened"]]


def test_a_malformed_csv_row_is_reported(tmp_path: Path) -> None:
    results = replay_text(tmp_path, HEADER + "T1,0,2025-01-06 09:00,New,2,?,extra\n")
    (bad,) = results
    assert isinstance(bad, Rejected)
    assert (bad.ticket, bad.line) == (None, 2)
    assert bad.reason.startswith("malformed CSV row")


def test_a_bad_mapping_lists_every_problem() -> None:
    with pytest.raises(MappingError) as err:
        LogMapping.from_mapping({"format": "xml", "time": {"timezone": "Mars/Base"},
                                 "status": {"map": {"A": "limbo"}}, "fields": {"mood": "m"}})
    assert len(err.value.problems) == 7
    assert isinstance(err.value, ValueError)


def _replay_file(preset: str, name: str, zone: ZoneInfo | None) -> tuple[int, Counter[str], int]:
    mapping = load_preset(preset)
    path = DATA / name
    ok, rejected, events = 0, Counter[str](), 0
    groups = group_by_ticket(read_rows(path, mapping.format), mapping.ticket, path,
                             grouped=mapping.grouped)
    for result in convert_all(groups, mapping, str(path), zone):
        if isinstance(result, Rejected):
            rejected[result.reason.split(";")[0].split(":")[0]] += 1
        else:
            ok += 1
            events += len(result.events)
    return ok, rejected, events


def test_real_uci_slice_replays_with_its_known_out_of_order_tickets() -> None:
    ok, rejected, events = _replay_file("uci", "uci_slice.csv.gz", ZoneInfo("UTC"))
    # Only INC0000137 is truly out of order (in file order and by sys_mod_count alike); the
    # four whose first row carries a later sys_mod_count (INC0000130: 2,1,2,3) replay.
    assert (ok, sum(rejected.values())) == (399, 1)
    assert rejected == Counter({"event out of order": 1})
    assert events == 2209


def test_real_helpdesk_slice_replays() -> None:
    ok, rejected, events = _replay_file("helpdesk4tu", "helpdesk4tu_slice.csv.gz", None)
    assert (ok, dict(rejected)) == (300, {})
    assert events == 1841


def test_real_bpic_slice_replays() -> None:
    ok, rejected, events = _replay_file("bpic2013", "bpic2013_slice.csv.gz", None)
    assert (ok, dict(rejected)) == (300, {})
    assert events == 7268


def test_slices_are_gzip_csv() -> None:
    with gzip.open(DATA / "uci_slice.csv.gz", "rt", encoding="utf-8") as f:
        assert f.readline().startswith("number,incident_state,")


@pytest.mark.parametrize("fmt", ["%d/%m/%Y %H:%M", "%Y/%m/%d %H:%M:%S.%f", "%Y-%m-%d %H:%M"])
def test_the_fast_time_parser_agrees_with_strptime(fmt: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from slakit.replay._times import _strptime

    texts = st.one_of(
        st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)).map(lambda d: d.strftime(fmt)),
        st.text(alphabet="0123456789/:-. \t", max_size=24),
        st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)).map(
            lambda d: d.strftime(fmt).replace(" ", "  \t")),
    )

    @settings(max_examples=300, deadline=None)
    @given(texts)
    def check(text: str) -> None:
        try:
            expected: datetime | None = datetime.strptime(text, fmt)
        except ValueError:
            expected = None
        try:
            got: datetime | None = _strptime(text, fmt)
        except ValueError:
            got = None
        assert got == expected

    check()


def test_seen_tickets_finds_every_repeat_whatever_the_order() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from slakit.replay._sources import _SeenTickets

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=300, unique=True),
           st.data())
    def check(ids: list[str], data: st.DataObject) -> None:
        seen = _SeenTickets()
        for ticket in ids:
            assert not seen.contains(ticket)
            seen.add(ticket)
        again = data.draw(st.sampled_from(ids))
        assert seen.contains(again)

    check()
