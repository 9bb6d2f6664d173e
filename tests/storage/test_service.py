from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest

from slakit import NaiveDatetimeError
from slakit.storage import (
    KEEP_WAKE_AT,
    ConcurrencyError,
    InMemoryStore,
    KeepWakeAt,
    OutboxEntry,
    TicketService,
    TicketUpdate,
)
from slakit.workflow import (
    Event,
    InvalidTransition,
    TicketReopened,
    TicketState,
    WrongTicketError,
)
from tests.storage.storage_testkit import T0, opened, reply


class RacingStore(InMemoryStore):
    """A store where another writer appends just before each of our first `races` appends."""

    def __init__(self, races: int) -> None:
        super().__init__()
        self.races = races
        self.calls = 0

    def append(
        self,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT,
        outbox: Sequence[OutboxEntry] = (),
        **legacy: Any,
    ) -> TicketState:
        self.calls += 1
        if self.races > 0 and expected_version > 0:
            self.races -= 1
            rival = reply(ticket, f"rival-{self.races}", 1)
            super().append(tenant, ticket, [rival], expected_version=expected_version)
        return super().append(
            tenant, ticket, events, expected_version=expected_version, wake_at=wake_at,
            outbox=outbox, **legacy,
        )


def no_sleep(seconds: float) -> None:
    assert 0 <= seconds <= 0.05


def test_handle_returns_state_events_and_decisions() -> None:
    seen: list[tuple[TicketState, tuple[Event, ...], datetime]] = []

    def decide(state: TicketState, events: tuple[Event, ...], now: datetime) -> list[str]:
        seen.append((state, events, now))
        return [f"notify:{state.status}"]

    service = TicketService(InMemoryStore(), decide=decide)
    first = opened("T-1")
    update = service.handle("shop", [first], T0)
    assert update == TicketUpdate(
        state=service.state("shop", "T-1"),  # type: ignore[arg-type]
        applied=(first,),
        decisions=("notify:new",),
        attempts=1,
    )
    assert seen == [(update.state, (first,), T0)]
    # Redelivery: nothing stored, nothing decided.
    again = service.handle("shop", [first], T0)
    assert (again.applied, again.decisions, again.state.version) == ((), (), 1)
    assert len(seen) == 1


def test_due_hook_is_stored_with_the_events() -> None:
    store = InMemoryStore()

    def wake_at(state: TicketState, now: datetime) -> datetime | None:
        return None if state.status == "resolved" else now + timedelta(hours=4)

    service = TicketService(store, wake_at=wake_at)
    service.handle("shop", [opened("T-1")], T0)
    assert [s.wake_at for s in store.list_wakeups("shop", T0 + timedelta(days=1))] == [
        T0 + timedelta(hours=4)
    ]


def test_conflicts_are_retried_on_fresh_state() -> None:
    store = RacingStore(races=3)
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    service = TicketService(store, sleep=no_sleep)
    update = service.handle("shop", [reply("T-1", "mine", 2)], T0)
    assert update.attempts == 4
    assert update.state.version == 5  # opened + 3 rivals + mine
    assert [e.event_id for e in store.load_events("shop", "T-1")][-1] == "mine"


def test_persistent_conflict_is_raised_after_max_attempts() -> None:
    store = RacingStore(races=10)
    store.append("shop", "T-1", [opened("T-1")], expected_version=0)
    service = TicketService(store, max_attempts=3, sleep=no_sleep)
    store.calls = 0
    with pytest.raises(ConcurrencyError):
        service.handle("shop", [reply("T-1", "mine", 2)], T0)
    assert store.calls == 3


def test_illegal_event_is_not_retried_and_stores_nothing() -> None:
    store = RacingStore(races=0)
    service = TicketService(store)
    service.handle("shop", [opened("T-1")], T0)
    with pytest.raises(InvalidTransition):
        service.handle("shop", [TicketReopened(ticket="T-1", at=T0, event_id="x")], T0)
    assert store.calls == 1
    assert len(store.load_events("shop", "T-1")) == 1


@pytest.mark.parametrize(
    ("events", "now", "error"),
    [
        ([], T0, ValueError),
        ([opened("T-1"), reply("T-2", "r")], T0, WrongTicketError),
        ([opened("T-1")], datetime(2025, 3, 3), NaiveDatetimeError),
    ],
)
def test_bad_calls(events: list[Event], now: datetime, error: type[Exception]) -> None:
    with pytest.raises(error):
        TicketService(InMemoryStore()).handle("shop", events, now)


def test_decisions_may_be_any_objects() -> None:
    def decide(state: TicketState, events: tuple[Event, ...], now: datetime) -> list[Any]:
        return [{"wake_at": now}, state.version]

    update = TicketService(InMemoryStore(), decide=decide).handle("s", [opened("T")], T0)
    assert update.decisions == ({"wake_at": T0}, 1)
