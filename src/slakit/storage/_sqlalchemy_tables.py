"""The tables of :class:`~slakit.storage.SQLAlchemyStore`, and a SQLite engine that queues writers.

Design rules:

- SQLAlchemy Core only (no ORM mapper): the store issues a handful of statements per call
  and never needs identity maps or unit-of-work flushes.
- Three desk tables beside the host's own, all keyed by tenant first: ``slakit_tickets`` (one
  row per ticket: version, status, wake-up, wake-up lease, state snapshot), ``slakit_events``
  (the append-only log) and ``slakit_outbox`` (decisions to deliver and their delivery
  state); and five care tables (``slakit_care_*``: plan events, care events, schedules,
  fired keys, subject wake-ups; see :mod:`slakit.storage._sqlalchemy_care`). Create them
  with ``metadata.create_all(engine)`` or from Alembic; on a database made before the care
  tables existed, ``create_all`` adds just those (it skips tables that exist).
- Instants are integer microseconds since the Unix epoch (UTC), as in the SQLite store:
  exact and ordered as instants on every database (SQLite has no time zones).
- Importing this module needs SQLAlchemy; :mod:`slakit.storage` imports it only when a
  SQLAlchemy name is asked for, and turns a missing SQLAlchemy into
  :class:`~slakit.storage.MissingExtraError`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

__all__ = ["care_events", "care_fired", "care_plan_events", "care_schedules", "care_wake",
           "events", "metadata", "outbox", "sqlite_engine", "tickets"]

metadata = MetaData()
"""The slakit tables; ``metadata.create_all(engine)`` creates them."""

tickets = Table(
    "slakit_tickets",
    metadata,
    Column("tenant", String(255), primary_key=True),
    Column("ticket", String(255), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("status", String(64), nullable=False),
    Column("wake_us", BigInteger, nullable=True),
    Column("lease_us", BigInteger, nullable=True),
    Column("snapshot", Text, nullable=False),
    Index("slakit_tickets_by_status", "tenant", "status", "ticket"),
    Index("slakit_tickets_by_wake", "tenant", "wake_us", "ticket"),
    Index("slakit_tickets_wakeups", "wake_us"),
)

events = Table(
    "slakit_events",
    metadata,
    Column("tenant", String(255), primary_key=True),
    Column("ticket", String(255), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("event_id", String(255), nullable=False),
    Column("type", String(64), nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("schema", Integer, nullable=False),
    Column("body", Text, nullable=False),
)

outbox = Table(
    "slakit_outbox",
    metadata,
    Column("tenant", String(255), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("ticket", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_us", BigInteger, nullable=True),
    Column("lease_us", BigInteger, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("slakit_outbox_pending", "state", "next_us"),
)


def _care_log(name: str) -> Table:
    """An append-only per-subject log of events in their JSON form (plan or care events)."""
    return Table(
        name,
        metadata,
        Column("tenant", String(255), primary_key=True),
        Column("subject", String(255), primary_key=True),
        Column("seq", Integer, primary_key=True),
        Column("event_id", String(255), nullable=False),
        Column("body", Text, nullable=False),
        UniqueConstraint("tenant", "subject", "event_id", name=f"{name}_once"),
    )


care_plan_events = _care_log("slakit_care_plan_events")
care_events = _care_log("slakit_care_events")

care_schedules = Table(
    "slakit_care_schedules",
    metadata,
    Column("tenant", String(255), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("body", Text, nullable=False),
)

care_fired = Table(
    "slakit_care_fired",
    metadata,
    Column("tenant", String(255), primary_key=True),
    Column("key", String(512), primary_key=True),
)

care_wake = Table(
    "slakit_care_wake",
    metadata,
    Column("tenant", String(255), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("wake_us", BigInteger, nullable=False),
    Index("slakit_care_wake_due", "tenant", "wake_us", "subject"),
)


def sqlite_engine(url: str = "sqlite://", **kwargs: Any) -> Engine:
    """An engine for SQLite whose transactions start with ``BEGIN IMMEDIATE``, in WAL mode.

    pysqlite starts transactions lazily, so two writers can both read and then fail to take
    the write lock; ``BEGIN IMMEDIATE`` takes it first and makes the second writer wait.

    Args:
        url: A ``sqlite://`` URL (``"sqlite://"`` alone is an in-memory database).
        **kwargs: Passed to :func:`sqlalchemy.create_engine`.
    """
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # BEGIN is issued below, not by pysqlite
        if url not in ("sqlite://", "sqlite:///:memory:"):
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
