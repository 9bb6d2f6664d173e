"""Errors of :mod:`slakit.testing`.

This module must not import Hypothesis: the package ``__init__`` raises
:class:`MissingTestDependencyError` from here when Hypothesis is not installed.
"""

from __future__ import annotations

from collections.abc import Mapping

from slakit._errors import SlakitError


class MissingTestDependencyError(SlakitError, ImportError):
    """``slakit.testing`` needs Hypothesis, which is a test-time dependency only."""

    def __init__(self, missing: str = "hypothesis") -> None:
        super().__init__(
            f"slakit.testing needs the {missing!r} package, which slakit itself does not "
            f"depend on; install it with `pip install {missing}` (or add it to your test "
            "dependencies) and import slakit.testing from your tests only",
            name=missing,
        )


class TestingArgumentError(SlakitError, ValueError):
    """A strategy or check of ``slakit.testing`` got an argument it cannot work with."""


class InvariantViolation(SlakitError, AssertionError):
    """A check found an example that breaks a documented invariant.

    Attributes:
        invariant: A short name of the broken invariant.
        counterexample: The inputs and outputs that break it, by name.
    """

    def __init__(self, invariant: str, explanation: str, counterexample: Mapping[str, object]) -> None:
        self.invariant = invariant
        self.counterexample = dict(counterexample)
        lines = "\n".join(f"  {name} = {_show(value)}" for name, value in self.counterexample.items())
        super().__init__(f"{invariant}: {explanation}\ncounterexample:\n{lines}")


def _show(value: object) -> str:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat) and hasattr(value, "tzinfo"):
        return str(isoformat())  # instants read best with their offset
    if isinstance(value, list | tuple) and len(value) > 1:
        return "[\n" + "".join(f"    {_show(v)},\n" for v in value) + "  ]"
    return repr(value)


class CalendarInvariantError(InvariantViolation):
    """A calendar broke an arithmetic invariant (add/elapsed inverse, additivity, ...)."""


class PausingInvariantError(InvariantViolation):
    """Pausing a ticket moved a due time earlier."""


class FoldInvariantError(InvariantViolation):
    """Folding events one by one gave other clock figures than evaluating from scratch."""


class EscalationInvariantError(InvariantViolation):
    """An escalation fired twice, out of order, late, while paused or after its clock ended."""


class WakeUpInvariantError(InvariantViolation):
    """``next_wake_at`` scheduled a wake-up after the next firing or breach (or none at all)."""
