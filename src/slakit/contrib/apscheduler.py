"""APScheduler (3.x): a job that runs ``Desk.wake`` on an interval.

Design rules:

- One job per desk, ``max_instances=1`` and ``coalesce=True``: runs missed while the
  process was busy collapse into one, which catches up on everything due meanwhile.
- ``now`` is the job's clock at run time (UTC by default; a fake clock in tests).
- Several processes may each run the job on one store: ``Desk.wake`` claims tickets with a
  lease, so each escalation is recorded and delivered once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slakit._errors import InvalidValueError
from slakit._message import Message
from slakit.contrib._drain import WakeSummary, utc_now, wake_until_drained
from slakit.desk import Desk

__all__ = ["add_wake_job"]


def add_wake_job(scheduler: Any, desk: Desk, *, every: timedelta = timedelta(seconds=30),
                 clock: Callable[[], datetime] = utc_now, tenant: str | None = None,
                 limit: int = 100, job_id: str = "slakit-wake",
                 on_run: Callable[[WakeSummary], None] | None = None) -> Any:
    """Add (or replace) the job ``job_id`` waking ``desk`` every ``every`` on ``scheduler``.

    Args:
        scheduler: An APScheduler 3 scheduler (``BackgroundScheduler``, ``BlockingScheduler``...).
        desk: The desk to wake.
        every: The interval.
        clock: The current instant (aware); UTC wall clock by default.
        tenant: Only this tenant's tickets (all by default).
        limit: Tickets per ``wake`` round.
        job_id: The job's id (an existing job with it is replaced).
        on_run: Called with each run's :class:`~slakit.contrib.WakeSummary` (logging,
            metrics).

    Returns:
        The APScheduler ``Job``.
    """
    if every <= timedelta(0):
        raise InvalidValueError(Message("every must be positive, got {every!r}", every=every))
    if limit < 1:
        raise InvalidValueError(Message("limit must be at least 1, got {limit}", limit=limit))

    def run() -> None:
        summary = wake_until_drained(desk, clock(), tenant=tenant, limit=limit)
        if on_run is not None:
            on_run(summary)

    return scheduler.add_job(run, "interval", seconds=every.total_seconds(), id=job_id,
                             name="slakit desk wake-up", max_instances=1, coalesce=True,
                             replace_existing=True)
