"""Behaviour every TicketStore must have, written once and run against every store.

Stores: InMemoryStore, SQLiteStore, SQLAlchemyStore on SQLite, and SQLAlchemyStore on
PostgreSQL when a server can be had (the ``postgres_url`` fixture of tests/conftest.py: a throwaway
cluster started from the installed binaries, or the server named by SLAKIT_TEST_POSTGRES_URL).
Without one, the PostgreSQL tests are skipped with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import NaiveDatetimeError
from slakit.storage import (
    KEEP_WAKE_AT,
    ConcurrencyError,
    TicketService,
    TicketStore,
    TicketSummary,
    UnknownTicketError,
)
from slakit.workflow import (
    Event,
    InvalidTransition,
    LateEventError,
    StatusChanged,
    TicketAssigned,
    TicketReopened,
    TicketResolved,
    WrongTicketError,
    apply_all,
)
from tests.storage.storage_testkit import (
    T0,
    MemoryBackend,
    SQLAlchemyServerBackend,
    SQLAlchemySQLiteBackend,
    SQLiteBackend,
    StoreBackend,
    opened,
    reply,
)

UTC = timezone.utc


@pytest.fixture(
    scope="session",
    params=["memory", "sqlite", "sqlalchemy-sqlite", "sqlalchemy-postgresql"],
)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreBackend]:
    kind = request.param
    if kind == "memory":
        yield MemoryBackend()
    elif kind == "sqlite":
        yield SQLiteBackend(tmp_path_factory.mktemp("sqlite"))
    else:
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        if kind == "sqlalchemy-sqlite":
            yield SQLAlchemySQLiteBackend(tmp_path_factory.mktemp("sqlalchemy"))
        else:
            server = SQLAlchemyServerBackend(request.getfixturevalue("postgres_url"))
            yield server
            server.close()


@pytest.fixture
def store(backend: StoreBackend) -> Iterator[TicketStore]:
    with backend.fresh() as empty_store:
        yield empty_store


def assign(ticket: str, event_id: str, minutes: int = 0) -> TicketAssigned:
    return TicketAssigned(ticket=ticket, at=T0 + timedelta(minutes=minutes), event_id=event_id,
                          assignee="ana", group=None)


def test_every_store_implements_the_port(store: TicketStore) -> None:
    assert isinstance(store, TicketStore)


def test_append_and_load(store: TicketStore) -> None:
    events: list[Event] = [opened("T-1"), assign("T-1", "a", 1), reply("T-1", "r", 2)]
    state = store.append("shop", "T-1", events[:1], expected_version=0)
    assert state.version == 1
    state = store.append("shop", "T-1", events[1:], expected_version=1)
    assert (state.status, state.version) == ("assigned", 3)
    assert store.load_events("shop", "T-1") == tuple(events)
    assert store.load_state("shop", "T-1") == state == apply_all(events)
    assert store.load_state("shop", "T-2") is None
    assert store.load_events("shop", "T-2") == ()


@pytest.mark.parametrize("expected", [0, 2, 5])
def test_stale_or_future_version_is_refused_and_changes_nothing(
    store: TicketStore, expected: int
) -> None:
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    with pytest.raises(ConcurrencyError) as info:
        store.append("shop", "T-1", [reply("T-1", "r")], expected_version=expected)
    assert (info.value.expected, info.value.actual) == (expected, 1)
    assert "reload the ticket and retry" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert len(store.load_events("shop", "T-1")) == 1


def test_new_ticket_twice_is_a_conflict(store: TicketStore) -> None:
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    with pytest.raises(ConcurrencyError):
        store.append("shop", "T-1", [opened("T-1", event_id="other")], expected_version=0)


def test_illegal_event_in_a_batch_stores_nothing(store: TicketStore) -> None:
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    before = store.load_state("shop", "T-1")
    bad_batch: list[Event] = [
        assign("T-1", "a", 1),
        TicketReopened(ticket="T-1", at=T0 + timedelta(minutes=2), event_id="x"),
    ]
    with pytest.raises(InvalidTransition, match="'reopened' is not allowed in status 'assigned'"):
        store.append("shop", "T-1", bad_batch, expected_version=1)
    assert store.load_state("shop", "T-1") == before
    assert len(store.load_events("shop", "T-1")) == 1
    # The store is still usable afterwards.
    assert store.append("shop", "T-1", bad_batch[:1], expected_version=1).version == 2


def test_late_and_foreign_events_store_nothing(store: TicketStore) -> None:
    store.append("shop", "T-1", [opened("T-1", at=T0 + timedelta(hours=1))], expected_version=0)
    with pytest.raises(LateEventError):
        store.append("shop", "T-1", [reply("T-1", "r", 0)], expected_version=1)
    with pytest.raises(WrongTicketError):
        store.append("shop", "T-1", [reply("T-2", "r", 90)], expected_version=1)
    assert len(store.load_events("shop", "T-1")) == 1


def test_redelivered_events_are_stored_once(store: TicketStore) -> None:
    first = opened("T-1")
    r = reply("T-1", "r", 1)
    store.append("shop", "T-1", [first, r, r], expected_version=0)
    state = store.append("shop", "T-1", [r, first], expected_version=2)
    assert state.version == 2
    assert store.load_events("shop", "T-1") == (first, r)


def test_empty_append(store: TicketStore) -> None:
    with pytest.raises(UnknownTicketError, match="has no ticket 'T-1'"):
        store.append("shop", "T-1", [], expected_version=0)
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    due = datetime(2025, 3, 4, tzinfo=UTC)
    state = store.append("shop", "T-1", [], expected_version=1, wake_at=due)
    assert state.version == 1
    assert store.list_wakeups("shop", due + timedelta(seconds=1)) == (
        TicketSummary("T-1", "new", 1, due),
    )


def test_tenant_isolation(store: TicketStore) -> None:
    due = datetime(2025, 3, 4, tzinfo=UTC)
    store.append("a", "T-1", [opened("T-1"), assign("T-1", "x", 1)], expected_version=0,
                 wake_at=due)
    far = due + timedelta(days=365)
    # Nothing of tenant a is readable through tenant b ...
    assert store.load_state("b", "T-1") is None
    assert store.load_events("b", "T-1") == ()
    assert store.list_by_status("b", "assigned") == ()
    assert store.list_wakeups("b", far) == ()
    # ... nor writable.
    with pytest.raises(UnknownTicketError):
        store.set_wake_at("b", "T-1", None)
    with pytest.raises(ConcurrencyError):
        store.append("b", "T-1", [reply("T-1", "y", 2)], expected_version=2)
    with pytest.raises(InvalidTransition):  # b has no ticket T-1 to reply on
        store.append("b", "T-1", [reply("T-1", "y", 2)], expected_version=0)
    # b may have its own T-1, with the same event ids, without touching a's.
    store.append("b", "T-1", [opened("T-1")], expected_version=0)
    assert store.load_state("b", "T-1").version == 1  # type: ignore[union-attr]
    assert store.load_state("a", "T-1").version == 2  # type: ignore[union-attr]
    assert [s.ticket for s in store.list_wakeups("a", far)] == ["T-1"]
    assert store.list_wakeups("b", far) == ()
    assert store.list_by_status("a", "assigned")[0].version == 2


@pytest.mark.parametrize("tenant", ["", None])
def test_empty_keys_are_refused(store: TicketStore, tenant: str) -> None:
    with pytest.raises(ValueError, match="tenant must be a non-empty string"):
        store.load_state(tenant, "T-1")
    with pytest.raises(ValueError, match="ticket must be a non-empty string"):
        store.append("shop", tenant, [], expected_version=0)


def test_list_by_status_order_and_limit(store: TicketStore) -> None:
    for name in ["T-3", "T-1", "T-2"]:
        store.append("shop", name, [opened(name)], expected_version=0)
    store.append("shop", "T-2", [assign("T-2", "a", 1)], expected_version=1)
    assert [s.ticket for s in store.list_by_status("shop", "new")] == ["T-1", "T-3"]
    assert store.list_by_status("shop", "new", limit=1) == (TicketSummary("T-1", "new", 1, None),)
    assert store.list_by_status("shop", "assigned") == (
        TicketSummary("T-2", "assigned", 2, None),
    )
    assert store.list_by_status("shop", "closed") == ()


def test_due_times(store: TicketStore) -> None:
    berlin = timezone(timedelta(hours=1))
    d1 = datetime(2025, 3, 4, 10, tzinfo=berlin)  # 09:00 UTC
    d2 = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    store.append("shop", "T-1", [opened("T-1")], expected_version=0, wake_at=d2)
    store.append("shop", "T-2", [opened("T-2")], expected_version=0, wake_at=d1)
    store.append("shop", "T-3", [opened("T-3")], expected_version=0)
    listed = store.list_wakeups("shop", datetime(2025, 3, 5, tzinfo=UTC))
    assert [(s.ticket, s.wake_at) for s in listed] == [("T-2", d1), ("T-1", d2)]
    assert listed[0].wake_at is not None
    assert listed[0].wake_at.utcoffset() == timedelta(0)  # returned in UTC
    # Strictly before: a ticket due exactly at `before` is not listed.
    assert [s.ticket for s in store.list_wakeups("shop", d2)] == ["T-2"]
    assert len(store.list_wakeups("shop", d2, limit=0)) == 0
    # KEEP_WAKE_AT keeps, None clears, set_wake_at sets.
    store.append("shop", "T-1", [reply("T-1", "r", 1)], expected_version=1, wake_at=KEEP_WAKE_AT)
    store.append("shop", "T-2", [reply("T-2", "r", 1)], expected_version=1, wake_at=None)
    store.set_wake_at("shop", "T-3", datetime(2025, 3, 4, 8, tzinfo=UTC))
    listed = store.list_wakeups("shop", datetime(2025, 3, 5, tzinfo=UTC))
    assert [s.ticket for s in listed] == ["T-3", "T-1"]
    with pytest.raises(UnknownTicketError):
        store.set_wake_at("shop", "T-9", None)
    with pytest.raises(NaiveDatetimeError):
        store.list_wakeups("shop", datetime(2025, 3, 5))
    with pytest.raises(NaiveDatetimeError):
        store.set_wake_at("shop", "T-1", datetime(2025, 3, 5))


def test_ticket_follows_its_status(store: TicketStore) -> None:
    events: list[Event] = [
        opened("T-1"),
        assign("T-1", "a", 1),
        StatusChanged(ticket="T-1", at=T0 + timedelta(minutes=2), event_id="s",
                      to="waiting_on_customer"),
        TicketResolved(ticket="T-1", at=T0 + timedelta(minutes=3), event_id="res"),
    ]
    for version, event in enumerate(events):
        state = store.append("shop", "T-1", [event], expected_version=version)
        assert [s.ticket for s in store.list_by_status("shop", state.status)] == ["T-1"]
    assert store.list_by_status("shop", "new") == ()


@settings(max_examples=40, deadline=None)
@given(
    replies=st.lists(st.integers(min_value=0, max_value=5), max_size=12),
    cuts=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=12),
)
def test_any_batching_gives_the_replayed_state(
    backend: StoreBackend, replies: list[int], cuts: list[int]
) -> None:
    # Event ids drawn from a small range repeat: redeliveries inside and across batches.
    events: list[Event] = [opened("T-1")]
    events += [reply("T-1", f"r{i}", 1) for i in replies]
    expected = apply_all(events)
    unique: list[Event] = []
    for event in events:
        if event.event_id not in {u.event_id for u in unique}:
            unique.append(event)
    with backend.fresh() as store:
        position, version, i = 0, 0, 0
        while position < len(events):
            size = cuts[i % len(cuts)]
            version = store.append("shop", "T-1", events[position:position + size],
                                   expected_version=version).version
            position += size
            i += 1
        assert store.load_state("shop", "T-1") == expected
        assert store.load_events("shop", "T-1") == tuple(unique)


def test_concurrent_writers_through_the_service_store_every_event_once(
    store: TicketStore,
) -> None:
    # Threads share one store object, as a web app's request handlers do; with a database
    # behind it, each call is its own transaction, so writers really race.
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    service = TicketService(store)
    workers, per_worker = 4, 8
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(per_worker):
                service.handle("shop", [reply("T-1", f"w{worker}-{i}", 1)], T0)
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    events = store.load_events("shop", "T-1")
    ids = [e.event_id for e in events]
    assert len(ids) == len(set(ids)) == 1 + workers * per_worker
    for w in range(workers):  # each writer's events keep their order
        assert [i for i in ids if i.startswith(f"w{w}-")] == [f"w{w}-{i}" for i in range(per_worker)]
    assert store.load_state("shop", "T-1") == apply_all(events)
    assert store.load_state("shop", "T-1").version == 1 + workers * per_worker  # type: ignore[union-attr]
