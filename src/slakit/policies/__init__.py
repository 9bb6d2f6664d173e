"""SLA policy definitions: conditions, targets, metrics and escalation rules, as data.

This package is data only: conditions, targets, metric definitions, priority-change settings,
peak windows, escalation rules, the ordered policy set and its stored form. The clocks that
run on it live in :mod:`slakit.sla`; classifying tickets is :mod:`slakit.triage`.
"""

from slakit.policies._condition_data import condition_from_data
from slakit.policies._conditions import (
    Condition,
    FactsLike,
    TicketFacts,
    all_,
    always,
    any_,
    category_is,
    channel_is,
    customer_tier_is,
    has_tag,
    never,
    not_,
    priority_is,
)
from slakit.policies._data import dump_policies, load_policies
from slakit.policies._durations import format_duration, parse_duration
from slakit.policies._errors import NoPolicyMatchedError, PolicyDataError
from slakit.policies._escalation_rules import (
    EscalationAction,
    EscalationRule,
    Trigger,
    after_breach,
    at_fraction,
    before_due,
    breach_ladder,
    every,
    notify,
    on_breach,
    raise_priority,
    reassign,
)
from slakit.policies._fact_tests import FIELD_TYPES, FactRef, FactTest, FieldType, fact
from slakit.policies._metric_settings import MetricSettings
from slakit.policies._metrics import (
    DEFAULT_METRICS,
    ENGINEER_ASSIGNED,
    FIRST_RESPONSE,
    NEXT_RESPONSE,
    PERIODIC_UPDATE,
    RESOLUTION,
    SOLUTION_PLAN,
    EventMatch,
    MetricDefinition,
    on,
)
from slakit.policies._policy import PolicyChoice, PolicySet, SlaPolicy
from slakit.policies._priority_change import CHANGE_MODES, ChangeMode, PriorityChangeSettings
from slakit.policies._recurring_peaks import RecurringPeak
from slakit.policies._targets import MetricTarget, NamedCalendar, PeakWindow
from slakit.policies._why import why_selected
from slakit.policies._working_days import WorkingDays, format_target, parse_target
from slakit.policies._zones import ZoneChain, ZoneSource

__all__ = [
    "CHANGE_MODES",
    "DEFAULT_METRICS",
    "ENGINEER_ASSIGNED",
    "FIELD_TYPES",
    "FIRST_RESPONSE",
    "NEXT_RESPONSE",
    "PERIODIC_UPDATE",
    "RESOLUTION",
    "SOLUTION_PLAN",
    "ChangeMode",
    "Condition",
    "EscalationAction",
    "EscalationRule",
    "EventMatch",
    "FactRef",
    "FactTest",
    "FactsLike",
    "FieldType",
    "MetricDefinition",
    "MetricSettings",
    "MetricTarget",
    "NamedCalendar",
    "NoPolicyMatchedError",
    "PeakWindow",
    "PolicyChoice",
    "PolicyDataError",
    "PolicySet",
    "PriorityChangeSettings",
    "RecurringPeak",
    "SlaPolicy",
    "TicketFacts",
    "Trigger",
    "WorkingDays",
    "ZoneChain",
    "ZoneSource",
    "after_breach",
    "all_",
    "always",
    "any_",
    "at_fraction",
    "before_due",
    "breach_ladder",
    "category_is",
    "channel_is",
    "condition_from_data",
    "customer_tier_is",
    "dump_policies",
    "every",
    "fact",
    "format_duration",
    "format_target",
    "has_tag",
    "load_policies",
    "never",
    "not_",
    "notify",
    "on",
    "on_breach",
    "parse_duration",
    "parse_target",
    "priority_is",
    "raise_priority",
    "reassign",
    "why_selected",
]
