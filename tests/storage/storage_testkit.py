"""Helpers for the storage tests: events, worker processes, every store kind, PostgreSQL.

Importable by worker processes: only slakit and the standard library are imported at the
top; the optional SQLAlchemy store and its drivers load when a backend needs them.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from slakit.storage import DeskStore, InMemoryStore, SQLiteStore, TicketService, TicketStore
from slakit.workflow import AgentReplied, Event, TicketOpened

if TYPE_CHECKING:
    from slakit.storage import SQLAlchemyStore

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


def opened(ticket: str, at: datetime = T0, event_id: str | None = None) -> TicketOpened:
    return TicketOpened(
        ticket=ticket, at=at, event_id=event_id or f"{ticket}-open", priority="normal",
        category=None, channel="email", customer="c-1", customer_tier=None,
    )


def reply(ticket: str, event_id: str, minutes: int = 0) -> AgentReplied:
    return AgentReplied(ticket=ticket, at=T0 + timedelta(minutes=minutes), event_id=event_id)


def contending_writer(path: str, worker: int, count: int) -> None:
    """Append ``count`` replies to ticket T-1 through the retrying service."""
    with SQLiteStore(path, synchronous="NORMAL") as store:
        service = TicketService(store)
        for i in range(count):
            event: Event = reply("T-1", f"w{worker}-{i}", minutes=1)
            service.handle("shop", [event], T0)


def batch(ticket_index: int, batch_index: int, size: int) -> list[Event]:
    ticket = f"T-{ticket_index}"
    events: list[Event] = []
    for i in range(size):
        n = batch_index * size + i
        events.append(opened(ticket) if n == 0 else reply(ticket, f"{ticket}-{n}", n))
    return events


def endless_writer(path: str, report_fd: int, tickets: int, size: int) -> None:
    """Append batches round-robin over tickets forever, reporting each commit on a pipe."""
    with SQLiteStore(Path(path), synchronous="NORMAL") as store:
        batch_index = 0
        while True:
            for t in range(tickets):
                store.append("shop", f"T-{t}", batch(t, batch_index, size),
                             expected_version=batch_index * size)
                os.write(report_fd, f"{t}:{batch_index}\n".encode())
            batch_index += 1


# -- every store the contract suite runs against ------------------------------------------
#
# The contract (test_contract.py) is written once against ``backend.fresh()``, which
# yields an empty store of one kind. Optional dependencies (SQLAlchemy, psycopg, a PostgreSQL
# server) are imported only when their backend is used.

class StoreBackend(Protocol):
    """Makes empty stores of one kind."""

    def fresh(self) -> AbstractContextManager[TicketStore]: ...


class MemoryBackend:
    @contextmanager
    def fresh(self) -> Iterator[TicketStore]:
        yield InMemoryStore()


class SQLiteBackend:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.made = itertools.count()

    @contextmanager
    def fresh(self) -> Iterator[TicketStore]:
        with SQLiteStore(self.workdir / f"tickets-{next(self.made)}.db") as store:
            yield store


class SQLAlchemySQLiteBackend:
    """SQLAlchemyStore over a new SQLite file each time."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.made = itertools.count()

    @contextmanager
    def fresh(self) -> Iterator[SQLAlchemyStore]:
        from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata, sqlite_engine

        engine = sqlite_engine(f"sqlite:///{self.workdir / f'sa-{next(self.made)}.db'}")
        sqlalchemy_metadata.create_all(engine)
        try:
            yield SQLAlchemyStore(engine)
        finally:
            engine.dispose()


