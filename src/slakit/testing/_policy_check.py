"""``check_policy()``: every check on a host's own policy set, in one call."""

from __future__ import annotations

from hypothesis import settings

from slakit.policies import PolicySet
from slakit.sla import SlaEngine
from slakit.testing._calendar_checks import check_calendar
from slakit.testing._escalation_checks import check_escalations, check_next_wake_at
from slakit.testing._sla_checks import _pause_pairs, check_incremental_fold, check_pausing
from slakit.testing._sla_subject import engine_of, policy_calendars
from slakit.workflow import DEFAULT_WORKFLOW, Workflow


def check_policy(
    policies: PolicySet | SlaEngine,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    max_examples: int = 50,
    seed: int | None = None,
    hypothesis_settings: settings | None = None,
    max_events: int = 12,
    since: bool = True,
) -> None:
    """Run every invariant check on a policy set (or an engine over one).

    In order: :func:`check_calendar` on each calendar its targets count on, then
    :func:`check_pausing` (when the workflow can pause), :func:`check_incremental_fold`,
    :func:`check_escalations` and :func:`check_next_wake_at`, each with ``max_examples``
    examples over logs of ``workflow`` shaped by the policy set (its calendars' awkward
    instants, its peak windows, the ticket facts its conditions mention).

    Args:
        policies: the policy set, or an engine over it (a subclass or wrapper under test).
        workflow: the workflow the host runs.
        max_examples: examples per check.
        seed: fix the random seed (reproducible runs); ``None`` explores afresh each run.
        hypothesis_settings: other Hypothesis settings for every check (e.g.
            ``settings(phases=[Phase.generate])`` to fail fast without shrinking).
        max_events: the most events in one log.
        since: also check hosts that pass ``since`` to ``due_escalations`` (see
            :func:`check_escalations`).

    Raises:
        InvariantViolation: the first broken invariant (a subclass naming the check), with
            the smallest counterexample Hypothesis found.

    Example:
        >>> from datetime import timedelta
        >>> from slakit.calendar import BusinessCalendar
        >>> from slakit.policies import MetricTarget, NamedCalendar, PolicySet, SlaPolicy
        >>> office = NamedCalendar("office", BusinessCalendar.weekdays(
        ...     "09:00", "18:00", timezone="Europe/Berlin"))
        >>> standard = SlaPolicy("standard", "1", targets=[
        ...     MetricTarget("resolution", "normal", timedelta(hours=8), office)])
        >>> check_policy(PolicySet([], fallback=standard, priorities=["normal"]),
        ...              max_examples=5, seed=0)
    """
    engine = engine_of(policies, workflow)
    for calendar in policy_calendars(engine.policies):
        check_calendar(calendar, max_examples=max_examples, seed=seed,
                       hypothesis_settings=hypothesis_settings)
    if _pause_pairs(workflow, engine.pausing_statuses):
        check_pausing(engine, workflow=workflow, max_examples=max_examples, seed=seed,
                      hypothesis_settings=hypothesis_settings, max_events=max_events)
    check_incremental_fold(engine, workflow=workflow, max_examples=max_examples, seed=seed,
                           hypothesis_settings=hypothesis_settings, max_events=max_events)
    check_escalations(engine, workflow=workflow, max_examples=max_examples, seed=seed,
                      hypothesis_settings=hypothesis_settings, max_events=max_events,
                      since=since)
    check_next_wake_at(engine, workflow=workflow, max_examples=max_examples, seed=seed,
                       hypothesis_settings=hypothesis_settings, max_events=max_events)
