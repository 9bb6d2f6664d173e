"""Triage and assignment: explainable priority/category classification and agent choice.

Everything here is a pure, frozen value: rules are data, a classifier turns a ticket into a
:class:`TriageDecision` that names the rules behind it, and an :class:`AssignmentPlan` turns
a snapshot of agents into an :class:`AssignmentDecision` that says why. See ``docs/triage.md``.
"""

from slakit.policies._assign_agents import (
    Agent,
    AssignmentDecision,
    AssignmentRequest,
    ShiftCalendar,
)
from slakit.policies._assign_plan import AssignmentPlan, assign
from slakit.policies._assign_strategies import (
    AssignmentStep,
    DedicatedAdvisor,
    GroupMatch,
    LeastLoaded,
    RoundRobin,
    SkillMatch,
    StepOutcome,
)
from slakit.policies._default_rules import (
    RootCause,
    TicketCategory,
    default_classifier,
    default_rules,
    itil_classifier,
)
from slakit.policies._itil_matrix import ImpactUrgencyMatrix
from slakit.policies._text_normalise import NormalisedText, normalise_text
from slakit.policies._triage_classifier import MatchMode, RuleClassifier, TicketClassifier
from slakit.policies._triage_data import dump_triage_rules, load_triage_rules
from slakit.policies._triage_decision import TriageDecision
from slakit.policies._triage_errors import (
    AgentSnapshotError,
    TriageConfigError,
    UnknownPriorityError,
)
from slakit.policies._triage_input import (
    PreparedTicket,
    TriageInput,
    TriageInputTypeError,
    TriageInputValueError,
)
from slakit.policies._triage_model import (
    ModelOutputError,
    ModelPrediction,
    ModelPredictionError,
    ModelRule,
    TicketModel,
)
from slakit.policies._triage_peak import DatedWindow, PeakRaise
from slakit.policies._triage_priority import PriorityScale
from slakit.policies._triage_rule_base import RuleEffects, RuleMatch, TriageRule
from slakit.policies._triage_rules import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    KeywordRule,
)

__all__ = [
    "Agent",
    "AgentSnapshotError",
    "AmountRule",
    "AssignmentDecision",
    "AssignmentPlan",
    "AssignmentRequest",
    "AssignmentStep",
    "CategoryRule",
    "ChannelRule",
    "CustomerTierRule",
    "DatedWindow",
    "DedicatedAdvisor",
    "GroupMatch",
    "ImpactUrgencyMatrix",
    "KeywordRule",
    "LeastLoaded",
    "MatchMode",
    "ModelOutputError",
    "ModelPrediction",
    "ModelPredictionError",
    "ModelRule",
    "NormalisedText",
    "PeakRaise",
    "PreparedTicket",
    "PriorityScale",
    "RootCause",
    "RoundRobin",
    "RuleClassifier",
    "RuleEffects",
    "RuleMatch",
    "ShiftCalendar",
    "SkillMatch",
    "StepOutcome",
    "TicketCategory",
    "TicketClassifier",
    "TicketModel",
    "TriageConfigError",
    "TriageDecision",
    "TriageInput",
    "TriageInputTypeError",
    "TriageInputValueError",
    "TriageRule",
    "UnknownPriorityError",
    "assign",
    "default_classifier",
    "default_rules",
    "dump_triage_rules",
    "itil_classifier",
    "load_triage_rules",
    "normalise_text",
]
