"""What the desk's calls return: frozen values, printable and comparable."""

from __future__ import annotations

from datetime import datetime

import attrs

from slakit.desk._decision import Decision
from slakit.sla import ClockResult, SlaState
from slakit.workflow import Event, TicketState


@attrs.frozen
class Recorded:
    """What :meth:`Desk.record` did.

    Attributes:
        state: The ticket's state after the events (and any ``escalated`` events).
        applied: The host's events newly stored (redelivered ones are left out).
        sla: The ticket's SLA state after them (see :attr:`clocks` for its figures).
        now: The call's ``now``.
        decisions: The escalations recorded now (due by ``now``, not recorded before).
        wake_at: The ticket's next wake-up as stored, or None (nothing scheduled; also
            None when nothing was stored because every event was a redelivery).
        attempts: Load-fold-append rounds it took (1 without conflicts).
    """

    state: TicketState
    applied: tuple[Event, ...]
    sla: SlaState = attrs.field(repr=False)
    now: datetime
    decisions: tuple[Decision, ...]
    wake_at: datetime | None
    attempts: int

    @property
    def clocks(self) -> tuple[ClockResult, ...]:
        """Every SLA clock's figures at ``now`` (computed when asked: most callers never do)."""
        return self.sla.at(self.now)


@attrs.frozen
class WakeReport:
    """What one :meth:`Desk.wake` call did.

    Attributes:
        now: The call's ``now``.
        claimed: Tickets claimed (their wake-up had passed).
        decisions: The escalations recorded by this call, ticket by ticket.
        conflicts: Claimed tickets another writer changed meanwhile (that writer recorded
            what was due; nothing is lost).
        delivered: Outbox decisions the notifier accepted.
        failed: Outbox decisions the notifier refused (pending, retried later).
    """

    now: datetime
    claimed: int
    decisions: tuple[Decision, ...]
    conflicts: int
    delivered: int
    failed: int
