"""A thin service over a ticket store: load -> apply -> append, retrying on conflicts.

The only non-pure layer slakit ships: it talks to a store and may sleep between retries. The
decisions the host should act on (notify, escalate, wake me at...) come from a pluggable
``decide(state, events, now)`` function, so the SLA engine plugs in without changing this.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import attrs

from slakit._errors import InvalidValueError
from slakit._fast import derive
from slakit._message import Message
from slakit.storage._common import check_aware
from slakit.storage._deprecated import warn_renamed
from slakit.storage._errors import ConcurrencyError
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketStore
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    Event,
    TicketState,
    Workflow,
    WrongTicketError,
    apply,
)

Decide = Callable[[TicketState, tuple[Event, ...], datetime], Sequence[Any]]
"""``(new state, newly applied events, now) -> decisions`` for the host to act on."""

WakeAt = Callable[[TicketState, datetime], datetime | None]
"""``(new state, now) -> wake-up time`` to store with the ticket (None clears it)."""


def _default_backoff(attempt: int) -> float:
    # Full jitter: spreads retrying writers apart; capped so a hot ticket never waits long.
    return float(random.uniform(0.0, min(0.05, 0.001 * 2**attempt)))


@attrs.frozen
class TicketUpdate:
    """What :meth:`TicketService.handle` did.

    Attributes:
        state: The ticket's state after the events.
        applied: The events newly stored (redelivered ones are left out).
        decisions: What ``decide`` asked the host to do; empty without ``decide``.
        attempts: How many load-apply-append rounds it took (1 without conflicts).
    """

    state: TicketState
    applied: tuple[Event, ...]
    decisions: tuple[Any, ...]
    attempts: int


@attrs.frozen
class TicketService:
    """Apply events to stored tickets safely under concurrent writers.

    Args:
        store: Any :class:`~slakit.storage.TicketStore`.
        workflow: The workflow the store uses.
        decide: Optional ``(state, events, now) -> decisions`` hook (e.g. the SLA engine).
        wake_at: Optional ``(state, now) -> wake-up time`` hook; its result is stored with
            the events, in the same transaction. (For escalations, use
            :class:`slakit.desk.Desk`, which computes it from the SLA state.)
        due_at: Deprecated name of ``wake_at``.
        max_attempts: Rounds before a persistent conflict is raised as ConcurrencyError.
        backoff: Seconds to wait before retry number ``attempt`` (1, 2, ...).
        sleep: How to wait (replace it in tests).

    Example:
        >>> from datetime import datetime, timezone
        >>> from slakit.storage import InMemoryStore
        >>> from slakit.workflow import TicketOpened
        >>> service = TicketService(InMemoryStore())
        >>> now = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)
        >>> opened = TicketOpened(ticket="T-1", event_id="e1", priority="low", at=now,
        ...     category=None, channel=None, customer=None, customer_tier=None)
        >>> service.handle("shop-a", [opened], now).state.status
        'new'
        >>> service.handle("shop-a", [opened], now).applied  # redelivered: a no-op
        ()
    """

    store: TicketStore
    workflow: Workflow = DEFAULT_WORKFLOW
    decide: Decide | None = None
    wake_at: WakeAt | None = None
    due_at: WakeAt | None = None
    max_attempts: int = 50
    backoff: Callable[[int], float] = _default_backoff
    sleep: Callable[[float], None] = time.sleep

    def __attrs_post_init__(self) -> None:
        if self.due_at is not None:
            warn_renamed("TicketService(due_at=...)", "TicketService(wake_at=...)")
            if self.wake_at is not None:
                raise InvalidValueError(Message("give wake_at only (due_at is its deprecated name)"))
            derive(self, "wake_at", self.due_at)

    def handle(self, tenant: str, events: Sequence[Event], now: datetime) -> TicketUpdate:
        """Apply ``events`` (all of one ticket, in order) to the stored ticket.

        Raises:
            InvalidTransition, LateEventError: an event is illegal on the current state;
                nothing is stored (retrying would not help, so it is not retried).
            WrongTicketError: the events belong to several tickets.
            ConcurrencyError: still conflicting after ``max_attempts`` rounds.
        """
        check_aware("now", now)
        if not events:
            raise InvalidValueError(Message("handle needs at least one event; pass the new events"))
        ticket = events[0].ticket
        for event in events:
            if event.ticket != ticket:
                raise WrongTicketError(ticket, event.ticket)
        attempt = 0
        while True:
            attempt += 1
            state = self.store.load_state(tenant, ticket)
            new_state, fresh = state, []
            for event in events:
                after = apply(new_state, event, self.workflow)
                if after is not new_state:
                    fresh.append(event)
                new_state = after
            if not fresh and state is not None:
                return TicketUpdate(state, (), (), attempt)
            assert new_state is not None  # events is non-empty and apply never returns None
            wake: datetime | KeepWakeAt | None = (
                KEEP_WAKE_AT if self.wake_at is None else self.wake_at(new_state, now)
            )
            try:
                stored = self.store.append(
                    tenant,
                    ticket,
                    fresh,
                    expected_version=0 if state is None else state.version,
                    wake_at=wake,
                )
            except ConcurrencyError:
                if attempt >= self.max_attempts:
                    raise
                self.sleep(self.backoff(attempt))
                continue
            applied = tuple(fresh)
            decisions = () if self.decide is None else tuple(self.decide(stored, applied, now))
            return TicketUpdate(stored, applied, decisions, attempt)

    def state(self, tenant: str, ticket: str) -> TicketState | None:
        """The stored ticket's current state, or None."""
        return self.store.load_state(tenant, ticket)
