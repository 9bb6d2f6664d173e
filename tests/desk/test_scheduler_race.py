"""Worker processes running Scheduler.wake on one SQLite file, some SIGKILLed mid-run: every
care decision is recorded once and delivered (again only where a kill cut a delivery short),
and after a restart nothing is left pending."""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from slakit.care import CareSchedule, SQLiteCareStore
from slakit.desk import Desk, Scheduler
from slakit.plans import DueDecision
from slakit.storage import SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW
from tests.desk.desk_testkit import run_processes
from tests.desk.test_scheduler import CN, POLICIES, at

NOW = at(2025, 4, 1, 12)
# Two one-off visits per customer, both due by NOW (a working day of the CN calendar).
VISITS = [CareSchedule("visit", at(2025, 1, 1), dates=(at(2025, 3, 31, 10), at(2025, 4, 1, 10)))]


def expected(customers: int) -> set[str]:
    return {f"acme/shop-{i}/visit/{day}" for i in range(customers)
            for day in ("2025-03-31T10:00", "2025-04-01T10:00")}


def scheduler(path: str, deliveries: str) -> tuple[Scheduler, SQLiteStore, SQLiteCareStore]:
    def deliver(decision: DueDecision) -> None:
        time.sleep(0.005)  # a slow receiver: kills often land between claim and finish
        fd = os.open(deliveries, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{decision.key}\n".encode())
        finally:
            os.close(fd)

    desk_store = SQLiteStore(Path(path), synchronous="NORMAL", timeout=60)
    care = SQLiteCareStore(path, timeout=60)
    return (Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, desk_store), care, calendar=CN,
                      deliver=deliver), desk_store, care)


def seed(path: str, customers: int) -> None:
    sched, desk_store, care = scheduler(path, os.devnull)
    for i in range(customers):
        sched.put_schedules("acme", f"shop-{i}", VISITS, at(2025, 3, 1))
    care.close()
    desk_store.close()


def worker(path: str, deliveries: str, now: datetime) -> None:
    sched, _, _ = scheduler(path, deliveries)
    while True:
        report = sched.wake(now, "acme", limit=25)
        if not (report.care or report.delivered or report.failed or report.tickets.delivered):
            return


def run_workers(path: Path, deliveries: Path, workers: int, now: datetime, kill: int) -> int:
    return run_processes(worker, (str(path), str(deliveries), now), workers, kill,
                         seed_of_kills=15, first_kill_after=(0.1, 0.3))


def test_sigkilled_schedulers_lose_no_care_decision(tmp_path: Path) -> None:
    customers = 600
    path, deliveries = tmp_path / "desk.db", tmp_path / "deliveries.txt"
    seed(str(path), customers)
    killed = run_workers(path, deliveries, workers=4, now=NOW, kill=2)
    assert killed >= 1  # the workers were still running when killed
    # Restart after the dead workers' delivery leases (5 minutes) expired.
    run_workers(path, deliveries, workers=2, now=NOW + timedelta(minutes=6), kill=0)
    want = expected(customers)
    lines = Counter(deliveries.read_text().split())
    assert set(lines) == want  # every decision delivered
    assert sum(n - 1 for n in lines.values()) <= killed  # only a cut-short delivery repeats
    with SQLiteStore(path) as store:
        outbox = store.list_outbox("acme")
        assert {i.key for i in outbox} == {f"care:{k}" for k in want}  # queued once each
        assert {i.state for i in outbox} == {"delivered"}
    care = SQLiteCareStore(path)
    try:
        assert care.fired("acme", want) == frozenset(want)
        assert care.next_wake("acme") is None
    finally:
        care.close()


def test_threads_on_one_postgres_store_deliver_each_care_decision_once(postgres_url: str) -> None:
    """Four workers at once on one SQLAlchemyStore (desk and care store) on PostgreSQL."""
    import threading

    pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
    from tests.storage.storage_testkit import server

    customers = 150
    delivered: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def deliver(decision: DueDecision) -> None:
        with lock:
            delivered.append(decision.key)

    with server(postgres_url).fresh() as store:
        seeding = Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, store), store, calendar=CN,
                            deliver=deliver)
        for i in range(customers):
            seeding.put_schedules("acme", f"shop-{i}", VISITS, at(2025, 3, 1))

        def run() -> None:
            sched = Scheduler(Desk(DEFAULT_WORKFLOW, POLICIES, store), store, calendar=CN,
                              deliver=deliver)
            try:
                while True:
                    report = sched.wake(NOW, "acme", limit=10)
                    if not (report.care or report.delivered or report.failed):
                        return
            except BaseException as exc:  # reported by the test thread below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(delivered) == sorted(expected(customers))  # each once: no kill here
        assert {i.state for i in store.list_outbox("acme")} == {"delivered"}
        assert store.next_wake("acme") is None
