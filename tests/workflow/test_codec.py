from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings

from slakit.workflow import (
    EVENT_SCHEMA_VERSION,
    AgentReplied,
    Event,
    EventDecodeError,
    StageChanged,
    TicketAssigned,
    TicketOpened,
    TicketRated,
    TicketReopened,
    TicketResolved,
    TicketState,
    apply_all,
    event_from_dict,
    event_from_json,
    event_to_dict,
    event_to_json,
    state_from_dict,
    state_to_dict,
    upgrade_event_dict,
)
from tests.workflow.workflow_testkit import EventFactory, any_event

AT = datetime(2025, 3, 3, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5)))


@settings(max_examples=200, deadline=None)
@given(any_event())
def test_event_json_round_trip(event: Event) -> None:
    text = event_to_json(event)
    decoded = event_from_json(text)
    assert decoded == event
    assert decoded.at.utcoffset() == event.at.utcoffset()
    assert event_to_json(decoded) == text  # canonical: byte-for-byte stable
    assert text == json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))
    assert event_from_dict(json.loads(text)) == event


def test_canonical_form_exact() -> None:
    opened = TicketOpened(
        ticket="T-9", at=AT, event_id="e1", actor="web", priority="high", category="refund",
        channel="chat", customer="c-1", customer_tier="gold", subject="Où est mon colis ?",
        tags=frozenset({"vip", "eu"}),
    )
    assert event_to_json(opened) == (
        '{"type":"opened","schema":2,"ticket":"T-9","at":"2025-03-03T09:30:15.123456-05:00",'
        '"event_id":"e1","actor":"web","priority":"high","category":"refund","channel":"chat",'
        '"customer":"c-1","customer_tier":"gold","subject":"Où est mon colis ?","body":"",'
        '"tags":["eu","vip"]}'
    )
    assert list(event_to_dict(TicketReopened(ticket="T", at=AT, event_id="x"))) == [
        "type", "schema", "ticket", "at", "event_id", "actor",
    ]


def test_hand_written_json_without_schema_reads_as_current() -> None:
    event = event_from_json(
        '{"type": "rated", "ticket": "T", "at": "2025-03-03T09:30:00Z", "event_id": "r",'
        ' "response_speed": 5, "resolution": null, "attitude": 4}'
    )
    assert event == TicketRated(
        ticket="T", at=datetime(2025, 3, 3, 9, 30, tzinfo=timezone.utc), event_id="r",
        response_speed=5, resolution=None, attitude=4,
    )


