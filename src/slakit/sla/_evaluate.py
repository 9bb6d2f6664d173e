"""From-scratch evaluation: events and ``now`` in, clock results out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from slakit._message import Message
from slakit.policies import PolicySet
from slakit.sla._cycle import UTC
from slakit.sla._engine import SlaEngine
from slakit.sla._errors import SlaInputError
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
        WrongTypeError: ``now`` is not a datetime.
        SlaInputError: ``now`` is before the ticket opened, or there are no events.
        InstantRangeError: ``now`` is outside the supported range.
    """
    cutoff = utc_now(now)
    engine = (
        policies if isinstance(policies, SlaEngine)
        else SlaEngine(policies, workflow.pausing_statuses)
    )
    first: Event | None = None
    kept: list[Event] = []
    for event in events:
        if first is None:
            first = event
        if event.at.astimezone(UTC) <= cutoff:
            kept.append(event)
    if first is not None and not kept:
        raise SlaInputError(Message(
            "now ({now}) is before ticket {ticket!r} opened ({opened}): no clock runs yet; "
            "evaluate at or after the opening", now=now.isoformat(), ticket=first.ticket,
            opened=first.at.isoformat()))
    _, state = engine.apply_all(kept, workflow)
    return evaluate_clocks(state, now, explain=explain)
