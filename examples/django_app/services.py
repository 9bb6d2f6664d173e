"""What the desk does with slakit: a ``slakit.desk.Desk`` on the app's own tables.

``record_events`` is the function views, webhooks and importers call: ``Desk.record`` loads the
ticket, applies the new events with the workflow (an illegal event raises and stores
nothing), folds the SLA clocks, records as ``escalated`` events the escalations already due,
and appends all of it with the next wake-up in one transaction, starting again from a fresh
load when another writer got there first (``ConcurrencyError``).

``run_escalations`` (the management command) runs ``Desk.wake``: it claims the tickets whose
``wake_at`` has passed, records what fell due (each escalation's key makes it once, however
many runners), moves ``wake_at`` on, and hands the decisions to the notifier.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.conf import settings

from slakit.desk import Desk, Notifier, Recorded
from slakit.policies import PolicySet, load_policies
from slakit.storage import DeskStore
from slakit.workflow import DEFAULT_WORKFLOW, Event

from .store import DjangoTicketStore

DEFAULT_POLICIES = Path(__file__).with_name("policies.toml")


@functools.cache
def policies() -> PolicySet:
    """The policy set of the file named by ``settings.SLAKIT_POLICIES``."""
    path = Path(getattr(settings, "SLAKIT_POLICIES", DEFAULT_POLICIES))
    with path.open("rb") as policy_file:
        return load_policies(tomllib.load(policy_file))


def build_desk(store: DeskStore | None = None, notifier: Notifier | None = None) -> Desk:
    """A desk on the app's tables (or on ``store``), delivering to ``notifier`` if given."""
    return Desk(DEFAULT_WORKFLOW, policies(), store or DjangoTicketStore(), notifier)


@functools.cache
def desk() -> Desk:
    """The app's desk, built once (its cache of SLA states lives as long as the process)."""
    return build_desk()


def record_events(
    tenant: str, events: Sequence[Event], now: datetime, *, store: DeskStore | None = None,
) -> Recorded:
    """Record ``events`` (of one ticket, in order) and the escalations due by ``now``.

    Raises:
        InvalidTransition, LateEventError: an event is illegal now; nothing is stored.
        NaiveDatetimeError: ``now`` has no zone.
        ConcurrencyError: still losing races after the desk's ``max_attempts`` rounds.
    """
    return (desk() if store is None else build_desk(store)).record(tenant, events, now)
