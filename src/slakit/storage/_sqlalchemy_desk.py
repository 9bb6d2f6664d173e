"""The desk's capabilities through SQLAlchemy Core: wake-up claims, and the outbox.

Design rules (see :mod:`slakit.storage._desk_port` for the contract):

- Each function runs inside the caller's transaction (a ``Connection`` in ``begin()``).
- **Claims.** On PostgreSQL the candidate rows are selected ``FOR UPDATE SKIP LOCKED``: two
  workers claiming at once take disjoint rows without waiting on each other, and the lease
  column is then set in one statement. Elsewhere (SQLite) ``FOR UPDATE`` does not exist,
  so each lease is taken by a guarded ``UPDATE ... WHERE lease expired``, and only rows whose
  update took are claimed: correct whatever the engine's transaction mode.
- The lease column outlives the claim's transaction on every database: it is what keeps
  other workers off a ticket while its worker computes and appends (see the port).
- Outbox entries are inserted ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL), so an
  entry whose key the tenant already has is skipped inside the append's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from slakit._errors import NotFoundError
from slakit._message import Message
from slakit.storage._common import check_aware, check_claim_limit, from_micros, to_micros
from slakit.storage._desk_port import DeliveryState, OutboxEntry, OutboxItem, WakeClaim
from slakit.storage._sqlalchemy_tables import outbox, tickets

_ITEM_COLUMNS = (outbox.c.tenant, outbox.c.key, outbox.c.ticket, outbox.c.body, outbox.c.state,
                 outbox.c.attempts, outbox.c.next_us, outbox.c.last_error)


def skips_locked(db: Connection) -> bool:
    """Whether claims can use ``FOR UPDATE SKIP LOCKED`` on this connection's database."""
    return db.dialect.name == "postgresql"


def add_outbox(db: Connection, tenant: str, entries: Sequence[OutboxEntry]) -> None:
    """Insert entries as pending, skipping keys the tenant already has."""
    rows = [{"tenant": tenant, "key": e.key, "ticket": e.ticket, "body": e.body,
             "state": "pending", "attempts": 0, "next_us": 0} for e in entries]
    name = db.dialect.name
    if name in ("postgresql", "sqlite"):
        insert = (postgresql.insert if name == "postgresql" else sqlite.insert)(outbox)
        db.execute(insert.on_conflict_do_nothing(index_elements=["tenant", "key"]), rows)
        return
    have = set(db.scalars(select(outbox.c.key).where(
        outbox.c.tenant == tenant, outbox.c.key.in_([e.key for e in entries]))))
    rows = [row for row in rows if row["key"] not in have]
    if rows:
        db.execute(outbox.insert(), rows)


def _claim(
    db: Connection, table: Any, keys: tuple[Any, Any], columns: tuple[Any, ...], due: Any,
    order: tuple[Any, ...], now: datetime, lease: timedelta, tenant: str | None, limit: int,
) -> list[Any]:
    check_aware("now", now)
    check_claim_limit(limit)
    now_us = to_micros(now)
    free = or_(table.c.lease_us.is_(None), table.c.lease_us <= now_us)
    where = and_(due(now_us), free)
    if tenant is not None:
        where = and_(table.c.tenant == tenant, where)
    query = select(*columns).where(where).order_by(*order).limit(limit)
    until = to_micros(now + lease)
    guard = and_(table.c.tenant == bindparam("k_tenant"), keys[1] == bindparam("k_key"))
    if skips_locked(db):
        rows = list(db.execute(query.with_for_update(skip_locked=True)))
        if rows:
            db.execute(update(table).where(guard).values(lease_us=until),
                       [{"k_tenant": row[0], "k_key": row[1]} for row in rows])
        return rows
    taken = []
    for row in db.execute(query).all():
        done = db.execute(update(table).where(
            table.c.tenant == row[0], keys[1] == row[1], free).values(lease_us=until))
        if done.rowcount == 1:
            taken.append(row)
    return taken


def claim_wakeups(
    db: Connection, now: datetime, lease: timedelta, tenant: str | None, limit: int
) -> tuple[WakeClaim, ...]:
    """Lease tickets whose wake-up has passed and whose lease, if any, has expired."""
    c = tickets.c
    rows = _claim(db, tickets, (c.tenant, c.ticket), (c.tenant, c.ticket, c.version, c.wake_us),
                  lambda now_us: and_(c.wake_us.is_not(None), c.wake_us <= now_us),
                  (c.wake_us, c.tenant, c.ticket), now, lease, tenant, limit)
    return tuple(WakeClaim(t, k, v, from_micros(w)) for t, k, v, w in rows)


def claim_deliveries(
    db: Connection, now: datetime, lease: timedelta, tenant: str | None, limit: int
) -> tuple[OutboxItem, ...]:
    """Lease pending entries due by ``now`` whose lease, if any, has expired."""
    c = outbox.c
    rows = _claim(db, outbox, (c.tenant, c.key), _ITEM_COLUMNS,
                  lambda now_us: and_(c.state == "pending", c.next_us <= now_us),
                  (c.next_us, c.tenant, c.key), now, lease, tenant, limit)
    return tuple(_item(row) for row in rows)


def finish_delivery(
    db: Connection, tenant: str, key: str, delivered: bool, retry_at: datetime | None,
    error: str | None,
) -> None:
    """Record one delivery attempt."""
    c = outbox.c
    change = update(outbox).where(c.tenant == tenant, c.key == key)
    if delivered:
        change = change.values(state="delivered", attempts=c.attempts + 1, next_us=None,
                               lease_us=None)
    else:
        next_us = c.next_us if retry_at is None else to_micros(retry_at)
        change = change.values(attempts=c.attempts + 1, next_us=next_us, lease_us=None,
                               last_error=error)
    if db.execute(change).rowcount == 0:
        raise NotFoundError(Message("tenant {tenant!r} has no outbox entry {key!r}", tenant=tenant, key=key))


def next_wakeup(db: Connection, tenant: str | None) -> datetime | None:
    """The earliest wake-up or pending delivery time."""
    wake = select(func.min(tickets.c.wake_us)).where(tickets.c.wake_us.is_not(None))
    send = select(func.min(outbox.c.next_us)).where(outbox.c.state == "pending")
    if tenant is not None:
        wake = wake.where(tickets.c.tenant == tenant)
        send = send.where(outbox.c.tenant == tenant)
    times = [t for t in (db.scalar(wake), db.scalar(send)) if t is not None]
    return from_micros(min(times)) if times else None


def list_outbox(
    db: Connection, tenant: str, state: DeliveryState | None, limit: int | None
) -> tuple[OutboxItem, ...]:
    """The tenant's entries, ordered by key."""
    query = select(*_ITEM_COLUMNS).where(outbox.c.tenant == tenant)
    if state is not None:
        query = query.where(outbox.c.state == state)
    return tuple(_item(row) for row in db.execute(query.order_by(outbox.c.key).limit(limit)))


def _item(row: Any) -> OutboxItem:
    tenant, key, ticket, body, state, attempts, next_us, error = row
    return OutboxItem(tenant, key, ticket, body, state, attempts,
                      None if next_us is None else from_micros(next_us), error)
