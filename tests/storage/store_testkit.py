"""Helpers for the storage tests (importable by worker processes: slakit imports only)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from slakit.storage import SQLiteStore, TicketService
from slakit.workflow import AgentReplied, Event, TicketOpened

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


def opened(ticket: str, at: datetime = T0, event_id: str | None = None) -> TicketOpened:
    return TicketOpened(
        ticket=ticket, at=at, event_id=event_id or f"{ticket}-open", priority="normal",
        category=None, channel="email", customer="c-1", customer_tier=None,
    )


def reply(ticket: str, event_id: str, minutes: int = 0) -> AgentReplied:
    return AgentReplied(ticket=ticket, at=T0 + timedelta(minutes=minutes), event_id=event_id)


def contending_writer(path: str, worker: int, count: int) -> None:
    """Append ``count`` replies to ticket T-1 through the retrying service."""
    with SQLiteStore(path, synchronous="NORMAL") as store:
        service = TicketService(store)
        for i in range(count):
            event: Event = reply("T-1", f"w{worker}-{i}", minutes=1)
            service.handle("shop", [event], T0)


def batch(ticket_index: int, batch_index: int, size: int) -> list[Event]:
    ticket = f"T-{ticket_index}"
    events: list[Event] = []
    for i in range(size):
        n = batch_index * size + i
        events.append(opened(ticket) if n == 0 else reply(ticket, f"{ticket}-{n}", n))
    return events


def endless_writer(path: str, report_fd: int, tickets: int, size: int) -> None:
    """Append batches round-robin over tickets forever, reporting each commit on a pipe."""
    with SQLiteStore(Path(path), synchronous="NORMAL") as store:
        batch_index = 0
        while True:
            for t in range(tickets):
                store.append("shop", f"T-{t}", batch(t, batch_index, size),
                             expected_version=batch_index * size)
                os.write(report_fd, f"{t}:{batch_index}\n".encode())
            batch_index += 1
