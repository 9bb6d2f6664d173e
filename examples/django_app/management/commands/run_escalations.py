"""``manage.py run_escalations [--now ISO] [--tenant T] [--limit N]``: act on what fell due.

Run it from cron or a worker loop; its last line says when the next one is due, so a
scheduler can sleep until then instead of polling. Every instant it prints is in ``--now``'s
zone (UTC without ``--now``). The loop, the ``--now`` checks and the zones are those of
``slakit.contrib.django``'s ``slakit_wake`` (:class:`~slakit.contrib.django.wake_command.WakeCommand`);
this command names the app's desk and words its lines.
"""

from __future__ import annotations

from datetime import tzinfo

from slakit.contrib.django.wake_command import WakeCommand
from slakit.desk import Decision, Desk

from ...services import desk


class Command(WakeCommand):
    help = "Record and print the SLA escalations due by --now (default: the current time)."

    def desk(self) -> Desk:
        return desk()

    def decision_line(self, decision: Decision, zone: tzinfo) -> str:
        actions = ", ".join(f"{a.kind}({', '.join(a.targets)})" for a in decision.actions)
        return (f"{decision.tenant} {decision.key} at "
                f"{decision.due_at.astimezone(zone).isoformat()}: {actions}")

    def summary_line(self, fired: int, delivered: int, failed: int, upcoming: str) -> str:
        return f"{fired} escalation(s) fired; next wake-up: {upcoming}"