class SQLAlchemyServerBackend:
    """SQLAlchemyStore on a database server; its slakit tables are emptied before each use."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        from slakit.storage import sqlalchemy_metadata

        self.engine = create_engine(url)
        sqlalchemy_metadata.create_all(self.engine)

    @contextmanager
    def fresh(self) -> Iterator[SQLAlchemyStore]:
        from sqlalchemy import text

        from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata

        names = ", ".join(table.name for table in sqlalchemy_metadata.sorted_tables)
        with self.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names}"))  # every slakit table, care included
        yield SQLAlchemyStore(self.engine)

    def close(self) -> None:
        self.engine.dispose()


_SERVERS: dict[str, SQLAlchemyServerBackend] = {}


def server(url: str) -> SQLAlchemyServerBackend:
    """One backend (one engine) per server URL for the whole session."""
    if url not in _SERVERS:
        _SERVERS[url] = SQLAlchemyServerBackend(url)
    return _SERVERS[url]


DESK_STORES = ["memory", "sqlite", "sqlalchemy-sqlite", "sqlalchemy-postgresql"]
"""The desk stores the contract tests run on (a fixture's params)."""


@contextmanager
def desk_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DeskStore]:
    """The store named by ``request.param`` (one of DESK_STORES), empty."""
    if request.param == "memory":
        yield InMemoryStore()
    elif request.param == "sqlite":
        with SQLiteStore(tmp_path / "desk.db") as sqlite:
            yield sqlite
    elif request.param == "sqlalchemy-sqlite":
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with SQLAlchemySQLiteBackend(tmp_path).fresh() as alchemy:
            yield alchemy
    else:
        pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
        with server(request.getfixturevalue("postgres_url")).fresh() as alchemy:
            yield alchemy


# -- a throwaway PostgreSQL cluster ---------------------------------------------------------

POSTGRES_URL_VARIABLE = "SLAKIT_TEST_POSTGRES_URL"
"""Set it to a SQLAlchemy URL to test against that server instead (its slakit tables are
emptied by the tests)."""

REQUIRE_POSTGRES_VARIABLE = "SLAKIT_REQUIRE_POSTGRES"
"""Set it to 1 (in CI) to turn "PostgreSQL unavailable" skips into failures."""


DEBIAN_POSTGRES = Path("/usr/lib/postgresql")
"""Where Debian and Ubuntu put the server binaries: off PATH, one directory per version."""


class PostgresUnavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def _postgres_bindir() -> Path:
    debian = sorted(
        DEBIAN_POSTGRES.glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return debian[-1].parent
    on_path = shutil.which("initdb")
    if on_path is None:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on "
            f"PATH); run .ci/postgres.sh or set {POSTGRES_URL_VARIABLE}"
        )
    return Path(on_path).parent


def _unprivileged_prefix() -> tuple[list[str], int, int]:
    """How to run initdb/pg_ctl, which refuse to run as root: (argv prefix, uid, gid)."""
    if sys.platform == "win32":
        raise PostgresUnavailable("the throwaway PostgreSQL cluster is POSIX-only")
    if os.geteuid() != 0:
        return [], os.geteuid(), os.getegid()
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root and runuser is missing to drop privileges")
    import pwd

    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return [runuser, "-u", name, "--"], user.pw_uid, user.pw_gid
    raise PostgresUnavailable("running as root and there is no postgres or nobody user")


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise PostgresUnavailable(f"{what} failed ({done.returncode}): {done.stderr.strip()}")


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a private PostgreSQL cluster; yield its SQLAlchemy URL; delete it afterwards.

    The cluster lives in a new temporary directory and listens only on a Unix socket there
    (no TCP port to collide with), with durability off (fsync, full page writes) for speed.

    Raises:
        PostgresUnavailable: no server binaries, no way to run them, or they failed.
    """
    bindir = _postgres_bindir()
    prefix, uid, gid = _unprivileged_prefix()
    # Not under pytest's tmp dirs: those are private to the current user, and the server
    # may run as another one. A short path also keeps the socket path under its length limit.
    home = Path(tempfile.mkdtemp(prefix="slakit-pg-"))
    try:
        if os.geteuid() != uid:
            os.chown(home, uid, gid)
        data, log = home / "data", home / "server.log"
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
              "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], "initdb")
        options = (f"-c listen_addresses='' -c unix_socket_directories={home} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        try:
            _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                  "-t", "30", "-o", options, "start"], "pg_ctl start")
        except PostgresUnavailable as exc:
            tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
            raise PostgresUnavailable(f"{exc}; server log: {tail}") from None
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={home}"
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60, check=False)
    finally:
        shutil.rmtree(home, ignore_errors=True)
