"""The Django example app: a slakit Desk on the app's own models, escalations once each.

Django is configured programmatically on a SQLite file (the ``django_db`` fixture in
conftest.py); the tables come from the app's migrations. ``run_escalations`` is called like
cron would, with ``--now``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("django", reason="Django is not installed (extra: django)")

from django.core.management import call_command

from slakit.storage import KEEP_WAKE_AT, ConcurrencyError, KeepWakeAt, OutboxEntry
from slakit.workflow import (
    AgentReplied,
    Escalated,
    Event,
    InvalidTransition,
    TicketOpened,
    TicketReopened,
    TicketState,
)

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9 = datetime(2025, 3, 3, 9, 0, tzinfo=BERLIN)


def at(hour: int, minute: int = 0) -> datetime:
    return MONDAY_9.replace(hour=hour, minute=minute)


def opened(ticket: str, priority: str, when: datetime = MONDAY_9) -> TicketOpened:
    return TicketOpened(ticket=ticket, at=when, event_id=f"{ticket}-open", priority=priority,
                        category=None, channel="web", customer="c-1", customer_tier=None)


@pytest.fixture
def desk(django_db: Path) -> Iterator[None]:
    from examples.django_app import services
    from examples.django_app.models import Delivery, Ticket

    yield
    Ticket.objects.all().delete()  # cascades to the events
    Delivery.objects.all().delete()
    services.desk.cache_clear()  # its cache of SLA states knew the deleted tickets


def escalations(tenant: str, ticket: str) -> list[tuple[str, datetime, list[dict[str, list[str]]]]]:
    from examples.django_app.store import DjangoTicketStore

    return [(e.key, e.due_at, [{kind: list(targets)} for kind, targets in e.actions])
            for e in DjangoTicketStore().load_events(tenant, ticket) if isinstance(e, Escalated)]


def run_escalations(now: str) -> list[str]:
    out = StringIO()
    call_command("run_escalations", "--now", now, stdout=out)
    return out.getvalue().splitlines()


def test_escalations_fire_once_each_at_their_exact_instants(desk: None) -> None:
    from examples.django_app.models import Ticket
    from examples.django_app.services import record_events

    urgent = record_events("shop-a", [opened("T-1", "urgent")], at(9))
    normal = record_events("shop-b", [opened("T-2", "normal")], at(9))
    # urgent: first response 1 h around the clock, reminder at 75 %; normal: 4 office hours.
    assert urgent.wake_at == at(9, 45)
    assert normal.wake_at == at(12)
    assert run_escalations("2025-03-03T09:30:00+01:00") == [
        "0 escalation(s) fired; next wake-up: 2025-03-03T09:45:00+01:00",
    ]
    assert run_escalations("2025-03-03T10:00:00+01:00") == [
        "shop-a T-1/first_response/1/answer-soon/1 at 2025-03-03T09:45:00+01:00: notify(team_lead)",
        "1 escalation(s) fired; next wake-up: 2025-03-03T12:00:00+01:00",
    ]
    # Run again at the same instant: nothing twice.
    assert run_escalations("2025-03-03T10:00:00+01:00") == [
        "0 escalation(s) fired; next wake-up: 2025-03-03T12:00:00+01:00",
    ]
    # A late first answer meets the first-response clock; the resolution clock still runs.
    replied = record_events("shop-a", [AgentReplied(ticket="T-1", at=at(10, 5), event_id="r1")],
                            at(10, 5))
    assert (replied.state.status, replied.wake_at) == ("new", at(13))
    assert run_escalations("2025-03-03T13:30:00+01:00") == [
        "shop-b T-2/first_response/1/answer-soon/1 at 2025-03-03T12:00:00+01:00: notify(team_lead)",
        "shop-a T-1/resolution/1/late/1 at 2025-03-03T13:00:00+01:00: "
        "notify(duty_manager), reassign(tier2)",
        # T-2's resolution: 16 office hours from Monday 09:00 end at Tuesday's close, so the
        # deadline is Wednesday's opening (the calendar's rule, see docs/sla.md).
        "2 escalation(s) fired; next wake-up: 2025-03-05T09:00:00+01:00",
    ]
    # Each fired escalation is an ``escalated`` event in the ticket's own history.
    assert escalations("shop-a", "T-1") == [
        ("T-1/first_response/1/answer-soon/1", at(9, 45), [{"notify": ["team_lead"]}]),
        ("T-1/resolution/1/late/1", at(13),
         [{"notify": ["duty_manager"]}, {"reassign": ["tier2"]}]),
    ]
    assert escalations("shop-b", "T-2") == [
        ("T-2/first_response/1/answer-soon/1", at(12), [{"notify": ["team_lead"]}])]
    assert dict(Ticket.objects.values_list("key", "wake_at")) == {
        "T-1": None,  # nothing left to fire: first response met, resolution rule fired
        "T-2": datetime(2025, 3, 5, 8, tzinfo=timezone.utc),
    }


def test_events_are_stored_in_the_models(desk: None) -> None:
    from examples.django_app.models import Ticket, TicketEvent
    from examples.django_app.services import record_events
    from examples.django_app.store import DjangoTicketStore

    events: list[Event] = [opened("T-1", "normal"),
                           AgentReplied(ticket="T-1", at=at(9, 30), event_id="r1")]
    done = record_events("shop-a", events, at(9, 30))
    assert (done.state.version, done.applied, done.attempts) == (2, tuple(events), 1)
    row = Ticket.objects.get(tenant="shop-a", key="T-1")
    assert (row.version, row.status) == (2, "new")
    assert list(TicketEvent.objects.order_by("seq").values_list("seq", "event_id", "type", "at")) == [
        (1, "T-1-open", "opened", at(9)),
        (2, "r1", "agent_replied", at(9, 30)),
    ]
    store = DjangoTicketStore()
    assert store.load_events("shop-a", "T-1") == tuple(events)
    assert store.load_state("shop-a", "T-1") == done.state
    assert store.load_state("shop-b", "T-1") is None  # tenants do not share tickets
    # Redelivery: a no-op.
    again = record_events("shop-a", events, at(9, 40))
    assert (again.applied, again.state) == ((), done.state)
    assert TicketEvent.objects.count() == 2


def test_an_illegal_event_raises_and_stores_nothing(desk: None) -> None:
    from examples.django_app.models import Ticket, TicketEvent
    from examples.django_app.services import record_events

    record_events("shop-a", [opened("T-1", "urgent")], at(9))
    before = list(Ticket.objects.values_list("version", "status", "wake_at"))
    reopen = TicketReopened(ticket="T-1", at=at(9, 10), event_id="x")
    with pytest.raises(InvalidTransition, match="'reopened' is not allowed in status 'new'"):
        record_events("shop-a", [reopen], at(9, 10))
    assert list(Ticket.objects.values_list("version", "status", "wake_at")) == before
    assert TicketEvent.objects.count() == 1


def test_a_stale_writer_is_refused_and_changes_nothing(desk: None) -> None:
    from examples.django_app.models import TicketEvent
    from examples.django_app.store import DjangoTicketStore

    store = DjangoTicketStore()
    store.append("shop-a", "T-1", [opened("T-1", "urgent")], expected_version=0)
    for stale in (0, 2):
        with pytest.raises(ConcurrencyError) as info:
            store.append("shop-a", "T-1", [AgentReplied(ticket="T-1", at=at(9, 5), event_id="r")],
                         expected_version=stale)
        assert (info.value.expected, info.value.actual) == (stale, 1)
    assert TicketEvent.objects.count() == 1


def test_a_lost_race_is_retried_from_a_fresh_load(desk: None) -> None:
    from examples.django_app.services import record_events
    from examples.django_app.store import DjangoTicketStore

    class RacingStore(DjangoTicketStore):
        """Another writer appends a customer reply just before our first append."""

        raced = False

        def append(self, tenant: str, ticket: str, events: Sequence[Event], *,
                   expected_version: int, wake_at: datetime | KeepWakeAt | None = KEEP_WAKE_AT,
                   outbox: Sequence[OutboxEntry] = ()) -> TicketState:
            if not self.raced:
                self.raced = True
                other = AgentReplied(ticket=ticket, at=at(9, 20), event_id="other-writer")
                super().append(tenant, ticket, [other], expected_version=expected_version)
            return super().append(tenant, ticket, events, expected_version=expected_version,
                                  wake_at=wake_at, outbox=outbox)

    record_events("shop-a", [opened("T-1", "urgent")], at(9))
    mine = AgentReplied(ticket="T-1", at=at(9, 30), event_id="mine")
    done = record_events("shop-a", [mine], at(9, 30), store=RacingStore())
    assert done.attempts == 2
    ids = [e.event_id for e in DjangoTicketStore().load_events("shop-a", "T-1")]
    assert ids == ["T-1-open", "other-writer", "mine"]
    # The other writer's reply met the first response at 09:20: the next wake-up is the
    # resolution deadline (4 h from 09:00), computed from all three events.
    assert done.wake_at == at(13)


def test_run_escalations_refuses_a_naive_now(desk: None, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management.base import CommandError
    from examples.django_app.management.commands.run_escalations import Command

    with pytest.raises(CommandError, match=r"^NaiveDatetimeError: --now must be a timezone-aware"):
        call_command("run_escalations", "--now", "2025-03-03T10:00:00", stdout=StringIO())
    # As manage.py runs it: the slakit error on stderr, exit status 1, no traceback.
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "run_escalations", "--skip-checks",
                                 "--now", "2025-03-03T10:00:00"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("CommandError: NaiveDatetimeError: --now must be a timezone-aware")
    assert "Traceback" not in err


def test_run_escalations_prints_every_instant_in_the_zone_of_now(desk: None) -> None:
    from examples.django_app.services import record_events

    record_events("shop-a", [opened("T-1", "urgent")], at(9))
    assert run_escalations("2025-03-03T09:00:00+00:00") == [
        "shop-a T-1/first_response/1/answer-soon/1 at 2025-03-03T08:45:00+00:00: notify(team_lead)",
        "1 escalation(s) fired; next wake-up: 2025-03-03T12:00:00+00:00",
    ]


def test_an_escalation_already_due_is_recorded_with_the_event(desk: None) -> None:
    from examples.django_app.services import record_events

    # Recorded an hour late: the 75 % reminder (09:45) is already due at 10:00. The desk
    # records it in the same transaction as the event and returns it; the wake-up moves on.
    late = record_events("shop-a", [opened("T-1", "urgent")], at(10))
    assert [(d.key, d.due_at) for d in late.decisions] == [
        ("T-1/first_response/1/answer-soon/1", at(9, 45))]
    assert late.wake_at == at(13)  # the resolution deadline's rule
    assert escalations("shop-a", "T-1") == [
        ("T-1/first_response/1/answer-soon/1", at(9, 45), [{"notify": ["team_lead"]}])]
    assert run_escalations("2025-03-03T10:00:00+01:00") == [
        "0 escalation(s) fired; next wake-up: 2025-03-03T13:00:00+01:00"]


def test_the_migrations_match_the_models(django_db: Path) -> None:
    out = StringIO()
    call_command("makemigrations", "slakit_desk", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
