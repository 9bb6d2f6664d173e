"""The DeskStore batch contract (``append_batch``) on every store that has it: each append is
checked alone and left out alone, the others commit in the one transaction; a failure while
writing stores nothing of the batch; a batch stores exactly what the appends one by one do."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import NaiveDatetimeError, SlakitError
from slakit.storage import (
    KEEP_WAKE_AT,
    ConcurrencyError,
    DeskStore,
    InMemoryStore,
    OutboxEntry,
    SQLiteStore,
    TicketAppend,
    UnknownTicketError,
    WakeClaim,
)
from slakit.workflow import Event, InvalidTransition, TicketState
from tests.storage.storage_testkit import (
    DESK_STORES,
    T0,
    SQLAlchemySQLiteBackend,
    desk_store,
    opened,
    reply,
)

LEASE = timedelta(minutes=5)


@pytest.fixture(params=DESK_STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DeskStore]:
    with desk_store(request, tmp_path) as desk:
        yield desk


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def snapshot(store: DeskStore, tenant: str, ticket: str) -> tuple[object, ...]:
    """Everything the store holds about one ticket (events, state, wake-up, outbox)."""
    wake = {s.ticket: s.wake_at for s in store.list_wakeups(tenant, at(10_000))}
    return (store.load_events(tenant, ticket), store.load_state(tenant, ticket),
            wake.get(ticket),
            tuple(i for i in store.list_outbox(tenant) if i.ticket == ticket))


def test_each_append_of_a_batch_stands_alone(store: DeskStore) -> None:
    for ticket in ("T-1", "T-2", "T-3"):
        store.append("a", ticket, [opened(ticket)], expected_version=0, wake_at=at(10))
    assert len(store.claim_wakeups(at(10), lease=LEASE)) == 3
    before = snapshot(store, "a", "T-2")
    results = store.append_batch([
        TicketAppend("a", "T-1", [reply("T-1", "r1", 11)], 1, at(30),
                     [OutboxEntry("k1", "T-1", "{}")]),
        TicketAppend("a", "T-2", [reply("T-2", "r2", 11)], 7, at(30),  # stale version
                     [OutboxEntry("k2", "T-2", "{}")]),
        TicketAppend("a", "T-3", [opened("T-3", event_id="again")], 1, at(30)),  # illegal
        TicketAppend("a", "T-9", [], 0, at(30)),  # a release of no such ticket
        TicketAppend("b", "T-1", [opened("T-1")], 0, None),  # a new ticket of tenant b
    ])
    assert isinstance(results[0], TicketState)
    assert results[0].version == 2
    assert isinstance(results[1], ConcurrencyError)
    assert "not the expected 7" in str(results[1])
    assert isinstance(results[2], InvalidTransition)
    assert isinstance(results[3], UnknownTicketError)
    assert isinstance(results[4], TicketState)
    assert results[4].version == 1
    # The stored ones: events, wake-up, outbox, lease released; the others: nothing changed.
    assert [e.event_id for e in store.load_events("a", "T-1")] == ["T-1-open", "r1"]
    assert [i.key for i in store.list_outbox("a")] == ["k1"]
    assert snapshot(store, "a", "T-2") == before
    assert [e.event_id for e in store.load_events("a", "T-3")] == ["T-3-open"]
    assert store.load_state("a", "T-9") is None
    assert store.load_state("b", "T-1") is not None
    # T-2 and T-3 keep their leases (nothing of theirs was written); T-1 was released.
    assert store.claim_wakeups(at(14), lease=LEASE) == ()
    assert store.claim_wakeups(at(30), lease=LEASE) == (
        WakeClaim("a", "T-2", 1, at(10)), WakeClaim("a", "T-3", 1, at(10)),
        WakeClaim("a", "T-1", 2, at(30)))


def test_a_batch_runs_in_order_so_a_ticket_may_appear_twice(store: DeskStore) -> None:
    results = store.append_batch([
        TicketAppend("a", "T-1", [opened("T-1")], 0, at(5)),
        TicketAppend("a", "T-1", [reply("T-1", "r1", 1)], 1, KEEP_WAKE_AT),
        TicketAppend("a", "T-1", [reply("T-1", "r2", 2)], 1, None),  # stale after the 2nd
        TicketAppend("a", "T-1", [], 2, at(9)),  # no events: only the wake-up moves
    ])
    assert [r.version if isinstance(r, TicketState) else type(r).__name__
            for r in results] == [1, 2, "ConcurrencyError", 2]
    assert [e.event_id for e in store.load_events("a", "T-1")] == ["T-1-open", "r1"]
    assert [s.wake_at for s in store.list_wakeups("a", at(100))] == [at(9)]


def test_bad_arguments_refuse_the_whole_batch(store: DeskStore) -> None:
    good = TicketAppend("a", "T-1", [opened("T-1")], 0, at(5))
    with pytest.raises(NaiveDatetimeError):
        store.append_batch([good, TicketAppend("a", "T-2", [opened("T-2")], 0,
                                               datetime(2025, 3, 3, 9))])
    with pytest.raises(SlakitError):
        store.append_batch([good, TicketAppend("a", "", [opened("T-2")], 0)])
    assert store.load_state("a", "T-1") is None  # nothing stored, not even the good one
    assert store.append_batch([]) == ()


@pytest.fixture(params=["sqlite", "sqlalchemy-sqlite"])
def trapped(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DeskStore]:
    """A SQLite-backed store whose outbox refuses the key 'boom' while writing."""
    trap = ("CREATE TRIGGER boom BEFORE INSERT ON {t} WHEN NEW.key = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom'); END")
    if request.param == "sqlite":
        with SQLiteStore(tmp_path / "trap.db") as plain:
            raw = sqlite3.connect(tmp_path / "trap.db")
            raw.execute(trap.format(t="outbox"))
            raw.close()
            yield plain
        return
    pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
    from sqlalchemy import text

    with SQLAlchemySQLiteBackend(tmp_path).fresh() as alchemy:
        with alchemy.engine.begin() as db:
            db.execute(text(trap.format(t="slakit_outbox")))
        yield alchemy


def test_a_failure_while_writing_stores_nothing_of_the_batch(trapped: DeskStore) -> None:
    store = trapped
    store.append("a", "T-1", [opened("T-1")], expected_version=0, wake_at=at(10))
    store.append("a", "T-2", [opened("T-2")], expected_version=0, wake_at=at(10))
    claims = store.claim_wakeups(at(10), lease=LEASE)
    before = [snapshot(store, "a", t) for t in ("T-1", "T-2")]
    with pytest.raises(Exception, match="boom"):
        store.append_batch([
            TicketAppend("a", "T-1", [reply("T-1", "r1", 11)], 1, at(30),
                         [OutboxEntry("fine", "T-1", "{}")]),
            TicketAppend("a", "T-2", [reply("T-2", "r2", 11)], 1, at(30),
                         [OutboxEntry("boom", "T-2", "{}")]),
        ])
    assert [snapshot(store, "a", t) for t in ("T-1", "T-2")] == before
    assert store.claim_wakeups(at(14), lease=LEASE) == ()  # the leases still hold
    assert store.claim_wakeups(at(15), lease=LEASE) == claims  # and expire as usual
    # One by one, the good append goes through.
    store.append("a", "T-1", [reply("T-1", "r1", 11)], expected_version=1, wake_at=at(30))
    assert store.load_state("a", "T-1").version == 2  # type: ignore[union-attr]


# -- a batch stores exactly what the same appends one by one store -------------------------

_TICKETS = ("T-1", "T-2", "T-3")


@st.composite
def appends(draw: st.DrawFn) -> list[TicketAppend]:
    """Appends over three tickets: openings, replies (some redelivered), empty releases,
    right or wrong expected versions, wake-ups and outbox entries (some keys repeated)."""
    out: list[TicketAppend] = []
    for n in range(draw(st.integers(1, 8))):
        ticket = draw(st.sampled_from(_TICKETS))
        kind = draw(st.sampled_from(["open", "reply", "again", "none"]))
        choices: dict[str, list[Event]] = {
            "open": [opened(ticket)],
            "reply": [reply(ticket, f"r{n}", n)],
            "again": [reply(ticket, "r0", 0)],
            "none": [],
        }
        events = choices[kind]
        wake = draw(st.sampled_from([KEEP_WAKE_AT, None, at(n)]))
        keys = draw(st.lists(st.sampled_from(["k1", "k2", f"k{ticket}"]), max_size=2))
        out.append(TicketAppend("a", ticket, events, draw(st.integers(0, 3)), wake,
                                [OutboxEntry(k, ticket, f'"{n}"') for k in keys]))
    return out


def one_by_one(store: DeskStore, batch: list[TicketAppend]) -> list[object]:
    results: list[object] = []
    for a in batch:
        try:
            results.append(store.append(a.tenant, a.ticket, a.events,
                                        expected_version=a.expected_version,
                                        wake_at=a.wake_at, outbox=a.outbox))
        except SlakitError as exc:
            results.append(type(exc))
    return results


def everything(store: DeskStore) -> list[tuple[object, ...]]:
    return [snapshot(store, "a", t) for t in _TICKETS]


@settings(max_examples=60, deadline=None)
@given(batch=appends())
def test_a_batch_equals_its_appends_one_by_one_in_memory(batch: list[TicketAppend]) -> None:
    alone, together = InMemoryStore(), InMemoryStore()
    want = one_by_one(alone, batch)
    got = together.append_batch(batch)
    assert [r if isinstance(r, TicketState) else type(r) for r in got] == want
    assert everything(together) == everything(alone)


@settings(max_examples=25, deadline=None)
@given(batch=appends())
def test_a_batch_equals_its_appends_one_by_one_on_sqlite(batch: list[TicketAppend]) -> None:
    with SQLiteStore(":memory:") as alone, SQLiteStore(":memory:") as together:
        want = one_by_one(alone, batch)
        got = together.append_batch(batch)
        assert [r if isinstance(r, TicketState) else type(r) for r in got] == want
        assert everything(together) == everything(alone)


@settings(max_examples=25, deadline=None)
@given(batch=appends())
def test_a_batch_equals_its_appends_one_by_one_through_sqlalchemy(
    batch: list[TicketAppend],
) -> None:
    pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
    from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata, sqlite_engine

    engines = [sqlite_engine("sqlite://"), sqlite_engine("sqlite://")]
    try:
        for engine in engines:
            sqlalchemy_metadata.create_all(engine)
        alone, together = (SQLAlchemyStore(engine) for engine in engines)
        want = one_by_one(alone, batch)
        got = together.append_batch(batch)
        assert [r if isinstance(r, TicketState) else type(r) for r in got] == want
        assert everything(together) == everything(alone)
    finally:
        for engine in engines:
            engine.dispose()
