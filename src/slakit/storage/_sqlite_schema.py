"""SQLite schema versions of :class:`SQLiteStore` and the migrations between them.

History (``PRAGMA user_version``):

1. The first layout: one ``events`` table ``(tenant, ticket, seq, body)``, bodies in any event
   JSON schema. No ticket index, so listing by status or due time meant replaying everything.
2. ``events`` gains ``event_id``, ``type``, ``at_us`` and the event ``schema``
   columns (event ids are unique per ticket because appends fold through the ticket state,
   which skips known ids; a UNIQUE index would cost a fifth of the batch append speed);
   a ``tickets`` table holds version, status, due time and a state snapshot per ticket,
   indexed for listings.
3. The desk loop (issue 13): ``tickets.due_us`` is renamed ``wake_us`` (``due_at``
   means a clock's deadline elsewhere) and gains ``lease_us`` (a wake-up claim's expiry);
   an index on ``wake_us`` alone serves claims across tenants; an ``outbox`` table holds
   each decision to deliver with its delivery state.
4. Current (issue 13's ``record`` speed): the same tables; a ticket's ``snapshot`` may lag its
   ``version`` by up to 15 events (its own ``version`` says where it stands, and readers
   fold the events after it; see ``_sqlite_snapshot``). Nothing to convert (a schema-3
   snapshot is current); the number changes so that a schema-3 slakit, which would take
   a lagging snapshot for the ticket's state, refuses the file instead.

Migrations run when a store opens the file, inside one ``BEGIN IMMEDIATE`` transaction, so
several processes opening an old file at once migrate it exactly once and a crash mid-way
leaves the old version intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from slakit._errors import SlakitError
from slakit._message import Message
from slakit.storage._common import fold_new_events, to_micros
from slakit.storage._errors import StoreSchemaError
from slakit.workflow import (
    EVENT_SCHEMA_VERSION,
    Workflow,
    event_from_json,
    event_to_json,
    state_to_json,
)

SCHEMA_VERSION = 4

SCHEMA_V1 = """
CREATE TABLE events (
    tenant TEXT NOT NULL,
    ticket TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant, ticket, seq)
);
"""

SCHEMA_V2 = """
CREATE TABLE events (
    tenant TEXT NOT NULL,
    ticket TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    schema INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant, ticket, seq)
) WITHOUT ROWID;
CREATE TABLE tickets (
    tenant TEXT NOT NULL,
    ticket TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    due_us INTEGER,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (tenant, ticket)
) WITHOUT ROWID;
CREATE INDEX tickets_by_status ON tickets (tenant, status, ticket);
CREATE INDEX tickets_by_due ON tickets (tenant, due_us, ticket) WHERE due_us IS NOT NULL;
"""


# What schema 3 adds to schema 2 (besides the two tickets columns), in order.
_V3_ADDITIONS = ["""
CREATE INDEX tickets_by_wake ON tickets (tenant, wake_us, ticket) WHERE wake_us IS NOT NULL;
""", """
CREATE INDEX wakeups ON tickets (wake_us) WHERE wake_us IS NOT NULL;
""", """
CREATE TABLE outbox (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    ticket TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_us INTEGER,
    lease_us INTEGER,
    last_error TEXT,
    PRIMARY KEY (tenant, key)
) WITHOUT ROWID;
""", """
CREATE INDEX outbox_pending ON outbox (next_us) WHERE state = 'pending';
"""]

_SCHEMA_V3_BASE = """
CREATE TABLE events (
    tenant TEXT NOT NULL,
    ticket TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    schema INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant, ticket, seq)
) WITHOUT ROWID;
CREATE TABLE tickets (
    tenant TEXT NOT NULL,
    ticket TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    wake_us INTEGER,
    snapshot TEXT NOT NULL,
    lease_us INTEGER,
    PRIMARY KEY (tenant, ticket)
) WITHOUT ROWID;
CREATE INDEX tickets_by_status ON tickets (tenant, status, ticket);
"""
_SCHEMA_V3 = _SCHEMA_V3_BASE + "".join(_V3_ADDITIONS)


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _create_current(db: sqlite3.Connection, workflow: Workflow) -> None:
    _run_script(db, _SCHEMA_V3)  # schema 4 has schema 3's tables


def _create_v2(db: sqlite3.Connection) -> None:
    _run_script(db, SCHEMA_V2)


def _migrate_3_to_4(db: sqlite3.Connection, workflow: Workflow) -> None:
    """Nothing to convert: schema 4 only allows snapshots that lag (see the history above)."""


def _migrate_2_to_3(db: sqlite3.Connection, workflow: Workflow) -> None:
    db.execute("ALTER TABLE tickets RENAME COLUMN due_us TO wake_us")
    db.execute("ALTER TABLE tickets ADD COLUMN lease_us INTEGER")
    db.execute("DROP INDEX tickets_by_due")
    _run_script(db, "".join(_V3_ADDITIONS))


def _migrate_1_to_2(db: sqlite3.Connection, workflow: Workflow) -> None:
    db.execute("ALTER TABLE events RENAME TO events_v1")
    _create_v2(db)
    keys = db.execute("SELECT DISTINCT tenant, ticket FROM events_v1 ORDER BY tenant, ticket")
    for tenant, ticket in keys.fetchall():
        bodies = db.execute(
            "SELECT body FROM events_v1 WHERE tenant = ? AND ticket = ? ORDER BY seq",
            (tenant, ticket),
        ).fetchall()
        try:
            events = [event_from_json(body) for (body,) in bodies]
            # Folding drops true duplicates (same content ids from schema-1 bodies).
            state, fresh = fold_new_events(None, ticket, events, workflow)
        except SlakitError as exc:
            raise StoreSchemaError(
                Message("cannot migrate ticket {ticket!r} of tenant {tenant!r} to schema 2: {exc}; the "
                        "database was left at schema 1", ticket=ticket, tenant=tenant, exc=exc)
            ) from exc
        if state is None:
            continue
        db.executemany(
            "INSERT INTO events (tenant, ticket, seq, event_id, type, at_us, schema, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (tenant, ticket, seq, e.event_id, e.event_type, to_micros(e.at),
                 EVENT_SCHEMA_VERSION, event_to_json(e))
                for seq, e in enumerate(fresh, start=1)
            ],
        )
        db.execute(
            "INSERT INTO tickets (tenant, ticket, version, status, due_us, snapshot) "
            "VALUES (?, ?, ?, ?, NULL, ?)",
            (tenant, ticket, state.version, state.status, state_to_json(state)),
        )
    db.execute("DROP TABLE events_v1")


# version -> migration to the next version
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection, Workflow], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}


def open_schema(db: sqlite3.Connection, workflow: Workflow) -> None:
    """Create the current schema in an empty database, or migrate an older one.

    Raises:
        StoreSchemaError: the file was written by a newer slakit, or a migration failed.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if version > SCHEMA_VERSION:
            raise StoreSchemaError(
                Message("the database has schema version {version}, newer than this slakit's "
                        "{schema_version}; upgrade slakit to open it", version=version,
                        schema_version=SCHEMA_VERSION)
            )
        if version == 0 and has_tables:
            raise StoreSchemaError(
                Message("the database has tables but no slakit schema version; it was not written by "
                        "SQLiteStore: give SQLiteStore its own file")
            )
        if version == 0:
            _create_current(db, workflow)
        else:
            while version < SCHEMA_VERSION:
                try:
                    _MIGRATIONS[version](db, workflow)
                except sqlite3.Error as exc:
                    raise StoreSchemaError(
                        Message("cannot migrate the database from schema {version} to {value}: {exc}; it "
                                "was left as it was (was the file changed by hand?)", version=version,
                                value=version + 1, exc=exc)
                    ) from exc
                version += 1
        # PRAGMA takes no parameters; SCHEMA_VERSION is our own integer constant.
        db.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
