"""The store contracts of tests/storage, run against the Django example's DjangoTicketStore.

The contracts are written once, in tests/storage/test_contract.py (the ticket store) and
test_desk_port.py and test_desk_batch.py (the desk's claims, outbox and batches); their tests
are imported here and get this module's ``store`` fixture: empty Django tables on the SQLite
file of the ``django_db`` fixture.
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
from tests.storage.test_desk_batch import (
    test_a_batch_runs_in_order_so_a_ticket_may_appear_twice,
    test_bad_arguments_refuse_the_whole_batch,
    test_each_append_of_a_batch_stands_alone,
)
from tests.storage.test_desk_port import (
    test_a_refused_append_queues_nothing,
    test_an_append_releases_the_lease_and_sets_the_next_wake_up,
    test_bad_claim_arguments_are_refused,
    test_claims_take_passed_wake_ups_once_until_the_lease_expires,
    test_deliveries_are_claimed_leased_and_finished,
    test_next_wakeup_is_the_earliest_wake_up_or_pending_delivery,
    test_outbox_entries_come_with_the_append_once_per_key,
    test_reference_stores_are_desk_stores,
)

__all__ = [  # re-exported for pytest to collect; this module adds the Django backend
    "test_a_batch_runs_in_order_so_a_ticket_may_appear_twice",
    "test_a_refused_append_queues_nothing",
    "test_an_append_releases_the_lease_and_sets_the_next_wake_up",
    "test_any_batching_gives_the_replayed_state",
    "test_append_and_load",
    "test_bad_arguments_refuse_the_whole_batch",
    "test_bad_claim_arguments_are_refused",
    "test_claims_take_passed_wake_ups_once_until_the_lease_expires",
    "test_concurrent_writers_through_the_service_store_every_event_once",
    "test_deliveries_are_claimed_leased_and_finished",
    "test_due_times",
    "test_each_append_of_a_batch_stands_alone",
    "test_empty_append",
    "test_empty_keys_are_refused",
    "test_every_store_implements_the_port",
    "test_illegal_event_in_a_batch_stores_nothing",
    "test_late_and_foreign_events_store_nothing",
    "test_list_by_status_order_and_limit",
    "test_new_ticket_twice_is_a_conflict",
    "test_next_wakeup_is_the_earliest_wake_up_or_pending_delivery",
    "test_outbox_entries_come_with_the_append_once_per_key",
    "test_redelivered_events_are_stored_once",
    "test_reference_stores_are_desk_stores",
    "test_stale_or_future_version_is_refused_and_changes_nothing",
    "test_tenant_isolation",
    "test_ticket_follows_its_status",
]


class DjangoBackend:
    @contextmanager
    def fresh(self) -> Iterator[TicketStore]:
        from examples.django_app.models import Delivery, Ticket
        from examples.django_app.store import DjangoTicketStore

        Ticket.objects.all().delete()  # cascades to the events
        Delivery.objects.all().delete()
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
