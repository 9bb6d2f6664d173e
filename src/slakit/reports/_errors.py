"""Errors raised by the reports."""

from __future__ import annotations

from collections.abc import Iterable

from slakit._errors import MissingExtraError, SlakitError

__all__ = ["MissingExtraError", "ReportInputError"]  # MissingExtraError: shared, in slakit._errors


class ReportInputError(SlakitError, ValueError):
    """Report input (a per-ticket record, a grouping, a fault report field) cannot be used.

    :attr:`problems` lists every problem found, each with where it is and how to fix it.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid report input ({len(self.problems)} problems):\n{lines}")
