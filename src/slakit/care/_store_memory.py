"""``InMemoryCareStore``: the care store in a dict (tests, examples, one process)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime

from slakit.care._followups import FollowUpCompleted
from slakit.care._schedule import CareSchedule
from slakit.care._store_keys import (
    check_aware,
    check_key,
    check_schedules,
    check_subject_events,
    from_micros,
    to_micros,
)
from slakit.plans import PlanEvent, PlanState, apply_plan_event


class InMemoryCareStore:
    """A :class:`~slakit.care.CareStore` in memory, thread-safe.

    Example:
        >>> store = InMemoryCareStore()
        >>> store.mark_fired("acme", ["acme/shop-1/renewal-30d/x"])
        ('acme/shop-1/renewal-30d/x',)
        >>> store.mark_fired("acme", ["acme/shop-1/renewal-30d/x"])
        ()
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: dict[tuple[str, str], tuple[PlanState, tuple[PlanEvent, ...]]] = {}
        self._care: dict[tuple[str, str], tuple[FollowUpCompleted, ...]] = {}
        self._fired: dict[str, set[str]] = {}
        self._wake: dict[tuple[str, str], datetime] = {}
        self._schedules: dict[tuple[str, str], tuple[CareSchedule, ...]] = {}

    def append_plan_events(
        self, tenant: str, subject: str, events: Sequence[PlanEvent]
    ) -> PlanState:
        """Fold and store ``events``; return the new state (PlanInputError stores nothing)."""
        check_key(tenant, subject)
        with self._lock:
            state, log = self._plans.get((tenant, subject), (PlanState(tenant, subject), ()))
            for event in events:
                new = apply_plan_event(state, event)
                if new is not state:
                    log = (*log, event)
                state = new
            self._plans[(tenant, subject)] = (state, log)
            return state

    def load_plan(self, tenant: str, subject: str) -> PlanState | None:
        """The subject's plan state, or None when it has no plan events."""
        check_key(tenant, subject)
        found = self._plans.get((tenant, subject))
        return None if found is None or not found[1] else found[0]

    def put_schedules(self, tenant: str, subject: str, schedules: Sequence[CareSchedule]) -> None:
        """Replace the subject's care schedules (an empty sequence removes them)."""
        check_key(tenant, subject)
        kept = check_schedules(subject, schedules)
        with self._lock:
            self._schedules[(tenant, subject)] = kept

    def load_schedules(self, tenant: str, subject: str) -> tuple[CareSchedule, ...]:
        """The subject's care schedules, in the order put."""
        check_key(tenant, subject)
        return self._schedules.get((tenant, subject), ())

    def append_care_events(
        self, tenant: str, subject: str, events: Sequence[FollowUpCompleted]
    ) -> tuple[FollowUpCompleted, ...]:
        """Store ``events`` (redeliveries skipped); return those newly stored."""
        check_key(tenant, subject)
        new = check_subject_events(subject, events)
        with self._lock:
            log = self._care.get((tenant, subject), ())
            seen = {e.event_id for e in log}
            fresh = []
            for e in new:
                if e.event_id not in seen:
                    seen.add(e.event_id)
                    fresh.append(e)
            self._care[(tenant, subject)] = (*log, *fresh)
            return tuple(fresh)

    def load_care_events(self, tenant: str, subject: str) -> tuple[FollowUpCompleted, ...]:
        """The subject's care events in the order stored."""
        check_key(tenant, subject)
        return self._care.get((tenant, subject), ())

    def mark_fired(self, tenant: str, keys: Iterable[str]) -> tuple[str, ...]:
        """Record ``keys`` as fired; return the ones not recorded before, in the order given."""
        check_key(tenant, "-")
        with self._lock:
            have = self._fired.setdefault(tenant, set())
            new = []
            for k in keys:
                if k not in have:
                    have.add(k)
                    new.append(k)
            return tuple(new)

    def fired(self, tenant: str, keys: Iterable[str]) -> frozenset[str]:
        """Which of ``keys`` are recorded as fired."""
        check_key(tenant, "-")
        have = self._fired.get(tenant, set())
        return frozenset(k for k in keys if k in have)

    def set_wake(self, tenant: str, subject: str, wake_at: datetime | None) -> None:
        """Set (or clear, with None) the subject's next wake-up instant."""
        check_key(tenant, subject)
        with self._lock:
            if wake_at is None:
                self._wake.pop((tenant, subject), None)
            else:
                check_aware("wake_at", wake_at)
                self._wake[(tenant, subject)] = wake_at

    def due_subjects(self, tenant: str, before: datetime) -> tuple[str, ...]:
        """Subjects whose wake-up is at or before ``before``, earliest first."""
        check_key(tenant, "-")
        check_aware("before", before)
        limit = to_micros(before)
        rows = [(to_micros(w), s) for (t, s), w in self._wake.items()
                if t == tenant and to_micros(w) <= limit]
        return tuple(s for _, s in sorted(rows))

    def next_wake(self, tenant: str) -> datetime | None:
        """The tenant's earliest subject wake-up (in UTC), or None when nothing is set."""
        check_key(tenant, "-")
        rows = [to_micros(w) for (t, _), w in self._wake.items() if t == tenant]
        return from_micros(min(rows)) if rows else None
