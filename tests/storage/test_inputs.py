"""Input the reference stores refuse up front, with nothing written (issue #12 items 11, 12, 14).

Each refusal is a slakit error naming the problem; afterwards the store holds exactly what it
held before, and listings still work (a year-1 due time used to break ``list_wakeups`` for the
whole tenant).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from slakit import InstantRangeError, SlakitError, UnstorableTextError, WrongTypeError
from slakit.storage import InMemoryStore, SQLiteStore, StoreFileError, TicketStore, TicketSummary
from tests.storage.storage_testkit import T0, opened, reply

PLUS_14 = timezone(timedelta(hours=14))
MINUS_5 = timezone(timedelta(hours=-5))
OUT_OF_RANGE = [
    datetime(1, 1, 1, tzinfo=PLUS_14),
    datetime(1, 6, 1, tzinfo=timezone.utc),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=MINUS_5),
]


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TicketStore]:
    if request.param == "memory":
        yield InMemoryStore()
    else:
        with SQLiteStore(tmp_path / "t.db") as sqlite_store:
            yield sqlite_store


def contents(store: TicketStore) -> object:
    return (store.load_events("shop", "T-1"), store.load_state("shop", "T-1"),
            store.list_wakeups("shop", T0 + timedelta(days=365)),
            store.list_by_status("shop", "new"))


def seeded(store: TicketStore) -> TicketStore:
    store.append("shop", "T-1", [opened("T-1")], expected_version=0, wake_at=T0 + timedelta(1))
    return store


@pytest.mark.parametrize("bad", OUT_OF_RANGE, ids=str)
def test_out_of_range_due_times_are_refused_and_change_nothing(
    store: TicketStore, bad: datetime
) -> None:
    seeded(store)
    before = contents(store)
    match = "wake_at .* is outside the supported range 0002-01-01T00:00:00Z to 9998-12-31"
    with pytest.raises(InstantRangeError, match=match):
        store.set_wake_at("shop", "T-1", bad)
    with pytest.raises(InstantRangeError, match=match):
        store.append("shop", "T-1", [reply("T-1", "r", 1)], expected_version=1, wake_at=bad)
    with pytest.raises(InstantRangeError, match=match):
        store.append("shop", "T-2", [opened("T-2")], expected_version=0, wake_at=bad)
    with pytest.raises(InstantRangeError, match=r"before .* is outside the supported range"):
        store.list_wakeups("shop", bad)
    assert contents(store) == before
    assert store.load_state("shop", "T-2") is None


def test_due_times_at_the_edges_of_the_range_list_in_order(store: TicketStore) -> None:
    seeded(store)
    store.append("shop", "T-2", [opened("T-2")], expected_version=0)
    with pytest.raises(InstantRangeError):  # 0001-12-31T23:00Z
        store.set_wake_at("shop", "T-1", datetime(2, 1, 1, 13, tzinfo=PLUS_14))
    earliest = datetime(2, 1, 2, tzinfo=PLUS_14)
    latest = datetime(9998, 12, 31, 18, tzinfo=MINUS_5)
    store.set_wake_at("shop", "T-1", latest)
    store.set_wake_at("shop", "T-2", earliest)
    due = store.list_wakeups("shop", datetime(9998, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone.utc))
    assert [(s.ticket, s.wake_at) for s in due] == [("T-2", earliest), ("T-1", latest)]


@pytest.mark.parametrize(("tenant", "ticket"), [("shop\ud800", "T-1"), ("shop", "T-\udfff")])
def test_ids_with_a_lone_surrogate_are_refused(
    store: TicketStore, tenant: str, ticket: str
) -> None:
    seeded(store)
    before = contents(store)
    with pytest.raises(UnstorableTextError, match="holds a lone surrogate"):
        store.load_state(tenant, ticket)
    with pytest.raises(UnstorableTextError, match="holds a lone surrogate"):
        store.set_wake_at(tenant, ticket, None)
    with pytest.raises(UnstorableTextError, match="holds a lone surrogate"):
        store.append(tenant, ticket, [], expected_version=0)
    assert contents(store) == before


@pytest.mark.parametrize("limit", [-1, -5])
def test_negative_limits_are_refused_by_every_listing(store: TicketStore, limit: int) -> None:
    # Issue #12 item 14: -1 listed every row in SQLite and all but the last row in memory.
    seeded(store)
    with pytest.raises(ValueError, match=f"limit must be an int >= 0 or None, got {limit}") as e:
        store.list_by_status("shop", "new", limit=limit)
    assert isinstance(e.value, SlakitError)
    with pytest.raises(ValueError, match="pass None for every row"):
        store.list_wakeups("shop", T0 + timedelta(days=2), limit=limit)


@pytest.mark.parametrize("limit", [True, 1.0, "1"])
def test_non_integer_limits_are_refused(store: TicketStore, limit: object) -> None:
    with pytest.raises(WrongTypeError, match="limit must be an int >= 0 or None"):
        store.list_by_status("shop", "new", limit=limit)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match="limit must be an int >= 0 or None"):
        store.list_wakeups("shop", T0, limit=limit)  # type: ignore[arg-type]


def test_limits_mean_the_same_in_every_store(store: TicketStore) -> None:
    for i in range(3):
        store.append("shop", f"T-{i}", [opened(f"T-{i}")], expected_version=0,
                     wake_at=T0 + timedelta(hours=i))
    later = T0 + timedelta(days=1)
    for limit, count in ((None, 3), (0, 0), (2, 2), (5, 3)):
        assert len(store.list_by_status("shop", "new", limit=limit)) == count
        assert [s.ticket for s in store.list_wakeups("shop", later, limit=limit)] == [
            f"T-{i}" for i in range(count)]
    assert store.list_by_status("shop", "new", limit=1) == (TicketSummary("T-0", "new", 1, T0),)


@pytest.mark.parametrize("content", [b"hello, not a database\n", bytes(range(256)) * 40])
def test_opening_a_file_that_is_not_a_database_is_a_store_error(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(StoreFileError, match=(
            r"cannot open '.*notes.txt' as a ticket store: file is not a database; give "
            r"SQLiteStore a path of its own")) as info:
        SQLiteStore(path)
    assert isinstance(info.value, ValueError)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_opening_a_directory_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreFileError, match="unable to open database file"):
        SQLiteStore(tmp_path)
    with pytest.raises(StoreFileError, match="unable to open database file"):
        SQLiteStore(tmp_path / "missing-dir" / "t.db")


def test_a_database_of_another_program_is_still_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(SlakitError, match="give SQLiteStore its own file"):
        SQLiteStore(path)
