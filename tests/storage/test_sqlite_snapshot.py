"""SQLiteStore's ticket row: a snapshot without event ids, constant in size (issue #12 item 14),
rewritten every ``SNAPSHOT_EVERY`` versions instead of on every append (issue #13, schema 4).

The ids live in the events table only; every way of reading a state (warm cache, a cache
that another writer made stale, a fresh object, a snapshot behind the row, a row written
before the change) must give the state a replay of the stored events gives, event ids
included, so redeliveries stay no-ops.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.storage import SQLiteStore
from slakit.storage._sqlite_snapshot import SNAPSHOT_EVERY, snapshot_due, snapshot_json
from slakit.workflow import (
    EVENT_SCHEMA_VERSION,
    AgentReplied,
    Event,
    EventDecodeError,
    TicketReopened,
    TicketResolved,
    TicketState,
    apply_all,
    event_from_json,
    event_to_json,
    state_from_dict,
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
        store.append("shop", "T-1", [reply("T-1", f"r-{n:04d}", 1) for n in range(1, 16)],
                     expected_version=1)
        small = snapshot_row(path)
        replies = [reply("T-1", f"r-{n:04d}", 1) for n in range(16, 1001)]
        store.append("shop", "T-1", replies, expected_version=16)
        large = snapshot_row(path)
    assert "event_ids" not in small
    # Both appends crossed a multiple of SNAPSHOT_EVERY, so both rewrote the snapshot.
    assert (small.pop("version"), large.pop("version")) == (16, 1001)
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
        assert "event_ids" in snapshot_row(path)  # not rewritten yet: still read as it is
        with SQLiteStore(path) as fresh:
            assert fresh.load_state("shop", "T-1") == after
        more = [reply("T-1", f"s{n}", 7) for n in range(12)]
        last = store.append("shop", "T-1", more, expected_version=4)
    assert last.version == 16
    assert "event_ids" not in snapshot_row(path)
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == last
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


def snapshot_version(path: Path, ticket: str = "T-1") -> tuple[int, int]:
    """(the row's version, its snapshot's version)."""
    db = sqlite3.connect(path)
    version, text = db.execute("SELECT version, snapshot FROM tickets WHERE ticket = ?",
                               (ticket,)).fetchone()
    db.close()
    return version, json.loads(text)["version"]


def test_snapshot_due_exactly_when_the_version_crosses_a_multiple() -> None:
    assert SNAPSHOT_EVERY == 16
    assert [v for v in range(1, 40) if snapshot_due(v - 1, v)] == [16, 32]
    assert [snapshot_due(15, 17), snapshot_due(3, 40), snapshot_due(17, 31)] == [True, True, False]


def test_the_snapshot_is_rewritten_every_sixteen_versions(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    seen = []
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
        seen.append(snapshot_version(path))
        for n in range(1, 40):
            store.append("shop", "T-1", [reply("T-1", f"r{n}", n)], expected_version=n)
            seen.append(snapshot_version(path))
        # An append without new events (a redelivery) keeps the snapshot.
        store.append("shop", "T-1", [reply("T-1", "r39", 40)], expected_version=40)
        seen.append(snapshot_version(path))
    assert seen == [(v, 1 if v < 16 else 16 if v < 32 else 32) for v in range(1, 41)] + [(40, 32)]


@settings(max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 20), st.booleans()), min_size=1, max_size=8))
def test_a_lagging_snapshot_reads_as_the_replay_on_every_path(
    tmp_path_factory: pytest.TempPathFactory, appends: list[tuple[int, bool]],
) -> None:
    """Batches of any size, written by two store objects in turn: the row's snapshot is at
    most SNAPSHOT_EVERY - 1 events behind, and the writer's warm cache, the other's stale
    one and a fresh object all read the state a replay gives."""
    path = tmp_path_factory.mktemp("lag") / "t.db"
    with SQLiteStore(path) as a, SQLiteStore(path) as b:
        a.append("shop", "T-1", [opened("T-1")], expected_version=0)
        n = 0
        for size, by_b in appends:
            writer, other = (b, a) if by_b else (a, b)
            events = [reply("T-1", f"r{n + i}", n + i) for i in range(size)]
            writer.append("shop", "T-1", events, expected_version=n + 1)
            n += size
            version, at = snapshot_version(path)
            assert version == n + 1
            assert 0 <= version - at < SNAPSHOT_EVERY
            expected = apply_all(writer.load_events("shop", "T-1"))
            assert writer.load_state("shop", "T-1") == expected
            assert other.load_state("shop", "T-1") == expected
            with SQLiteStore(path) as fresh:
                assert fresh.load_state("shop", "T-1") == expected
                # A redelivery is recognised from a snapshot behind the row.
                assert fresh.append("shop", "T-1", [reply("T-1", "r0", 0)],
                                    expected_version=version) == expected


def three_events_in_two_appends(path: Path) -> TicketState:
    """A ticket of three events whose row's snapshot lags (at version 1); its replay."""
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
        store.append("shop", "T-1", [reply("T-1", "r1", 1), reply("T-1", "r2", 2)],
                     expected_version=1)
        return apply_all(store.load_events("shop", "T-1"))


