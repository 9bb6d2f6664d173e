"""An assignment plan: skip agents who cannot work, then try strategy steps in order.

``AssignmentPlan(steps).assign(request, agents)`` is a pure function of the snapshot and the
request. The plan is checked when built: it must end with a step that always picks, and no
step may follow one that always picks.

``assign`` checks what it is given before using it: the request must be an
:class:`AssignmentRequest` and the snapshot an iterable of :class:`Agent` with unique ids
(else :class:`slakit.WrongTypeError` or :class:`AgentSnapshotError`, raised before any step
runs). An empty snapshot is not an error: the ticket stays unassigned, and the decision says
so. What each step returns is checked too, so a custom step that picks an agent outside its
pool (an unavailable one, say) raises :class:`TriageConfigError` instead of giving a wrong
answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit.assignment._agents import Agent, AssignmentDecision, AssignmentRequest
from slakit.assignment._errors import AgentSnapshotError
from slakit.assignment._strategies import (
    AssignmentStep,
    DedicatedAdvisor,
    GroupMatch,
    LeastLoaded,
    RoundRobin,
    SkillMatch,
    StepOutcome,
)
from slakit.triage._errors import TriageConfigError

_BUILT_IN = frozenset({DedicatedAdvisor, SkillMatch, GroupMatch, LeastLoaded, RoundRobin})


def _step_tuple(value: Iterable[AssignmentStep]) -> tuple[AssignmentStep, ...]:
    if isinstance(value, AssignmentStep | str | bytes) or not isinstance(value, Iterable):
        raise TriageConfigError(
            Message("assignment plan"),
            [
                Message("steps must be a sequence of steps, got {kind} {value!r}; e.g. "
                        "AssignmentPlan([SkillMatch(...), LeastLoaded()])", kind=type(value).__name__,
                        value=value)
            ],
        )
    return tuple(value)


def _plan_problems(steps: Sequence[object]) -> list[str]:
    problems: list[str] = []
    if not steps:
        return [Message("a plan needs at least one step, ending with LeastLoaded() or RoundRobin()")]
    for index, step in enumerate(steps):
        if not isinstance(step, AssignmentStep):
            problems.append(Message("{step!r} is not an assignment step (needs name, always_picks, apply)",
                                    step=step))
        elif not isinstance(step.name, str) or not step.name.strip():
            problems.append(Message("step {step!r} needs a non-empty str name, got {name!r}", step=step,
                                    name=step.name))
        elif not isinstance(step.always_picks, bool):
            problems.append(Message("step {name!r}: always_picks must be True or False", name=step.name))
        elif step.always_picks and index < len(steps) - 1:
            later = ", ".join(repr(getattr(s, "name", s)) for s in steps[index + 1 :])
            problems.append(Message("step {name!r} always picks, so {later} could never run",
                                    name=step.name, later=later))
    last = steps[-1]
    if isinstance(last, AssignmentStep) and not last.always_picks:
        problems.append(
            Message("the last step {name!r} may not pick; end with LeastLoaded() or RoundRobin()",
                    name=last.name)
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
            raise TriageConfigError(Message("assignment plan"), problems)

    def assign(self, request: AssignmentRequest, agents: Iterable[Agent]) -> AssignmentDecision:
        """Choose an agent for ``request`` from the ``agents`` snapshot.

        An empty snapshot leaves the ticket unassigned. Nothing given is changed.

        Raises:
            WrongTypeError: ``request`` is not an :class:`AssignmentRequest`, or ``agents``
                is not an iterable of :class:`Agent`.
            AgentSnapshotError: two agents share an id.
            TriageConfigError: a custom step returned something other than a
                :class:`StepOutcome`, or picked or kept an agent outside the pool it was given.
        """
        if not isinstance(request, AssignmentRequest):
            raise WrongTypeError(
                Message("request must be an AssignmentRequest, got {kind} {request!r}; build one, e.g. "
                        "AssignmentRequest(at, category='payment')", kind=type(request).__name__,
                        request=request)
            )
        snapshot = _snapshot(agents)
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
        view = MappingProxyType(snapshot)
        for step in self.steps:
            outcome = step.apply(request, candidates, view)
            if type(step) not in _BUILT_IN:
                outcome = _checked(step, outcome, candidates)
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


def _snapshot(agents: Iterable[Agent]) -> dict[str, Agent]:
    if isinstance(agents, Agent | str | bytes | Mapping) or not isinstance(agents, Iterable):
        if isinstance(agents, Agent):
            hint = "wrap a single agent in a list, e.g. [agent]"
        elif isinstance(agents, Mapping):
            hint = "pass the agents, e.g. list(mapping.values())"
        else:
            hint = "pass a list of Agent ([] when there are none)"
        raise WrongTypeError(
            Message("agents must be an iterable of Agent, got {kind} {agents!r}; {hint}",
                    kind=type(agents).__name__, agents=agents, hint=hint)
        )
    items = agents if isinstance(agents, tuple | list) else tuple(agents)
    if not set(map(type, items)) <= {Agent}:
        for position, agent in enumerate(items):
            if not isinstance(agent, Agent):
                raise WrongTypeError(
                    Message("agents must hold only Agent values, got {kind} {agent!r} at position "
                            "{position}; build each with Agent(id, skills=..., load=...)",
                            kind=type(agent).__name__, agent=agent, position=position)
                )
    snapshot = {agent.id: agent for agent in items}
    if len(snapshot) < len(items):
        seen: set[str] = set()
        for agent in items:
            if agent.id in seen:
                raise AgentSnapshotError(
                    Message("two agents have id {id!r}; ids in a snapshot must be unique: merge or drop "
                            "the duplicate before assigning", id=agent.id)
                )
            seen.add(agent.id)
    return snapshot


def _checked(step: AssignmentStep, outcome: object, pool: tuple[Agent, ...]) -> StepOutcome:
    # This keeps the plan's guarantee (only agents who can work are picked) against custom
    # steps; the built-in ones are trusted (and tested). Identity, not equality: the pool
    # holds these very objects.
    if not isinstance(outcome, StepOutcome):
        problem = f"returned {outcome!r}, not a StepOutcome"
    else:
        given = {id(agent) for agent in pool}
        if outcome.picked is not None and id(outcome.picked) not in given:
            problem = f"picked {outcome.picked!r}, which is not in the pool it was given"
        elif outcome.pool is not pool and any(id(a) not in given for a in outcome.pool):
            problem = "returned a pool with agents that were not in the pool it was given"
        else:
            return outcome
    raise TriageConfigError(
        Message("assignment step"),
        [Message("step {name!r} {problem}; a step may only narrow its pool or pick from it", name=step.name,
                 problem=problem)],
    )


def assign(
    request: AssignmentRequest, agents: Iterable[Agent], *steps: AssignmentStep
) -> AssignmentDecision:
    """Shorthand for ``AssignmentPlan(steps).assign(request, agents)``."""
    return AssignmentPlan(steps).assign(request, agents)
