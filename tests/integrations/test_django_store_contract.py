"""The store contract of tests/storage, run against the Django example's DjangoTicketStore.

The contract is written once, in tests/storage/test_contract.py; its tests are imported
here and get this module's ``backend`` fixture: empty Django tables on the SQLite file of the
``django_db`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from slakit.storage import TicketStore
from tests.storage.test_contract import (
    test_any_batching_gives_the_replayed_state,
    test_append_and_load,
    test_concurrent_writers_through_the_service_store_every_event_once,
    test_due_times,
    test_empty_append,
    test_empty_keys_are_refused,
    test_every_store_implements_the_port,
    test_illegal_event_in_a_batch_stores_nothing,
    test_late_and_foreign_events_store_nothing,
    test_list_by_status_order_and_limit,
    test_new_ticket_twice_is_a_conflict,
    test_redelivered_events_are_stored_once,
    test_stale_or_future_version_is_refused_and_changes_nothing,
    test_tenant_isolation,
    test_ticket_follows_its_status,
)

__all__ = [  # re-exported for pytest to collect; this module adds the Django backend
    "test_any_batching_gives_the_replayed_state",
    "test_append_and_load",
    "test_concurrent_writers_through_the_service_store_every_event_once",
    "test_due_times",
    "test_empty_append",
    "test_empty_keys_are_refused",
    "test_every_store_implements_the_port",
    "test_illegal_event_in_a_batch_stores_nothing",
    "test_late_and_foreign_events_store_nothing",
    "test_list_by_status_order_and_limit",
    "test_new_ticket_twice_is_a_conflict",
    "test_redelivered_events_are_stored_once",
    "test_stale_or_future_version_is_refused_and_changes_nothing",
    "test_tenant_isolation",
    "test_ticket_follows_its_status",
]


class DjangoBackend:
    @contextmanager
    def fresh(self) -> Iterator[TicketStore]:
        from examples.django_app.models import Ticket
        from examples.django_app.store import DjangoTicketStore

        Ticket.objects.all().delete()  # cascades to the events
        yield DjangoTicketStore()


@pytest.fixture(scope="module")
def backend(django_db: Path) -> DjangoBackend:
    import django

    if django.VERSION < (5, 1):
        pytest.skip("concurrent writers on SQLite need Django 5.1's transaction_mode option")
    return DjangoBackend()


@pytest.fixture
def store(backend: DjangoBackend) -> Iterator[TicketStore]:
    with backend.fresh() as empty_store:
        yield empty_store
