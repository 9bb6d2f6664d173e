"""SQLAlchemyStore beyond the shared contracts: the missing extra, the SQL it claims with,
and concurrent claimers never sharing a ticket (SQLite here; PostgreSQL in test_desk_race)."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import slakit.storage
from slakit import MissingExtraError, SlakitError
from tests.storage.storage_testkit import T0, SQLAlchemySQLiteBackend, opened

pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")

from sqlalchemy import event

from slakit.storage import SQLAlchemyStore

LEASE = timedelta(minutes=5)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLAlchemyStore]:
    with SQLAlchemySQLiteBackend(tmp_path).fresh() as fresh:
        yield fresh


def test_without_sqlalchemy_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name == "sqlalchemy" or name.startswith(("sqlalchemy.", "slakit.storage._sqlalchemy")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # what an absent package looks like
    monkeypatch.delitem(vars(slakit.storage), "SQLAlchemyStore", raising=False)
    with pytest.raises(MissingExtraError, match=r"slakit\[sqlalchemy\]") as caught:
        importlib.import_module("slakit.storage").SQLAlchemyStore  # noqa: B018
    assert isinstance(caught.value, SlakitError)
    assert isinstance(caught.value, ImportError)


def test_repr_names_the_database_without_its_password() -> None:
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://desk:secret@db.example/shop")
    text = repr(SQLAlchemyStore(engine))
    assert "secret" not in text
    assert text == "SQLAlchemyStore('postgresql+psycopg://desk:***@db.example/shop')"


def _statements(store: SQLAlchemyStore) -> list[str]:
    seen: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _record(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    return seen


def test_a_sqlite_claim_takes_each_lease_with_a_guarded_update(store: SQLAlchemyStore) -> None:
    store.append("a", "T-1", [opened("T-1")], expected_version=0, wake_at=T0)
    seen = _statements(store)
    assert [c.ticket for c in store.claim_wakeups(T0, lease=LEASE)] == ["T-1"]
    updates = [s for s in seen if s.startswith("UPDATE")]
    assert len(updates) == 1
    assert "lease_us IS NULL OR slakit_tickets.lease_us <= ?" in updates[0]
    assert not any("FOR UPDATE" in s for s in seen)


def test_threads_claiming_at_once_never_share_a_ticket(store: SQLAlchemyStore) -> None:
    for i in range(60):
        store.append("a", f"T-{i}", [opened(f"T-{i}")], expected_version=0, wake_at=T0)
    taken: list[str] = []
    lock = threading.Lock()

    def claim() -> None:
        while claims := store.claim_wakeups(T0, lease=LEASE, limit=7):
            with lock:
                taken.extend(c.ticket for c in claims)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(f"T-{i}" for i in range(60))


def test_the_example_runs_a_desk_and_escalates_once() -> None:
    from examples.sqlalchemy_store import main

    assert main() == [
        "Ticket T-1 (shop-a): first_response (cycle 1, target 0:30:00) breached its target at "
        "2025-03-03 09:30; notify team_lead."
    ]
