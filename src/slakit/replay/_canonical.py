"""Reading slakit's own canonical JSON Lines events (the workflow's JSON form).

Each line is one event (``{"type": ..., "ticket": ..., "at": ..., ...}``); older schema
versions are upgraded on read. Lines of a ticket need not be contiguous: the file is grouped
in memory. Each ticket's events must already be in time order: the fold rejects a late or
illegal event, and the ticket with it, naming the event's line. A line that names its
ticket but cannot be decoded (an unknown field, a bad time) rejects that whole ticket,
listing every such line; judging the rest would give an answer from part of its history.
A line naming no ticket (not JSON, not an object) is rejected on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from slakit._message import message_of
from slakit.replay._convert import TicketLog
from slakit.replay._sources import Rejected, SourceRow, read_rows
from slakit.workflow import (
    Event,
    EventDecodeError,
    InvalidTransition,
    LateEventError,
    TicketState,
    WrongTicketError,
    apply,
    event_from_dict,
)


def read_canonical(path: Path) -> Iterator[TicketLog | Rejected]:
    """Tickets of a canonical event log, in order of first appearance."""
    tickets: dict[str, list[tuple[int, Event]]] = {}
    bad: dict[str, list[Rejected]] = {}
    for row in read_rows(path, "jsonl"):
        if isinstance(row, Rejected):
            yield row
            continue
        event = _decode(row, path)
        if isinstance(event, Rejected):
            if event.ticket is None:
                yield event
            else:
                tickets.setdefault(event.ticket, [])
                bad.setdefault(event.ticket, []).append(event)
            continue
        tickets.setdefault(event.ticket, []).append((row.line, event))
    for ticket, items in tickets.items():
        problems = bad.get(ticket)
        yield Rejected.merged(ticket, tuple(problems)) if problems else _checked(
            ticket, items, path)


def _checked(ticket: str, items: list[tuple[int, Event]], path: Path) -> TicketLog | Rejected:
    """Fold the ticket's events once, so a refused event is reported at its own line."""
    state: TicketState | None = None
    states: list[TicketState] = []
    for line, event in items:
        try:
            state = apply(state, event)
        except (InvalidTransition, LateEventError, WrongTicketError) as exc:
            return Rejected(ticket, str(path), line, message_of(exc))
        states.append(state)
    return TicketLog(ticket, tuple(e for _, e in items), str(path), items[0][0],
                     states=tuple(states))


def _decode(row: SourceRow, path: Path) -> Event | Rejected:
    try:
        return event_from_dict(row.data)
    except EventDecodeError as exc:
        ticket = row.data.get("ticket")
        named = str(ticket) if isinstance(ticket, str | int) and str(ticket) else None
        return Rejected(named, str(path), row.line, message_of(exc))
