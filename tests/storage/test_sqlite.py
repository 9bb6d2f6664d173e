"""SQLiteStore: concurrency across processes, crash safety, schema migrations."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from slakit.storage import (
    SQLITE_SCHEMA_VERSION,
    SQLiteStore,
    StoreSchemaError,
    TicketService,
)
from slakit.workflow import (
    TicketResolved,
    apply_all,
    event_to_dict,
)
from tests.storage.storage_testkit import T0, batch, contending_writer, endless_writer, opened, reply

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


@posix_only
def test_eight_processes_appending_to_one_ticket_store_every_event_once(tmp_path: Path) -> None:
    path = str(tmp_path / "contended.db")
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    workers, per_worker = 8, 12
    ctx = multiprocessing.get_context("fork")
    processes = [
        ctx.Process(target=contending_writer, args=(path, w, per_worker)) for w in range(workers)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0
    with SQLiteStore(path) as store:
        events = store.load_events("shop", "T-1")
        ids = [e.event_id for e in events]
        expected = {f"w{w}-{i}" for w in range(workers) for i in range(per_worker)}
        assert len(ids) == len(set(ids)) == 1 + workers * per_worker
        assert set(ids[1:]) == expected
        # Each worker's events keep their order.
        for w in range(workers):
            mine = [i for i in ids if i.startswith(f"w{w}-")]
            assert mine == [f"w{w}-{i}" for i in range(per_worker)]
        state = store.load_state("shop", "T-1")
        assert state == apply_all(events)
        assert state is not None
        assert state.version == len(events)


@posix_only
def test_sigkill_mid_run_leaves_every_committed_event(tmp_path: Path) -> None:
    path = str(tmp_path / "killed.db")
    SQLiteStore(path).close()
    read_fd, write_fd = os.pipe()
    ctx = multiprocessing.get_context("fork")
    tickets, size = 5, 4
    writer = ctx.Process(target=endless_writer, args=(path, write_fd, tickets, size))
    writer.start()
    os.close(write_fd)
    reported: list[str] = []
    buffer = b""
    deadline = time.monotonic() + 20
    while len(reported) < 150 and time.monotonic() < deadline:
        buffer += os.read(read_fd, 4096)
        *lines, rest = buffer.split(b"\n")
        reported += [line.decode() for line in lines]
        buffer = rest
    os.kill(writer.pid, signal.SIGKILL)  # type: ignore[arg-type]
    writer.join()
    assert writer.exitcode == -signal.SIGKILL
    while chunk := os.read(read_fd, 4096):
        buffer += chunk
    os.close(read_fd)
    reported += [line.decode() for line in buffer.split(b"\n") if line]
    assert len(reported) >= 150

    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    with SQLiteStore(path) as store:
        committed: dict[int, int] = {}
        for line in reported:
            t, b = map(int, line.split(":"))
            committed[t] = max(committed.get(t, -1), b)
        for t in range(tickets):
            events = store.load_events("shop", f"T-{t}")
            # Whole transactions only: a multiple of the batch size, in order, no gaps.
            assert len(events) % size == 0
            expected = [e for b in range(len(events) // size) for e in batch(t, b, size)]
            assert list(events) == expected
            # Every reported commit is there (one more may have committed unreported).
            assert len(events) // size >= committed.get(t, -1) + 1
            state = store.load_state("shop", f"T-{t}")
            if events:
                assert state == apply_all(events)
        # The database takes writes again.
        version = len(store.load_events("shop", "T-0"))
        store.append("shop", "T-0", [reply("T-0", "after-crash", 10_000)],
                     expected_version=version)


def write_v1_database(path: Path) -> None:
    """A database as schema 1 wrote it (DDL and rows written by hand, independently)."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE events (tenant TEXT NOT NULL, ticket TEXT NOT NULL, seq INTEGER NOT NULL, "
        "body TEXT NOT NULL, PRIMARY KEY (tenant, ticket, seq))"
    )
    legacy_open = {
        "type": "opened", "schema": 1, "ticket": "T-1", "at": "2025-03-03T10:00:00+01:00",
        "priority": "high", "category": None, "channel": "phone", "customer": "c",
        "customer_tier": None, "subject": "", "body": "", "tags": [],
    }
    legacy_reply = {"type": "customer_replied", "schema": 1, "ticket": "T-1",
                    "at": "2025-03-03T10:05:00+01:00"}
    rows = [
        ("a", "T-1", 1, json.dumps(legacy_open)),
        ("a", "T-1", 2, json.dumps(legacy_reply)),
        ("a", "T-1", 3, json.dumps(legacy_reply)),  # exact duplicate in the export
        ("a", "T-1", 4, json.dumps(event_to_dict(
            TicketResolved(ticket="T-1", at=T0 + timedelta(minutes=10), event_id="res",
                           resolution_code="fixed")))),
        ("b", "T-1", 1, json.dumps(event_to_dict(opened("T-1")))),
    ]
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", rows)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_schema_1_database_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_v1_database(path)
    with SQLiteStore(path) as store:
        events = store.load_events("a", "T-1")
        assert [e.event_type for e in events] == ["opened", "customer_replied", "resolved"]
        assert events[0].event_id.startswith("v1-")
        state = store.load_state("a", "T-1")
        assert state is not None
        assert (state.status, state.version, state.priority) == ("resolved", 3, "high")
        assert [s.ticket for s in store.list_by_status("a", "resolved")] == ["T-1"]
        assert [s.ticket for s in store.list_by_status("b", "new")] == ["T-1"]
        store.append("a", "T-1", [], expected_version=3)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (SQLITE_SCHEMA_VERSION,)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"events", "tickets", "outbox"}
    db.close()
    # Opening again is a no-op.
    with SQLiteStore(path) as store:
        assert len(store.load_events("a", "T-1")) == 3


