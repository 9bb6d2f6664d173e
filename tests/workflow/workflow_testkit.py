"""Shared builders and Hypothesis strategies for the workflow and storage tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from slakit.workflow import (
    EVENT_CLASSES,
    AgentReplied,
    CustomerReplied,
    DeadlineOverridden,
    Escalated,
    Event,
    FactsChanged,
    PriorityChanged,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketRated,
    TicketReopened,
    TicketResolved,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
STATUSES = (
    "new",
    "assigned",
    "in_progress",
    "waiting_on_customer",
    "waiting_on_third_party",
    "resolved",
    "closed",
    "cancelled",
)


class EventFactory:
    """Builds events for one ticket with increasing ids and times (one minute apart)."""

    def __init__(self, ticket: str = "T-1", start: datetime = T0) -> None:
        self.ticket = ticket
        self.now = start
        self._ids: Iterator[int] = itertools.count(1)

    def _common(self, step: timedelta) -> dict[str, Any]:
        at = self.now
        self.now = self.now + step
        return {"ticket": self.ticket, "at": at, "event_id": f"{self.ticket}-e{next(self._ids)}"}

    def make(self, cls: type[Event], step: timedelta = timedelta(minutes=1), **fields: Any) -> Any:
        """Build an event of ``cls`` with sensible defaults for its required fields."""
        defaults: dict[type[Event], dict[str, Any]] = {
            TicketOpened: {
                "priority": "normal",
                "category": "delivery",
                "channel": "email",
                "customer": "c-1",
                "customer_tier": "gold",
            },
            TicketAssigned: {"assignee": "ana", "group": "returns"},
            StageChanged: {"stage": "investigating"},
            StatusChanged: {"to": "waiting_on_customer"},
            PriorityChanged: {"priority": "high"},
            TicketRated: {"response_speed": 5, "resolution": 4, "attitude": 5},
            Escalated: {"key": "T-1/resolution/1/late/1", "metric": "resolution",
                        "rule": "late", "level": 1, "due_at": datetime(2025, 1, 1, tzinfo=timezone.utc),
                        "actions": [("notify", ["team_lead"])]},
            DeadlineOverridden: {"metric": "resolution", "reason": "agreed with the customer",
                                 "due_at": datetime(2025, 1, 2, tzinfo=timezone.utc)},
        }
        args = {**defaults.get(cls, {}), **self._common(step), **fields}
        return cls(**args)


def events_to_reach(status: str, factory: EventFactory) -> list[Event]:
    """A legal history leading a new ticket to ``status`` in the default workflow."""
    f = factory
    steps: dict[str, list[tuple[type[Event], dict[str, Any]]]] = {
        "new": [],
        "assigned": [(TicketAssigned, {})],
        "in_progress": [(TicketAssigned, {}), (StageChanged, {})],
        "waiting_on_customer": [(TicketAssigned, {}), (StageChanged, {}), (StatusChanged, {})],
        "waiting_on_third_party": [
            (TicketAssigned, {}),
            (StageChanged, {}),
            (StatusChanged, {"to": "waiting_on_third_party"}),
        ],
        "resolved": [(TicketAssigned, {}), (StageChanged, {}), (TicketResolved, {})],
        "closed": [
            (TicketAssigned, {}),
            (StageChanged, {}),
            (TicketResolved, {}),
            (TicketClosed, {}),
        ],
        "cancelled": [(TicketCancelled, {})],
    }
    return [f.make(TicketOpened)] + [f.make(cls, **fields) for cls, fields in steps[status]]


# ---- Hypothesis strategies ------------------------------------------------------------------

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware_datetimes = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    offsets,
)
texts = st.text(max_size=12)
names = st.text(min_size=1, max_size=8)
optional_names = st.none() | names
scores = st.none() | st.integers(min_value=1, max_value=5)
stages = st.sampled_from(["investigating", "planning", "fixing", "testing"])
priorities = st.sampled_from(["low", "normal", "high", "urgent"])


def _payloads(cls: type[Event]) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[type[Event], dict[str, st.SearchStrategy[Any]]] = {
        TicketOpened: {
            "priority": priorities,
            "category": optional_names,
            "channel": optional_names,
            "customer": optional_names,
            "customer_tier": optional_names,
            "subject": texts,
            "body": texts,
            "tags": st.frozensets(names, max_size=3),
        },
        TicketAssigned: {"assignee": optional_names, "group": optional_names},
        StageChanged: {"stage": stages},
        AgentReplied: {"public": st.booleans()},
        CustomerReplied: {},
        StatusChanged: {"to": st.sampled_from(STATUSES)},
        PriorityChanged: {"priority": priorities, "reason": st.none() | texts},
        TicketResolved: {"resolution_code": optional_names, "note": st.none() | texts},
        TicketReopened: {},
        TicketClosed: {"auto": st.booleans()},
        TicketCancelled: {"reason": st.none() | texts},
        TicketRated: {"response_speed": scores, "resolution": scores, "attitude": scores},
        FactsChanged: {
            "set": st.dictionaries(
                st.sampled_from(["category", "group", "organisation", "sev", "due", "vip"]),
                st.sampled_from(["x", "支付"]), max_size=3,
            ).map(lambda d: {k: (v if k in ("category", "group", "organisation", "sev")
                                 else date(2025, 10, 1) if k == "due" else True)
                             for k, v in d.items()}),
            "clear": st.frozensets(st.sampled_from(["channel", "customer_tier", "amount"]),
                                   max_size=2),
            "tags_added": st.frozensets(st.sampled_from(["a", "b"]), max_size=2),
            "tags_removed": st.frozensets(st.sampled_from(["c", "d"]), max_size=2),
        },
        Escalated: {
            "key": names, "metric": names, "rule": names,
            "level": st.integers(min_value=0, max_value=5), "due_at": aware_datetimes,
            "actions": st.lists(st.tuples(
                st.sampled_from(["notify", "reassign", "raise_priority"]),
                st.lists(names, min_size=1, max_size=2)), max_size=2),
        },
        DeadlineOverridden: {
            "metric": names, "due_at": st.none() | aware_datetimes, "reason": names,
        },
    }
    return st.fixed_dictionaries(fields[cls])


@st.composite
def any_event(draw: st.DrawFn, ticket: str | None = None) -> Event:
    """Any single event, every field random (for codec round trips)."""
    cls = draw(st.sampled_from(EVENT_CLASSES))
    return cls(
        ticket=ticket or draw(names),
        at=draw(aware_datetimes),
        event_id=draw(names),
        actor=draw(optional_names),
        **draw(_payloads(cls)),
    )


@st.composite
def event_sequences(draw: st.DrawFn, max_size: int = 30) -> list[Event]:
    """A plausible, often illegal, sequence for one ticket.

    Starts with an opening most of the time; times mostly move forward (sometimes equal,
    sometimes back); ids are sometimes repeated, to exercise redelivery.
    """
    size = draw(st.integers(min_value=1, max_value=max_size))
    at = T0
    events: list[Event] = []
    for i in range(size):
        if i == 0 and draw(st.integers(0, 9)) > 0:
            cls: type[Event] = TicketOpened
        else:
            cls = draw(st.sampled_from(EVENT_CLASSES))
        at = at + timedelta(minutes=draw(st.sampled_from([0, 1, 1, 5, 60, -3])))
        if events and draw(st.integers(0, 9)) == 0:
            event_id = draw(st.sampled_from([e.event_id for e in events]))
        else:
            event_id = f"e{i}"
        events.append(
            cls(ticket="T-1", at=at, event_id=event_id, actor=None, **draw(_payloads(cls)))
        )
    return events
