"""What did one :meth:`Scheduler.wake <slakit.desk.Scheduler.wake>` do?"""

from __future__ import annotations

import attrs

from slakit.desk._results import WakeReport
from slakit.plans import DueDecision


@attrs.frozen
class SchedulerReport:
    """What one :meth:`Scheduler.wake` did.

    Attributes:
        tickets: The desk's report (SLA escalations recorded and delivered).
        care: Plan, care and timer decisions this worker acted on (queued for delivery;
            auto-closes included).
        closed: Tickets this worker closed automatically.
        failed: ``(decision, error)`` for each care delivery ``deliver`` raised on in this
            wake (it stays pending in the outbox and is retried after the desk's
            ``retry_delay``), and for each auto-close the desk refused (left due, so the
            next wake retries it).
        delivered: Care decisions handed to ``deliver`` successfully in this wake (new ones
            and retries of earlier failures).
    """

    tickets: WakeReport
    care: tuple[DueDecision, ...]
    closed: tuple[str, ...]
    failed: tuple[tuple[DueDecision, str], ...]
    delivered: tuple[DueDecision, ...] = ()
