"""The host loop, built in: record, keep the SLA clocks, wake up, escalate once, notify.

A :class:`Desk` runs on any :class:`~slakit.storage.DeskStore`:

>>> from datetime import datetime, timedelta, timezone
>>> from slakit import AlwaysOpen
>>> from slakit.policies import (EscalationRule, MetricTarget, NamedCalendar, PolicySet,
...     SlaPolicy, on_breach, notify)
>>> from slakit.storage import InMemoryStore
>>> from slakit.workflow import DEFAULT_WORKFLOW, TicketOpened
>>> c247 = NamedCalendar("24x7", AlwaysOpen("UTC"))
>>> policy = SlaPolicy("chat", "1",
...     targets=[MetricTarget("first_response", "urgent", timedelta(minutes=30), c247)],
...     escalations=[EscalationRule("late", "first_response", on_breach(), [notify("lead")])])
>>> notifier = InMemoryNotifier()
>>> desk = Desk(DEFAULT_WORKFLOW, PolicySet([], fallback=policy), InMemoryStore(), notifier)
>>> t0 = datetime(2025, 6, 2, 9, tzinfo=timezone.utc)
>>> desk.record("shop-a", [TicketOpened(ticket="T-1", at=t0, event_id="1",
...     priority="urgent", category=None, channel="chat", customer="c",
...     customer_tier=None)], now=t0).wake_at.isoformat()
'2025-06-02T09:30:00+00:00'
>>> report = desk.wake(t0 + timedelta(minutes=31))
>>> [d.key for d in report.decisions], report.delivered
(['T-1/first_response/1/late/1'], 1)
>>> print(notifier.delivered[0].text)  # doctest: +NORMALIZE_WHITESPACE
Ticket T-1 (shop-a): first_response (cycle 1, target 0:30:00) breached its target at
2025-06-02 09:30; notify lead.
"""

from slakit.desk._decision import (
    DECISION_SCHEMA_VERSION,
    Decision,
    DecisionDecodeError,
    Language,
)
from slakit.desk._desk import Desk
from slakit.desk._notifier import (
    InMemoryNotifier,
    LoggingNotifier,
    Notifier,
    WebhookError,
    WebhookNotifier,
)
from slakit.desk._results import Recorded, WakeReport
from slakit.desk._scheduler import TICKET_SUBJECT, Scheduler
from slakit.desk._scheduler_report import SchedulerReport
from slakit.desk._schema import decision_json_schema

__all__ = [
    "DECISION_SCHEMA_VERSION",
    "TICKET_SUBJECT",
    "Decision",
    "DecisionDecodeError",
    "Desk",
    "InMemoryNotifier",
    "Language",
    "LoggingNotifier",
    "Notifier",
    "Recorded",
    "Scheduler",
    "SchedulerReport",
    "WakeReport",
    "WebhookError",
    "WebhookNotifier",
    "decision_json_schema",
]
