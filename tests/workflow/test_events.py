from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from slakit import NaiveDatetimeError, SlakitError
from slakit.workflow import (
    EVENT_CLASSES,
    EVENT_TYPES,
    AgentReplied,
    Event,
    TicketOpened,
    TicketRated,
)

AT = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)


def test_vocabulary_names_are_fixed() -> None:
    assert [cls.event_type for cls in EVENT_CLASSES] == [
        "opened", "assigned", "stage_changed", "agent_replied", "customer_replied",
        "status_changed", "priority_changed", "resolved", "reopened", "closed", "cancelled",
        "rated", "facts_changed",
    ]
    assert {name: cls.__name__ for name, cls in EVENT_TYPES.items()} == {
        "opened": "TicketOpened", "assigned": "TicketAssigned", "stage_changed": "StageChanged",
        "agent_replied": "AgentReplied", "customer_replied": "CustomerReplied",
        "status_changed": "StatusChanged", "priority_changed": "PriorityChanged",
        "resolved": "TicketResolved", "reopened": "TicketReopened", "closed": "TicketClosed",
        "cancelled": "TicketCancelled", "rated": "TicketRated",
        "facts_changed": "FactsChanged",
    }


def test_event_is_a_usable_union() -> None:
    reply = AgentReplied(ticket="T", at=AT, event_id="1")
    assert isinstance(reply, Event)
    assert reply.actor is None
    assert reply.public is True


def test_naive_time_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match="timezone-aware"):
        AgentReplied(ticket="T", at=datetime(2025, 3, 3, 9), event_id="1")


def test_non_datetime_time_is_refused() -> None:
    with pytest.raises(TypeError, match="at must be a datetime, got str"):
        AgentReplied(ticket="T", at="2025-03-03", event_id="1")  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["ticket", "event_id"])
def test_empty_identifiers_are_refused(field: str) -> None:
    args: dict[str, Any] = {"ticket": "T", "at": AT, "event_id": "1", field: ""}
    with pytest.raises(ValueError, match=f"{field} must be a non-empty string"):
        AgentReplied(**args)


@pytest.mark.parametrize("score", [0, 6, True, 2.5])
def test_scores_are_one_to_five(score: object) -> None:
    with pytest.raises(ValueError, match="must be an int from 1 to 5 or None"):
        TicketRated(ticket="T", at=AT, event_id="1", response_speed=score,  # type: ignore[arg-type]
                    resolution=None, attitude=3)


def test_tags_become_a_frozenset_but_a_string_is_refused() -> None:
    opened = TicketOpened(ticket="T", at=AT, event_id="1", priority="low", category=None,
                          channel=None, customer=None, customer_tier=None,
                          tags=["b", "a", "a"])
    assert opened.tags == frozenset({"a", "b"})
    with pytest.raises(TypeError, match="got the string 'ab'"):
        TicketOpened(ticket="T", at=AT, event_id="1", priority="low", category=None,
                     channel=None, customer=None, customer_tier=None,
                     tags="ab")


def test_public_must_be_a_bool() -> None:
    with pytest.raises(TypeError):
        AgentReplied(ticket="T", at=AT, event_id="1", public=1)  # type: ignore[arg-type]


def test_events_are_frozen_and_hashable() -> None:
    reply = AgentReplied(ticket="T", at=AT, event_id="1")
    assert hash(reply) == hash(AgentReplied(ticket="T", at=AT, event_id="1"))
    with pytest.raises(AttributeError):
        reply.public = False  # type: ignore[misc]
    assert issubclass(NaiveDatetimeError, SlakitError)
