"""Assignment: choosing an agent for a ticket from a snapshot of agents, explainably.

An :class:`AssignmentPlan` runs pure steps (dedicated advisor, skills, group, least loaded,
round robin) over the agents a host passes in and returns an :class:`AssignmentDecision` that
says why. Nothing here reads a clock or a database. See ``docs/triage.md``.
"""

from slakit.assignment._agents import (
    Agent,
    AssignmentDecision,
    AssignmentRequest,
    ShiftCalendar,
)
from slakit.assignment._errors import AgentSnapshotError
from slakit.assignment._plan import AssignmentPlan, assign
from slakit.assignment._strategies import (
    AssignmentStep,
    DedicatedAdvisor,
    GroupMatch,
    LeastLoaded,
    RoundRobin,
    SkillMatch,
    StepOutcome,
)

__all__ = [
    "Agent",
    "AgentSnapshotError",
    "AssignmentDecision",
    "AssignmentPlan",
    "AssignmentRequest",
    "AssignmentStep",
    "DedicatedAdvisor",
    "GroupMatch",
    "LeastLoaded",
    "RoundRobin",
    "ShiftCalendar",
    "SkillMatch",
    "StepOutcome",
    "assign",
]
