"""Test helpers for hosts: Hypothesis strategies and one-line invariant checks.

``slakit.testing`` is optional and needs Hypothesis (a test-time dependency: slakit itself
never imports it). Import it from tests only::

    from slakit.testing import calendars, event_logs, check_policy

Strategies draw the awkward cases (DST gaps and folds, overnight shifts, holidays, equal
timestamps, events at the exact opening or closing); checks run a host's own calendar or
policy set through the invariants slakit documents and raise an
:class:`InvariantViolation` (an ``AssertionError``) with the smallest counterexample.
"""

try:
    import hypothesis  # noqa: F401  (fail here, with the fix, rather than deep inside)
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    from slakit.testing._errors import MissingTestDependencyError

    raise MissingTestDependencyError("hypothesis") from exc

from slakit.testing._calendar_checks import check_calendar
from slakit.testing._calendars import calendars
from slakit.testing._errors import (
    CalendarInvariantError,
    EscalationInvariantError,
    FoldInvariantError,
    InvariantViolation,
    MissingTestDependencyError,
    PausingInvariantError,
    TestingArgumentError,
    WakeUpInvariantError,
)
from slakit.testing._escalation_checks import check_escalations, check_next_wake_at
from slakit.testing._events import TicketVocabulary, event_logs
from slakit.testing._instants import DST_ZONES, aware_datetimes
from slakit.testing._invalid import DEFECTS, Defect, InvalidEventLog, invalid_event_logs
from slakit.testing._policies import policies
from slakit.testing._policy_check import check_policy
from slakit.testing._sla_checks import check_incremental_fold, check_pausing

__all__ = [
    "DEFECTS",
    "DST_ZONES",
    "CalendarInvariantError",
    "Defect",
    "EscalationInvariantError",
    "FoldInvariantError",
    "InvalidEventLog",
    "InvariantViolation",
    "MissingTestDependencyError",
    "PausingInvariantError",
    "TestingArgumentError",
    "TicketVocabulary",
    "WakeUpInvariantError",
    "aware_datetimes",
    "calendars",
    "check_calendar",
    "check_escalations",
    "check_incremental_fold",
    "check_next_wake_at",
    "check_pausing",
    "check_policy",
    "event_logs",
    "invalid_event_logs",
    "policies",
]
