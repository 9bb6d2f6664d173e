"""SQLAlchemyStore's ``append_batch``: a claimed batch in a handful of round trips.

Design rules (the contract is :meth:`slakit.storage.DeskStore.append_batch`):

- On a database server each statement is a round trip, and a wake-up batch of N tickets
  appended one by one costs about 5N of them. Here the batch reads every ticket row it
  touches in ONE ``SELECT ... FOR UPDATE`` (locked until commit where the database has row
  locks; on SQLite the store's ``BEGIN IMMEDIATE`` already holds the write lock) and every
  stored event id in one more, folds each append in memory, in order, against the state
  the appends before it left, and then writes: one INSERT per new ticket, one guarded
  UPDATE statement (executemany) per kind of row change, one INSERT of all the events, one
  of the outbox entries per tenant.
- Each append is checked alone before anything is written (version, events legal, ticket
  exists): one that fails is left out, its error in its slot, exactly as appended alone.
- The UPDATEs keep the ``WHERE version = <read>`` guard; if any of them changes no row
  (possible only on a database without row locks, when another writer slipped in) the whole
  batch fails and rolls back: the caller redoes its appends one by one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, select, tuple_, update

from slakit._errors import SlakitError
from slakit.storage import _sqlalchemy_desk as desk
from slakit.storage._common import fold_new_events, micros_or_none, to_micros
from slakit.storage._desk_port import BatchResult, OutboxEntry, TicketAppend
from slakit.storage._errors import ConcurrencyError, UnknownTicketError
from slakit.storage._port import KeepWakeAt
from slakit.storage._sqlalchemy_tables import events, tickets
from slakit.storage._sqlite_snapshot import snapshot_json
from slakit.workflow import (
    EVENT_SCHEMA_VERSION,
    EventDecodeError,
    TicketState,
    Workflow,
    event_to_json,
    state_from_dict,
)

Key = tuple[str, str]
StateOf = Callable[[Connection, str, str, int, str], TicketState]


class BatchConflict(SlakitError, RuntimeError):
    """A guarded UPDATE of the batch changed no row: the whole batch is rolled back."""


def append_batch(
    db: Connection, appends: Sequence[TicketAppend], workflow: Workflow, state_of: StateOf,
) -> tuple[BatchResult, ...]:
    """Run ``appends`` inside the caller's transaction (see the module's rules).

    Raises:
        BatchConflict: a row changed under the batch; nothing may be committed.
    """
    keys = list(dict.fromkeys((a.tenant, a.ticket) for a in appends))
    if not keys:
        return ()
    c = tickets.c
    rows = db.execute(select(c.tenant, c.ticket, c.version, c.snapshot)
                      .where(tuple_(c.tenant, c.ticket).in_(keys)).with_for_update()).all()
    read: dict[Key, int] = {(r[0], r[1]): r[2] for r in rows}
    ids: dict[Key, list[str]] = {}
    for tenant, ticket, event_id in db.execute(
            select(events.c.tenant, events.c.ticket, events.c.event_id)
            .where(tuple_(events.c.tenant, events.c.ticket).in_(list(read)))):
        ids.setdefault((tenant, ticket), []).append(event_id)
    current: dict[Key, TicketState | None] = dict.fromkeys(keys)
    for tenant, ticket, version, snapshot in rows:
        current[(tenant, ticket)] = _state(db, tenant, ticket, version, snapshot,
                                           ids.get((tenant, ticket), []), state_of)
    changes: dict[Key, dict[str, Any]] = {}
    new_events: list[dict[str, Any]] = []
    outbox: dict[str, list[OutboxEntry]] = {}
    results: list[BatchResult] = []
    for one in appends:
        key = (one.tenant, one.ticket)
        try:
            state, fresh = _fold(one, current[key], workflow)
        except SlakitError as exc:
            results.append(exc)
            continue
        actual = one.expected_version
        new_events.extend(
            {"tenant": one.tenant, "ticket": one.ticket, "seq": actual + i,
             "event_id": e.event_id, "type": e.event_type, "at_us": to_micros(e.at),
             "schema": EVENT_SCHEMA_VERSION, "body": event_to_json(e)}
            for i, e in enumerate(fresh, start=1))
        change = changes.setdefault(key, {})
        change.update(version=state.version, status=state.status, lease_us=None,
                      snapshot=state)
        if not isinstance(one.wake_at, KeepWakeAt):
            change["wake_us"] = micros_or_none(one.wake_at)
        outbox.setdefault(one.tenant, []).extend(one.outbox)
        current[key] = state
        results.append(state)
    _write(db, read, changes, new_events)
    for tenant, entries in outbox.items():
        if entries:
            desk.add_outbox(db, tenant, entries)
    return tuple(results)


def _fold(one: TicketAppend, state: TicketState | None,
          workflow: Workflow) -> tuple[TicketState, list[Any]]:
    actual = 0 if state is None else state.version
    if actual != one.expected_version:
        raise ConcurrencyError(one.tenant, one.ticket, one.expected_version, actual)
    after, fresh = fold_new_events(state, one.ticket, one.events, workflow)
    if after is None:
        raise UnknownTicketError(one.tenant, one.ticket)
    return after, fresh


def _state(db: Connection, tenant: str, ticket: str, version: int, snapshot: str,
           event_ids: list[str], state_of: StateOf) -> TicketState:
    try:
        doc = json.loads(snapshot)
        if isinstance(doc, dict):
            doc["event_ids"] = event_ids
            return state_from_dict(doc)
    except (EventDecodeError, ValueError):
        pass
    return state_of(db, tenant, ticket, version, snapshot)  # an outdated snapshot: replay


def _write(db: Connection, read: dict[Key, int], changes: dict[Key, dict[str, Any]],
           new_events: list[dict[str, Any]]) -> None:
    c = tickets.c
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for (tenant, ticket), change in changes.items():
        state: TicketState = change.pop("snapshot")
        key_read = read.get((tenant, ticket))
        if key_read is not None:
            if state.version != key_read:  # new events: a new snapshot
                change["snapshot"] = snapshot_json(state)
            row = {f"new_{k}": v for k, v in change.items()}
            row.update(k_tenant=tenant, k_ticket=ticket, k_version=key_read)
            updates.setdefault(tuple(sorted(change)), []).append(row)
        else:
            db.execute(insert(tickets).values(tenant=tenant, ticket=ticket,
                                              snapshot=snapshot_json(state), **change))
    for columns, rows in updates.items():
        done = db.execute(
            update(tickets)
            .where(and_(c.tenant == bindparam("k_tenant"), c.ticket == bindparam("k_ticket"),
                        c.version == bindparam("k_version")))
            .values({name: bindparam(f"new_{name}") for name in columns}),
            rows)
        if db.dialect.supports_sane_multi_rowcount and done.rowcount != len(rows):
            raise BatchConflict(f"{len(rows) - done.rowcount} ticket row(s) changed under "
                                "the batch; redo its appends one by one")
    if new_events:
        db.execute(insert(events), new_events)
