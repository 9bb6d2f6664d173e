"""Where tickets live: the TicketStore port, two reference stores and a thin service.

slakit never owns a host's I/O: hosts implement :class:`TicketStore` over their own database
or use :class:`SQLiteStore` (embedded default) or :class:`InMemoryStore` (tests, examples).
:class:`TicketService` runs load -> apply -> append with retries on any store. Both
reference stores are also desk stores (:class:`DeskStore`: wake-up claims and an outbox), what
:class:`slakit.desk.Desk` runs on. :class:`SQLAlchemyStore` is a desk store in the host's own
SQLite or PostgreSQL database (needs the ``sqlalchemy`` extra; imported on first use).

The 0.1 names ``KEEP_DUE``, ``KeepDue``, ``DueAt``, ``set_due``, ``list_due`` and
``append(due_at=...)`` still work and warn (DeprecationWarning): the per-ticket instant is
``wake_at`` now, since ``due_at`` means a clock's deadline everywhere else.
"""

from typing import TYPE_CHECKING, Any

from slakit._errors import MissingExtraError
from slakit._message import Message
from slakit.storage._deprecated import RENAMED as _RENAMED
from slakit.storage._deprecated import warn_renamed as _warn_renamed
from slakit.storage._desk_port import (
    BatchResult,
    DeliveryState,
    DeskStore,
    OutboxEntry,
    OutboxItem,
    OutboxQueue,
    TicketAppend,
    WakeClaim,
)
from slakit.storage._errors import (
    ConcurrencyError,
    StoreFileError,
    StoreSchemaError,
    UnknownTicketError,
)
from slakit.storage._memory import InMemoryStore
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketStore, TicketSummary
from slakit.storage._service import Decide, TicketService, TicketUpdate, WakeAt
from slakit.storage._sqlite import SQLiteStore
from slakit.storage._sqlite_schema import SCHEMA_VERSION as SQLITE_SCHEMA_VERSION

if TYPE_CHECKING:
    # "as": re-exported for type checkers, though not in __all__ (see below).
    from slakit.storage._sqlalchemy import SQLAlchemyStore as SQLAlchemyStore
    from slakit.storage._sqlalchemy_tables import metadata

    sqlalchemy_metadata = metadata
    from slakit.storage._sqlalchemy_tables import sqlite_engine as sqlite_engine

# Names needing SQLAlchemy, imported on first use: (module, attribute). They are not in
# ``__all__``, so ``import slakit`` and ``from slakit.storage import *`` neither need nor
# import SQLAlchemy (a star import asks for every name in ``__all__``); ``slakit.X`` forwards
# them here.
_SQLALCHEMY_NAMES = {
    "SQLAlchemyStore": ("slakit.storage._sqlalchemy", "SQLAlchemyStore"),
    "sqlalchemy_metadata": ("slakit.storage._sqlalchemy_tables", "metadata"),
    "sqlite_engine": ("slakit.storage._sqlalchemy_tables", "sqlite_engine"),
}

__all__ = [
    "KEEP_WAKE_AT",
    "SQLITE_SCHEMA_VERSION",
    "BatchResult",
    "ConcurrencyError",
    "Decide",
    "DeliveryState",
    "DeskStore",
    "InMemoryStore",
    "KeepWakeAt",
    "OutboxEntry",
    "OutboxItem",
    "OutboxQueue",
    "SQLiteStore",
    "StoreFileError",
    "StoreSchemaError",
    "TicketAppend",
    "TicketService",
    "TicketStore",
    "TicketSummary",
    "TicketUpdate",
    "UnknownTicketError",
    "WakeAt",
    "WakeClaim",
]


def __getattr__(name: str) -> Any:
    """The SQLAlchemy store's names (imported on first use), and the deprecated 0.1 names."""
    if name in _SQLALCHEMY_NAMES:
        import importlib

        module, attribute = _SQLALCHEMY_NAMES[name]
        try:
            value = getattr(importlib.import_module(module), attribute)
        except ModuleNotFoundError as exc:
            if exc.name is None or exc.name.split(".")[0] != "sqlalchemy":
                raise
            raise MissingExtraError(
                Message("slakit.storage.{name} needs SQLAlchemy 2.0, which is not installed; install it "
                        "with pip install 'slakit[sqlalchemy]' (or 'slakit[postgres]' for PostgreSQL "
                        "through psycopg 3)", name=name)
            ) from exc
        globals()[name] = value
        return value
    if name in _RENAMED:
        _warn_renamed(f"slakit.storage.{name}", _RENAMED[name])
        return globals()[_RENAMED[name]]
    raise AttributeError(Message("module 'slakit.storage' has no attribute {name!r}", name=name))
