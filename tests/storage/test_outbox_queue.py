"""OutboxQueue.enqueue on every desk store (memory, SQLite, SQLAlchemy on SQLite and on
PostgreSQL when a server can be had): entries outside a ticket append join the one outbox,
once per key and tenant, and are claimed and finished like the escalations' entries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from slakit._errors import InvalidValueError
from slakit.storage import DeskStore, OutboxEntry, OutboxQueue
from tests.storage.storage_testkit import DESK_STORES, T0, desk_store, opened

LEASE = timedelta(minutes=5)


@pytest.fixture(params=DESK_STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DeskStore]:
    with desk_store(request, tmp_path) as desk:
        yield desk


def test_enqueued_entries_join_the_outbox_once_per_key_and_tenant(store: DeskStore) -> None:
    assert isinstance(store, OutboxQueue)
    store.append("a", "T-1", [opened("T-1")], expected_version=0,
                 outbox=[OutboxEntry("T-1/esc", "T-1", '{"n": 1}')])
    store.enqueue("a", [OutboxEntry("care:x", "shop-1", '{"kind": "care"}'),
                        OutboxEntry("T-1/esc", "T-1", '{"n": 2}'),  # the key exists: skipped
                        OutboxEntry("care:x", "shop-1", '{"kind": "other"}')])
    store.enqueue("b", [OutboxEntry("care:x", "shop-9", '{"kind": "care"}')])
    store.enqueue("a", [])
    assert [(i.key, i.ticket, i.body, i.state) for i in store.list_outbox("a")] == [
        ("T-1/esc", "T-1", '{"n": 1}', "pending"),
        ("care:x", "shop-1", '{"kind": "care"}', "pending")]
    claimed = store.claim_deliveries(T0, lease=LEASE, tenant="a")
    assert sorted(i.key for i in claimed) == ["T-1/esc", "care:x"]
    store.finish_delivery("a", "care:x", delivered=True)
    store.enqueue("a", [OutboxEntry("care:x", "shop-1", '{"kind": "care"}')])  # delivered: stays
    assert [(i.key, i.state) for i in store.list_outbox("a", state="delivered")] == [
        ("care:x", "delivered")]
    assert [i.ticket for i in store.list_outbox("b")] == ["shop-9"]


def test_a_bad_tenant_is_refused_and_nothing_is_queued(store: DeskStore) -> None:
    assert isinstance(store, OutboxQueue)
    for tenant in ("", None):
        with pytest.raises(InvalidValueError):
            store.enqueue(tenant, [OutboxEntry("care:x", "s", "{}")])  # type: ignore[arg-type]
    assert store.list_outbox("") == ()
