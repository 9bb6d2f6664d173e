"""Errors raised while building, loading or using SLA policies."""

from __future__ import annotations

from collections.abc import Iterable

from slakit._errors import SlakitError


class PolicyDataError(SlakitError, ValueError):
    """SLA policy data is invalid; :attr:`problems` lists every problem found, with its path."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid SLA policy data ({len(self.problems)} problems):\n{lines}")


class NoPolicyMatchedError(SlakitError, LookupError):
    """No SLA policy applies to a ticket and the policy set has no fallback."""
