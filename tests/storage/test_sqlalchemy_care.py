"""SQLAlchemyStore as a care store beyond the shared contract (tests/care/test_store.py):
writers racing on one subject lose nothing and store nothing twice, racing workers each
get a fired key once, and ``create_all`` adds the care tables to a desk-only database."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slakit.care import CareStore, FollowUpCompleted
from slakit.plans import Plan, PlanStarted, Quota, QuotaConsumed
from slakit.storage import OutboxEntry
from tests.storage.storage_testkit import SQLAlchemySQLiteBackend, opened, server

pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")

from sqlalchemy import inspect

from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata, sqlite_engine

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 1, 1, tzinfo=SH)
PLAN = Plan("annual", "annual", START, START + timedelta(days=365), quotas=[Quota("visit", 100)])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLAlchemyStore]:
    if request.param == "sqlite":
        with SQLAlchemySQLiteBackend(tmp_path).fresh() as alchemy:
            yield alchemy
    else:
        with server(request.getfixturevalue("postgres_url")).fresh() as alchemy:
            yield alchemy


def _threads(work: Callable[[int], None], n: int = 4) -> None:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # reported by the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_it_is_a_care_store(store: SQLAlchemyStore) -> None:
    assert isinstance(store, CareStore)


def test_racing_writers_on_one_subject_lose_nothing_and_store_nothing_twice(
    store: SQLAlchemyStore,
) -> None:
    store.append_plan_events("t", "s", [PlanStarted(subject="s", at=START, event_id="p",
                                                    plan=PLAN)])

    def write(worker: int) -> None:
        for i in range(10):
            # Every worker also redelivers the same shared events: stored once.
            uses = [QuotaConsumed(subject="s", at=START + timedelta(days=1), event_id=eid,
                                  quota="visit") for eid in (f"w{worker}-{i}", f"shared-{i}")]
            store.append_plan_events("t", "s", uses)
            done = FollowUpCompleted(subject="s", at=START, event_id=f"shared-{i}",
                                     schedule="visit", occurrence=f"2025-0{1 + i % 9}")
            store.append_care_events("t", "s", [done])

    _threads(write)
    plan = store.load_plan("t", "s")
    assert plan is not None
    # 4 workers x 10 own uses, and 10 shared uses stored once: 50 of 100.
    assert plan.quota_left("visit", START + timedelta(days=2)) == 50
    assert len(plan.event_ids) == 51
    ids = Counter(e.event_id for e in store.load_care_events("t", "s"))
    assert sorted(ids) == sorted(f"shared-{i}" for i in range(10))
    assert max(ids.values()) == 1


def test_racing_workers_each_get_a_fired_key_once(store: SQLAlchemyStore) -> None:
    keys = [f"t/s/visit/{i}" for i in range(40)]
    got: list[str] = []
    lock = threading.Lock()

    def mark(worker: int) -> None:
        mine = store.mark_fired("t", keys[worker:] + keys[:worker])
        with lock:
            got.extend(mine)

    _threads(mark)
    assert sorted(got) == sorted(keys)
    assert store.fired("t", keys) == frozenset(keys)
    assert store.fired("other", keys) == frozenset()


def test_enqueued_care_entries_join_the_desk_outbox_once(store: SQLAlchemyStore) -> None:
    entry = OutboxEntry("care:t/s/visit/1", "s", '{"kind": "care"}')
    store.enqueue("t", [entry, entry])
    store.enqueue("t", [entry])
    assert [(i.key, i.state, i.attempts) for i in store.list_outbox("t")] == [
        ("care:t/s/visit/1", "pending", 0)]
    assert store.list_outbox("u") == ()


def test_create_all_adds_the_care_tables_to_a_desk_only_database(tmp_path: Path) -> None:
    engine = sqlite_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        desk_tables = [t for t in sqlalchemy_metadata.sorted_tables
                       if not t.name.startswith("slakit_care_")]
        sqlalchemy_metadata.create_all(engine, tables=desk_tables)  # as an older slakit did
        old = SQLAlchemyStore(engine)
        assert old.append("t", "T-1", [opened("T-1")], expected_version=0).version == 1
        assert not any(n.startswith("slakit_care_") for n in inspect(engine).get_table_names())
        sqlalchemy_metadata.create_all(engine)
        assert sorted(n for n in inspect(engine).get_table_names()
                      if n.startswith("slakit_care_")) == [
            "slakit_care_events", "slakit_care_fired", "slakit_care_plan_events",
            "slakit_care_schedules", "slakit_care_wake"]
        store = SQLAlchemyStore(engine)
        store.set_wake("t", "s", START)
        assert store.next_wake("t") == START
    finally:
        engine.dispose()
