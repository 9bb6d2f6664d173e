"""JSON Schemas of the event documents, generated from the event classes and the codec.

Design rules:

- One schema per event type, built from the class's attrs fields and the codec's rules (key
  set, ISO 8601 times with an offset, tags as a list, actions as ``{kind: [targets]}``), so
  the vocabulary and its schema cannot drift apart: a field whose type has no mapping here
  raises when the schema is built, and tests validate every codec output against it.
- The schemas describe the *current* schema version (``schema`` is optional, as in the
  codec; schema-1 legacy imports are not an edge format). Draft 2020-12 keywords only.
- A host validates a request with them before it reaches slakit (pydantic, FastAPI's
  ``openapi_extra``, any JSON Schema validator); slakit itself decodes strictly anyway.
"""

from __future__ import annotations

from typing import Any

import attrs

from slakit._errors import NotFoundError
from slakit._message import Message
from slakit.workflow._codec import EVENT_SCHEMA_VERSION
from slakit.workflow._event_base import _check_non_empty, _check_score
from slakit.workflow._events import ESCALATION_ACTION_KINDS, EVENT_TYPES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_TIME = {"type": "string", "format": "date-time"}
_NAME = {"type": "string", "minLength": 1}


def _field_schema(cls: type, field: attrs.Attribute[Any]) -> dict[str, Any]:
    kind = str(field.type)  # an annotation string: the event modules postpone annotations
    if kind == "str":
        return dict(_NAME) if field.validator is _check_non_empty else {"type": "string"}
    if kind == "str | None":
        return {"type": ["string", "null"]}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "int | None" and field.validator is _check_score:
        return {"type": ["integer", "null"], "minimum": 1, "maximum": 5}
    if kind == "int":
        return {"type": "integer", "minimum": 0}
    if kind == "datetime":
        return dict(_TIME)
    if kind == "datetime | None":
        return {"type": ["string", "null"], "format": "date-time"}
    if kind == "frozenset[str]":
        return {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    if kind == "tuple[tuple[str, tuple[str, ...]], ...]":
        return {"type": "array", "items": {
            "type": "object", "minProperties": 1, "maxProperties": 1,
            "propertyNames": {"enum": list(ESCALATION_ACTION_KINDS)},
            "additionalProperties": {"type": "array", "items": _NAME, "minItems": 1}}}
    if kind == "Mapping[str, FactValue]":  # facts_changed: a date is {"date": "YYYY-MM-DD"}
        return {"type": "object", "additionalProperties": {"oneOf": [
            {"type": "string"}, {"type": "boolean"}, {"type": "number"},
            {"type": "object", "required": ["date"], "additionalProperties": False,
             "properties": {"date": {"type": "string", "format": "date"}}}]}}
    raise NotImplementedError(  # a new field type: map it above (tests build every schema)
        Message("no JSON Schema mapping for {kind}.{name}: {kind2}", kind=cls.__name__, name=field.name,
                kind2=kind))


def _one(event_type: str) -> dict[str, Any]:
    cls = EVENT_TYPES[event_type]
    properties: dict[str, Any] = {
        "type": {"const": event_type},
        "schema": {"const": EVENT_SCHEMA_VERSION},
    }
    required = ["type"]
    for field in attrs.fields(cls):
        properties[field.name] = _field_schema(cls, field)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    return {"title": f"{cls.__name__} ({event_type!r} event)", "type": "object",
            "properties": properties, "required": required, "additionalProperties": False}


def event_json_schema(event_type: str | None = None) -> dict[str, Any]:
    """The JSON Schema of one event type's documents, or of any event (``oneOf``).

    Example:
        >>> schema = event_json_schema("customer_replied")
        >>> schema["required"], schema["additionalProperties"]
        (['type', 'ticket', 'at', 'event_id'], False)
        >>> len(event_json_schema()["oneOf"]) == len(EVENT_TYPES)
        True

    Raises:
        NotFoundError: ``event_type`` is not in the vocabulary.
    """
    if event_type is not None:
        if event_type not in EVENT_TYPES:
            raise NotFoundError(
                Message("unknown event type {event_type!r}; known types: {items}", event_type=event_type,
                        items=', '.join(EVENT_TYPES)))
        return {"$schema": DRAFT, **_one(event_type)}
    return {"$schema": DRAFT, "title": "slakit workflow event",
            "oneOf": [_one(name) for name in EVENT_TYPES]}
