"""Celery: a task that runs ``Desk.wake``, and its Celery beat schedule entry.

>>> from datetime import timedelta
>>> beat_entry("slakit.wake", every=timedelta(seconds=30))
{'task': 'slakit.wake', 'schedule': datetime.timedelta(seconds=30), 'options': {'expires': 30.0}}

Design rules:

- The desk is built in the worker, on the task's first run, by the factory the host passes
  (a desk holds a store connection, which must not cross a fork); one desk per worker.
- ``now`` is the task's clock at run time (UTC by default, replaceable in tests), never
  the time the beat scheduled it: a late run still wakes at the right instant and catches
  up on everything due meanwhile.
- Several workers may run the task at once: ``Desk.wake`` claims tickets with a lease, so
  each escalation is recorded and delivered once. An entry ``expires`` after one period so a
  backed-up queue does not run a pile of stale wake-ups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slakit._errors import InvalidValueError
from slakit._message import Message
from slakit.contrib._drain import utc_now, wake_until_drained
from slakit.desk import Desk

__all__ = ["beat_entry", "register_wake_task"]


def register_wake_task(app: Any, desk_factory: Callable[[], Desk], *, name: str = "slakit.wake",
                       clock: Callable[[], datetime] = utc_now, limit: int = 100) -> Any:
    """Register a task ``name(tenant=None)`` on the Celery ``app`` that wakes the desk.

    The task returns :meth:`WakeSummary.to_dict <slakit.contrib.WakeSummary.to_dict>`
    (JSON: the keys recorded, delivered and failed counts, the next wake-up).

    Args:
        app: The ``celery.Celery`` application.
        desk_factory: Builds the worker's desk (called once, on the first run).
        name: The task's name (what :func:`beat_entry` schedules).
        clock: The current instant (aware); UTC wall clock by default.
        limit: Tickets per ``wake`` round.
    """
    if limit < 1:
        raise InvalidValueError(Message("limit must be at least 1, got {limit}", limit=limit))
    desks: list[Desk] = []
    lock = threading.Lock()

    def desk() -> Desk:
        with lock:
            if not desks:
                desks.append(desk_factory())
            return desks[0]

    def wake(tenant: str | None = None) -> dict[str, Any]:
        return wake_until_drained(desk(), clock(), tenant=tenant, limit=limit).to_dict()

    wake.__doc__ = "Run the slakit desk's wake-up: record and deliver the escalations due now."
    return app.task(name=name, ignore_result=False)(wake)


def beat_entry(task: str, every: timedelta = timedelta(seconds=30),
               tenant: str | None = None) -> dict[str, Any]:
    """A ``beat_schedule`` entry running ``task`` every ``every`` (expiring after one period).

    Example: ``app.conf.beat_schedule = {"slakit-wake": beat_entry("slakit.wake")}``.
    """
    if every <= timedelta(0):
        raise InvalidValueError(Message("every must be positive, got {every!r}", every=every))
    entry: dict[str, Any] = {"task": task, "schedule": every,
                             "options": {"expires": every.total_seconds()}}
    if tenant is not None:
        entry["kwargs"] = {"tenant": tenant}
    return entry
