"""Errors raised while building, loading or using SLA policies."""

from __future__ import annotations

from collections.abc import Iterable

from slakit._errors import DefinitionError, SlakitError
from slakit._message import Message


class PolicyDataError(DefinitionError):
    """SLA policy data is invalid; :attr:`problems` lists every problem found, with its path."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(Message("SLA policy data"), problems)


class NoPolicyMatchedError(SlakitError, LookupError):
    """No SLA policy applies to a ticket and the policy set has no fallback."""
