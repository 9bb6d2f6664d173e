"""A desk store in the host's own database, through SQLAlchemy Core (SQLite, PostgreSQL).

Design rules:

- The same contract as :class:`~slakit.storage.SQLiteStore` (TicketStore and DeskStore), in
  the three tables of :mod:`slakit.storage._sqlalchemy_tables`, one short transaction per
  call (``engine.begin()``), every statement naming the tenant.
- **Optimistic concurrency.** The append reads the ticket row (``FOR UPDATE`` where the
  database has it, so a concurrent append of the same ticket waits instead of failing late),
  checks the version, folds the events, and writes the row with ``WHERE version = <seen>``.
  A writer that lost the race (version moved, a new ticket inserted twice, an event slot
  taken) gets :class:`~slakit.storage.ConcurrencyError`; nothing is ever overwritten.
- **One transaction for the desk's write**: the events (escalations included), the row's
  version, status, snapshot and next wake-up, the lease's release and the outbox entries.
- **Claims** use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and a guarded lease update
  elsewhere (see :mod:`slakit.storage._sqlalchemy_desk`).
- The snapshot holds the state without its event ids (as in the SQLite store, issue #12);
  an outdated snapshot is rebuilt from the events, which are the truth.
- On SQLite, build the engine with :func:`sqlite_engine` (``BEGIN IMMEDIATE``: writers
  queue on the lock instead of failing with "database is locked").
- On PostgreSQL, reads and one-statement writes (delivery results, wake-up times) run in
  autocommit: one round trip instead of three (BEGIN, statement, COMMIT), which is most of
  a wake-up's cost on a busy server. Reads stay consistent: events are append-only, and a
  state is read at the version of its row (``seq <= version``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from slakit.storage import _sqlalchemy_batch as batch
from slakit.storage import _sqlalchemy_desk as desk
from slakit.storage._common import (
    check_aware,
    check_key,
    check_limit,
    fold_new_events,
    from_micros,
    micros_or_none,
    to_micros,
)
from slakit.storage._deprecated import DueAliases, wake_at_argument
from slakit.storage._desk_port import (
    BatchResult,
    DeliveryState,
    OutboxEntry,
    OutboxItem,
    TicketAppend,
    WakeClaim,
)
from slakit.storage._errors import ConcurrencyError, UnknownTicketError
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketSummary
from slakit.storage._sqlalchemy_care import SQLAlchemyCare
from slakit.storage._sqlalchemy_tables import events, tickets
from slakit.storage._sqlite_snapshot import snapshot_json
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    EVENT_SCHEMA_VERSION,
    Event,
    EventDecodeError,
    TicketState,
    Workflow,
    apply_all,
    event_from_json,
    event_to_json,
    state_from_dict,
)

_SUMMARY = (tickets.c.ticket, tickets.c.status, tickets.c.version, tickets.c.wake_us)


class SQLAlchemyStore(DueAliases, SQLAlchemyCare):
    """A desk store and a care store in any SQLite or PostgreSQL database.

    It is a :class:`~slakit.storage.DeskStore` and a :class:`~slakit.care.CareStore` (the
    care methods are in :mod:`slakit.storage._sqlalchemy_care`).

    Args:
        engine: The host's engine; the tables must exist (``metadata.create_all(engine)``
            with :data:`slakit.storage.sqlalchemy_metadata`, or your Alembic migration).
        workflow: Workflow the stored tickets follow.

    Example:
        >>> from datetime import datetime, timezone
        >>> from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata, sqlite_engine
        >>> from slakit.workflow import TicketOpened
        >>> engine = sqlite_engine("sqlite://")
        >>> sqlalchemy_metadata.create_all(engine)
        >>> store = SQLAlchemyStore(engine)
        >>> opened = TicketOpened(ticket="T-1", event_id="e1", priority="low",
        ...     at=datetime(2025, 3, 3, 9, tzinfo=timezone.utc), category=None,
        ...     channel=None, customer=None, customer_tier=None)
        >>> store.append("shop-a", "T-1", [opened], expected_version=0).version
        1
        >>> store.load_state("shop-b", "T-1") is None
        True
    """

    def __init__(self, engine: Engine, *, workflow: Workflow = DEFAULT_WORKFLOW) -> None:
        self.engine = engine
        self.workflow = workflow
        # Single statements need no transaction around them where the database autocommits
        # them atomically; pysqlite's transaction handling is left alone (see sqlite_engine).
        self._single = (engine.execution_options(isolation_level="AUTOCOMMIT")
                        if engine.dialect.name == "postgresql" else engine)

    def __repr__(self) -> str:
        return f"SQLAlchemyStore({self.engine.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as db:
            yield db

    @contextmanager
    def _one(self) -> Iterator[Connection]:
        """A connection for reads, or for one write statement (committed on success)."""
        with self._single.connect() as db:
            yield db
            if db.in_transaction():
                db.commit()

    # -- the ticket store ---------------------------------------------------------------------

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
        """Append events in one transaction; see :meth:`slakit.storage.DeskStore.append`."""
        wake_at = wake_at_argument(wake_at, legacy)
        one = TicketAppend(tenant, ticket, events, expected_version, wake_at, outbox)
        one.check()
        try:
            with self._write() as db:
                return self._append(db, one)
        except IntegrityError as lost_race:
            actual = self._version(tenant, ticket)
            if actual == expected_version:
                raise  # not a race: a real integrity problem, let it show
            raise ConcurrencyError(tenant, ticket, expected_version, actual) from lost_race

    def append_batch(self, appends: Sequence[TicketAppend]) -> tuple[BatchResult, ...]:
        """Appends in one transaction; see :meth:`slakit.storage.DeskStore.append_batch`.

        A few round trips for the whole batch (see :mod:`slakit.storage._sqlalchemy_batch`).
        A batch that loses an insert race (IntegrityError: a ticket created meanwhile) is
        rolled back whole and the error raised, as any failure while writing.
        """
        for one in appends:
            one.check()
        with self._write() as db:
            return batch.append_batch(db, appends, self.workflow, self._state)

    def _append(self, db: Connection, one: TicketAppend) -> TicketState:
        tenant, ticket, expected = one.tenant, one.ticket, one.expected_version
        key = (tickets.c.tenant == tenant, tickets.c.ticket == ticket)
        row = db.execute(select(tickets.c.version, tickets.c.snapshot).where(*key)
                         .with_for_update()).first()
        actual = 0 if row is None else row[0]
        if actual != expected:
            raise ConcurrencyError(tenant, ticket, expected, actual)
        old = None if row is None else self._state(db, tenant, ticket, row[0], row[1])
        state, fresh = fold_new_events(old, ticket, one.events, self.workflow)
        if state is None:
            raise UnknownTicketError(tenant, ticket)
        values: dict[str, Any] = {"version": state.version, "status": state.status,
                                  "lease_us": None}
        if fresh or row is None:
            values["snapshot"] = snapshot_json(state)
        if not isinstance(one.wake_at, KeepWakeAt):
            values["wake_us"] = micros_or_none(one.wake_at)
        if row is None:
            db.execute(insert(tickets).values(tenant=tenant, ticket=ticket, **values))
        elif db.execute(update(tickets).where(*key, tickets.c.version == expected)
                        .values(**values)).rowcount != 1:
            raise ConcurrencyError(tenant, ticket, expected, self._version(tenant, ticket))
        if fresh:
            db.execute(insert(events), [
                {"tenant": tenant, "ticket": ticket, "seq": actual + i, "event_id": e.event_id,
                 "type": e.event_type, "at_us": to_micros(e.at), "schema": EVENT_SCHEMA_VERSION,
                 "body": event_to_json(e)}
                for i, e in enumerate(fresh, start=1)])
        if one.outbox:
            desk.add_outbox(db, tenant, one.outbox)
        return state

    def load_events(self, tenant: str, ticket: str) -> tuple[Event, ...]:
        """The ticket's events in order; empty when it does not exist."""
        check_key(tenant, ticket)
        with self._one() as db:
            return tuple(event_from_json(body) for body in db.scalars(
                select(events.c.body).where(events.c.tenant == tenant,
                                            events.c.ticket == ticket).order_by(events.c.seq)))

    def load_state(self, tenant: str, ticket: str) -> TicketState | None:
        """The ticket's state (from its snapshot), or None when it does not exist."""
        check_key(tenant, ticket)
        with self._one() as db:
            row = db.execute(select(tickets.c.version, tickets.c.snapshot).where(
                tickets.c.tenant == tenant, tickets.c.ticket == ticket)).first()
            return None if row is None else self._state(db, tenant, ticket, row[0], row[1])

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        """Set or clear the ticket's wake-up time."""
        check_key(tenant, ticket)
        if wake_at is not None:
            check_aware("wake_at", wake_at)
        with self._one() as db:
            done = db.execute(update(tickets).where(
                tickets.c.tenant == tenant, tickets.c.ticket == ticket,
            ).values(wake_us=micros_or_none(wake_at)))
            if done.rowcount == 0:
                raise UnknownTicketError(tenant, ticket)

    def list_by_status(
        self, tenant: str, status: str, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` in ``status``, ordered by ticket id."""
        check_limit(limit)
        return self._list(select(*_SUMMARY).where(
            tickets.c.tenant == tenant, tickets.c.status == status,
        ).order_by(tickets.c.ticket).limit(limit))

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` whose wake-up is strictly before ``before``, earliest first."""
        check_aware("before", before)
        check_limit(limit)
        return self._list(select(*_SUMMARY).where(
            tickets.c.tenant == tenant, tickets.c.wake_us.is_not(None),
            tickets.c.wake_us < to_micros(before),
        ).order_by(tickets.c.wake_us, tickets.c.ticket).limit(limit))

    # -- the desk store -----------------------------------------------------------------------

    def claim_wakeups(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[WakeClaim, ...]:
        """Lease tickets whose wake-up has passed; see :meth:`DeskStore.claim_wakeups`."""
        with self._write() as db:
            return desk.claim_wakeups(db, now, lease, tenant, limit)

    def claim_deliveries(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[OutboxItem, ...]:
        """Lease pending outbox entries; see :meth:`DeskStore.claim_deliveries`."""
        with self._write() as db:
            return desk.claim_deliveries(db, now, lease, tenant, limit)

    def finish_delivery(
        self, tenant: str, key: str, *, delivered: bool, retry_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Record a delivery attempt; see :meth:`DeskStore.finish_delivery`."""
        if retry_at is not None:
            check_aware("retry_at", retry_at)
        with self._one() as db:
            desk.finish_delivery(db, tenant, key, delivered, retry_at, error)

    def next_wakeup(self, *, tenant: str | None = None) -> datetime | None:
        """The earliest wake-up or pending delivery; see :meth:`DeskStore.next_wakeup`."""
        with self._one() as db:
            return desk.next_wakeup(db, tenant)

    def list_outbox(
        self, tenant: str, *, state: DeliveryState | None = None, limit: int | None = None
    ) -> tuple[OutboxItem, ...]:
        """The tenant's outbox entries (of ``state``, if given), ordered by key."""
        check_limit(limit)
        with self._one() as db:
            return desk.list_outbox(db, tenant, state, limit)

    # -- helpers ------------------------------------------------------------------------------

    def _list(self, query: Any) -> tuple[TicketSummary, ...]:
        with self._one() as db:
            return tuple(
                TicketSummary(ticket, status, version, None if wake is None else from_micros(wake))
                for ticket, status, version, wake in db.execute(query))

    def _version(self, tenant: str, ticket: str) -> int:
        with self._one() as db:
            version = db.scalar(select(tickets.c.version).where(
                tickets.c.tenant == tenant, tickets.c.ticket == ticket))
        return 0 if version is None else int(version)

    def _state(
        self, db: Connection, tenant: str, ticket: str, version: int, snapshot: str
    ) -> TicketState:
        mine = (events.c.tenant == tenant, events.c.ticket == ticket, events.c.seq <= version)
        try:
            doc = json.loads(snapshot)
            if isinstance(doc, dict):
                doc["event_ids"] = list(db.scalars(select(events.c.event_id).where(*mine)))
            return state_from_dict(doc)
        except (EventDecodeError, ValueError):
            # A snapshot is a cache: when its format is outdated, the events are the truth.
            bodies = db.scalars(select(events.c.body).where(*mine).order_by(events.c.seq))
            return apply_all((event_from_json(body) for body in bodies), self.workflow)
