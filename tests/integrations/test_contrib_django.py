"""slakit.contrib.django: record, the ticket index, ``slakit_wake`` and the admin list.

Django's settings are process-wide, so the app runs under the ``django_db`` fixture of
tests/integrations/conftest.py, whose ``SLAKIT_DESK`` names :func:`build_desk` below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest

pytest.importorskip("django", reason="Django is not installed (extra: django)")

from django.core.management import call_command
from django.core.management.base import CommandError

from slakit.desk import Desk, InMemoryNotifier
from slakit.workflow import AgentReplied, TicketReopened
from tests.contrib.recipes_testkit import at, make_desk, opened

NOTIFIERS: list[InMemoryNotifier] = []


def build_desk() -> Desk:
    """The factory ``settings.SLAKIT_DESK`` names: a fresh in-memory desk."""
    desk, notifier = make_desk()
    NOTIFIERS.append(notifier)
    return desk


@pytest.fixture
def app(django_db: Path) -> Iterator[InMemoryNotifier]:
    from slakit.contrib.django import get_desk
    from slakit.contrib.django.models import TicketIndex

    get_desk.cache_clear()
    get_desk()
    yield NOTIFIERS[-1]
    TicketIndex.objects.all().delete()
    get_desk.cache_clear()


def wake(now: str) -> list[str]:
    out = StringIO()
    call_command("slakit_wake", "--now", now, stdout=out)
    return out.getvalue().splitlines()


def rows() -> list[tuple[str, str, datetime | None, bool, str, datetime | None]]:
    from slakit.contrib.django.models import TicketIndex

    return [(r.ticket, r.status, r.next_deadline, r.breached, r.breached_metrics, r.wake_at)
            for r in TicketIndex.objects.all()]


def test_record_indexes_the_ticket_and_slakit_wake_escalates_once(app: InMemoryNotifier) -> None:
    from slakit.contrib.django import record

    done = record("shop-a", [opened("T-1")], at(0))
    assert done.wake_at == at(15)
    record("shop-a", [opened("T-2", "normal")], at(0))
    assert rows() == [("T-1", "new", at(30), False, "", at(15)),
                      ("T-2", "new", at(120), False, "", at(60))]
    assert wake("2025-06-02T09:10:00+08:00") == [
        "0 escalation(s) recorded, 0 delivered, 0 failed; next wake-up: 2025-06-02T09:15:00+08:00",
    ]
    # Every instant in --now's zone, even when --now is given in another one.
    assert wake("2025-06-02T01:31:00+00:00") == [
        "shop-a T-1/first_response/1/half/1 due 2025-06-02T01:15:00+00:00: notify(team_lead)",
        "shop-a T-1/first_response/1/late/1 due 2025-06-02T01:30:00+00:00: notify(duty_manager)",
        "2 escalation(s) recorded, 2 delivered, 0 failed; next wake-up: 2025-06-02T02:00:00+00:00",
    ]
    assert [d.key for d in app.delivered] == ["T-1/first_response/1/half/1",
                                              "T-1/first_response/1/late/1"]
    assert rows() == [("T-1", "new", at(30), True, "first_response", None),
                      ("T-2", "new", at(120), False, "", at(60))]
    # Run again at the same instant: nothing recorded or delivered twice.
    assert wake("2025-06-02T09:31:00+08:00")[0].startswith("0 escalation(s) recorded, 0 delivered")
    assert len(app.delivered) == 2
    # The agent answers: the clock stops, the index follows.
    record("shop-a", [AgentReplied(ticket="T-1", at=at(40), event_id="r1")], at(40))
    assert rows() == [("T-2", "new", at(120), False, "", at(60)),
                      ("T-1", "new", None, False, "", None)]


def test_a_refused_event_changes_neither_the_store_nor_the_index(app: InMemoryNotifier) -> None:
    from slakit.contrib.django import get_desk, record
    from slakit.workflow import InvalidTransition

    record("shop-a", [opened("T-1")], at(0))
    before = rows()
    with pytest.raises(InvalidTransition):
        record("shop-a", [TicketReopened(ticket="T-1", at=at(5), event_id="x")], at(5))
    assert rows() == before
    assert len(get_desk().store.load_events("shop-a", "T-1")) == 1


def test_slakit_wake_refuses_a_naive_now_with_the_slakit_error(
    app: InMemoryNotifier, capsys: pytest.CaptureFixture[str]
) -> None:
    from slakit.contrib.django.management.commands.slakit_wake import Command

    with pytest.raises(CommandError, match=r"^NaiveDatetimeError: --now must be a timezone-aware"):
        call_command("slakit_wake", "--now", "2025-03-03T10:00:00", stdout=StringIO())
    # From the command line: one line on stderr and exit status 1, no traceback.
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "slakit_wake", "--skip-checks",
                                "--now", "2025-03-03T10:00:00"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "NaiveDatetimeError: --now must be a timezone-aware datetime" in err
    assert "Traceback" not in err
    with pytest.raises(CommandError, match="not an ISO 8601 instant"):
        call_command("slakit_wake", "--now", "tomorrow", stdout=StringIO())


def test_reindex_rebuilds_a_row_and_drops_an_unknown_ticket(app: InMemoryNotifier) -> None:
    from slakit.contrib.django import record, reindex_ticket
    from slakit.contrib.django.models import TicketIndex

    record("shop-a", [opened("T-1")], at(0))
    TicketIndex.objects.all().delete()
    assert reindex_ticket("shop-a", "T-1", at(20)) is True
    assert rows() == [("T-1", "new", at(30), False, "", at(15))]
    assert reindex_ticket("shop-a", "T-9", at(20)) is False
    assert reindex_ticket("shop-b", "T-1", at(20)) is False  # tenants do not share tickets
    assert TicketIndex.objects.count() == 1


def test_slakit_wake_reindex_rebuilds_a_tenants_rows(app: InMemoryNotifier) -> None:
    from slakit.contrib.django import get_desk, record
    from slakit.contrib.django.models import TicketIndex

    record("shop-a", [opened("T-1")], at(0))
    get_desk().record("shop-a", [opened("T-2", "normal")], at(0))  # bypassing the index
    get_desk().record("shop-b", [opened("T-3")], at(0))
    TicketIndex.objects.filter(ticket="T-1").update(status="stale")
    out = StringIO()
    call_command("slakit_wake", "--now", "2025-06-02T09:05:00+08:00", "--tenant", "shop-a",
                 "--reindex", stdout=out)
    assert out.getvalue().splitlines()[0] == "2 ticket(s) of shop-a reindexed"
    assert rows() == [("T-1", "new", at(30), False, "", at(15)),
                      ("T-2", "new", at(120), False, "", at(60))]  # shop-b untouched
    with pytest.raises(CommandError, match="--reindex needs --tenant"):
        call_command("slakit_wake", "--reindex", stdout=StringIO())


def test_admin_lists_tickets_by_next_deadline_with_breach_state(app: InMemoryNotifier) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    from slakit.contrib.django import record
    from slakit.contrib.django.models import TicketIndex

    record("shop-a", [opened("T-late", "normal")], at(0))
    record("shop-a", [opened("T-soon")], at(0))
    record("shop-a", [opened("T-done"), AgentReplied(ticket="T-done", at=at(1), event_id="r")],
           at(1))
    model_admin = admin.site._registry[TicketIndex]
    listed = model_admin.get_queryset(RequestFactory().get("/"))
    assert [r.ticket for r in listed] == ["T-soon", "T-late", "T-done"]  # no deadline: last
    assert {"next_deadline", "breached", "breached_metrics"} <= set(model_admin.list_display)
    assert not model_admin.has_add_permission(RequestFactory().get("/"))


def test_the_migration_matches_the_model(django_db: Path) -> None:
    out = StringIO()
    call_command("makemigrations", "slakit", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_a_missing_or_wrong_factory_is_a_slakit_error(django_db: Path) -> None:
    from django.test import override_settings

    from slakit._errors import InvalidValueError
    from slakit.contrib.django import get_desk

    for value, message in [(None, "must name a desk factory"),
                            ("tests.contrib.recipes_testkit:nothing", "has no callable"),
                            ("tests.contrib.recipes_testkit:policies", "not a slakit Desk")]:
        get_desk.cache_clear()
        with override_settings(SLAKIT_DESK=value), pytest.raises(InvalidValueError, match=message):
            get_desk()
    get_desk.cache_clear()
    assert datetime.now(UTC)  # the real settings still build a desk
    assert isinstance(get_desk(), Desk)
    get_desk.cache_clear()
