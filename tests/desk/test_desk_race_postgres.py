"""Worker processes running ``wake`` on one PostgreSQL database through SQLAlchemyStore:
every escalation key recorded once, a counting notifier sees each key once, and workers
SIGKILLed mid-run lose nothing after a restart. Claims take rows ``FOR UPDATE SKIP LOCKED``.

Skipped, with the reason, where no PostgreSQL server can be had (see tests/conftest.py).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from slakit.workflow import Escalated, event_from_json
from tests.desk.desk_testkit import T0, open_store, seed
from tests.desk.test_desk_race import NOW, expected_keys, run_workers

pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")

from sqlalchemy import create_engine, event, select, text

from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata
from slakit.storage._sqlalchemy_tables import events


@pytest.fixture
def database(postgres_url: str) -> str:
    """The server's URL with empty slakit tables."""
    engine = create_engine(postgres_url)
    try:
        sqlalchemy_metadata.create_all(engine)
        with engine.begin() as db:
            db.execute(text("TRUNCATE slakit_events, slakit_tickets, slakit_outbox"))
    finally:
        engine.dispose()
    return postgres_url


def recorded(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            rows = db.execute(select(events.c.tenant, events.c.body)
                              .where(events.c.type == "escalated")).all()
    finally:
        engine.dispose()
    keys: Counter[str] = Counter()
    for tenant, body in rows:
        escalated = event_from_json(body)
        assert isinstance(escalated, Escalated)
        keys[f"{tenant}/{escalated.key}"] += 1
    return keys


def run(url: str, tmp_path: Path, tickets: int, workers: int, kill: int) -> float:
    deliveries = tmp_path / "deliveries.txt"
    seed(url, tickets)
    started = time.monotonic()
    killed = run_workers(url, deliveries, workers, NOW, kill)
    assert killed == kill
    if killed:
        run_workers(url, deliveries, 2, NOW + timedelta(minutes=6))
    elapsed = time.monotonic() - started
    keys = recorded(url)
    want = expected_keys(tickets)
    assert set(keys) == want  # nothing lost
    assert max(keys.values()) == 1  # nothing recorded twice
    lines = Counter(deliveries.read_text().split())
    assert set(lines) == want  # every decision delivered
    assert sum(n - 1 for n in lines.values()) <= killed  # repeated only if cut short by a kill
    with open_store(url) as store:
        for tenant in ("shop-0", "shop-1"):
            assert store.list_outbox(tenant, state="pending") == ()
    return elapsed


def test_four_workers_two_thousand_tickets_each_key_once(database: str, tmp_path: Path) -> None:
    deliveries = tmp_path / "deliveries.txt"
    run(database, tmp_path, tickets=2_000, workers=4, kill=0)
    assert max(Counter(deliveries.read_text().split()).values()) == 1  # no kill: exactly once


def test_sigkilled_workers_lose_nothing_after_a_restart(database: str, tmp_path: Path) -> None:
    run(database, tmp_path, tickets=1_000, workers=4, kill=2)


def test_claims_skip_rows_another_worker_has_locked(database: str) -> None:
    with open_store(database) as store:
        assert isinstance(store, SQLAlchemyStore)
        for i in range(3):
            store.append("a", f"T-{i}", [_opened(f"T-{i}")], expected_version=0, wake_at=T0)
        seen: list[str] = []

        @event.listens_for(store.engine, "before_cursor_execute")
        def _record(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
            seen.append(statement)

        # Another transaction holds T-0's row: the claim neither waits nor takes it.
        with store.engine.begin() as other:
            other.execute(text("SELECT 1 FROM slakit_tickets WHERE ticket = 'T-0' FOR UPDATE"))
            claims = store.claim_wakeups(T0, lease=timedelta(minutes=5))
        assert [c.ticket for c in claims] == ["T-1", "T-2"]
        assert any("FOR UPDATE SKIP LOCKED" in s for s in seen)
        # Once released, T-0 is claimable; the others are leased.
        assert [c.ticket for c in store.claim_wakeups(T0, lease=timedelta(minutes=5))] == ["T-0"]


def _opened(ticket: str) -> Any:
    from tests.desk.desk_testkit import opened

    return opened(ticket)


@pytest.mark.slow  # the full size on PostgreSQL: about 80 s alone on two cores
def test_eight_workers_ten_thousand_tickets_with_kills(database: str, tmp_path: Path) -> None:
    run(database, tmp_path, tickets=10_000, workers=8, kill=3)
