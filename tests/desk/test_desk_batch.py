"""``Desk.wake`` stores a claimed batch in one transaction: a ticket another writer changed
meanwhile is left out alone (a conflict, its writer having recorded what was due), and a
batch whose transaction fails is redone ticket by ticket: nothing lost, nothing doubled."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

import pytest

from slakit.desk import InMemoryNotifier
from slakit.storage import BatchResult, DeskStore, TicketAppend
from slakit.workflow import Escalated
from tests.desk.desk_testkit import T0, make_desk, opened, replied

LADDER = ("half/1", "late/1/1")  # due by 31 minutes


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class Meddling:
    """A store whose ``append_batch`` first runs ``before`` (once), then the real one."""

    def __init__(self, store: DeskStore, before: Callable[[Sequence[TicketAppend]], None]):
        self.inner = store
        self.before: Callable[[Sequence[TicketAppend]], None] | None = before
        self.batches: list[int] = []

    def append_batch(self, appends: Sequence[TicketAppend]) -> tuple[BatchResult, ...]:
        self.batches.append(len(appends))
        before, self.before = self.before, None
        if before is not None:
            before(appends)
        return self.inner.append_batch(appends)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def keys(store: DeskStore, ticket: str) -> list[str]:
    return [e.key.split("/", 1)[1] for e in store.load_events("shop", ticket)
            if isinstance(e, Escalated)]


def open_three(store: DeskStore) -> None:
    desk = make_desk(store)
    for ticket in ("T-1", "T-2", "T-3"):
        desk.record("shop", [opened(ticket)], T0)


def test_one_batch_transaction_for_the_claimed_tickets(store: DeskStore) -> None:
    open_three(store)
    meddling = Meddling(store, lambda _: None)
    report = make_desk(cast(DeskStore, meddling)).wake(at(31))
    assert meddling.batches == [3]
    assert (report.claimed, report.conflicts, len(report.decisions)) == (3, 0, 6)
    assert [keys(store, t) for t in ("T-1", "T-2", "T-3")] == [
        ["first_response/1/" + k for k in LADDER]] * 3


def test_a_ticket_changed_meanwhile_is_a_conflict_and_the_others_are_stored(
    store: DeskStore,
) -> None:
    open_three(store)
    other = make_desk(store)

    def reply_to_t2(_: Sequence[TicketAppend]) -> None:
        # Another writer records a reply on T-2 between this worker's claim and its batch.
        other.record("shop", [replied("T-2", at(31))], at(31))

    notifier = InMemoryNotifier()
    desk = make_desk(cast(DeskStore, Meddling(store, reply_to_t2)), notifier)
    report = desk.wake(at(31))
    assert (report.claimed, report.conflicts) == (3, 1)
    assert sorted({d.ticket for d in report.decisions}) == ["T-1", "T-3"]
    # T-2's writer recorded its due escalations itself, in its own append: each key once.
    for ticket in ("T-1", "T-2", "T-3"):
        assert keys(store, ticket) == ["first_response/1/" + k for k in LADDER]
    assert desk.wake(at(31)).claimed == 0  # nothing left behind a lease
    assert sorted(d.ticket for d in notifier.delivered) == ["T-1", "T-1", "T-3", "T-3"]


def test_a_failed_batch_is_redone_ticket_by_ticket(store: DeskStore) -> None:
    open_three(store)
    other = make_desk(store)

    def fail(appends: Sequence[TicketAppend]) -> None:
        other.record("shop", [replied("T-3", at(31))], at(31))  # T-3 will conflict
        raise sqlite3.OperationalError("disk I/O error")

    notifier = InMemoryNotifier()
    meddling = Meddling(store, fail)
    report = make_desk(cast(DeskStore, meddling), notifier).wake(at(31))
    assert meddling.batches == [3]  # the batch failed before storing anything
    assert (report.claimed, report.conflicts) == (3, 1)
    assert sorted({d.ticket for d in report.decisions}) == ["T-1", "T-2"]
    for ticket in ("T-1", "T-2", "T-3"):
        assert keys(store, ticket) == ["first_response/1/" + k for k in LADDER]
    assert sorted(d.ticket for d in notifier.delivered) == ["T-1", "T-1", "T-2", "T-2"]


def test_a_batch_failing_again_one_by_one_raises_and_stores_nothing_twice(
    store: DeskStore,
) -> None:
    open_three(store)

    class Broken(Meddling):
        def append(self, *args: Any, **kwargs: Any) -> Any:
            raise sqlite3.OperationalError("disk I/O error")

    broken = Broken(store, lambda _: (_ for _ in ()).throw(sqlite3.OperationalError("full")))
    with pytest.raises(sqlite3.OperationalError):
        make_desk(cast(DeskStore, broken)).wake(at(31))
    assert [keys(store, t) for t in ("T-1", "T-2", "T-3")] == [[], [], []]
    # The claims' leases expire; a later worker does the work, once.
    report = make_desk(store).wake(at(36))
    assert (report.claimed, len(report.decisions)) == (3, 6)
