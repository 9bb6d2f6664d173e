from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from slakit import InstantRangeError, NaiveDatetimeError, SlakitError, UnstorableTextError
from slakit.workflow import (
    EVENT_CLASSES,
    EVENT_TYPES,
    AgentReplied,
    Event,
    TicketOpened,
    TicketRated,
)
from tests.workflow.workflow_testkit import EventFactory

AT = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)


def test_vocabulary_names_are_fixed() -> None:
    assert [cls.event_type for cls in EVENT_CLASSES] == [
        "opened", "assigned", "stage_changed", "agent_replied", "customer_replied",
        "status_changed", "priority_changed", "resolved", "reopened", "closed", "cancelled",
        "rated", "facts_changed", "escalated", "deadline_overridden",
    ]
    assert {name: cls.__name__ for name, cls in EVENT_TYPES.items()} == {
        "opened": "TicketOpened", "assigned": "TicketAssigned", "stage_changed": "StageChanged",
        "agent_replied": "AgentReplied", "customer_replied": "CustomerReplied",
        "status_changed": "StatusChanged", "priority_changed": "PriorityChanged",
        "resolved": "TicketResolved", "reopened": "TicketReopened", "closed": "TicketClosed",
        "cancelled": "TicketCancelled", "rated": "TicketRated",
        "facts_changed": "FactsChanged", "escalated": "Escalated",
        "deadline_overridden": "DeadlineOverridden",
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


# -- issue #12 items 11 and 12: values that would break later are refused when built --------

MINUS_5 = timezone(timedelta(hours=-5))
PLUS_14 = timezone(timedelta(hours=14))


@pytest.mark.parametrize("at", [
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=MINUS_5),  # year 10000 in UTC
    datetime(9999, 1, 1, tzinfo=timezone.utc),
    datetime(1, 1, 1, tzinfo=timezone.utc),
    datetime(2, 1, 1, 5, tzinfo=PLUS_14),  # 0001-12-31T15:00Z
    datetime(9998, 12, 31, 23, 59, tzinfo=MINUS_5),  # 9999-01-01T04:59Z
])
def test_out_of_range_time_is_refused_with_the_range(at: datetime) -> None:
    with pytest.raises(InstantRangeError, match=(
            r"event field 'at' .* is outside the supported range "
            r"0002-01-01T00:00:00Z to 9998-12-31T23:59:59.999999Z")) as info:
        AgentReplied(ticket="T", at=at, event_id="1")
    assert isinstance(info.value, SlakitError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("at", [
    datetime(2, 1, 1, tzinfo=timezone.utc),
    datetime(2, 1, 1, 10, tzinfo=timezone(timedelta(hours=10))),
    datetime(9998, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone.utc),
    datetime(9998, 12, 31, 10, tzinfo=MINUS_5),
    datetime(1, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))),  # 0002-01-01T01:00Z
])
def test_edges_of_the_range_are_accepted_and_convert_safely(at: datetime) -> None:
    event = AgentReplied(ticket="T", at=at, event_id="1")
    for hours in (-23, 0, 23):  # any other offset, and a day's arithmetic
        event.at.astimezone(timezone(timedelta(hours=hours)))
    event.at.astimezone(timezone.utc) + timedelta(days=1) - timedelta(days=2)


LONE = ["\ud800", "ok\udfff", "\udc80tail"]


def string_fields(event: Event) -> list[str]:
    return [a.name for a in attrs.fields(type(event))
            if a.name != "at" and (isinstance(getattr(event, a.name), str)
                                   or getattr(event, a.name) is None)]


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.event_type)
def test_lone_surrogate_in_any_text_field_is_refused(cls: type[Event]) -> None:
    event = EventFactory().make(cls)
    fields = string_fields(event)
    assert {"ticket", "event_id", "actor"} <= set(fields)
    for name in fields:
        for bad in LONE:
            with pytest.raises(UnstorableTextError, match=(
                    rf"event field '{name}' holds a lone surrogate \(U\+D[89A-F][0-9A-F]{{2}}")):
                attrs.evolve(event, **{name: bad})
    # A pair of surrogate code points written as one character is fine.
    assert attrs.evolve(event, event_id="😀é中").event_id == "😀é中"


def test_lone_surrogate_in_a_tag_is_refused() -> None:
    with pytest.raises(UnstorableTextError, match="event field 'tags'"):
        EventFactory().make(TicketOpened, tags=frozenset({"vip", "x\ud83d"}))