def test_failed_migration_leaves_the_old_database(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    write_v1_database(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE events SET body = ? WHERE tenant = 'b'",
               (json.dumps(event_to_dict(reply("T-1", "r"))),))
    db.commit()
    db.close()
    with pytest.raises(StoreSchemaError, match="cannot migrate ticket 'T-1' of tenant 'b'"):
        SQLiteStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM events").fetchone() == (5,)
    db.close()


def test_newer_or_foreign_database_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreSchemaError, match="schema version 99, newer than"):
        SQLiteStore(newer)
    foreign = tmp_path / "foreign.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE invoices (id INTEGER)")
    db.close()
    with pytest.raises(StoreSchemaError, match="give SQLiteStore its own file"):
        SQLiteStore(foreign)


def test_wal_mode_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()
    with SQLiteStore(path, synchronous="NORMAL") as store:
        assert store.load_state("shop", "T-1") is not None
    with pytest.raises(ValueError, match="synchronous must be"):
        SQLiteStore(path, synchronous="OFF")  # type: ignore[arg-type]


def test_outdated_snapshot_is_rebuilt_from_events(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1"), reply("T-1", "r", 1)], expected_version=0)
        expected = store.load_state("shop", "T-1")
    db = sqlite3.connect(path)
    db.execute("UPDATE tickets SET snapshot = ?", (json.dumps({"schema": 0}),))
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == expected
        state = store.append("shop", "T-1", [reply("T-1", "r2", 2)], expected_version=2)
        assert state.version == 3


def test_sql_injection_attempts_are_just_strings(tmp_path: Path) -> None:
    evil = "x'; DROP TABLE events; --"
    with SQLiteStore(tmp_path / "t.db") as store:
        store.append(evil, evil, [opened(evil)], expected_version=0)
        assert store.load_state(evil, evil) is not None
        assert store.list_by_status(evil, "new")[0].ticket == evil
        assert store.load_state("shop", evil) is None


def test_service_over_sqlite_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        TicketService(store).handle("shop", [opened("T-1")], T0)
    with SQLiteStore(path) as store:
        update = TicketService(store).handle("shop", [reply("T-1", "r", 1)], T0)
        assert update.state.version == 2
