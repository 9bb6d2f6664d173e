"""Scheduled care: recurring follow-ups on business calendars and ticket timers.

Pure: no I/O, ``now`` is always a parameter. Schedules (``dateutil.rrule`` data) and ticket
timers answer the same two questions as the SLA state: what is due now, with exactly-once
keys (:func:`due_care`, :func:`due_timers`), and when to wake up next (:func:`next_care_at`,
:func:`next_timer_at`); :class:`CareSubject` combines everything a subject has, plan
reminders included, into one wake-up.
"""

from slakit.care._followups import (
    CareState,
    FollowUpCompleted,
    apply_care_event,
    care_candidates,
    care_event_from_json,
    care_event_to_json,
    due_care,
    next_care_at,
)
from slakit.care._policy_file import PolicyFile, dump_policy_file, load_policy_file
from slakit.care._schedule import CareSchedule, Occurrence
from slakit.care._schedule_data import schedule_to_mapping, schedules_from_mapping
from slakit.care._store import CareStore
from slakit.care._store_memory import InMemoryCareStore
from slakit.care._store_sqlite import SQLiteCareStore
from slakit.care._timers import (
    Delay,
    TimerRule,
    closing_event,
    due_timers,
    next_timer_at,
    timer_candidates,
)
from slakit.care._timers_data import timer_to_mapping, timers_from_mapping, timers_to_mapping
from slakit.care._wake import CareSubject

__all__ = [
    "CareSchedule",
    "CareState",
    "CareStore",
    "CareSubject",
    "Delay",
    "FollowUpCompleted",
    "InMemoryCareStore",
    "Occurrence",
    "PolicyFile",
    "SQLiteCareStore",
    "TimerRule",
    "apply_care_event",
    "care_candidates",
    "care_event_from_json",
    "care_event_to_json",
    "closing_event",
    "due_care",
    "due_timers",
    "dump_policy_file",
    "load_policy_file",
    "next_care_at",
    "next_timer_at",
    "schedule_to_mapping",
    "schedules_from_mapping",
    "timer_candidates",
    "timer_to_mapping",
    "timers_from_mapping",
    "timers_to_mapping",
]
