"""The embedded default store: one SQLite file (stdlib ``sqlite3``, WAL mode).

Design rules:

- One transaction per append, taken with ``BEGIN IMMEDIATE`` so writers queue on SQLite's
  write lock instead of failing late; the version check, the fold and the inserts happen
  inside it, so a stale writer always gets ConcurrencyError and never a lost update.
- WAL journal: readers never block the writer, and a process killed at any point (even with
  SIGKILL) leaves a database holding exactly the committed transactions.
- Parameterised SQL only; tenant is part of every key and every WHERE clause.
- Times are stored as integer microseconds since the epoch (UTC), which sort and compare as
  instants; events keep their own offsets inside their JSON.
- Schema versions live in ``PRAGMA user_version`` and are migrated on open, each migration in
  one transaction (see ``_sqlite_schema``).
- A connection belongs to one store object; a lock makes the object safe to share between
  threads. Each process opens its own store.
- The object caches recent states, only ever states that are committed: a new state is
  cached after its COMMIT succeeds, and any failed write empties the cache. A cached state
  older than the row is brought up to date by folding only the events stored since.
  A short history ``load_events`` just read (as the desk's does) is folded instead of
  decoding the snapshot: a tenth of the cost, and events up to a version never change.
- The snapshot row holds the state without its event ids (the events table has them), so an
  append writes a row of constant size however long the ticket is. Snapshots written with
  ids still read (the ids come from the events table). See ``_sqlite_snapshot``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from slakit._errors import InvalidValueError, SlakitError
from slakit._message import Message
from slakit.storage import _sqlite_desk as desk
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
from slakit.storage._errors import ConcurrencyError, StoreFileError, UnknownTicketError
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketSummary
from slakit.storage._sqlite_schema import open_schema
from slakit.storage._sqlite_snapshot import caught_up, state_from_row, write_append
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    Event,
    TicketState,
    Workflow,
    apply_all,
    event_from_json,
)

Synchronous = Literal["FULL", "NORMAL"]
_RECENT_LIMIT = 4096
_FOLD_LIMIT = 32  # histories up to this length are folded rather than read from the snapshot


class SQLiteStore(DueAliases, desk.QueueOutsideAppends):
    """A :class:`~slakit.storage.TicketStore` in a SQLite database file.

    Args:
        path: Database file (created if missing), or ``":memory:"``.
        workflow: Workflow the stored tickets follow.
        timeout: Seconds a writer waits for the write lock before giving up.
        synchronous: ``"NORMAL"`` (default): every commit survives a crash or kill of the
            process; a power cut may lose the last commits (never corrupting the file).
            ``"FULL"`` syncs the disk on every commit, so commits survive a power cut too,
            at the disk's fsync rate (hundreds to a few thousand commits per second).

    Example:
        >>> from datetime import datetime, timezone
        >>> from slakit.workflow import TicketOpened
        >>> with SQLiteStore(":memory:") as store:
        ...     opened = TicketOpened(ticket="T-1", event_id="e1", priority="low",
        ...         at=datetime(2025, 3, 3, 9, tzinfo=timezone.utc), category=None,
        ...         channel=None, customer=None, customer_tier=None)
        ...     store.append("shop-a", "T-1", [opened], expected_version=0).version
        1
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        workflow: Workflow = DEFAULT_WORKFLOW,
        timeout: float = 30.0,
        synchronous: Synchronous = "NORMAL",
    ) -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise InvalidValueError(Message("synchronous must be 'FULL' or 'NORMAL', got "
                                            "{value!r}", value=synchronous))
        self.workflow = workflow
        self._lock = threading.RLock()
        # (tenant, ticket) -> state last written or read by this object. A given
        # (tenant, ticket, version) always has the same state, so a cached state whose version
        # matches the row is current, and the snapshot need not be decoded again.
        self._recent: dict[tuple[str, str], TicketState] = {}
        self._loaded: dict[tuple[str, str], tuple[Event, ...]] = {}  # length = version
        name = os.fspath(path)
        try:
            # isolation_level=None: no implicit transactions; we issue BEGIN/COMMIT ourselves.
            self._db = sqlite3.connect(
                name, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:  # a directory, a missing parent, no permission
            raise StoreFileError(name, str(exc)) from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={synchronous}")  # value checked above
            self._db.execute("PRAGMA foreign_keys=ON")
            open_schema(self._db, workflow)
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, sqlite3.DatabaseError):  # "file is not a database", ...
                raise StoreFileError(name, str(exc)) from exc
            raise

    # -- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, rolled back on any failure (COMMIT included).

        A failure also empties the state cache: a state folded inside a transaction that did
        not commit is not stored, and would match the row once another writer reaches the
        same version.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                self._recent.clear()
                if self._db.in_transaction:  # a failed COMMIT may already have rolled back
                    self._db.execute("ROLLBACK")
                raise

    # -- the port ---------------------------------------------------------------------------

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
        with self._write() as db:
            state = self._append(db, one)
        self._remember(tenant, ticket, state)  # only now that COMMIT succeeded (see _write)
        return state

    def append_batch(self, appends: Sequence[TicketAppend]) -> tuple[BatchResult, ...]:
        """Appends in one transaction; see :meth:`slakit.storage.DeskStore.append_batch`."""
        for one in appends:
            one.check()
        results: list[BatchResult] = []
        with self._write() as db:
            for one in appends:
                try:
                    results.append(self._append(db, one))
                except SlakitError as exc:  # raised by a check, before this append wrote
                    results.append(exc)
        for one, result in zip(appends, results, strict=True):  # cached once committed
            if isinstance(result, TicketState):
                self._remember(one.tenant, one.ticket, result)
        return tuple(results)

    def _append(self, db: sqlite3.Connection, one: TicketAppend) -> TicketState:
        """One append inside the caller's transaction: every check, then every write."""
        tenant, ticket = one.tenant, one.ticket
        row = db.execute("SELECT version, snapshot, status, wake_us FROM tickets "
                         "WHERE tenant = ? AND ticket = ?", (tenant, ticket)).fetchone()
        actual = 0 if row is None else row[0]
        if actual != one.expected_version:
            raise ConcurrencyError(tenant, ticket, one.expected_version, actual)
        old = None if row is None else self._current(db, tenant, ticket, row[0], row[1])
        state, fresh = fold_new_events(old, ticket, one.events, self.workflow)
        if state is None:
            raise UnknownTicketError(tenant, ticket)
        write_append(db, tenant, ticket, row, state, fresh, one.wake_at)
        if one.outbox:
            desk.add_outbox(db, tenant, one.outbox)
        return state

    def load_events(self, tenant: str, ticket: str) -> tuple[Event, ...]:
        """The ticket's events in order; empty when it does not exist."""
        check_key(tenant, ticket)
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM events WHERE tenant = ? AND ticket = ? ORDER BY seq",
                (tenant, ticket),
            ).fetchall()
            events = tuple(event_from_json(body) for (body,) in rows)
            if 0 < len(events) <= _FOLD_LIMIT:
                if len(self._loaded) >= _RECENT_LIMIT:
                    self._loaded.clear()  # crude bound, as for _recent
                self._loaded[(tenant, ticket)] = events
        return events

    def load_state(self, tenant: str, ticket: str) -> TicketState | None:
        """The ticket's state (from its snapshot), or None when it does not exist."""
        check_key(tenant, ticket)
        with self._lock:
            row = self._db.execute(
                "SELECT version, snapshot FROM tickets WHERE tenant = ? AND ticket = ?",
                (tenant, ticket),
            ).fetchone()
            if row is None:
                return None
            return self._current(self._db, tenant, ticket, row[0], row[1])

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        """Set or clear the ticket's wake-up time."""
        check_key(tenant, ticket)
        if wake_at is not None:
            check_aware("wake_at", wake_at)
        with self._write() as db:
            cursor = db.execute(
                "UPDATE tickets SET wake_us = ? WHERE tenant = ? AND ticket = ?",
                (micros_or_none(wake_at), tenant, ticket),
            )
            if cursor.rowcount == 0:
                raise UnknownTicketError(tenant, ticket)

    def list_by_status(
        self, tenant: str, status: str, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` in ``status``, ordered by ticket id."""
        check_limit(limit)
        return self._list(
            "SELECT ticket, status, version, wake_us FROM tickets "
            "WHERE tenant = ? AND status = ? ORDER BY ticket LIMIT ?",
            (tenant, status, -1 if limit is None else limit),
        )

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` whose wake-up is strictly before ``before``, earliest first."""
        check_aware("before", before)
        check_limit(limit)
        return self._list(
            "SELECT ticket, status, version, wake_us FROM tickets "
            "WHERE tenant = ? AND wake_us IS NOT NULL AND wake_us < ? "
            "ORDER BY wake_us, ticket LIMIT ?",
            (tenant, to_micros(before), -1 if limit is None else limit),
        )

    def claim_wakeups(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[WakeClaim, ...]:
        """Lease tickets whose wake-up has passed; see :meth:`DeskStore.claim_wakeups`."""
        with self._write() as db:  # claim_wakeups checks its arguments first
            return desk.claim_wakeups(db, now, lease, tenant, limit)

    def claim_deliveries(
        self, now: datetime, *, lease: timedelta, tenant: str | None = None, limit: int = 100
    ) -> tuple[OutboxItem, ...]:
        """Lease pending outbox entries; see :meth:`DeskStore.claim_deliveries`."""
        with self._write() as db:  # claim_deliveries checks its arguments first
            return desk.claim_deliveries(db, now, lease, tenant, limit)

    def finish_delivery(
        self, tenant: str, key: str, *, delivered: bool, retry_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Record a delivery attempt; see :meth:`DeskStore.finish_delivery`."""
        if retry_at is not None:
            check_aware("retry_at", retry_at)
        with self._write() as db:
            desk.finish_delivery(db, tenant, key, delivered, retry_at, error)

    def next_wakeup(self, *, tenant: str | None = None) -> datetime | None:
        """The earliest wake-up or pending delivery; see :meth:`DeskStore.next_wakeup`."""
        with self._lock:
            return desk.next_wakeup(self._db, tenant)

    def list_outbox(
        self, tenant: str, *, state: DeliveryState | None = None, limit: int | None = None
    ) -> tuple[OutboxItem, ...]:
        """The tenant's outbox entries (of ``state``, if given), ordered by key."""
        with self._lock:
            return desk.list_outbox(self._db, tenant, state, limit)

    # -- helpers ----------------------------------------------------------------------------

    def _list(self, sql: str, params: tuple[object, ...]) -> tuple[TicketSummary, ...]:
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return tuple(
            TicketSummary(
                ticket=ticket,
                status=status,
                version=version,
                wake_at=None if wake is None else from_micros(wake),
            )
            for ticket, status, version, wake in rows
        )

    def _remember(self, tenant: str, ticket: str, state: TicketState) -> None:
        if len(self._recent) >= _RECENT_LIMIT:
            self._recent.clear()  # crude bound; the cache only saves decoding time
        self._recent[(tenant, ticket)] = state

    def _current(
        self, db: sqlite3.Connection, tenant: str, ticket: str, version: int, snapshot: str
    ) -> TicketState:
        cached = self._recent.get((tenant, ticket))
        if cached is not None and cached.version == version:
            return cached
        state = None
        if cached is not None and cached.version < version:
            state = caught_up(db, tenant, ticket, cached, version, self.workflow)
        loaded = self._loaded.pop((tenant, ticket), None)
        if state is None and loaded is not None and len(loaded) == version:
            with contextlib.suppress(SlakitError):  # another workflow's events: the snapshot
                state = apply_all(loaded, self.workflow)
        if state is None:
            state = state_from_row(db, tenant, ticket, version, snapshot, self.workflow)
        self._remember(tenant, ticket, state)
        return state

