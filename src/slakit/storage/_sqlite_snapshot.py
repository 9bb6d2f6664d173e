"""How SQLiteStore reads and writes a ticket's state in its ``tickets`` row.

Design rules:

- The snapshot row holds the state without its event ids: the events table has them, and a
  row holding every id made each append write (and sort, and encode) the whole history, so
  appends slowed as a ticket grew (26 ms per append at 40,000 events, issue #12). The row's
  size is now constant per ticket.
- Snapshots written with ids (before this change) still read, and an older slakit reading a
  snapshot without ids sees it as outdated and replays the events: no schema change.
- Reads are consistent without a transaction: events are append-only, so the rows up to the
  version read with the snapshot (``seq <= version``) never change.
- A cached state older than the row is brought up to date by folding only the newer events.
- An append writes its events, then the row (version, status, wake-up, lease released); the
  snapshot only when the state changed (an append without new events keeps it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from slakit._errors import SlakitError
from slakit.storage._common import micros_or_none, to_micros, with_event_ids
from slakit.storage._port import KeepWakeAt
from slakit.workflow import EVENT_SCHEMA_VERSION as _EVENT_SCHEMA
from slakit.workflow import (
    Event,
    EventDecodeError,
    TicketState,
    Workflow,
    apply_all,
    event_from_json,
    event_to_json,
    state_from_dict,
    state_to_dict,
)

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def snapshot_json(state: TicketState) -> str:
    """The snapshot text stored in the ticket's row: ``state`` without its event ids."""
    doc = state_to_dict(with_event_ids(state, frozenset()))  # no sorting of ids
    del doc["event_ids"]
    return _ENCODER.encode(doc)


def state_from_row(
    db: sqlite3.Connection,
    tenant: str,
    ticket: str,
    version: int,
    snapshot: str,
    workflow: Workflow,
) -> TicketState:
    """The state of a ticket row read at ``version``: snapshot plus ids, or a replay."""
    try:
        doc = json.loads(snapshot)
        if isinstance(doc, dict):
            doc["event_ids"] = [
                event_id for (event_id,) in db.execute(
                    "SELECT event_id FROM events WHERE tenant = ? AND ticket = ? AND seq <= ?",
                    (tenant, ticket, version),
                )
            ]
        return state_from_dict(doc)
    except (EventDecodeError, ValueError):
        # A snapshot is a cache: when its format is outdated, the events are the truth.
        rows = db.execute(
            "SELECT body FROM events WHERE tenant = ? AND ticket = ? AND seq <= ? ORDER BY seq",
            (tenant, ticket, version),
        ).fetchall()
        return apply_all((event_from_json(body) for (body,) in rows), workflow)


def caught_up(
    db: sqlite3.Connection,
    tenant: str,
    ticket: str,
    cached: TicketState,
    version: int,
    workflow: Workflow,
) -> TicketState | None:
    """``cached`` with the events stored after it, up to ``version``; None if that fails."""
    rows = db.execute(
        "SELECT body FROM events WHERE tenant = ? AND ticket = ? AND seq > ? AND seq <= ? "
        "ORDER BY seq",
        (tenant, ticket, cached.version, version),
    ).fetchall()
    try:
        state = apply_all((event_from_json(body) for (body,) in rows), workflow, start=cached)
    except SlakitError:
        return None  # e.g. another writer's workflow refuses them: read the snapshot instead
    return state if state.version == version else None


def write_append(
    db: sqlite3.Connection, tenant: str, ticket: str, row: tuple[int, str] | None,
    state: TicketState, fresh: Sequence[Event], wake_at: datetime | KeepWakeAt | None,
) -> None:
    """Write a checked append: its ``fresh`` events, then the ticket's row.

    ``row`` is the ``(version, snapshot)`` read before the checks (None for a new ticket).
    The row gets ``state``, the wake-up (unless KEEP_WAKE_AT) and no lease; the snapshot is
    rewritten only when there are new events.
    """
    actual = 0 if row is None else row[0]
    if fresh:
        db.executemany(
            "INSERT INTO events (tenant, ticket, seq, event_id, type, at_us, schema, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (tenant, ticket, actual + i, e.event_id, e.event_type, to_micros(e.at),
                 _EVENT_SCHEMA, event_to_json(e))
                for i, e in enumerate(fresh, start=1)
            ],
        )
    snapshot = snapshot_json(state) if fresh or row is None else row[1]
    if row is None:
        wake = None if isinstance(wake_at, KeepWakeAt) else micros_or_none(wake_at)
        db.execute(
            "INSERT INTO tickets (tenant, ticket, version, status, wake_us, snapshot) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (tenant, ticket, state.version, state.status, wake, snapshot),
        )
    elif isinstance(wake_at, KeepWakeAt):
        db.execute(
            "UPDATE tickets SET version = ?, status = ?, snapshot = ?, lease_us = NULL "
            "WHERE tenant = ? AND ticket = ?",
            (state.version, state.status, snapshot, tenant, ticket),
        )
    else:
        db.execute(
            "UPDATE tickets SET version = ?, status = ?, snapshot = ?, wake_us = ?, "
            "lease_us = NULL WHERE tenant = ? AND ticket = ?",
            (state.version, state.status, snapshot, micros_or_none(wake_at), tenant,
             ticket),
        )
