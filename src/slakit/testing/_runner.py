"""Running a check as a Hypothesis property from a plain function call.

A check is a function of one drawn example that raises an
:class:`~slakit.testing.InvariantViolation`; Hypothesis searches for a failing example and
shrinks it, and the violation raised for the smallest one reaches the caller unchanged.
Settings suit a host's test suite: no deadline (calendars compute a year on first use), no
example database (the check is a library call, not a test of its own), health checks that
would only complain about the size of policies switched off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slakit._message import Message
from slakit.testing._errors import TestingArgumentError

T = TypeVar("T")


def run_check(
    name: str,
    examples: st.SearchStrategy[T],
    body: Callable[[T], None],
    *,
    max_examples: int,
    seed: int | None,
    base: settings | None = None,
) -> None:
    """Call ``body`` on up to ``max_examples`` examples; re-raise the smallest failure.

    ``base`` supplies any other Hypothesis setting (``phases``, ``verbosity``, ...); unset
    ones come from the loaded Hypothesis profile, as for any Hypothesis test.
    """
    if max_examples < 1:
        raise TestingArgumentError(Message("max_examples must be at least 1, got {max_examples}",
                                           max_examples=max_examples))

    @settings(
        base,
        max_examples=max_examples,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(examples)
    def check(example: T) -> None:
        body(example)

    check.__name__ = check.__qualname__ = name  # Hypothesis names the check in its report
    if seed is not None:
        check = hypothesis.seed(seed)(check)
    check()
