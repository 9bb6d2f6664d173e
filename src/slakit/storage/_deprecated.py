"""The 0.1 names of the wake-up time (``due_at``), kept as deprecated aliases.

``due_at`` means a clock's deadline everywhere else in slakit, so the store's per-ticket
wake-up instant is ``wake_at`` since 0.2 (issue 11). Each alias warns once per call site.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import Any

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit.storage._port import KEEP_WAKE_AT, KeepWakeAt, TicketSummary

RENAMED = {"KEEP_DUE": "KEEP_WAKE_AT", "KeepDue": "KeepWakeAt", "DueAt": "WakeAt"}


def warn_renamed(old: str, new: str) -> None:
    """Emit the DeprecationWarning of a renamed name."""
    warnings.warn(f"{old} is deprecated since slakit 0.2; use {new} (same meaning)",
                  DeprecationWarning, stacklevel=3)


def wake_at_argument(
    wake_at: datetime | KeepWakeAt | None, legacy: dict[str, Any]
) -> datetime | KeepWakeAt | None:
    """``wake_at``, or the deprecated ``due_at`` keyword found in ``legacy``.

    Raises:
        WrongTypeError: for any other keyword, or both names given.
    """
    if not legacy:
        return wake_at
    unknown = sorted(set(legacy) - {"due_at"})
    if unknown:
        raise WrongTypeError(Message("append() got unexpected keyword arguments: {items}",
                                     items=', '.join(unknown)))
    if wake_at is not KEEP_WAKE_AT:
        raise WrongTypeError(Message("give wake_at only (due_at is its deprecated name), not both"))
    warn_renamed("append(due_at=...)", "append(wake_at=...)")
    value: datetime | KeepWakeAt | None = legacy["due_at"]
    return value


class DueAliases:
    """``set_due`` and ``list_due``, the 0.1 names of ``set_wake_at`` and ``list_wakeups``."""

    def set_wake_at(self, tenant: str, ticket: str, wake_at: datetime | None) -> None:
        raise NotImplementedError  # pragma: no cover - provided by the store

    def list_wakeups(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        raise NotImplementedError  # pragma: no cover - provided by the store

    def set_due(self, tenant: str, ticket: str, due_at: datetime | None) -> None:
        """Deprecated name of ``set_wake_at``."""
        warn_renamed("set_due", "set_wake_at")
        self.set_wake_at(tenant, ticket, due_at)

    def list_due(
        self, tenant: str, before: datetime, *, limit: int | None = None
    ) -> tuple[TicketSummary, ...]:
        """Deprecated name of ``list_wakeups``."""
        warn_renamed("list_due", "list_wakeups")
        return self.list_wakeups(tenant, before, limit=limit)
