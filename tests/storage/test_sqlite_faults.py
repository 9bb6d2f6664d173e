"""SQLiteStore under injected failures: any statement of a write may fail, COMMIT included.

The store's connection is swapped for a proxy that raises ``sqlite3.OperationalError`` (as a
full disk or an I/O error does) at a chosen statement, once. A host that reloads and retries
must end with every event stored exactly once, in order, and a snapshot equal to the replay
of the stored events, seen from the same store object and from a fresh one.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from slakit.storage import SQLiteStore
from slakit.workflow import Event, apply_all
from tests.storage.storage_testkit import opened, reply


class FailingConnection:
    """Forwards to a real connection, but raises at the ``fail_at``-th statement (1-based)
    or at the first statement whose SQL equals ``fail_on``, once."""

    def __init__(self, real: sqlite3.Connection, fail_at: int = 0, fail_on: str = "") -> None:
        self.real = real
        self.fail_at = fail_at
        self.fail_on = fail_on
        self.count = 0
        self.failed: list[str] = []

    def _tick(self, sql: str) -> None:
        self.count += 1
        armed = not self.failed
        if armed and (self.count == self.fail_at or sql == self.fail_on):
            self.failed.append(sql)
            raise sqlite3.OperationalError(f"injected failure at statement {self.count}")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        self._tick(sql)
        return self.real.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        self._tick(sql)
        return self.real.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.real.in_transaction

    def close(self) -> None:
        self.real.close()


EVENTS: list[Event] = [reply("T-1", f"r{i}", i) for i in range(1, 5)]


def deliver(store: SQLiteStore, events: list[Event]) -> int:
    """A host delivering events one by one, reloading and retrying on a database error."""
    failures = 0
    for event in events:
        for _attempt in range(3):
            try:
                state = store.load_state("shop", "T-1")
                assert state is not None
                store.append("shop", "T-1", [event], expected_version=state.version)
                break
            except sqlite3.OperationalError:
                failures += 1
        else:  # pragma: no cover - a retry that never succeeds is a failure of the test
            pytest.fail(f"event {event.event_id} never stored")
    return failures


def assert_consistent(store: SQLiteStore, path: Path) -> None:
    expected_ids = ["T-1-open"] + [e.event_id for e in EVENTS]
    events = store.load_events("shop", "T-1")
    assert [e.event_id for e in events] == expected_ids
    assert store.load_state("shop", "T-1") == apply_all(events)
    with SQLiteStore(path) as fresh:
        assert fresh.load_events("shop", "T-1") == events
        assert fresh.load_state("shop", "T-1") == apply_all(events)
    db = sqlite3.connect(path)
    row = db.execute("SELECT version FROM tickets WHERE ticket = 'T-1'").fetchone()
    seqs = [s for (s,) in db.execute("SELECT seq FROM events ORDER BY seq")]
    db.close()
    assert row == (len(expected_ids),)
    assert seqs == list(range(1, len(expected_ids) + 1))


def statements_of_workload(tmp_path: Path) -> int:
    path = tmp_path / "count.db"
    with SQLiteStore(path) as store:
        store.append("shop", "T-1", [opened("T-1")], expected_version=0)
        proxy = FailingConnection(store._db)
        store._db = proxy  # type: ignore[assignment]
        assert deliver(store, EVENTS) == 0
        return proxy.count


def test_every_statement_failing_once_loses_and_skips_nothing(tmp_path: Path) -> None:
    total = statements_of_workload(tmp_path)
    assert total >= 4 * 6  # per event: a load, then BEGIN, SELECT, 2 writes, COMMIT
    for fail_at in range(1, total + 1):
        path = tmp_path / f"fault-{fail_at}.db"
        with SQLiteStore(path) as store:
            store.append("shop", "T-1", [opened("T-1")], expected_version=0)
            proxy = FailingConnection(store._db, fail_at=fail_at)
            store._db = proxy  # type: ignore[assignment]
            assert deliver(store, EVENTS) == 1
            assert len(proxy.failed) == 1
            assert not proxy.real.in_transaction
            store._db = proxy.real
            assert_consistent(store, path)


def test_failed_commit_then_another_writer_then_retry_keeps_the_event(tmp_path: Path) -> None:
    # Issue #12 item 1: the failing object cached a state holding an event never stored; once
    # the other writer reached that version, the cached state matched the row and the retry
    # was skipped as a redelivery.
    path = tmp_path / "race.db"
    with SQLiteStore(path) as a, SQLiteStore(path, timeout=2) as b:
        a.append("shop", "T-1", [opened("T-1")], expected_version=0)
        proxy = FailingConnection(a._db, fail_on="COMMIT")
        a._db = proxy  # type: ignore[assignment]
        with pytest.raises(sqlite3.OperationalError, match="injected"):
            a.append("shop", "T-1", [reply("T-1", "from-a", 1)], expected_version=1)
        assert proxy.failed == ["COMMIT"]
        assert not proxy.real.in_transaction
        b.append("shop", "T-1", [reply("T-1", "from-b", 1)], expected_version=1)
        seen = a.load_state("shop", "T-1")
        assert seen is not None
        assert (seen.version, "from-a" in seen.event_ids) == (2, False)
        state = a.append("shop", "T-1", [reply("T-1", "from-a", 2)], expected_version=2)
        assert state.version == 3
        events = b.load_events("shop", "T-1")
        assert [e.event_id for e in events] == ["T-1-open", "from-b", "from-a"]
        assert a.load_state("shop", "T-1") == b.load_state("shop", "T-1") == apply_all(events)


_DISK_FULL_SCRIPT = textwrap.dedent(
    """
    import os, resource, signal, sqlite3, sys
    from datetime import datetime, timedelta, timezone
    from slakit.storage import SQLiteStore
    from slakit.workflow import AgentReplied, TicketOpened

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    path, other = sys.argv[1], sys.argv[2]
    t0 = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)
    store = SQLiteStore(path)
    store.append("shop", "T-1", [TicketOpened(ticket="T-1", at=t0, event_id="open",
        priority="low", category=None, channel=None, customer=None, customer_tier=None)],
        expected_version=0)
    size = sum(os.path.getsize(p) for p in (path, path + "-wal"))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))
    big = [AgentReplied(ticket="T-1", at=t0 + timedelta(minutes=1), event_id="from-a")]
    try:
        store.append("shop", "T-1", big, expected_version=1)
        print("stored")
    except sqlite3.OperationalError as exc:
        print("failed:", exc)
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    import subprocess
    subprocess.run([sys.executable, "-c", other, path], check=True)
    seen = store.load_state("shop", "T-1")
    print("seen", seen.version, "from-a" in seen.event_ids)
    store.append("shop", "T-1", big, expected_version=seen.version)
    ids = [e.event_id for e in store.load_events("shop", "T-1")]
    print("ids", ids[:3], len(ids), store.load_state("shop", "T-1").version)
    """
)

_OTHER_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from slakit.storage import SQLiteStore
    from slakit.workflow import AgentReplied

    with SQLiteStore(sys.argv[1]) as store:
        store.append("shop", "T-1", [AgentReplied(ticket="T-1", event_id="from-b",
            at=datetime(2025, 3, 3, 9, 1, tzinfo=timezone.utc))], expected_version=1)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_disk_full_at_commit_then_retry_keeps_the_event(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    done = subprocess.run(
        [sys.executable, "-c", _DISK_FULL_SCRIPT, str(path), _OTHER_WRITER],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("failed:"), lines
    assert lines[1:] == ["seen 2 False", "ids ['open', 'from-b', 'from-a'] 3 3"]
