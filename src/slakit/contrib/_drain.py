"""One scheduled wake-up: run ``Desk.wake`` until the backlog is drained, sum it up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs

from slakit.desk import Decision, Desk


def utc_now() -> datetime:
    """The current instant in UTC: the default clock of the scheduler recipes."""
    return datetime.now(UTC)


@attrs.frozen
class WakeSummary:
    """What one scheduled run did, over all its :meth:`Desk.wake` rounds.

    Attributes:
        now: The instant the run woke the desk at.
        rounds: ``wake`` calls made (another one while a round claimed ``limit`` tickets).
        decisions: The escalations recorded, in order.
        delivered: Decisions the notifier accepted.
        failed: Decisions the notifier refused (pending in the outbox, retried later).
        next_wake_at: When the desk next has work, or None.
    """

    now: datetime
    rounds: int
    decisions: tuple[Decision, ...]
    delivered: int
    failed: int
    next_wake_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (a Celery task's result), instants in ISO 8601 UTC."""
        return {
            "now": self.now.astimezone(UTC).isoformat(),
            "rounds": self.rounds,
            "recorded": [d.key for d in self.decisions],
            "delivered": self.delivered,
            "failed": self.failed,
            "next_wake_at": None if self.next_wake_at is None
            else self.next_wake_at.astimezone(UTC).isoformat(),
        }


def wake_until_drained(desk: Desk, now: datetime, *, tenant: str | None = None,
                       limit: int = 100, max_rounds: int = 1000,
                       each: Callable[[Decision], None] | None = None) -> WakeSummary:
    """Call ``desk.wake(now)`` until a round leaves no due ticket and no pending delivery.

    (One ``wake`` call handles up to ``limit`` tickets and up to ``limit`` deliveries.)

    Args:
        desk: The desk.
        now: The scheduler's instant (aware).
        tenant: Only this tenant's tickets (all by default).
        limit: Tickets per round.
        max_rounds: A bound on the rounds of one run (the next run continues).
        each: Called with every decision recorded, as it is.
    """
    decisions: list[Decision] = []
    delivered = failed = rounds = 0
    while rounds < max_rounds:
        rounds += 1
        report = desk.wake(now, tenant=tenant, limit=limit)
        for decision in report.decisions:
            if each is not None:
                each(decision)
            decisions.append(decision)
        delivered += report.delivered
        failed += report.failed
        if report.claimed < limit and report.delivered + report.failed < limit:
            break  # no ticket and no delivery left waiting
    return WakeSummary(now, rounds, tuple(decisions), delivered, failed,
                       desk.next_wake_at(tenant=tenant))
