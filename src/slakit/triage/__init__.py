"""Triage: explainable priority and category classification of tickets.

Everything here is a pure, frozen value: rules are data, and a classifier turns a ticket into
a :class:`TriageDecision` that names the rules behind it. Choosing an agent is
:mod:`slakit.assignment`; the text matching both use is :mod:`slakit.text`. The assignment
and text names that used to live here still resolve (deprecated, see ``CHANGELOG.md``).
See ``docs/triage.md``.
"""

from __future__ import annotations

from slakit._deprecated import moved_names
from slakit.triage._classifier import MatchMode, RuleClassifier, TicketClassifier
from slakit.triage._data import dump_triage_rules, load_triage_rules
from slakit.triage._decision import TriageDecision
from slakit.triage._default_rules import (
    RootCause,
    TicketCategory,
    default_classifier,
    default_rules,
    itil_classifier,
)
from slakit.triage._errors import TriageConfigError, UnknownPriorityError
from slakit.triage._input import (
    PreparedTicket,
    TriageInput,
)
from slakit.triage._itil_matrix import ImpactUrgencyMatrix
from slakit.triage._model import (
    ModelOutputError,
    ModelPrediction,
    ModelPredictionError,
    ModelRule,
    TicketModel,
)
from slakit.triage._peak import DatedWindow, PeakRaise
from slakit.triage._priority import PriorityScale
from slakit.triage._rule_base import RuleEffects, RuleMatch, TriageRule
from slakit.triage._rules import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    KeywordRule,
)

__all__ = [
    "AmountRule",
    "CategoryRule",
    "ChannelRule",
    "CustomerTierRule",
    "DatedWindow",
    "ImpactUrgencyMatrix",
    "KeywordRule",
    "MatchMode",
    "ModelOutputError",
    "ModelPrediction",
    "ModelPredictionError",
    "ModelRule",
    "PeakRaise",
    "PreparedTicket",
    "PriorityScale",
    "RootCause",
    "RuleClassifier",
    "RuleEffects",
    "RuleMatch",
    "TicketCategory",
    "TicketClassifier",
    "TicketModel",
    "TriageConfigError",
    "TriageDecision",
    "TriageInput",
    "TriageRule",
    "UnknownPriorityError",
    "default_classifier",
    "default_rules",
    "dump_triage_rules",
    "itil_classifier",
    "load_triage_rules",
]

# Names documented under slakit.triage before assignment and text got their own packages.
__getattr__ = moved_names("slakit.triage", {
    # Merged into the shared errors: they meant a wrong type and a wrong value.
    "TriageInputTypeError": "slakit:WrongTypeError",
    "TriageInputValueError": "slakit:InvalidValueError",
    "Agent": "slakit.assignment:Agent",
    "AgentSnapshotError": "slakit.assignment:AgentSnapshotError",
    "AssignmentDecision": "slakit.assignment:AssignmentDecision",
    "AssignmentPlan": "slakit.assignment:AssignmentPlan",
    "AssignmentRequest": "slakit.assignment:AssignmentRequest",
    "AssignmentStep": "slakit.assignment:AssignmentStep",
    "DedicatedAdvisor": "slakit.assignment:DedicatedAdvisor",
    "GroupMatch": "slakit.assignment:GroupMatch",
    "LeastLoaded": "slakit.assignment:LeastLoaded",
    "RoundRobin": "slakit.assignment:RoundRobin",
    "ShiftCalendar": "slakit.assignment:ShiftCalendar",
    "SkillMatch": "slakit.assignment:SkillMatch",
    "StepOutcome": "slakit.assignment:StepOutcome",
    "assign": "slakit.assignment:assign",
    "NormalisedText": "slakit.text:NormalisedText",
    "normalise_text": "slakit.text:normalise_text",
})
