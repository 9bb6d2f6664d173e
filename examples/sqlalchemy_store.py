"""A slakit ticket store on SQLAlchemy 2.0: slakit's tickets in the host's own database.

Design rules:

- Two tables beside the host's own: ``slakit_events`` (the append-only log, one row per
  event, keyed by ``(tenant, ticket, seq)``) and ``slakit_tickets`` (one row per ticket:
  version, status, wake-up time and a JSON snapshot of the state, so loading and listing never
  replay). Create them with ``metadata.create_all(engine)`` or from your Alembic migrations.
- Optimistic concurrency is SQLAlchemy's own: ``version`` is the mapper's
  ``version_id_col``, so every UPDATE of a ticket row carries ``WHERE version = <seen>``.
  A writer that lost the race gets a ``StaleDataError`` (or, for a brand-new ticket or an
  event slot already taken, an ``IntegrityError``); the store turns both into slakit's
  :class:`~slakit.storage.ConcurrencyError`, which :class:`~slakit.storage.TicketService`
  retries. No row lock is held between the load and the write.
- Instants are stored as integer microseconds since the Unix epoch (UTC) by a small
  TypeDecorator: exact, ordered as instants on every database (SQLite has no time zones).
- One short transaction per call; every statement names the tenant.

On SQLite use :func:`sqlite_engine`: it starts every transaction with ``BEGIN IMMEDIATE``, so
concurrent writers queue on the write lock instead of failing with "database is locked".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Dialect,
    Engine,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from slakit import NaiveDatetimeError
from slakit.storage import KEEP_WAKE_AT, ConcurrencyError, KeepWakeAt, TicketSummary, UnknownTicketError
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    EVENT_SCHEMA_VERSION,
    Event,
    EventDecodeError,
    TicketState,
    Workflow,
    WrongTicketError,
    apply,
    apply_all,
    event_from_json,
    event_to_json,
    state_from_dict,
    state_to_json,
)

__all__ = ["EventRow", "SQLAlchemyStore", "TicketRow", "metadata", "sqlite_engine"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class InstantMicros(TypeDecorator[datetime]):
    """An aware datetime stored as microseconds since the epoch; read back in UTC."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError("a stored instant", value)
        return (value - _EPOCH) // _MICROSECOND

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _EPOCH + timedelta(microseconds=value)


class _Base(DeclarativeBase):
    metadata = MetaData()


metadata = _Base.metadata
"""The slakit tables; ``metadata.create_all(engine)`` creates them."""


class TicketRow(_Base):
    """One ticket: its version, status, wake-up time and state snapshot."""

    __tablename__ = "slakit_tickets"

    tenant: Mapped[str] = mapped_column(String(255), primary_key=True)
    ticket: Mapped[str] = mapped_column(String(255), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(64))
    wake_at: Mapped[datetime | None] = mapped_column(InstantMicros)
    snapshot: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("slakit_tickets_by_status", "tenant", "status", "ticket"),
        Index("slakit_tickets_by_wake", "tenant", "wake_at", "ticket"),
    )
    # The version check on every UPDATE; slakit computes the new version itself. (A plain
    # dict is SQLAlchemy's declarative idiom; the base class types it, so no ClassVar.)
    __mapper_args__ = {  # noqa: RUF012
        "version_id_col": version,
        "version_id_generator": False,
    }


class EventRow(_Base):
    """One stored event, in the ticket's order ``seq`` (1, 2, ...)."""

    __tablename__ = "slakit_events"

    tenant: Mapped[str] = mapped_column(String(255), primary_key=True)
    ticket: Mapped[str] = mapped_column(String(255), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(InstantMicros)
    schema: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant", "ticket"], ["slakit_tickets.tenant", "slakit_tickets.ticket"]
        ),
    )


