"""``manage.py run_escalations [--now ISO]``: act on the SLA escalations that fell due.

Run it from cron or a worker loop; its last line says when the next one is due (the earliest
``wake_at``), so a scheduler can sleep until then instead of polling.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from ...models import Ticket
from ...services import run_due_escalations


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise CommandError(f"--now needs a UTC offset, e.g. 2025-03-03T10:00:00+01:00; got {text}")
    return value


class Command(BaseCommand):
    help = "Record and print the SLA escalations due by --now (default: the current time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", type=_aware, default=None,
                            help="evaluate at this ISO 8601 instant (with offset)")

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime = options["now"] or timezone.now()
        fired = run_due_escalations(now)
        for item in fired:
            d = item.decision
            actions = ", ".join(f"{a.kind}({', '.join(a.targets)})" for a in d.actions)
            self.stdout.write(f"{item.tenant} {d.key} at {d.fire_at.isoformat()}: {actions}")
        upcoming = Ticket.objects.aggregate(next=Min("wake_at"))["next"]
        self.stdout.write(
            f"{len(fired)} escalation(s) fired; next wake-up: "
            f"{'none' if upcoming is None else upcoming.isoformat()}"
        )
