"""SQLiteStore's ticket row: a snapshot without event ids, constant in size (issue #12 item 14).

The ids live in the events table only; every way of reading a state (warm cache, a cache
that another writer made stale, a fresh object, a row written before the change) must give
the state a replay of the stored events gives, event ids included, so redeliveries stay
no-ops.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from slakit.storage import SQLiteStore
from slakit.workflow import (
    EVENT_SCHEMA_VERSION,
    Event,
    TicketResolved,
    apply_all,
    event_to_json,
    state_to_json,
)
from tests.storage.storage_testkit import T0, opened, reply


def snapshot_row(path: Path, ticket: str = "T-1") -> dict[str, object]:
    db = sqlite3.connect(path)
    (text,) = db.execute("SELECT snapshot FROM tickets WHERE ticket = ?", (ticket,)).fetchone()
    db.close()
    doc = json.loads(text)
    assert isinstance(doc, dict)
    return doc


def test_the_row_holds_no_event_ids_and_does_not_grow(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
        store.append("shop", "T-1", [reply("T-1", "r-0001", 1)], expected_version=1)
        small = snapshot_row(path)
        replies = [reply("T-1", f"r-{n:04d}", 1) for n in range(2, 1001)]
        store.append("shop", "T-1", replies, expected_version=2)
        large = snapshot_row(path)
    assert "event_ids" not in small
    assert (small.pop("version"), large.pop("version")) == (2, 1001)
    assert small == large  # nothing else in the row depends on the number of events


def test_every_read_path_gives_the_replayed_state_with_every_id(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path) as a, SQLiteStore(path) as b:
        a.append("shop", "T-1", [opened("T-1")], expected_version=0)
        for n in range(1, 7):  # the writers take turns: each finds the other's event
            writer = (a, b)[n % 2]
            writer.append("shop", "T-1", [reply("T-1", f"r{n}", n)], expected_version=n)
        a.append("shop", "T-1", [reply("T-1", "r7", 7), reply("T-1", "r8", 8)],
                 expected_version=7)
        events = b.load_events("shop", "T-1")
        expected = apply_all(events)
        assert len(expected.event_ids) == 9
        assert a.load_state("shop", "T-1") == expected  # warm
        assert b.load_state("shop", "T-1") == expected  # stale by two events: caught up
        # A redelivered id is a no-op for the store whose cache was stale.
        assert b.append("shop", "T-1", [reply("T-1", "r3", 9)], expected_version=9) == expected
    with SQLiteStore(path) as fresh:
        state = fresh.load_state("shop", "T-1")
        assert state == expected
        assert state is not None
        assert state.event_ids == expected.event_ids
        assert fresh.append("shop", "T-1", [reply("T-1", "r1", 9)], expected_version=9) == state
        assert fresh.load_events("shop", "T-1") == events


def write_schema_2_database(path: Path) -> list[Event]:
    """A database as the schema-2 store wrote it before this change: snapshots with ids."""
    events: list[Event] = [opened("T-1"), reply("T-1", "r1", 1),
              TicketResolved(ticket="T-1", at=T0 + timedelta(minutes=5), event_id="res")]
    state = apply_all(events)
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE events (tenant TEXT NOT NULL, ticket TEXT NOT NULL, seq INTEGER NOT NULL,
            event_id TEXT NOT NULL, type TEXT NOT NULL, at_us INTEGER NOT NULL,
            schema INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tenant, ticket, seq))
            WITHOUT ROWID;
        CREATE TABLE tickets (tenant TEXT NOT NULL, ticket TEXT NOT NULL,
            version INTEGER NOT NULL, status TEXT NOT NULL, due_us INTEGER,
            snapshot TEXT NOT NULL, PRIMARY KEY (tenant, ticket)) WITHOUT ROWID;
        CREATE INDEX tickets_by_status ON tickets (tenant, status, ticket);
        CREATE INDEX tickets_by_due ON tickets (tenant, due_us, ticket) WHERE due_us IS NOT NULL;
        PRAGMA user_version = 2;
    """)
    db.executemany(
        "INSERT INTO events VALUES ('shop', 'T-1', ?, ?, ?, 0, ?, ?)",
        [(seq, e.event_id, e.event_type, EVENT_SCHEMA_VERSION, event_to_json(e))
         for seq, e in enumerate(events, start=1)],
    )
    full = state_to_json(state)
    assert '"event_ids":["T-1-open","r1","res"]' in full
    db.execute("INSERT INTO tickets VALUES ('shop', 'T-1', 3, 'resolved', NULL, ?)", (full,))
    db.commit()
    db.close()
    return events


def test_a_row_written_with_event_ids_still_reads_and_is_rewritten_without(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    events = write_schema_2_database(path)
    expected = apply_all(events)
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == expected
        # The old ids are still known: a redelivery is skipped.
        assert store.append("shop", "T-1", [reply("T-1", "r1", 6)], expected_version=3) == expected
        after = store.append("shop", "T-1", [reply("T-1", "r2", 6)], expected_version=3)
    assert after.version == 4
    assert "event_ids" not in snapshot_row(path)
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == after
        assert after.event_ids == {"T-1-open", "r1", "res", "r2"}


def test_a_row_whose_ids_disagree_with_the_events_takes_the_events(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    events = write_schema_2_database(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE tickets SET snapshot = replace(snapshot, '\"r1\"', '\"zz\"')")
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        state = store.load_state("shop", "T-1")
        assert state is not None
        assert state.event_ids == {e.event_id for e in events}
