"""``manage.py run_escalations [--now ISO]``: act on the SLA escalations that fell due.

Run it from cron or a worker loop; its last line says when the next one is due (the earliest
``wake_at``), so a scheduler can sleep until then instead of polling. Every instant it prints
is in ``--now``'s zone (UTC without ``--now``). (``slakit.contrib.django``'s ``slakit_wake``
does the same on a :class:`slakit.desk.Desk`; this example keeps its own tables.)
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min

from slakit._errors import NaiveDatetimeError

from ...models import Ticket
from ...services import run_due_escalations


def _aware(text: str) -> datetime:
    # Parsed in handle(), not as an argparse type: a CommandError raised while parsing
    # escapes manage.py's error handling as a traceback.
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now: {text!r} is not an ISO 8601 instant; "
                           "write e.g. 2025-03-03T10:00:00+01:00") from None
    if value.tzinfo is None:
        error = NaiveDatetimeError("--now", value)
        raise CommandError(f"{type(error).__name__}: {error}")
    return value


class Command(BaseCommand):
    help = "Record and print the SLA escalations due by --now (default: the current time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", default=None,
                            help="evaluate at this ISO 8601 instant (with offset)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = datetime.now(UTC) if options["now"] is None else _aware(options["now"])
        zone: tzinfo = now.tzinfo or UTC
        fired = run_due_escalations(now)
        for item in fired:
            d = item.decision
            actions = ", ".join(f"{a.kind}({', '.join(a.targets)})" for a in d.actions)
            self.stdout.write(f"{item.tenant} {d.key} at {d.fire_at.astimezone(zone).isoformat()}: {actions}")
        upcoming = Ticket.objects.aggregate(next=Min("wake_at"))["next"]
        self.stdout.write(
            f"{len(fired)} escalation(s) fired; next wake-up: "
            f"{'none' if upcoming is None else upcoming.astimezone(zone).isoformat()}"
        )
