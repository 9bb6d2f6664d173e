"""Errors raised by assignment for inconsistent input (definitions raise TriageConfigError)."""

from __future__ import annotations

from slakit._errors import SlakitError


class AgentSnapshotError(SlakitError, ValueError):
    """An agent snapshot given to assignment is inconsistent (e.g. two agents share an id)."""
