"""Errors of plans, care schedules and ticket timers."""

from __future__ import annotations

from collections.abc import Iterable

from slakit._errors import DefinitionError, SlakitError


class PlanInputError(SlakitError, ValueError):
    """An event or a value cannot be applied: it would give a wrong plan or schedule state.

    Nothing is changed when it is raised; the message says what is wrong and how to fix it.
    """


class CareDataError(DefinitionError):
    """A plan, schedule or timer mapping is invalid; :attr:`problems` lists every problem.

    Each problem starts with its path (``timers.auto_close.after: ...``).
    """

    def __init__(self, what: str, problems: Iterable[str]) -> None:
        super().__init__(what, problems)
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        self.args = (f"invalid {what} ({n} problem{'' if n == 1 else 's'}):\n{lines}",)