def test_schema_1_is_upgraded_with_a_stable_content_id() -> None:
    v1 = {"type": "resolved", "schema": 1, "ticket": "T", "at": "2025-03-03T09:30:00+01:00",
          "resolution_code": "fixed", "note": None}
    upgraded = upgrade_event_dict(v1)
    assert upgraded["schema"] == EVENT_SCHEMA_VERSION
    assert upgraded["actor"] is None
    assert upgraded["event_id"].startswith("v1-")
    assert v1["schema"] == 1  # input unchanged
    first = event_from_dict(v1)
    assert isinstance(first, TicketResolved)
    assert first.event_id == upgraded["event_id"]
    # Same content, same id (duplicates collapse); other content, other id.
    assert event_from_dict(dict(v1)).event_id == first.event_id
    assert event_from_dict({**v1, "note": "x"}).event_id != first.event_id
    # Once read, the event is written in the current schema.
    assert event_to_dict(first)["schema"] == EVENT_SCHEMA_VERSION


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"type": "teleported"}, "unknown event type 'teleported'"),
        ({"schema": 3, "type": "reopened"}, "unknown event schema version 3"),
        ({"schema": True, "type": "reopened"}, "unknown event schema version True"),
        ({"type": "reopened", "ticket": "T", "at": "2025-03-03T09:30:00", "event_id": "x"},
         "has no UTC offset"),
        ({"type": "reopened", "ticket": "T", "at": "yesterday", "event_id": "x"},
         "is not ISO 8601"),
        ({"type": "reopened", "ticket": "T", "at": 5, "event_id": "x"},
         "must be an ISO 8601 string"),
        ({"type": "reopened", "ticket": "T", "at": "2025-03-03T09:30:00Z", "event_id": "x",
          "colour": "red"}, "'reopened' event has unknown keys: colour"),
        ({"type": "reopened", "ticket": "T", "at": "2025-03-03T09:30:00Z"},
         "invalid 'reopened' event"),
        ({"type": "agent_replied", "ticket": "T", "at": "2025-03-03T09:30:00Z",
          "event_id": "x", "public": "yes"}, "invalid 'agent_replied' event"),
        ({"type": "opened", "ticket": "T", "at": "2025-03-03T09:30:00Z", "event_id": "x",
          "priority": "low", "category": None, "channel": None, "customer": None,
          "customer_tier": None, "tags": "vip"}, "tags must be a list of strings"),
        ({"type": "resolved", "schema": 1, "ticket": "T", "at": "2025-03-03T09:30:00Z",
          "event_id": "x"}, "schema 1 events have no 'event_id'"),
    ],
)
def test_strict_decoding(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(EventDecodeError, match=message):
        event_from_dict(doc)


def test_bad_json_and_non_objects() -> None:
    with pytest.raises(EventDecodeError, match="not valid JSON"):
        event_from_json("{nope")
    with pytest.raises(EventDecodeError, match="must be a JSON object, got list"):
        event_from_json("[]")


def full_state() -> TicketState:
    f = EventFactory()
    return apply_all([
        f.make(TicketOpened, tags=frozenset({"a", "b"})),
        f.make(TicketAssigned),
        f.make(StageChanged),
        f.make(AgentReplied),
        f.make(TicketResolved, resolution_code="ok"),
        f.make(TicketRated),
    ])


def test_state_snapshot_round_trip() -> None:
    state = full_state()
    data = state_to_dict(state)
    assert json.loads(json.dumps(data)) == data
    assert state_from_dict(json.loads(json.dumps(data))) == state
    assert data["satisfaction"] == {"response_speed": 5, "resolution": 4, "attitude": 5}
    assert data["event_ids"] == sorted(state.event_ids)


def test_state_snapshot_of_other_version_is_refused() -> None:
    data = state_to_dict(full_state())
    with pytest.raises(EventDecodeError, match="replay the ticket's events"):
        state_from_dict({**data, "schema": 0})
    del data["status"]
    with pytest.raises(EventDecodeError, match="malformed ticket snapshot"):
        state_from_dict(data)


# -- issue #12 items 11, 12 and 14 --------------------------------------------------------

SYDNEY = ZoneInfo("Australia/Sydney")


@pytest.mark.parametrize("fold", [0, 1])
def test_round_trip_at_an_ambiguous_time_in_a_named_zone(fold: int) -> None:
    # 2025-04-06 02:30 happens twice in Sydney: +11:00 (fold=0), then +10:00 (fold=1).
    at = datetime(2025, 4, 6, 2, 30, fold=fold, tzinfo=SYDNEY)
    event = AgentReplied(ticket="T-1", at=at, event_id="e")
    text = event_to_json(event)
    assert f'"at":"2025-04-06T02:30:00+{11 - fold}:00"' in text
    decoded = event_from_json(text)
    assert decoded == event
    assert hash(decoded) == hash(event)
    assert decoded.at.utcoffset() == at.utcoffset()
    other_fold = AgentReplied(ticket="T-1", at=at.replace(fold=1 - fold), event_id="e")
    assert decoded != other_fold  # an hour apart: equality is by instant, not wall clock
    f = EventFactory(start=at - timedelta(minutes=5))
    state = apply_all([f.make(TicketOpened), event])
    snapshot = state_from_dict(json.loads(json.dumps(state_to_dict(state))))
    assert snapshot == state


def test_lone_surrogate_escape_is_refused_at_decode() -> None:
    doc = ('{"type":"agent_replied","ticket":"T-1","at":"2025-03-03T09:00:00Z",'
           '"event_id":"e\\ud800"}')
    with pytest.raises(EventDecodeError, match=(
            r"invalid 'agent_replied' event: event field 'event_id' holds a lone surrogate "
            r"\(U\+D800 at index 1\)")):
        event_from_json(doc)
    # A proper pair decodes to one character and is kept.
    paired = doc.replace("\\ud800", "\\ud83d\\ude00")
    assert event_from_json(paired).event_id == "e😀"


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"type":"opened","tags":' + "[" * 50_000,
    '{"a":' * 100_000 + "1" + "}" * 100_000,
])
def test_deeply_nested_json_is_a_decode_error_not_recursion(text: str) -> None:
    with pytest.raises(EventDecodeError, match="nests arrays or objects too deeply"):
        event_from_json(text)
    with pytest.raises(EventDecodeError):
        event_from_json(text.encode())


def test_out_of_range_time_is_refused_at_decode() -> None:
    doc = {"type": "agent_replied", "ticket": "T-1", "at": "9999-12-31T23:59:59-05:00",
           "event_id": "e"}
    with pytest.raises(EventDecodeError, match="outside the supported range"):
        event_from_dict(doc)
    with pytest.raises(EventDecodeError, match="outside the supported range"):
        event_from_json(json.dumps({**doc, "at": "0001-01-01T00:00:00+14:00"}))
