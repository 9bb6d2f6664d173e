"""Care decisions go through the desk outbox: a failed delivery stays pending and is retried
with backoff, never dropped, never handed over again once delivered; a worker killed between
queueing and recording, or between claiming a delivery and finishing it, loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slakit._errors import InvalidValueError
from slakit.care import CareSchedule, CareStore, InMemoryCareStore, SQLiteCareStore
from slakit.desk import Desk, Scheduler
from slakit.plans import DueDecision, PlanInputError
from slakit.storage import DeskStore, InMemoryStore, SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW
from tests.desk.test_scheduler import CN, POLICIES, at
from tests.storage.storage_testkit import SQLAlchemySQLiteBackend, server

VISIT = CareSchedule("quarterly-visit", at(2025, 1, 6), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1")
DUE = at(2025, 4, 1, 9)  # the 04-01 visit, at the office's opening
KEY = "acme/shop-1/quarterly-visit/2025-04-01T00:00"


class Killed(BaseException):
    """A worker process dying at this point (nothing after it runs)."""


class Wrapped:
    """A store with some methods replaced (the rest delegated)."""

    def __init__(self, inner: Any, **replaced: Any) -> None:
        self.inner = inner
        self.replaced = replaced

    def __getattr__(self, name: str) -> Any:
        if name in self.replaced:
            return self.replaced[name]
        return getattr(self.inner, name)


@pytest.fixture(params=["memory", "sqlite", "sqlalchemy-sqlite", "sqlalchemy-postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[DeskStore, CareStore]]:
    if request.param == "memory":
        yield InMemoryStore(), InMemoryCareStore()
    elif request.param == "sqlite":
        with SQLiteStore(tmp_path / "desk.db") as desk_store:
            care_store = SQLiteCareStore(tmp_path / "desk.db")
            yield desk_store, care_store
            care_store.close()
    elif request.param == "sqlalchemy-sqlite":
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with SQLAlchemySQLiteBackend(tmp_path).fresh() as alchemy:
            yield alchemy, alchemy  # one store object is both
    else:
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with server(request.getfixturevalue("postgres_url")).fresh() as alchemy:
            yield alchemy, alchemy


def worker(desk_store: Any, care: Any, deliver: Any) -> Scheduler:
    return Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, desk_store), care, calendar=CN,
                     deliver=deliver)


def seed(sched: Scheduler) -> None:
    sched.put_schedules("acme", "shop-1", [VISIT], at(2025, 3, 6))


def test_a_failed_delivery_is_retried_with_backoff_and_delivered_once(
    stores: tuple[DeskStore, CareStore],
) -> None:
    attempts: list[datetime] = []
    delivered: list[DueDecision] = []
    clock = [DUE]

    def flaky(decision: DueDecision) -> None:
        attempts.append(clock[0])
        if len(attempts) <= 2:
            raise ConnectionError("mail server down")
        delivered.append(decision)

    sched = worker(*stores, flaky)
    seed(sched)
    assert sched.next_wake_at("acme") == DUE
    report = sched.wake(DUE, "acme")
    assert [d.key for d in report.care] == [KEY]
    assert [(d.key, why) for d, why in report.failed] == [(KEY, "ConnectionError: mail server down")]
    assert report.delivered == ()
    (item,) = stores[0].list_outbox("acme")
    assert (item.key, item.state, item.attempts) == (f"care:{KEY}", "pending", 1)
    assert item.next_attempt_at == DUE + timedelta(seconds=30)  # the desk's retry_delay
    assert sched.next_wake_at("acme") == DUE + timedelta(seconds=30)
    for t, failed, done in [(DUE + timedelta(seconds=10), 0, 0),  # backoff not over
                            (DUE + timedelta(seconds=30), 1, 0),  # second failure, +60 s
                            (DUE + timedelta(seconds=60), 0, 0),
                            (DUE + timedelta(seconds=90), 0, 1),  # delivered
                            (DUE + timedelta(hours=1), 0, 0),
                            (at(2025, 5, 1), 0, 0)]:
        clock[0] = t
        report = sched.wake(t, "acme")
        assert (len(report.failed), len(report.delivered), report.care) == (failed, done, ())
    assert attempts == [DUE, DUE + timedelta(seconds=30), DUE + timedelta(seconds=90)]
    assert [d.key for d in delivered] == [KEY]
    assert delivered[0].fire_at == DUE
    (item,) = stores[0].list_outbox("acme")
    assert (item.state, item.attempts, item.last_error) == (
        "delivered", 3, "ConnectionError: mail server down")
    assert sched.next_wake_at("acme") == at(2025, 7, 1, 9)  # the next visit


def test_a_worker_killed_between_queueing_and_recording_loses_nothing(
    stores: tuple[DeskStore, CareStore],
) -> None:
    delivered: list[DueDecision] = []
    desk_store, care = stores

    def die(tenant: str, keys: Any) -> tuple[str, ...]:
        raise Killed

    first = worker(desk_store, Wrapped(care, mark_fired=die), delivered.append)
    seed(first)
    with pytest.raises(Killed):
        first.wake(DUE, "acme")
    assert [i.state for i in desk_store.list_outbox("acme")] == ["pending"]
    assert care.fired("acme", [KEY]) == frozenset()
    assert delivered == []
    second = worker(desk_store, care, delivered.append)
    report = second.wake(DUE + timedelta(minutes=1), "acme")
    assert [d.key for d in report.care] == [KEY]  # recorded by the second worker
    assert [d.key for d in delivered] == [KEY]  # and delivered once
    for t in (DUE + timedelta(minutes=10), at(2025, 5, 1)):
        assert second.wake(t, "acme").care == ()
    assert [d.key for d in delivered] == [KEY]


def test_a_worker_killed_between_claim_and_commit_is_redone_after_its_lease(
    stores: tuple[DeskStore, CareStore],
) -> None:
    delivered: list[DueDecision] = []
    desk_store, care = stores

    def die_before_delivering(decision: DueDecision) -> None:
        raise Killed  # the delivery was claimed (leased); nothing after the claim ran

    first = worker(desk_store, care, die_before_delivering)
    seed(first)
    with pytest.raises(Killed):
        first.wake(DUE, "acme")
    second = worker(desk_store, care, delivered.append)
    assert second.wake(DUE + timedelta(minutes=4), "acme").delivered == ()  # leased
    assert delivered == []
    report = second.wake(DUE + timedelta(minutes=5), "acme")  # the lease expired
    assert [d.key for d in report.delivered] == [KEY]
    assert second.wake(DUE + timedelta(minutes=10), "acme").delivered == ()
    assert [d.key for d in delivered] == [KEY]
    (item,) = desk_store.list_outbox("acme")
    assert (item.state, item.attempts) == ("delivered", 1)


def test_a_worker_killed_after_delivering_delivers_again_once_at_most(
    stores: tuple[DeskStore, CareStore],
) -> None:
    delivered: list[DueDecision] = []
    desk_store, care = stores

    def die(*args: Any, **kwargs: Any) -> None:
        raise Killed

    first = worker(Wrapped(desk_store, finish_delivery=die), care, delivered.append)
    seed(first)
    with pytest.raises(Killed):
        first.wake(DUE, "acme")
    second = worker(desk_store, care, delivered.append)
    for minutes in (1, 5, 6, 60):
        second.wake(DUE + timedelta(minutes=minutes), "acme")
    # At least once: the receiver deduplicates on the key, as for escalations.
    assert [d.key for d in delivered] == [KEY, KEY]


def test_deliver_needs_a_store_that_queues_and_bad_bodies_are_refused() -> None:
    class NoQueue(Wrapped):
        def __getattr__(self, name: str) -> Any:
            if name == "enqueue":
                raise AttributeError(name)
            return super().__getattr__(name)

    with pytest.raises(InvalidValueError, match="OutboxQueue"):
        worker(NoQueue(InMemoryStore()), InMemoryCareStore(), print)
    body = ('{"kind": "care", "schema": 1, "key": "k", "tenant": "t", "subject": "s", '
            '"rule": "r", "occurrence": "o", "action": "a", "reason": "x"')
    with pytest.raises(PlanInputError, match="missing key 'fire_at'"):
        DueDecision.from_json(body + "}")
    with pytest.raises(PlanInputError, match="unknown key 'extra'"):
        DueDecision.from_json(body + ', "fire_at": "2025-01-01T00:00+08:00", "extra": 1}')
    with pytest.raises(PlanInputError, match="not an ISO 8601 instant with an offset"):
        DueDecision.from_json(body + ', "fire_at": "2025-01-01T00:00"}')
