"""The event JSON Schemas agree with the codec: every document the codec writes validates,
and documents the codec refuses are refused by the schema too."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from slakit import SlakitError
from slakit.workflow import (
    EVENT_TYPES,
    Event,
    EventDecodeError,
    event_from_dict,
    event_json_schema,
    event_to_dict,
)
from tests.workflow.workflow_testkit import EventFactory, any_event
from tests.workflow.workflow_testkit_jsonschema import errors

ANY = event_json_schema()


@settings(max_examples=300)
@given(event=any_event())
def test_every_codec_document_validates(event: Event) -> None:
    doc = event_to_dict(event)
    assert errors(doc, ANY) == []
    assert errors(doc, event_json_schema(event.event_type)) == []


@pytest.mark.parametrize("event_type", list(EVENT_TYPES))
def test_each_schema_lists_exactly_the_codec_keys(event_type: str) -> None:
    factory = EventFactory()
    event = factory.make(EVENT_TYPES[event_type])
    schema = event_json_schema(event_type)
    assert set(schema["properties"]) == set(event_to_dict(event))
    # Without the optional keys (those with defaults) it still validates and decodes.
    minimal = {k: v for k, v in event_to_dict(event).items() if k in schema["required"]}
    assert errors(minimal, schema) == []
    assert event_from_dict(minimal).event_type == event_type


BAD: list[tuple[str, dict[str, Any]]] = [
    ("unknown key", {"colour": "red"}),
    ("naive time", {"at": "2025-03-03T09:00:00"}),
    ("empty ticket", {"ticket": ""}),
    ("wrong type", {"event_id": 7}),
    ("other schema", {"schema": 1}),
]


@pytest.mark.parametrize(("why", "change"), BAD, ids=[b[0] for b in BAD])
def test_refused_documents_fail_the_schema_and_the_codec(why: str, change: dict[str, Any]
                                                         ) -> None:
    doc = {**event_to_dict(EventFactory().make(EVENT_TYPES["customer_replied"])), **change}
    assert errors(doc, ANY) != []
    if why != "other schema":  # schema 1 is the legacy import form, read by the codec only
        with pytest.raises(EventDecodeError):
            event_from_dict(doc)


def test_unknown_event_type_is_refused() -> None:
    with pytest.raises(SlakitError, match="unknown event type 'nope'"):
        event_json_schema("nope")
