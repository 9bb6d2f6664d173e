"""Errors raised by ticket stores."""

from __future__ import annotations

from slakit._errors import SlakitError


class ConcurrencyError(SlakitError, ValueError):
    """Another writer appended to the ticket first: the expected version is stale.

    Reload the ticket, decide again on the fresh state and retry (the service does this).
    """

    def __init__(self, tenant: str, ticket: str, expected: int, actual: int) -> None:
        self.tenant = tenant
        self.ticket = ticket
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"ticket {ticket!r} of tenant {tenant!r} is at version {actual}, not the expected "
            f"{expected}: another writer got there first; reload the ticket and retry"
        )


class UnknownTicketError(SlakitError, LookupError):
    """The ticket does not exist for this tenant."""

    def __init__(self, tenant: str, ticket: str) -> None:
        self.tenant = tenant
        self.ticket = ticket
        super().__init__(
            f"tenant {tenant!r} has no ticket {ticket!r}; open it with a TicketOpened event first"
        )


class StoreSchemaError(SlakitError, ValueError):
    """A database was written by a newer slakit, or cannot be migrated."""


class StoreFileError(SlakitError, ValueError):
    """A store's database file cannot be opened: it is not a SQLite database, or unreadable."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"cannot open {path!r} as a ticket store: {reason}; give SQLiteStore a path of its "
            "own (a missing file is created), not another program's file"
        )

