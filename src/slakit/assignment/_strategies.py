"""Assignment strategies: pure steps over a snapshot of agents, composed into a plan (_plan).

Design rules:

* ``AssignmentPlan(steps).assign(request, agents)`` is a pure function: same snapshot and
  request, same decision. It never mutates agents; round robin's cursor comes back in the
  decision for the host to store.
* First, agents who cannot take work at ``request.at`` are skipped (marked away, off shift per
  their own calendar, or at capacity), and the decision lists them with the reason.
* Then each step sees the remaining pool and either *picks* an agent (the plan stops),
  *narrows* the pool for the steps after it, or passes. A typical plan reads like the desk's
  policy: ``DedicatedAdvisor(), SkillMatch(...), LeastLoaded()`` = "the customer's advisor if
  on shift, else the least loaded agent with the right skills".
* Checked when built: a plan must end with a step that always picks (``LeastLoaded``,
  ``RoundRobin``), and nothing may follow such a step (it could never run).
* Ties are broken by agent id, so the snapshot's order never changes the outcome.
* Skill, group and category names are compared after :func:`normalise_text` on both sides
  (case, width, spaces), as triage compares categories: ``SkillMatch({"Payment":
  {"Payment"}})`` matches a request with ``category="payment"`` and an agent with skill
  ``"payment"``. Agent and customer ids are compared exactly.
* Step definitions are checked when built: a bad table, ``strict`` or ``name`` raises
  :class:`TriageConfigError` listing the problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

import attrs

from slakit._errors import SlakitError
from slakit._message import Message
from slakit.assignment._agents import Agent, AssignmentRequest, name_key, name_set
from slakit.triage._errors import TriageConfigError


@attrs.frozen
class StepOutcome:
    """What one step did: the pool it leaves, and maybe the agent it picked.

    Attributes:
        pool: the agents later steps may choose from.
        picked: the chosen agent; the plan stops here when set.
        reason: what the step saw and did, for the decision's explanation.
        cursor: a new round-robin cursor, when the step moved it.
    """

    pool: tuple[Agent, ...]
    picked: Agent | None = None
    reason: str | None = None
    cursor: str | None = None


@runtime_checkable
class AssignmentStep(Protocol):
    """One step of an assignment plan."""

    @property
    def name(self) -> str:
        """Cited in the decision's reasons."""
        ...

    @property
    def always_picks(self) -> bool:
        """Whether the step picks whenever the pool is not empty (a plan must end with one)."""
        ...

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> StepOutcome:
        """Pick from or narrow ``pool``; ``snapshot`` holds every agent, available or not."""
        ...


def _ids(agents: Iterable[Agent]) -> str:
    return ", ".join(a.id for a in agents)


