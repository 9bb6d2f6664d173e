"""The desk's capabilities on SQLite: wake-up claims with a lease column, and the outbox.

Design rules (see :mod:`slakit.storage._desk_port` for the contract):

- Each function runs inside the caller's ``BEGIN IMMEDIATE`` transaction, so a claim's
  SELECT and UPDATE see no other writer in between: two workers never lease the same row
  at once, and a worker killed mid-claim leaves nothing half done.
- Leases and due times are integer microseconds (UTC) like every time in the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from slakit._errors import NotFoundError
from slakit._message import Message
from slakit.storage._common import (
    check_aware,
    check_claim_limit,
    check_key,
    from_micros,
    to_micros,
)
from slakit.storage._desk_port import DeliveryState, OutboxEntry, OutboxItem, WakeClaim

_OUTBOX_COLUMNS = "tenant, key, ticket, body, state, attempts, next_us, last_error"


def add_outbox(db: sqlite3.Connection, tenant: str, entries: Sequence[OutboxEntry]) -> None:
    """Insert entries as pending, skipping keys the tenant already has."""
    db.executemany(
        "INSERT OR IGNORE INTO outbox (tenant, key, ticket, body, state, attempts, next_us) "
        "VALUES (?, ?, ?, ?, 'pending', 0, 0)",
        [(tenant, e.key, e.ticket, e.body) for e in entries],
    )


class QueueOutsideAppends:
    """:meth:`~slakit.storage.OutboxQueue.enqueue` for :class:`~slakit.storage.SQLiteStore`.

    A mixin (the store's module is at the length limit): it runs in the store's own write
    transaction (``_write``), as the append's outbox entries do.
    """

    _write: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def enqueue(self, tenant: str, entries: Sequence[OutboxEntry]) -> None:
        """Add outbox entries outside a ticket append; see :meth:`OutboxQueue.enqueue`."""
        check_key(tenant, "-")
        if entries:
            with self._write() as db:
                add_outbox(db, tenant, entries)


def claim_wakeups(
    db: sqlite3.Connection, now: datetime, lease: timedelta, tenant: str | None, limit: int
) -> tuple[WakeClaim, ...]:
    """Lease tickets whose wake-up has passed and whose lease, if any, has expired."""
    rows = _lease(db, "tickets", "tenant, ticket, version, wake_us",
                  "wake_us IS NOT NULL AND wake_us <= ?", "wake_us", "ticket",
                  now, lease, tenant, limit)
    return tuple(WakeClaim(t, k, v, from_micros(w)) for t, k, v, w in rows)


def claim_deliveries(
    db: sqlite3.Connection, now: datetime, lease: timedelta, tenant: str | None, limit: int
) -> tuple[OutboxItem, ...]:
    """Lease pending entries due by ``now`` whose lease, if any, has expired."""
    rows = _lease(db, "outbox", _OUTBOX_COLUMNS, "state = 'pending' AND next_us <= ?",
                  "next_us", "key", now, lease, tenant, limit)
    return tuple(_item(row) for row in rows)


def finish_delivery(
    db: sqlite3.Connection, tenant: str, key: str, delivered: bool,
    retry_at: datetime | None, error: str | None,
) -> None:
    """Record one delivery attempt."""
    if delivered:
        cursor = db.execute(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, next_us = NULL, "
            "lease_us = NULL WHERE tenant = ? AND key = ?",
            (tenant, key),
        )
    else:
        cursor = db.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_us = coalesce(?, next_us), "
            "lease_us = NULL, last_error = ? WHERE tenant = ? AND key = ?",
            (None if retry_at is None else to_micros(retry_at), error, tenant, key),
        )
    if cursor.rowcount == 0:
        raise NotFoundError(Message("tenant {tenant!r} has no outbox entry {key!r}",
                                    tenant=tenant, key=key))


def next_wakeup(db: sqlite3.Connection, tenant: str | None) -> datetime | None:
    """The earliest wake-up or pending delivery time (two index lookups)."""
    where = "" if tenant is None else " AND tenant = ?"
    params: tuple[object, ...] = () if tenant is None else (tenant,)
    wake = db.execute(
        f"SELECT min(wake_us) FROM tickets WHERE wake_us IS NOT NULL{where}", params
    ).fetchone()[0]
    send = db.execute(
        f"SELECT min(next_us) FROM outbox WHERE state = 'pending'{where}", params
    ).fetchone()[0]
    times = [t for t in (wake, send) if t is not None]
    return from_micros(min(times)) if times else None


def list_outbox(
    db: sqlite3.Connection, tenant: str, state: DeliveryState | None, limit: int | None
) -> tuple[OutboxItem, ...]:
    """The tenant's entries, ordered by key."""
    sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE tenant = ?"
    params: tuple[object, ...] = (tenant,)
    if state is not None:
        sql += " AND state = ?"
        params = (*params, state)
    rows = db.execute(sql + " ORDER BY key LIMIT ?", (*params, -1 if limit is None else limit))
    return tuple(_item(row) for row in rows.fetchall())


def _item(row: Any) -> OutboxItem:
    tenant, key, ticket, body, state, attempts, next_us, error = row
    return OutboxItem(tenant, key, ticket, body, state, attempts,
                      None if next_us is None else from_micros(next_us), error)


def _lease(
    db: sqlite3.Connection, table: str, columns: str, due: str, order: str, key: str,
    now: datetime, lease: timedelta, tenant: str | None, limit: int,
) -> list[Any]:
    """Lease the rows of ``table`` due by ``now`` whose lease, if any, has expired.

    The one claim of both queues: ``due`` has one ``?`` (now), rows come in ``order`` and are
    leased until ``now + lease``; ``columns`` start with ``tenant`` and the ``key`` column.
    """
    check_aware("now", now)
    check_claim_limit(limit)
    now_us = to_micros(now)
    where = f"{due} AND (lease_us IS NULL OR lease_us <= ?)"
    params: tuple[object, ...] = (now_us, now_us)
    if tenant is not None:
        where = "tenant = ? AND " + where
        params = (tenant, *params)
    rows = db.execute(
        f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {order}, tenant, {key} LIMIT ?",
        (*params, limit),
    ).fetchall()
    until = to_micros(now + lease)
    db.executemany(
        f"UPDATE {table} SET lease_us = ? WHERE tenant = ? AND {key} = ?",
        [(until, row[0], row[1]) for row in rows],
    )
    return rows
