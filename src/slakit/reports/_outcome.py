"""What a report reads: one ticket's outcome, from a replay record or from the host's store.

Design rules:

* A :class:`TicketOutcome` is the whole of what the report needs about one ticket; nothing
  else is kept, so a report is a fold over outcomes and memory follows the groups.
* :meth:`TicketOutcome.from_record` reads the per-ticket line a replay writes (``slakit
  replay --out``); unknown keys are refused and every problem is listed at once with its
  path. :meth:`TicketOutcome.from_ticket` builds one from a ticket state and its clock
  results, for a host that keeps its own store.
* Every instant is timezone-aware; a naive one is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from slakit.reports._clock import SATISFACTION_DIMENSIONS, ClockOutcome
from slakit.reports._record import read_record

if TYPE_CHECKING:
    from slakit.sla import ClockResult
    from slakit.workflow import TicketState


@attrs.frozen
class TicketOutcome:
    """One ticket as a report sees it: who, what, when, its clocks and its rating."""

    ticket: str
    status: str
    priority: str | None
    opened_at: datetime
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    category: str | None = None
    channel: str | None = None
    group: str | None = None
    assignee: str | None = None
    customer_tier: str | None = None
    plan: str | None = None
    root_cause: str | None = None
    keywords: tuple[str, ...] = ()
    reopens: int = 0
    escalations: int = 0
    satisfaction: tuple[tuple[str, int], ...] = ()
    clocks: tuple[ClockOutcome, ...] = ()

    @property
    def done_at(self) -> datetime | None:
        """When the ticket left the backlog: its resolution, else its closure or cancellation."""
        if self.resolved_at is not None:
            return self.resolved_at
        return self.closed_at if self.closed_at is not None else self.cancelled_at

    @classmethod
    def from_record(cls, record: Mapping[str, Any], **host: Any) -> TicketOutcome:
        """Read one per-ticket line of a replay (``slakit replay --out``).

        ``host`` adds what a replay cannot know (``plan``, ``root_cause``, ``keywords``);
        a record's ``resolution_code`` stands in for the root cause and its ``tags`` for
        the keywords when the host gives none.

        Raises:
            ReportInputError: listing every problem of the record, each with its path.
        """
        return cls(*read_record(record, host))

    @classmethod
    def from_ticket(
        cls,
        state: TicketState,
        clocks: Iterable[ClockResult],
        *,
        escalations: int = 0,
        plan: str | None = None,
        root_cause: str | None = None,
        keywords: Iterable[str] = (),
        now: datetime | None = None,
    ) -> TicketOutcome:
        """Build from a ticket state and its clock results (``evaluate_clocks``) at ``now``.

        ``now`` gives still-open clocks their wall time so far; without it that is None.
        """
        outcomes = []
        for c in clocks:
            end = c.ended_at or now
            wall = None
            if c.started_at is not None and end is not None:
                wall = (end - c.started_at).total_seconds()
            target = None if c.target is None else c.target.total_seconds()
            outcomes.append(ClockOutcome(
                c.metric, c.cycle, c.status, target, c.elapsed.total_seconds(), wall,
                c.started_at, c.due_at, c.ended_at, c.breached_at,
                c.judged_priority or c.priority))
        rating = state.satisfaction
        scores = () if rating is None else tuple(
            (k, v) for k in SATISFACTION_DIMENSIONS if (v := getattr(rating, k)) is not None)
        return cls(
            state.ticket, state.status, state.priority, state.opened_at, state.resolved_at,
            state.closed_at, state.cancelled_at, state.category, state.channel, state.group, state.assignee,
            state.customer_tier, plan, root_cause or state.resolution_code,
            tuple(keywords) or tuple(sorted(state.tags)), state.reopen_count, escalations,
            scores, tuple(outcomes))


__all__ = ["SATISFACTION_DIMENSIONS", "ClockOutcome", "TicketOutcome"]
