"""SLA clocks over workflow events: exact due times, breaches, explanations, escalations."""

from slakit.sla._cycle import CycleState, TargetChange
from slakit.sla._decision import EscalationDecision, escalation_key
from slakit.sla._engine import ClockState, SlaEngine, SlaState
from slakit.sla._errors import SlaInputError
from slakit.sla._escalation import due_escalations, next_wake_at
from slakit.sla._evaluate import evaluate_sla
from slakit.sla._results import ClockExplanation, ClockResult, ClockStatus, evaluate_clocks

__all__ = [
    "ClockExplanation",
    "ClockResult",
    "ClockState",
    "ClockStatus",
    "CycleState",
    "EscalationDecision",
    "SlaEngine",
    "SlaInputError",
    "SlaState",
    "TargetChange",
    "due_escalations",
    "escalation_key",
    "evaluate_clocks",
    "evaluate_sla",
    "next_wake_at",
]
