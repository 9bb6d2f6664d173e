"""An assignment plan: skip agents who cannot work, then try strategy steps in order.

``AssignmentPlan(steps).assign(request, agents)`` is a pure function of the snapshot and the
request. The plan is checked when built: it must end with a step that always picks, and no
step may follow one that always picks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from slakit.policies._assign_agents import Agent, AssignmentDecision, AssignmentRequest
from slakit.policies._assign_strategies import AssignmentStep
from slakit.policies._triage_errors import AgentSnapshotError, TriageConfigError


def _step_tuple(value: Iterable[AssignmentStep]) -> tuple[AssignmentStep, ...]:
    return tuple(value)


def _plan_problems(steps: Sequence[object]) -> list[str]:
    problems = []
    if not steps:
        return ["a plan needs at least one step, ending with LeastLoaded() or RoundRobin()"]
    for index, step in enumerate(steps):
        if not isinstance(step, AssignmentStep):
            problems.append(f"{step!r} is not an assignment step (needs name, always_picks, apply)")
        elif step.always_picks and index < len(steps) - 1:
            later = ", ".join(repr(getattr(s, "name", s)) for s in steps[index + 1 :])
            problems.append(f"step {step.name!r} always picks, so {later} could never run")
    last = steps[-1]
    if isinstance(last, AssignmentStep) and not last.always_picks:
        problems.append(
            f"the last step {last.name!r} may not pick; end with LeastLoaded() or RoundRobin()"
        )
    return problems


@attrs.frozen
class AssignmentPlan:
    """Steps tried in order until one picks an agent.

    Args:
        steps: the steps; the last must always pick.
    """

    steps: tuple[AssignmentStep, ...] = attrs.field(converter=_step_tuple)

    def __attrs_post_init__(self) -> None:
        problems = _plan_problems(self.steps)
        if problems:
            raise TriageConfigError("assignment plan", problems)

    def assign(self, request: AssignmentRequest, agents: Iterable[Agent]) -> AssignmentDecision:
        """Choose an agent for ``request`` from the ``agents`` snapshot.

        Raises:
            AgentSnapshotError: two agents share an id.
        """
        snapshot: dict[str, Agent] = {}
        for agent in agents:
            if agent.id in snapshot:
                raise AgentSnapshotError(
                    f"two agents have id {agent.id!r}; ids in a snapshot must be unique"
                )
            snapshot[agent.id] = agent
        skipped = []
        pool = []
        for agent in snapshot.values():
            why = agent.unavailable_because(request.at)
            if why is None:
                pool.append(agent)
            else:
                skipped.append((agent.id, why))
        reasons = []
        if skipped:
            reasons.append("skipped " + "; ".join(f"{a} ({why})" for a, why in skipped))
        candidates = tuple(pool)
        for step in self.steps:
            outcome = step.apply(request, candidates, snapshot)
            if outcome.reason:
                reasons.append(f"{step.name}: {outcome.reason}")
            if outcome.picked is not None:
                cursor = outcome.cursor if outcome.cursor is not None else request.last_assigned
                return AssignmentDecision(
                    outcome.picked.id, step.name, tuple(reasons), tuple(skipped), cursor
                )
            candidates = outcome.pool
            if not candidates:
                break
        reasons.append("no agent can take the ticket now: it stays unassigned")
        return AssignmentDecision(
            None, None, tuple(reasons), tuple(skipped), request.last_assigned
        )


def assign(
    request: AssignmentRequest, agents: Iterable[Agent], *steps: AssignmentStep
) -> AssignmentDecision:
    """Shorthand for ``AssignmentPlan(steps).assign(request, agents)``."""
    return AssignmentPlan(steps).assign(request, agents)