@pytest.mark.parametrize("bad", ['{"schema": 0}', "[]", "not json", '{"version": 0}',
                                 '{"version": 99}', '{"version": "3"}', '{"version": true}',
                                 '{"version": 1, "status": 7}', b"\xff\xfe\x00garbage"])
def test_a_snapshot_that_cannot_be_used_is_replaced_by_a_replay(
    tmp_path: Path, bad: str | bytes,
) -> None:
    path = tmp_path / "t.db"
    expected = three_events_in_two_appends(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE tickets SET snapshot = ?", (bad,))
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == expected


def test_a_schema_3_database_opens_as_schema_4_and_reads_alike(tmp_path: Path) -> None:
    """Schema 3 files (written before this change) have a snapshot at every row's version;
    schema 4 reads them as they are, and only the version number moves."""
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
        store.append("shop", "T-1", [reply("T-1", "r1", 1)], expected_version=1)
        expected = apply_all(store.load_events("shop", "T-1"))
    db = sqlite3.connect(path)
    # As schema 3 wrote it: the snapshot at the row's version, user_version 3.
    db.execute("UPDATE tickets SET snapshot = ?", (snapshot_json(expected),))
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == expected
        after = store.append("shop", "T-1", [reply("T-1", "r2", 2)], expected_version=2)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (4,)
    db.close()
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == after




@settings(max_examples=40)
@given(st.lists(st.tuples(st.sampled_from(["reply", "flip", "none"]),
                          st.sampled_from(["keep", "clear", "t1", "t2"])), max_size=12))
def test_the_row_and_its_indexes_follow_appends_that_set_only_what_changed(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, str]],
) -> None:
    """An append sets the status and the wake-up only when they change (to spare their index
    entries): the row, the listings read through those indexes and the claims must still
    show every change, and a value that stays must stay."""
    times = {"clear": None, "t1": T0 + timedelta(hours=1), "t2": T0 + timedelta(hours=2)}
    path = tmp_path_factory.mktemp("row") / "t.db"
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0, wake_at=times["t1"])
        wake, version = times["t1"], 1
        for n, (kind, wake_choice) in enumerate(steps):
            events: list[Event] = []
            at, event_id = T0 + timedelta(minutes=n), f"e{n}"
            resolved = version > 1 and apply_all(store.load_events("shop", "T-1")).status == (
                "resolved")
            if kind == "reply":  # keeps the status; resolving or reopening moves it
                events = [AgentReplied(ticket="T-1", at=at, event_id=event_id)]
            elif kind == "flip" and resolved:
                events = [TicketReopened(ticket="T-1", at=at, event_id=event_id)]
            elif kind == "flip":
                events = [TicketResolved(ticket="T-1", at=at, event_id=event_id)]
            if wake_choice == "keep":
                state = store.append("shop", "T-1", events, expected_version=version)
            else:
                wake = times[wake_choice]
                state = store.append("shop", "T-1", events, expected_version=version,
                                     wake_at=wake)
            version = state.version
            expected = apply_all(store.load_events("shop", "T-1"))
            assert state == expected
            listed = store.list_by_status("shop", expected.status)
            assert [(s.ticket, s.version, s.wake_at) for s in listed] == [("T-1", version, wake)]
            for other in ("new", "in_progress", "resolved"):
                if other != expected.status:
                    assert store.list_by_status("shop", other) == ()
            due = store.list_wakeups("shop", T0 + timedelta(days=1))
            assert [(s.ticket, s.wake_at) for s in due] == ([] if wake is None else [("T-1", wake)])
            claims = store.claim_wakeups(T0 + timedelta(days=1), lease=timedelta(minutes=5))
            assert [(c.ticket, c.version) for c in claims] == (
                [] if wake is None else [("T-1", version)])
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def schema_3_reader(path: Path, ticket: str = "T-1") -> TicketState:
    """How a schema-3 SQLiteStore read a row it had no cached state for (state_from_row as
    it was before snapshots could lag): the snapshot plus every id up to the row's version,
    or, when the snapshot does not decode, a replay."""
    db = sqlite3.connect(path)
    version, text = db.execute("SELECT version, snapshot FROM tickets WHERE ticket = ?",
                               (ticket,)).fetchone()
    try:
        doc = json.loads(text)
        doc["event_ids"] = [i for (i,) in db.execute(
            "SELECT event_id FROM events WHERE ticket = ? AND seq <= ?", (ticket, version))]
        return state_from_dict(doc)
    except (EventDecodeError, ValueError):
        bodies = db.execute("SELECT body FROM events WHERE ticket = ? AND seq <= ? ORDER BY seq",
                            (ticket, version)).fetchall()
        return apply_all(event_from_json(b) for (b,) in bodies)
    finally:
        db.close()


def test_a_schema_3_store_still_running_replays_a_lagging_snapshot(tmp_path: Path) -> None:
    """A rolling upgrade: a schema-3 process that opened the file before the migration must
    not take a schema-4 snapshot that lags for the ticket's state (its version, ids and
    fields would be several events old). The snapshot's marker makes it replay instead."""
    path = tmp_path / "t.db"
    expected = three_events_in_two_appends(path)
    assert snapshot_version(path) == (3, 1)  # lagging
    assert schema_3_reader(path) == expected