def _step_name(instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        kind = type(instance).__name__
        raise TriageConfigError(
            Message("{kind} step", kind=kind),
            [Message("name must be a non-empty str (it is cited in decisions), got {value!r}", value=value)],
        )


def _strict(instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        kind = type(instance).__name__
        source = "group from AssignmentRequest.group" if kind == "GroupMatch" else (
            "needed skills from category_skills and AssignmentRequest.skills"
        )
        raise TriageConfigError(
            Message("{kind} step", kind=kind),
            [Message("strict must be True or False, got {value!r}; {kind} reads the {source}", value=value,
                     kind=kind, source=source)],
        )


def _advisor_table(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise TriageConfigError(
            Message("DedicatedAdvisor step"),
            [
                Message("advisors must be a mapping of customer id -> advisor agent id, got {kind} "
                        "{value!r}; e.g. DedicatedAdvisor({{'c1': 'ann'}})", kind=type(value).__name__,
                        value=value)
            ],
        )
    problems = [
        f"advisors[{customer!r}] = {advisor!r}: customer and advisor ids must be "
        "non-empty str; convert them with str() and leave out customers without an advisor"
        for customer, advisor in value.items()
        if not all(isinstance(v, str) and v.strip() for v in (customer, advisor))
    ]
    if problems:
        raise TriageConfigError(Message("DedicatedAdvisor step"), problems)
    return MappingProxyType(dict(value))


def _skill_table(value: Mapping[str, str | Iterable[str]]) -> Mapping[str, frozenset[str]]:
    if not isinstance(value, Mapping):
        raise TriageConfigError(
            Message("SkillMatch step"),
            [
                Message("category_skills must be a mapping of category -> skills, got {kind} {value!r}; "
                        "e.g. SkillMatch({{'payment': {{'payment'}}}})", kind=type(value).__name__,
                        value=value)
            ],
        )
    problems: list[str] = []
    table: dict[str, frozenset[str]] = {}
    first: dict[str, object] = {}
    for category, skills in value.items():
        try:
            key = name_key(f"category {category!r}", category)
            needed = name_set(f"category_skills[{category!r}]", skills)
        except SlakitError as error:
            problems.append(str(error))
            continue
        if key in table:
            problems.append(
                Message("categories {first!r} and {category!r} are the same once normalised ({key!r}); "
                        "merge their skills under one key", first=first[key], category=category, key=key)
            )
            continue
        first[key] = category
        table[key] = needed
    if problems:
        raise TriageConfigError(Message("SkillMatch step"), problems)
    return MappingProxyType(table)


@attrs.frozen
class DedicatedAdvisor:
    """Pick the customer's dedicated advisor when they can take work; else pass on.

    The advisor is ``request.advisor_id``, or failing that ``advisors[request.customer_id]``.

    Args:
        advisors: customer id -> advisor agent id, for hosts that keep the table here (ids
            are compared exactly).
        name: the step's name.

    Raises:
        TriageConfigError: ``advisors`` is not a mapping of non-empty str ids, or ``name``
            is not a non-empty str.
    """

    advisors: Mapping[str, str] = attrs.field(factory=dict, converter=_advisor_table)
    name: str = attrs.field(default="dedicated-advisor", validator=_step_name)
    always_picks = False

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> StepOutcome:
        """Pick the advisor if present in ``pool``; explain the fallback otherwise."""
        advisor = request.advisor_id
        if advisor is None and request.customer_id is not None:
            advisor = self.advisors.get(request.customer_id)
        if advisor is None:
            return StepOutcome(pool, reason="the customer has no dedicated advisor")
        for agent in pool:
            if agent.id == advisor:
                return StepOutcome(pool, agent, f"{advisor} is the customer's dedicated advisor")
        if advisor not in snapshot:
            why = "is not in the agent snapshot"
        else:
            why = snapshot[advisor].unavailable_because(request.at) or "was filtered out earlier"
        return StepOutcome(pool, reason=f"dedicated advisor {advisor} {why}; falling back")


@attrs.frozen
class SkillMatch:
    """Narrow the pool to agents with every skill the ticket needs.

    Needed skills are ``request.skills`` plus ``category_skills[request.category]``. Categories
    and skills are compared after :func:`normalise_text` on both sides, so case, width and
    spacing never matter; the table is stored normalised (read-only).

    Args:
        category_skills: category -> skills an agent needs for it (a str is one skill).
        strict: when nobody has the skills, leave the ticket unassigned (``True``) or
            consider every available agent (``False``).
        name: the step's name.

    Raises:
        TriageConfigError: the table is not a mapping of names to names, has blank names, or
            two categories that normalise alike; ``strict`` is not a bool; ``name`` is not a
            non-empty str.
    """

    category_skills: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_skill_table
    )
    strict: bool = attrs.field(default=True, validator=_strict)
    name: str = attrs.field(default="skills", validator=_step_name)
    always_picks = False

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> StepOutcome:
        """Keep the agents who have all the needed skills."""
        needed = request.skills | self.category_skills.get(request.category or "", frozenset())
        if not needed:
            return StepOutcome(pool)
        shown = ", ".join(sorted(needed))
        fit = tuple(a for a in pool if needed <= a.skills)
        if fit:
            return StepOutcome(fit, reason=f"{len(fit)} of {len(pool)} agents have {shown}")
        if self.strict:
            return StepOutcome((), reason=f"no available agent has {shown}")
        return StepOutcome(pool, reason=f"no available agent has {shown}; considering all")


@attrs.frozen
class GroupMatch:
    """Narrow the pool to members of ``request.group`` (when the request names one).

    Group names are compared after :func:`normalise_text` (``Agent`` and
    ``AssignmentRequest`` store them normalised), so case and width never matter.

    Args:
        strict: when the group has nobody available, leave the ticket unassigned (``True``)
            or consider every available agent (``False``).
        name: the step's name.

    Raises:
        TriageConfigError: ``strict`` is not a bool (the group is not an argument: it comes
            from the request), or ``name`` is not a non-empty str.
    """

    strict: bool = attrs.field(default=True, validator=_strict)
    name: str = attrs.field(default="group", validator=_step_name)
    always_picks = False

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> StepOutcome:
        """Keep the members of the requested group."""
        group = request.group
        if group is None:
            return StepOutcome(pool)
        members = tuple(a for a in pool if group in a.groups)
        if members:
            return StepOutcome(members, reason=f"{len(members)} available in group {group!r}")
        if self.strict:
            return StepOutcome((), reason=f"nobody in group {group!r} is available")
        return StepOutcome(pool, reason=f"nobody in group {group!r} is available; considering all")


@attrs.frozen
class LeastLoaded:
    """Pick the agent with the fewest current tickets (ties: lowest agent id).

    Args:
        name: the step's name.
    """

    name: str = attrs.field(default="least-loaded", validator=_step_name)
    always_picks = True

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> StepOutcome:
        """Pick the least loaded agent of ``pool``."""
        if not pool:
            return StepOutcome(pool)
        ranked = sorted(pool, key=lambda a: (a.load, a.id))
        best = ranked[0]
        reason = f"{best.id} has the lightest load ({best.load})"
        if len(ranked) > 1:
            reason += f" of {len(ranked)} candidates; next {ranked[1].id} ({ranked[1].load})"
        return StepOutcome(pool, best, reason)


@attrs.frozen
class RoundRobin:
    """Pick the next agent after ``request.last_assigned``, in agent-id order, wrapping round.

    The decision's ``cursor`` is the picked agent: store it and pass it back next time. A
    cursor naming an agent who has left the snapshot, or is unavailable now, still works: the
    rotation continues with the next id after it.

    Args:
        name: the step's name.
    """

    name: str = attrs.field(default="round-robin", validator=_step_name)
    always_picks = True

    def apply(
        self, request: AssignmentRequest, pool: tuple[Agent, ...], snapshot: Mapping[str, Agent]
    ) -> StepOutcome:
        """Pick the agent after the cursor."""
        if not pool:
            return StepOutcome(pool)
        ring = sorted(pool, key=lambda a: a.id)
        last = request.last_assigned
        chosen = next((a for a in ring if last is not None and a.id > last), ring[0])
        after = f"after {last}" if last is not None else "to start the rotation"
        return StepOutcome(pool, chosen, f"{chosen.id} is next in rotation {after}", chosen.id)
