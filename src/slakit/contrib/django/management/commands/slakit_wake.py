"""``manage.py slakit_wake [--now ISO] [--tenant T] [--limit N]``: run ``Desk.wake`` once.

Run it from cron (or a loop sleeping until the printed next wake-up). Every instant it
prints is in ``--now``'s zone (UTC without ``--now``), so the output never mixes zones.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from slakit._errors import NaiveDatetimeError, SlakitError
from slakit._message import Message
from slakit.contrib.django._desk import get_desk, reindex_tenant, reindex_ticket


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(Message("--now: {text!r} is not an ISO 8601 instant; write e.g. "
                                   "2025-03-03T10:00:00+08:00", text=text)) from None
    if value.tzinfo is None:
        error = NaiveDatetimeError("--now", value)
        raise CommandError(f"{type(error).__name__}: {error}")
    return value


class Command(BaseCommand):
    """Claim the tickets whose wake-up has passed, record what fell due, deliver it."""

    help = "Run the slakit desk's wake-up once: record and deliver the escalations due by --now."

    def add_arguments(self, parser: CommandParser) -> None:  # noqa: D102
        parser.add_argument("--now", default=None,
                            help="ISO 8601 instant with its offset (default: the current time)")
        parser.add_argument("--tenant", default=None, help="only this tenant's tickets")
        parser.add_argument("--limit", type=int, default=100,
                            help="tickets per round; rounds repeat until the backlog is drained")
        parser.add_argument("--reindex", action="store_true",
                            help="first rebuild --tenant's ticket index rows from the store")

    def handle(self, *args: Any, **options: Any) -> None:  # noqa: D102
        now = datetime.now(UTC) if options["now"] is None else _instant(options["now"])
        zone: tzinfo = now.tzinfo or UTC
        limit: int = options["limit"]
        if limit < 1:
            raise CommandError(Message("--limit must be at least 1, got {limit}", limit=limit))
        if options["reindex"] and options["tenant"] is None:
            raise CommandError(Message("--reindex needs --tenant (the index is rebuilt tenant by tenant)"))
        desk = get_desk()
        fired = delivered = failed = 0
        try:
            if options["reindex"]:
                count = reindex_tenant(options["tenant"], now, desk)
                self.stdout.write(f"{count} ticket(s) of {options['tenant']} reindexed")
            while True:
                report = desk.wake(now, tenant=options["tenant"], limit=limit)
                for d in report.decisions:
                    actions = ", ".join(f"{a.kind}({', '.join(a.targets)})" for a in d.actions)
                    self.stdout.write(f"{d.tenant} {d.key} due {d.due_at.astimezone(zone).isoformat()}: "
                                      f"{actions}")
                for tenant, ticket in sorted({(d.tenant, d.ticket) for d in report.decisions}):
                    reindex_ticket(tenant, ticket, now, desk)
                fired += len(report.decisions)
                delivered += report.delivered
                failed += report.failed
                if report.claimed < limit:
                    break
            upcoming = desk.next_wake_at(tenant=options["tenant"])
        except SlakitError as error:
            raise CommandError(f"{type(error).__name__}: {error}") from error
        self.stdout.write(
            f"{fired} escalation(s) recorded, {delivered} delivered, {failed} failed; "
            f"next wake-up: {'none' if upcoming is None else upcoming.astimezone(zone).isoformat()}")
