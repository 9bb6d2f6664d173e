"""slakit's desk in the host's own database, through SQLAlchemy: SQLite or PostgreSQL.

The store is :class:`slakit.storage.SQLAlchemyStore` (``pip install "slakit[sqlalchemy]"``,
or ``"slakit[postgres]"`` for PostgreSQL through psycopg 3). This example creates its tables
beside the host's, records a ticket through a :class:`~slakit.desk.Desk`, and runs ``wake``
once the first-response target has passed: the escalation is recorded in the ticket's
history and handed to the notifier, once.

Run: ``python examples/sqlalchemy_store.py [DATABASE_URL]`` (default: a SQLite database in
memory; e.g. ``postgresql+psycopg://user@/shop?host=/run/postgresql``).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, create_engine

from slakit import AlwaysOpen
from slakit.desk import Desk, InMemoryNotifier
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    notify,
    on_breach,
)
from slakit.storage import SQLAlchemyStore, sqlite_engine
from slakit.storage import sqlalchemy_metadata as metadata
from slakit.workflow import DEFAULT_WORKFLOW, TicketOpened

__all__ = ["SQLAlchemyStore", "main", "metadata", "open_engine", "sqlite_engine"]

T0 = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)
POLICIES = PolicySet([], fallback=SlaPolicy(
    "default", "1",
    targets=[MetricTarget("first_response", "urgent", timedelta(minutes=30),
                          NamedCalendar("24x7", AlwaysOpen("UTC")))],
    escalations=[EscalationRule("late", "first_response", on_breach(), [notify("team_lead")])]),
    priorities=("urgent",))


def open_engine(url: str = "sqlite://") -> Engine:
    """An engine on ``url`` with the slakit tables created (SQLite writers queue on its lock)."""
    engine = sqlite_engine(url) if url.startswith("sqlite") else create_engine(url)
    metadata.create_all(engine)  # or from your Alembic migration
    return engine


def main(url: str = "sqlite://") -> list[str]:
    """Record one urgent ticket, wake 31 minutes later; return the delivered sentences."""
    engine = open_engine(url)
    try:
        notifier = InMemoryNotifier()
        desk = Desk(DEFAULT_WORKFLOW, POLICIES, SQLAlchemyStore(engine), notifier)
        desk.record("shop-a", [TicketOpened(
            ticket="T-1", at=T0, event_id="open-1", priority="urgent", category=None,
            channel="chat", customer="c-7", customer_tier=None)], T0)
        desk.wake(T0 + timedelta(minutes=31))
        desk.wake(T0 + timedelta(minutes=32))  # nothing new: the escalation fired once
        return [decision.text for decision in notifier.delivered]
    finally:
        engine.dispose()


if __name__ == "__main__":
    for sentence in main(*sys.argv[1:2]):
        print(sentence)
