"""``manage.py slakit_wake [--now ISO] [--tenant T] [--limit N] [--reindex]``: run ``Desk.wake``.

Run it from cron (or a loop sleeping until the printed next wake-up). Every instant it
prints is in ``--now``'s zone (UTC without ``--now``), so the output never mixes zones. The
loop is :class:`slakit.contrib.django.wake_command.WakeCommand`'s; this command adds the
configured desk and the ticket index.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser

from slakit._message import Message
from slakit.contrib.django._desk import get_desk, reindex_tenant, reindex_ticket
from slakit.contrib.django.wake_command import WakeCommand
from slakit.desk import Desk, WakeReport


class Command(WakeCommand):
    """Claim the tickets whose wake-up has passed, record what fell due, deliver it."""

    help = "Run the slakit desk's wake-up once: record and deliver the escalations due by --now."

    def add_arguments(self, parser: CommandParser) -> None:  # noqa: D102
        super().add_arguments(parser)
        parser.add_argument("--reindex", action="store_true",
                            help="first rebuild --tenant's ticket index rows from the store")

    def desk(self) -> Desk:  # noqa: D102
        return get_desk()

    def before(self, desk: Desk, now: datetime, options: dict[str, Any]) -> None:  # noqa: D102
        if not options["reindex"]:
            return
        if options["tenant"] is None:
            raise CommandError(Message("--reindex needs --tenant (the index is rebuilt tenant by tenant)"))
        count = reindex_tenant(options["tenant"], now, desk)
        self.stdout.write(f"{count} ticket(s) of {options['tenant']} reindexed")

    def after_round(self, desk: Desk, report: WakeReport) -> None:  # noqa: D102
        for tenant, ticket in sorted({(d.tenant, d.ticket) for d in report.decisions}):
            reindex_ticket(tenant, ticket, report.now, desk)
