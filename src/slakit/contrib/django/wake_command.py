"""A management command running :meth:`Desk.wake <slakit.desk.Desk.wake>`, to reuse.

``slakit_wake`` is this command on the configured desk (``settings.SLAKIT_DESK``) and the
ticket index. A host with its own desk (its own tables, its own output) subclasses
:class:`WakeCommand` and overrides the hooks: :meth:`~WakeCommand.desk`,
:meth:`~WakeCommand.after_round`, :meth:`~WakeCommand.decision_line` and
:meth:`~WakeCommand.summary_line`. The loop, the ``--now`` parsing (naive instants refused
with slakit's ``NaiveDatetimeError``, as a ``CommandError``: no traceback) and the zone of the
output (``--now``'s, UTC without it: never mixed) stay here, written once.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from slakit._errors import NaiveDatetimeError, SlakitError
from slakit._message import Message
from slakit.desk import Decision, Desk, WakeReport

__all__ = ["WakeCommand", "parse_now"]


def parse_now(text: str) -> datetime:
    """``--now``'s instant; a CommandError naming the problem when it is not one.

    Parsed in ``handle``, not as an argparse type: a CommandError raised while parsing
    escapes manage.py's error handling as a traceback.
    """
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(Message("--now: {text!r} is not an ISO 8601 instant; write e.g. "
                                   "2025-03-03T10:00:00+08:00", text=text)) from None
    if value.tzinfo is None:
        error = NaiveDatetimeError("--now", value)
        raise CommandError(f"{type(error).__name__}: {error}")
    return value


class WakeCommand(BaseCommand):
    """Run ``desk.wake(now)`` until the backlog is drained; print what it recorded."""

    help = "Run the slakit desk's wake-up: record and deliver the escalations due by --now."

    def add_arguments(self, parser: CommandParser) -> None:  # noqa: D102
        parser.add_argument("--now", default=None,
                            help="ISO 8601 instant with its offset (default: the current time)")
        parser.add_argument("--tenant", default=None, help="only this tenant's tickets")
        parser.add_argument("--limit", type=int, default=100,
                            help="tickets per round; rounds repeat until the backlog is drained")

    # -- hooks ---------------------------------------------------------------------------

    def desk(self) -> Desk:
        """The desk to wake (required)."""
        raise NotImplementedError(Message("a WakeCommand names its desk: override desk()"))

    def before(self, desk: Desk, now: datetime, options: dict[str, Any]) -> None:
        """Runs before the first round (``slakit_wake`` reindexes here on ``--reindex``)."""

    def after_round(self, desk: Desk, report: WakeReport) -> None:
        """Runs after each ``wake`` round (``slakit_wake`` refreshes the ticket index)."""

    def decision_line(self, decision: Decision, zone: tzinfo) -> str:
        """The line printed for one recorded decision."""
        actions = ", ".join(f"{a.kind}({', '.join(a.targets)})" for a in decision.actions)
        return (f"{decision.tenant} {decision.key} due "
                f"{decision.due_at.astimezone(zone).isoformat()}: {actions}")

    def summary_line(self, fired: int, delivered: int, failed: int, upcoming: str) -> str:
        """The last line: what the run did and the next wake-up (in the output's zone)."""
        return (f"{fired} escalation(s) recorded, {delivered} delivered, {failed} failed; "
                f"next wake-up: {upcoming}")

    # -- the loop --------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:  # noqa: D102
        now = datetime.now(UTC) if options["now"] is None else parse_now(options["now"])
        zone: tzinfo = now.tzinfo or UTC
        limit: int = options["limit"]
        if limit < 1:
            raise CommandError(Message("--limit must be at least 1, got {limit}", limit=limit))
        fired = delivered = failed = 0
        try:
            desk = self.desk()
            self.before(desk, now, options)
            while True:
                report = desk.wake(now, tenant=options["tenant"], limit=limit)
                for decision in report.decisions:
                    self.stdout.write(self.decision_line(decision, zone))
                self.after_round(desk, report)
                fired += len(report.decisions)
                delivered += report.delivered
                failed += report.failed
                if report.claimed < limit and report.delivered + report.failed < limit:
                    break  # no ticket and no delivery left waiting
            upcoming = desk.next_wake_at(tenant=options["tenant"])
        except SlakitError as error:
            raise CommandError(f"{type(error).__name__}: {error}") from error
        self.stdout.write(self.summary_line(
            fired, delivered, failed,
            "none" if upcoming is None else upcoming.astimezone(zone).isoformat()))
