"""The DeskStore contract (wake-up claims, leases, outbox) on every store that has it (memory,
SQLite, SQLAlchemy on SQLite and on PostgreSQL when a server can be had), and
the SQLite schema 2 -> 3 migration on a database written the way 0.1 wrote it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from slakit import NaiveDatetimeError, SlakitError
from slakit.storage import (
    KEEP_WAKE_AT,
    SQLITE_SCHEMA_VERSION,
    DeskStore,
    OutboxEntry,
    SQLiteStore,
    StoreSchemaError,
    WakeClaim,
)
from slakit.storage._sqlite_schema import SCHEMA_V2
from slakit.workflow import Event, apply_all, event_to_json, state_to_json
from tests.storage.storage_testkit import DESK_STORES, T0, desk_store, opened, reply

UTC = timezone.utc
LEASE = timedelta(minutes=5)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture(params=DESK_STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DeskStore]:
    with desk_store(request, tmp_path) as desk:
        yield desk


def test_reference_stores_are_desk_stores(store: DeskStore) -> None:
    assert isinstance(store, DeskStore)


def test_claims_take_passed_wake_ups_once_until_the_lease_expires(store: DeskStore) -> None:
    store.append("a", "T-1", [opened("T-1")], expected_version=0, wake_at=at(10))
    store.append("a", "T-2", [opened("T-2")], expected_version=0, wake_at=at(5))
    store.append("b", "T-1", [opened("T-1")], expected_version=0, wake_at=at(7))
    store.append("b", "T-9", [opened("T-9")], expected_version=0, wake_at=at(60))
    store.append("b", "T-8", [opened("T-8")], expected_version=0)  # no wake-up
    assert store.claim_wakeups(at(4), lease=LEASE) == ()
    claims = store.claim_wakeups(at(10), lease=LEASE, limit=2)
    assert claims == (WakeClaim("a", "T-2", 1, at(5)), WakeClaim("b", "T-1", 1, at(7)))
    # At or before now, earliest first, and each leased: the next claim gets the rest.
    assert store.claim_wakeups(at(10), lease=LEASE) == (WakeClaim("a", "T-1", 1, at(10)),)
    assert store.claim_wakeups(at(14), lease=LEASE) == ()
    # The leases expire at 10 + 5 minutes: a later worker redoes them.
    again = store.claim_wakeups(at(15), lease=LEASE, tenant="a")
    assert [c.ticket for c in again] == ["T-2", "T-1"]


def test_an_append_releases_the_lease_and_sets_the_next_wake_up(store: DeskStore) -> None:
    store.append("a", "T-1", [opened("T-1")], expected_version=0, wake_at=at(10))
    (claim,) = store.claim_wakeups(at(10), lease=LEASE)
    store.append("a", "T-1", [], expected_version=claim.version, wake_at=KEEP_WAKE_AT)
    assert store.claim_wakeups(at(10), lease=LEASE) == (claim,)  # released, still due
    store.append("a", "T-1", [reply("T-1", "r", 11)], expected_version=1, wake_at=at(30))
    assert store.claim_wakeups(at(29), lease=LEASE) == ()
    assert store.claim_wakeups(at(30), lease=LEASE) == (WakeClaim("a", "T-1", 2, at(30)),)


def test_outbox_entries_come_with_the_append_once_per_key(store: DeskStore) -> None:
    entry = OutboxEntry("k1", "T-1", '{"n":1}')
    store.append("a", "T-1", [opened("T-1")], expected_version=0, outbox=[entry])
    store.append("a", "T-1", [], expected_version=1,
                 outbox=[OutboxEntry("k1", "T-1", '{"n":2}'), OutboxEntry("k2", "T-1", "{}")])
    store.append("b", "T-1", [opened("T-1")], expected_version=0, outbox=[entry])
    items = store.list_outbox("a")
    assert [(i.key, i.body, i.state, i.attempts) for i in items] == [
        ("k1", '{"n":1}', "pending", 0), ("k2", "{}", "pending", 0)]


def test_a_refused_append_queues_nothing(store: DeskStore) -> None:
    store.append("a", "T-1", [opened("T-1")], expected_version=0)
    with pytest.raises(SlakitError):
        store.append("a", "T-1", [reply("T-1", "r", 1)], expected_version=0,
                     outbox=[OutboxEntry("k1", "T-1", "{}")])
    assert store.list_outbox("a") == ()


def test_deliveries_are_claimed_leased_and_finished(store: DeskStore) -> None:
    store.append("a", "T-1", [opened("T-1")], expected_version=0,
                 outbox=[OutboxEntry("k1", "T-1", "{}"), OutboxEntry("k2", "T-1", "{}")])
    first = store.claim_deliveries(at(0), lease=LEASE, limit=1)
    assert [i.key for i in first] == ["k1"]
    assert [i.key for i in store.claim_deliveries(at(0), lease=LEASE)] == ["k2"]
    assert store.claim_deliveries(at(4), lease=LEASE) == ()
    store.finish_delivery("a", "k1", delivered=False, retry_at=at(10), error="down")
    store.finish_delivery("a", "k2", delivered=True)
    assert store.claim_deliveries(at(9), lease=LEASE) == ()
    (retry,) = store.claim_deliveries(at(10), lease=LEASE)
    assert (retry.key, retry.attempts, retry.last_error, retry.next_attempt_at) == (
        "k1", 1, "down", at(10))
    assert [(i.key, i.state) for i in store.list_outbox("a", state="delivered")] == [
        ("k2", "delivered")]
    with pytest.raises(LookupError):
        store.finish_delivery("a", "nope", delivered=True)
    with pytest.raises(LookupError):
        store.finish_delivery("b", "k1", delivered=True)  # another tenant's key


def test_bad_claim_arguments_are_refused(store: DeskStore) -> None:
    with pytest.raises(NaiveDatetimeError):
        store.claim_wakeups(datetime(2025, 3, 3), lease=LEASE)
    for limit in (0, -1, True):
        with pytest.raises(ValueError, match="limit must be a positive int"):
            store.claim_deliveries(at(0), lease=LEASE, limit=limit)


def test_the_0_1_names_still_work_and_warn(store: DeskStore) -> None:
    with pytest.warns(DeprecationWarning, match="append\\(due_at=...\\) is deprecated"):
        store.append("a", "T-1", [opened("T-1")], expected_version=0,
                     due_at=at(5))  # type: ignore[call-arg]
    with pytest.warns(DeprecationWarning, match="list_due is deprecated"):
        (summary,) = store.list_due("a", at(6))  # type: ignore[attr-defined]
    with pytest.warns(DeprecationWarning, match="TicketSummary.due_at is deprecated"):
        assert summary.due_at == at(5)
    with pytest.warns(DeprecationWarning, match="set_due is deprecated"):
        store.set_due("a", "T-1", None)  # type: ignore[attr-defined]
    assert store.list_wakeups("a", at(6)) == ()
    with pytest.raises(TypeError, match="not both"):
        store.append("a", "T-1", [], expected_version=1, wake_at=at(1),
                     due_at=at(1))  # type: ignore[call-arg]


def test_schema_2_database_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    # A database as SQLiteStore 0.1 (schema 2) wrote it: its DDL, and rows as it inserted them.
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V2)
    events: list[Event] = [opened("T-1"), reply("T-1", "r1", 5)]

    state = apply_all(events)
    db.executemany(
        "INSERT INTO events (tenant, ticket, seq, event_id, type, at_us, schema, body) "
        "VALUES (?, ?, ?, ?, ?, ?, 2, ?)",
        [("shop", "T-1", i, e.event_id, e.event_type,
          int((e.at - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1_000_000),
          event_to_json(e)) for i, e in enumerate(events, start=1)])
    due_us = int((at(30) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1_000_000)
    db.execute("INSERT INTO tickets (tenant, ticket, version, status, due_us, snapshot) "
               "VALUES ('shop', 'T-1', 2, 'new', ?, ?)", (due_us, state_to_json(state)))
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        assert store.load_state("shop", "T-1") == state
        assert store.load_events("shop", "T-1") == tuple(events)
        assert [(s.ticket, s.wake_at) for s in store.list_wakeups("shop", at(31))] == [
            ("T-1", at(30))]
        assert store.claim_wakeups(at(30), lease=LEASE) == (WakeClaim("shop", "T-1", 2, at(30)),)
        store.append("shop", "T-1", [], expected_version=2,
                     outbox=[OutboxEntry("k", "T-1", "{}")])
        assert [i.key for i in store.list_outbox("shop")] == ["k"]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (SQLITE_SCHEMA_VERSION,) == (4,)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    columns = [r[1] for r in db.execute("PRAGMA table_info(tickets)")]
    assert columns == ["tenant", "ticket", "version", "status", "wake_us", "snapshot", "lease_us"]
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"tickets_by_wake", "wakeups", "outbox_pending"} <= indexes
    assert "tickets_by_due" not in indexes
    db.close()


def test_a_failed_migration_leaves_schema_2(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V2)
    db.execute("CREATE TABLE outbox (x)")  # a clash: the migration's CREATE TABLE fails
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with pytest.raises(StoreSchemaError, match="from schema 2 to 3: table outbox already exists"):
        SQLiteStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (2,)
    assert "due_us" in [r[1] for r in db.execute("PRAGMA table_info(tickets)")]
    db.close()


def test_next_wakeup_is_the_earliest_wake_up_or_pending_delivery(store: DeskStore) -> None:
    assert store.next_wakeup() is None
    store.append("a", "T-1", [opened("T-1")], expected_version=0, wake_at=at(30))
    store.append("b", "T-1", [opened("T-1")], expected_version=0, wake_at=at(20))
    assert store.next_wakeup() == at(20)
    assert store.next_wakeup(tenant="a") == at(30)
    store.append("a", "T-1", [], expected_version=1, outbox=[OutboxEntry("k", "T-1", "{}")])
    assert store.next_wakeup(tenant="a") == datetime(1970, 1, 1, tzinfo=UTC)  # deliver now
    store.finish_delivery("a", "k", delivered=False, retry_at=at(25))
    assert store.next_wakeup(tenant="a") == at(25)
    store.finish_delivery("a", "k", delivered=True)
    store.set_wake_at("a", "T-1", None)
    assert store.next_wakeup(tenant="a") is None
    assert store.next_wakeup() == at(20)
