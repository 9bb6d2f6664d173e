"""Support plans: terms, entitlements and quotas, plan facts for SLA selection, reminders.

Pure: no I/O, ``now`` is always a parameter. A subject's plan events fold into a
:class:`PlanState`; :func:`plan_facts` says which plan serves it at an instant;
:func:`due_reminders` and :func:`next_reminder_at` answer the host loop's two questions.
"""

from slakit._deprecated import moved_names
from slakit.plans._decision import DueDecision, decision_key, due, next_wake
from slakit.plans._errors import CareDataError, PlanInputError
from slakit.plans._events import (
    PlanCancelled,
    PlanEvent,
    PlanRenewed,
    PlanStarted,
    PlanUpgraded,
    QuotaConsumed,
    plan_event_from_json,
    plan_event_to_json,
)
from slakit.plans._facts import PLAN_FIELDS, plan_fact_changes, plan_facts
from slakit.plans._plan import Plan, Quota
from slakit.plans._reminders import (
    ReminderRule,
    due_reminders,
    next_reminder_at,
    reminder_candidates,
    reminder_rules_from_mapping,
)
from slakit.plans._state import PlanState, QuotaUse, apply_plan_event, apply_plan_events
from slakit.plans._working_days import is_working_day, shift_working_days

__all__ = [
    "PLAN_FIELDS",
    "CareDataError",
    "DueDecision",
    "Plan",
    "PlanCancelled",
    "PlanEvent",
    "PlanInputError",
    "PlanRenewed",
    "PlanStarted",
    "PlanState",
    "PlanUpgraded",
    "Quota",
    "QuotaConsumed",
    "QuotaUse",
    "ReminderRule",
    "apply_plan_event",
    "apply_plan_events",
    "decision_key",
    "due",
    "due_reminders",
    "is_working_day",
    "next_reminder_at",
    "next_wake",
    "plan_event_from_json",
    "plan_event_to_json",
    "plan_fact_changes",
    "plan_facts",
    "reminder_candidates",
    "reminder_rules_from_mapping",
    "shift_working_days",
]

__getattr__ = moved_names("slakit.plans", {
    "replay_plans": "slakit.plans:apply_plan_events",
    "open_at_or_after": "slakit.calendar:open_at_or_after",
})
