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
- **The snapshot may lag the row by up to** ``SNAPSHOT_EVERY - 1`` **events** (schema 4): an
  append writes its events, then the row (version, status, wake-up, lease released), and
  rewrites the snapshot only when the ticket's version crosses a multiple of
  ``SNAPSHOT_EVERY`` (and for a new ticket). Encoding the state was a fifth of an append's
  CPU time (issue #13's ``record`` target); a reader that has no cached state decodes the
  snapshot, whose own ``version`` says where it stands, and folds the few events after it.
  A schema-3 slakit would take a lagging snapshot for the row's state, so the file says
  schema 4 and an older slakit refuses to open it; one that opened the file before the
  migration (a rolling upgrade) finds a key it does not know in the snapshot and replays
  the events instead (see ``_MAY_LAG``).
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

SNAPSHOT_EVERY = 16
"""An append rewrites a ticket's snapshot when its version crosses a multiple of this."""


def snapshot_due(old_version: int, new_version: int) -> bool:
    """Whether an append taking a ticket from ``old_version`` to ``new_version`` rewrites it.

    So the snapshot is at most ``SNAPSHOT_EVERY - 1`` events behind the row: it was last
    written at or after the last multiple of ``SNAPSHOT_EVERY`` the version reached.
    """
    return new_version // SNAPSHOT_EVERY != old_version // SNAPSHOT_EVERY


_MAY_LAG = "sqlite_schema"
"""The key marking a SQLiteStore snapshot that may lag its row (its value: 4).

A schema-3 slakit still running beside a schema-4 one (a rolling upgrade: it opened the
file before the migration) does not know the key, so it takes the snapshot for outdated and
replays the ticket's events, instead of taking a lagging snapshot for the ticket's state.
"""


def snapshot_json(state: TicketState, *, may_lag: bool = False) -> str:
    """The snapshot text stored in the ticket's row: ``state`` without its event ids.

    With ``may_lag`` (SQLiteStore's rows), marked as a snapshot that may lag its row.
    """
    doc = state_to_dict(with_event_ids(state, frozenset()))  # no sorting of ids
    del doc["event_ids"]
    if may_lag:
        doc[_MAY_LAG] = 4
    return _ENCODER.encode(doc)


def state_from_row(
    db: sqlite3.Connection,
    tenant: str,
    ticket: str,
    version: int,
    snapshot: str,
    workflow: Workflow,
) -> TicketState:
    """The state of a ticket row read at ``version``: snapshot, its ids and the events after it.

    Falls back to a replay of every event when the snapshot is outdated, malformed, or
    cannot be brought up to ``version``.
    """
    state: TicketState | None = None
    try:
        doc = json.loads(snapshot)
        at = doc.get("version") if isinstance(doc, dict) else None
        if type(at) is int and 0 < at <= version:
            doc.pop(_MAY_LAG, None)  # absent from snapshots written by schema 3
            doc["event_ids"] = [
                event_id for (event_id,) in db.execute(
                    "SELECT event_id FROM events WHERE tenant = ? AND ticket = ? AND seq <= ?",
                    (tenant, ticket, at),
                )
            ]
            state = state_from_dict(doc)
    except (EventDecodeError, ValueError):
        state = None
    if state is not None and state.version < version:
        state = caught_up(db, tenant, ticket, state, version, workflow)
    if state is not None:
        return state
    # A snapshot is a cache: when it is outdated or cannot be caught up, the events are the
    # truth.
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
        return None  # e.g. another writer's workflow refuses them: the caller replays
    return state if state.version == version else None


def write_append(
    db: sqlite3.Connection, tenant: str, ticket: str,
    row: tuple[int, str, str, int | None] | None, state: TicketState, fresh: Sequence[Event],
    wake_at: datetime | KeepWakeAt | None,
) -> None:
    """Write a checked append: its ``fresh`` events, then the ticket's row.

    ``row`` is the ``(version, snapshot, status, wake_us)`` read before the checks (None for
    a new ticket). The row gets ``state``'s version and status, the wake-up (unless
    KEEP_WAKE_AT) and no lease; the snapshot is rewritten when :func:`snapshot_due` says so.
    Only the indexed columns whose value changes are set: SQLite rewrites a column's index
    entries whenever the column is set, even to the value it had (a bare one-event
    transaction cost 93-96 us of CPU instead of 67-69 us when both were set unchanged).
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
    keep_wake = isinstance(wake_at, KeepWakeAt)
    wake = None if isinstance(wake_at, KeepWakeAt) else micros_or_none(wake_at)
    if row is None:
        db.execute(
            "INSERT INTO tickets (tenant, ticket, version, status, wake_us, snapshot) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (tenant, ticket, state.version, state.status, wake,
             snapshot_json(state, may_lag=True)),
        )
        return
    values: list[object] = [state.version]
    write_snapshot = bool(fresh) and snapshot_due(actual, state.version)
    if write_snapshot:
        values.append(snapshot_json(state, may_lag=True))
    write_status = state.status != row[2]
    if write_status:
        values.append(state.status)
    write_wake = not keep_wake and wake != row[3]
    if write_wake:
        values.append(wake)
    db.execute(_UPDATE_ROW[write_snapshot, write_status, write_wake], (*values, tenant, ticket))


_UPDATE_ROW = {
    (snapshot, status, wake): "UPDATE tickets SET version = ?, "
    + ("snapshot = ?, " if snapshot else "") + ("status = ?, " if status else "")
    + ("wake_us = ?, " if wake else "") + "lease_us = NULL WHERE tenant = ? AND ticket = ?"
    for snapshot in (False, True) for status in (False, True) for wake in (False, True)
}
"""The row update of an append, by which of snapshot, status and wake-up it sets."""
