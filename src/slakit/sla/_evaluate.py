"""From-scratch evaluation: events and ``now`` in, clock results out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from slakit.policies import PolicySet
from slakit.sla._cycle import UTC
from slakit.sla._engine import SlaEngine
from slakit.sla._now import utc_now
from slakit.sla._results import ClockResult, evaluate_clocks
from slakit.workflow import DEFAULT_WORKFLOW, Event, Workflow


def evaluate_sla(
    events: Iterable[Event],
    policies: PolicySet | SlaEngine,
    now: datetime,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    explain: bool = False,
) -> tuple[ClockResult, ...]:
    """Replay a ticket's events up to ``now`` and return every clock's figures at ``now``.

    Events after ``now`` are ignored, so this also answers "what did the clocks say at
    ``now``?" for any past instant. It equals folding the same events one by one with
    :meth:`SlaEngine.advance` and calling ``state.at(now)``.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        SlaInputError: no event happened by ``now``.
    """
    cutoff = utc_now(now)
    engine = (
        policies if isinstance(policies, SlaEngine)
        else SlaEngine(policies, workflow.pausing_statuses)
    )
    _, state = engine.apply_all((e for e in events if e.at.astimezone(UTC) <= cutoff), workflow)
    return evaluate_clocks(state, now, explain=explain)