def sqlite_engine(url: str = "sqlite://", **kwargs: Any) -> Engine:
    """An engine for SQLite whose transactions start with ``BEGIN IMMEDIATE``.

    pysqlite starts transactions lazily, so two writers can both read and then fail to take the
    write lock; ``BEGIN IMMEDIATE`` takes it first and makes the second writer wait instead.
    """
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _check_key(tenant: str, ticket: str) -> None:
    for what, value in (("tenant", tenant), ("ticket", ticket)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{what} must be a non-empty string, got {value!r}")


def _check_aware(what: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)


class SQLAlchemyStore:
    """A :class:`~slakit.storage.TicketStore` in any database SQLAlchemy 2.0 speaks.

    Args:
        engine: The host's engine; the tables must exist (see :data:`metadata`).
        workflow: Workflow the stored tickets follow.
    """

    def __init__(self, engine: Engine, *, workflow: Workflow = DEFAULT_WORKFLOW) -> None:
        self.engine = engine
        self.workflow = workflow
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def append(
        self,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT,
    ) -> TicketState:
        """Append events in one transaction; see :meth:`slakit.storage.TicketStore.append`."""
        _check_key(tenant, ticket)
        if isinstance(wake_at, datetime):
            _check_aware("wake_at", wake_at)
        try:
            with self._sessions.begin() as session:
                return self._append(session, tenant, ticket, events, expected_version, wake_at)
        except (StaleDataError, IntegrityError) as lost_race:
            actual = self._version(tenant, ticket)
            if actual == expected_version:
                raise  # not a race: a real integrity problem, let it show
            raise ConcurrencyError(tenant, ticket, expected_version, actual) from lost_race

    def _append(
        self,
        session: Session,
        tenant: str,
        ticket: str,
        events: Sequence[Event],
        expected_version: int,
        wake_at: datetime | KeepWakeAt | None,
    ) -> TicketState:
        row = session.get(TicketRow, (tenant, ticket))
        actual = 0 if row is None else row.version
        if actual != expected_version:
            raise ConcurrencyError(tenant, ticket, expected_version, actual)
        state = None if row is None else self._state_of(session, row)
        fresh: list[Event] = []
        for item in events:
            if item.ticket != ticket:
                raise WrongTicketError(ticket, item.ticket)
            after = apply(state, item, self.workflow)
            if after is not state:  # the same object back: a redelivered event id
                fresh.append(item)
            state = after
        if state is None:
            raise UnknownTicketError(tenant, ticket)
        if row is None:
            row = TicketRow(tenant=tenant, ticket=ticket, wake_at=None)
            session.add(row)
        row.version = state.version
        row.status = state.status
        row.snapshot = state_to_json(state)
        if not isinstance(wake_at, KeepWakeAt):
            row.wake_at = wake_at
        # The ticket row first: its version check settles a race before any event is written
        # (and the events' foreign key needs the row of a new ticket).
        session.flush()
        session.add_all(
            EventRow(tenant=tenant, ticket=ticket, seq=actual + i, event_id=e.event_id,
                     type=e.event_type, at=e.at, schema=EVENT_SCHEMA_VERSION,
                     body=event_to_json(e))
            for i, e in enumerate(fresh, start=1)
        )
        return state

    def load_events(self, tenant: str, ticket: str) -> tuple[Event, ...]:
        """The ticket's events in order; empty when it does not exist."""
        _check_key(tenant, ticket)
        with self._sessions() as session:
            return self._events(session, tenant, ticket)

    def load_state(self, tenant: str, ticket: str) -> TicketState | None:
        """The ticket's state (from its snapshot), or None when it does not exist."""
        _check_key(tenant, ticket)
        with self._sessions() as session:
            row = session.get(TicketRow, (tenant, ticket))
            return None if row is None else self._state_of(session, row)

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        """Set or clear the ticket's wake-up time."""
        _check_key(tenant, ticket)
        if wake_at is not None:
            _check_aware("wake_at", wake_at)
        with self._sessions.begin() as session:
            # A Core UPDATE: no version check, a wake-up time is not part of the event history.
            changed = session.connection().execute(
                update(TicketRow)
                .where(TicketRow.tenant == tenant, TicketRow.ticket == ticket)
                .values(wake_at=wake_at)
            ).rowcount
            if changed == 0:
                raise UnknownTicketError(tenant, ticket)

    def list_by_status(
        self, tenant: str, status: str, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` in ``status``, ordered by ticket id."""
        query = (
            select(TicketRow.ticket, TicketRow.status, TicketRow.version, TicketRow.wake_at)
            .where(TicketRow.tenant == tenant, TicketRow.status == status)
            .order_by(TicketRow.ticket)
            .limit(limit)
        )
        with self._sessions() as session:
            return tuple(TicketSummary(*row) for row in session.execute(query))

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Tickets of ``tenant`` due strictly before ``before``, earliest first."""
        _check_aware("before", before)
        query = (
            select(TicketRow.ticket, TicketRow.status, TicketRow.version, TicketRow.wake_at)
            .where(TicketRow.tenant == tenant, TicketRow.wake_at.is_not(None),
                   TicketRow.wake_at < before)
            .order_by(TicketRow.wake_at, TicketRow.ticket)
            .limit(limit)
        )
        with self._sessions() as session:
            return tuple(TicketSummary(*row) for row in session.execute(query))

    # -- helpers ----------------------------------------------------------------------------

    def _version(self, tenant: str, ticket: str) -> int:
        with self._sessions() as session:
            version = session.scalar(
                select(TicketRow.version).where(
                    TicketRow.tenant == tenant, TicketRow.ticket == ticket
                )
            )
        return 0 if version is None else version

    @staticmethod
    def _events(session: Session, tenant: str, ticket: str) -> tuple[Event, ...]:
        bodies = session.scalars(
            select(EventRow.body)
            .where(EventRow.tenant == tenant, EventRow.ticket == ticket)
            .order_by(EventRow.seq)
        )
        return tuple(event_from_json(body) for body in bodies)

    def _state_of(self, session: Session, row: TicketRow) -> TicketState:
        try:
            return state_from_dict(json.loads(row.snapshot))
        except (EventDecodeError, ValueError):
            # The snapshot is a cache: when its format is outdated, the events are the truth.
            return apply_all(self._events(session, row.tenant, row.ticket), self.workflow)
