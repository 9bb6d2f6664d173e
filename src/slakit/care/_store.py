"""The care storage port: where plans, follow-ups, fired keys and wake-ups live.

Design rules:

- Per ``(tenant, subject)``: its care schedules (replaced as a whole, kept in the mapping
  form of :func:`slakit.care.schedule_to_mapping`), an append-only log of plan events (folded on append with
  :func:`slakit.plans.apply_plan_event`, so an illegal event stores nothing and raises), an
  append-only log of care events (follow-ups completed), and one ``wake_at`` instant.
- Per tenant: the set of decision keys fired; :meth:`CareStore.mark_fired` returns only the
  keys it newly recorded, so two workers racing on one decision act on it once.
- Redelivered event ids are skipped. Everything is scoped by tenant: no call made with
  tenant B reads or writes tenant A's data. Separate tables from the ticket store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from slakit.care._followups import FollowUpCompleted
from slakit.care._schedule import CareSchedule
from slakit.plans import PlanEvent, PlanState


@runtime_checkable
class CareStore(Protocol):
    """What slakit needs to keep plans and scheduled care; two reference stores implement it."""

    def append_plan_events(
        self, tenant: str, subject: str, events: Sequence[PlanEvent]
    ) -> PlanState:
        """Fold and store ``events``; return the new state (PlanInputError stores nothing)."""
        ...

    def load_plan(self, tenant: str, subject: str) -> PlanState | None:
        """The subject's plan state, or None when it has no plan events."""
        ...

    def put_schedules(self, tenant: str, subject: str, schedules: Sequence[CareSchedule]) -> None:
        """Replace the subject's care schedules (an empty sequence removes them)."""
        ...

    def load_schedules(self, tenant: str, subject: str) -> tuple[CareSchedule, ...]:
        """The subject's care schedules, in the order put."""
        ...

    def append_care_events(
        self, tenant: str, subject: str, events: Sequence[FollowUpCompleted]
    ) -> tuple[FollowUpCompleted, ...]:
        """Store ``events`` (redeliveries skipped); return those newly stored."""
        ...

    def load_care_events(self, tenant: str, subject: str) -> tuple[FollowUpCompleted, ...]:
        """The subject's care events in the order stored."""
        ...

    def mark_fired(self, tenant: str, keys: Iterable[str]) -> tuple[str, ...]:
        """Record ``keys`` as fired; return the ones not recorded before, in the order given."""
        ...

    def fired(self, tenant: str, keys: Iterable[str]) -> frozenset[str]:
        """Which of ``keys`` are recorded as fired."""
        ...

    def set_wake(self, tenant: str, subject: str, wake_at: datetime | None) -> None:
        """Set (or clear, with None) the subject's next wake-up instant."""
        ...

    def due_subjects(self, tenant: str, before: datetime) -> tuple[str, ...]:
        """Subjects whose wake-up is at or before ``before``, earliest first."""
        ...

    def next_wake(self, tenant: str) -> datetime | None:
        """The tenant's earliest subject wake-up (in UTC), or None when nothing is set."""
        ...
