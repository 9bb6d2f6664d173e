"""The CareStore contract, run on every care store: in memory, SQLite, and SQLAlchemyStore on
SQLite and on PostgreSQL (when a server can be had; skipped otherwise)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slakit import NaiveDatetimeError
from slakit.care import (
    CareSchedule,
    CareStore,
    FollowUpCompleted,
    InMemoryCareStore,
    SQLiteCareStore,
)
from slakit.plans import Plan, PlanInputError, PlanStarted, Quota, QuotaConsumed
from tests.storage.storage_testkit import SQLAlchemySQLiteBackend, server

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


PLAN = Plan("annual", "annual", at(2025, 1, 1), at(2026, 1, 1), quotas=[Quota("visit", 1)])


@pytest.fixture(params=["memory", "sqlite", "sqlalchemy-sqlite", "sqlalchemy-postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CareStore]:
    if request.param == "memory":
        yield InMemoryCareStore()
    elif request.param == "sqlite":
        s = SQLiteCareStore(tmp_path / "care.db")
        yield s
        s.close()
    elif request.param == "sqlalchemy-sqlite":
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with SQLAlchemySQLiteBackend(tmp_path).fresh() as alchemy:
            yield alchemy
    else:
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with server(request.getfixturevalue("postgres_url")).fresh() as alchemy:
            yield alchemy


def test_plan_events_fold_skip_redeliveries_and_refuse_illegal_ones(store: CareStore) -> None:
    assert isinstance(store, CareStore)
    assert store.load_plan("t", "s") is None
    start = PlanStarted(subject="s", at=at(2025, 1, 1), event_id="e1", plan=PLAN)
    use = QuotaConsumed(subject="s", at=at(2025, 2, 1), event_id="q1", quota="visit")
    state = store.append_plan_events("t", "s", [start, use, start])
    assert state.quota_left("visit", at(2025, 3, 1)) == 0
    again = QuotaConsumed(subject="s", at=at(2025, 3, 1), event_id="q2", quota="visit")
    later = QuotaConsumed(subject="s", at=at(2025, 4, 1), event_id="q3", quota="visit")
    with pytest.raises(PlanInputError):
        store.append_plan_events("t", "s", [again, later])
    loaded = store.load_plan("t", "s")
    assert loaded == state
    assert loaded is not None
    assert loaded.event_ids == frozenset({"e1", "q1"})
    assert store.load_plan("other-tenant", "s") is None


def test_care_events_fired_keys_and_wake_ups(store: CareStore) -> None:
    done = FollowUpCompleted(subject="s", at=at(2025, 4, 2), event_id="f1", schedule="visit",
                             occurrence="2025-04-01T00:00")
    assert store.append_care_events("t", "s", [done, done]) == (done,)
    assert store.append_care_events("t", "s", [done]) == ()
    assert store.load_care_events("t", "s") == (done,)
    assert store.load_care_events("u", "s") == ()
    with pytest.raises(PlanInputError):
        store.append_care_events("t", "other", [done])
    assert store.mark_fired("t", ["k1", "k2", "k1"]) == ("k1", "k2")
    assert store.mark_fired("t", ["k2", "k3"]) == ("k3",)
    assert store.fired("t", ["k1", "k9"]) == frozenset({"k1"})
    assert store.fired("u", ["k1"]) == frozenset()
    assert store.next_wake("t") is None
    store.set_wake("t", "a", at(2025, 5, 2))
    store.set_wake("t", "b", at(2025, 5, 1))
    store.set_wake("u", "c", at(2025, 4, 1))
    assert store.due_subjects("t", at(2025, 5, 2)) == ("b", "a")
    assert store.next_wake("t") == at(2025, 5, 1)
    assert store.next_wake("u") == at(2025, 4, 1)
    store.set_wake("t", "b", None)
    assert store.due_subjects("t", at(2025, 6, 1)) == ("a",)
    assert store.next_wake("t") == at(2025, 5, 2)
    with pytest.raises(NaiveDatetimeError):
        store.set_wake("t", "a", datetime(2025, 1, 1))


def test_schedules_are_replaced_whole_and_tenant_scoped(store: CareStore) -> None:
    visit = CareSchedule("visit", at(2025, 1, 6), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
                         overdue_after=timedelta(hours=18), plan="annual")
    notice = CareSchedule("notice", at(2025, 1, 1), dates=(at(2025, 3, 15, 2),),
                          offset_days=-3, working=True)
    assert store.load_schedules("t", "s") == ()
    store.put_schedules("t", "s", [visit, notice])
    assert store.load_schedules("t", "s") == (visit, notice)
    assert store.load_schedules("u", "s") == ()
    with pytest.raises(PlanInputError, match="unique"):
        store.put_schedules("t", "s", [visit, visit])
    assert store.load_schedules("t", "s") == (visit, notice)
    store.put_schedules("t", "s", [notice])
    assert store.load_schedules("t", "s") == (notice,)
