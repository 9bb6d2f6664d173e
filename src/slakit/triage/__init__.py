"""Triage: explainable priority and category classification of tickets.

Everything here is a pure, frozen value: rules are data, and a classifier turns a ticket into
a :class:`TriageDecision` that names the rules behind it. Choosing an agent is
:mod:`slakit.assignment`; the text matching both use is :mod:`slakit.text`. The assignment
and text names that used to live here still resolve (deprecated, see ``CHANGELOG.md``).
See ``docs/triage.md``.
"""

from __future__ import annotations

import importlib
import warnings

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
    TriageInputTypeError,
    TriageInputValueError,
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
    "TriageInputTypeError",
    "TriageInputValueError",
    "TriageRule",
    "UnknownPriorityError",
    "default_classifier",
    "default_rules",
    "dump_triage_rules",
    "itil_classifier",
    "load_triage_rules",
]

# Names documented under slakit.triage before assignment and text got their own packages.
# Resolved lazily (assignment sits above triage in the package direction) with a warning.
_MOVED = {
    "Agent": "slakit.assignment",
    "AgentSnapshotError": "slakit.assignment",
    "AssignmentDecision": "slakit.assignment",
    "AssignmentPlan": "slakit.assignment",
    "AssignmentRequest": "slakit.assignment",
    "AssignmentStep": "slakit.assignment",
    "DedicatedAdvisor": "slakit.assignment",
    "GroupMatch": "slakit.assignment",
    "LeastLoaded": "slakit.assignment",
    "RoundRobin": "slakit.assignment",
    "ShiftCalendar": "slakit.assignment",
    "SkillMatch": "slakit.assignment",
    "StepOutcome": "slakit.assignment",
    "assign": "slakit.assignment",
    "NormalisedText": "slakit.text",
    "normalise_text": "slakit.text",
}


def __getattr__(name: str) -> object:
    home = _MOVED.get(name)
    if home is None:
        raise AttributeError(f"module 'slakit.triage' has no attribute {name!r}")
    warnings.warn(
        f"slakit.triage.{name} moved to {home}.{name}; import it from there (or from slakit)",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(home), name)
