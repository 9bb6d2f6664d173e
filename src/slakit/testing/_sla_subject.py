"""What the SLA checks run on: an engine, and event logs that exercise its policy set.

Logs open at awkward instants of the policy's own calendars (boundaries, DST transitions,
holidays) and of its peak windows (their first and last local day), take ticket facts from
the values its conditions mention, and change priority among its priorities.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta, timezone
from typing import Protocol, TypeVar

from hypothesis import strategies as st

from slakit.calendar import Calendar
from slakit.policies import PolicySet, RecurringPeak
from slakit.sla import SlaEngine
from slakit.testing._events import event_logs
from slakit.testing._instants import aware_datetimes
from slakit.workflow import Event, Workflow

UTC = timezone.utc
Ex = TypeVar("Ex")
SHORT = (timedelta(0), timedelta(microseconds=1), timedelta(seconds=1), timedelta(minutes=1))


def engine_of(policies: PolicySet | SlaEngine, workflow: Workflow) -> SlaEngine:
    """The engine under test: the one given, or a stock one with the workflow's pauses."""
    if isinstance(policies, SlaEngine):
        return policies
    return SlaEngine(policies, workflow.pausing_statuses)


def reference_of(engine: SlaEngine) -> SlaEngine:
    """A stock engine over the same policy set and pausing statuses (the oracle)."""
    return SlaEngine(engine.policies, engine.pausing_statuses)


def policy_calendars(policies: PolicySet) -> list[Calendar]:
    """Every distinct calendar the targets (peak ones included) of ``policies`` count on."""
    found: list[Calendar] = []
    for policy in policies.all_policies():
        for target in [*policy.targets, *(t for w in policy.peaks for t in w.targets)]:
            if not any(target.calendar.calendar is c for c in found):
                found.append(target.calendar.calendar)
    return found


def _peak_edges(policies: PolicySet) -> list[datetime]:
    edges = []
    for policy in policies.all_policies():
        for w in policy.peaks:
            if isinstance(w, RecurringPeak):  # the windows of a few years around now
                days = [d + timedelta(days=k) for d in w.first_days(2024, 2027)
                        for k in (0, w.days)]
            else:
                days = [w.first_day, w.last_day + timedelta(days=1)]
            for day in days:
                edges.append(datetime.combine(day, time(0), tzinfo=w.timezone))
    return edges


def policy_event_logs(
    engine: SlaEngine, workflow: Workflow, max_events: int
) -> st.SearchStrategy[list[Event]]:
    """Event logs for ``workflow`` shaped to exercise ``engine``'s policy set."""
    policies = engine.policies
    anchors = _peak_edges(policies)
    calendars: list[Calendar | None] = [*policy_calendars(policies)] or [None]
    return st.one_of([
        event_logs(workflow, policies=policies, calendar=cal, max_events=max_events,
                   start=aware_datetimes(cal, anchors=anchors))
        for cal in calendars
    ])


class Draw(Protocol):
    """``draw`` of ``@st.composite`` or of ``st.data()``."""

    def __call__(self, strategy: st.SearchStrategy[Ex], /) -> Ex: ...


def probes(
    draw: Draw, after: datetime, before: datetime | None, interesting: list[datetime]
) -> Iterator[datetime]:
    """Up to three UTC instants in ``[after, before)`` (open-ended when ``before`` is None).

    They favour ``interesting`` ones (due times, firings) and their neighbours.
    """
    lo = after.astimezone(UTC)  # compare in UTC only: same-zone datetimes compare by wall clock
    hi = None if before is None else before.astimezone(UTC)
    inside = [u for u in (t.astimezone(UTC) for t in interesting)
              if lo <= u and (hi is None or u < hi)]
    for _ in range(draw(st.integers(0, 3))):
        near_interesting = draw(st.booleans())
        if inside and near_interesting:
            t = draw(st.sampled_from(inside)) + draw(st.sampled_from([*SHORT, -SHORT[1]]))
        else:
            t = lo + timedelta(minutes=draw(st.integers(0, 6 * 24 * 60)))
        if t >= lo and (hi is None or t < hi):
            yield t
