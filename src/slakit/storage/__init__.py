"""Where tickets live: the TicketStore port, two reference stores and a thin service.

slakit never owns a host's I/O: hosts implement :class:`TicketStore` over their own database
or use :class:`SQLiteStore` (embedded default) or :class:`InMemoryStore` (tests, examples).
:class:`TicketService` runs load -> apply -> append with retries on any store.
"""

from slakit.storage._errors import (
    ConcurrencyError,
    StoreFileError,
    StoreSchemaError,
    UnknownTicketError,
)
from slakit.storage._memory import InMemoryStore
from slakit.storage._port import KEEP_DUE, KeepDue, TicketStore, TicketSummary
from slakit.storage._service import Decide, DueAt, TicketService, TicketUpdate
from slakit.storage._sqlite import SQLiteStore
from slakit.storage._sqlite_schema import SCHEMA_VERSION as SQLITE_SCHEMA_VERSION

__all__ = [
    "KEEP_DUE",
    "SQLITE_SCHEMA_VERSION",
    "ConcurrencyError",
    "Decide",
    "DueAt",
    "InMemoryStore",
    "KeepDue",
    "SQLiteStore",
    "StoreFileError",
    "StoreSchemaError",
    "TicketService",
    "TicketStore",
    "TicketSummary",
    "TicketUpdate",
    "UnknownTicketError",
]
