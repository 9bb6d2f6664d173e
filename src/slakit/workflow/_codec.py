"""JSON form of events and ticket snapshots: one canonical form, versioned, strict on read.

Design rules:

- Canonical event form: an object whose keys come in a fixed order: ``type``, ``schema``,
  ``ticket``, ``at`` (ISO 8601 with offset), ``event_id``, ``actor``, then the event's own
  fields in declaration order; tags as a sorted list. Serialised compactly (no spaces), UTF-8.
  Encoding a decoded canonical document gives the same text back, byte for byte.
- Only the UTC offset of ``at`` is kept, not a zone name: the instant and the offset survive,
  and events compare equal after a round trip because datetimes compare as instants.
- ``schema`` is the event schema version. Version 1 is the legacy import form: no ``event_id``
  and no ``actor`` (desk exports rarely number events). Reading it derives a stable
  ``event_id`` from the content, so true duplicates (same ticket, type, time and fields)
  collapse into one event, which is what redelivery semantics want. A document without
  ``schema`` is read as the current version (convenient for hand-written JSON).
- Reading is strict: unknown ``type``, unknown or missing keys, wrong value types, naive or
  out-of-range times, text with a lone surrogate (U+D800 to U+DFFF) and JSON nested too deeply
  for the parser raise :class:`EventDecodeError`, naming the problem.
- A named zone does not survive (only its offset does), yet a decoded event equals the
  original even at an ambiguous wall time (Sydney's 02:30 when DST ends): event times
  compare as instants.
- Ticket snapshots (:func:`state_to_dict`) are caches: a snapshot of another schema version
  is refused, and the store rebuilds the state from the events instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from slakit._message import Message
from slakit.workflow._codec_values import (
    _escalated_from_dict,
    _escalated_to_dict,
    _facts_from_json,
    _facts_to_json,
    parse_aware,
)
from slakit.workflow._errors import EventDecodeError
from slakit.workflow._events import EVENT_TYPES, DeadlineOverridden, Escalated, Event
from slakit.workflow._state import FactMap, Satisfaction, TicketState

EVENT_SCHEMA_VERSION = 2
"""Current version of the event JSON schema."""

STATE_SCHEMA_VERSION = 2
"""Current version of the ticket snapshot JSON schema."""

# One encoder, built once: json.dumps with non-default options builds a new encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_COMMON = ("ticket", "at", "event_id", "actor")
_PAYLOAD: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(a.name for a in attrs.fields(cls) if a.name not in _COMMON)
    for cls in EVENT_TYPES.values()
}
_encode_str: Callable[[str], str] = json.encoder.encode_basestring
_PREFIX = {
    cls: f'{{"type":"{cls.event_type}","schema":{EVENT_SCHEMA_VERSION},"ticket":'
    for cls in EVENT_TYPES.values()
}
_PAYLOAD_KEYS = {
    cls: tuple((name, f',"{name}":') for name in names) for cls, names in _PAYLOAD.items()
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The canonical JSON-ready dict of ``event`` (see the module docs for the key order)."""
    data: dict[str, Any] = {
        "type": event.event_type,
        "schema": EVENT_SCHEMA_VERSION,
        "ticket": event.ticket,
        "at": event.at.isoformat(),
        "event_id": event.event_id,
        "actor": event.actor,
    }
    for name in _PAYLOAD[type(event)]:
        value = getattr(event, name)
        data[name] = (
            sorted(value) if isinstance(value, frozenset)
            else _facts_to_json(value) if isinstance(value, FactMap) else value
        )
    if type(event) is Escalated:
        _escalated_to_dict(event, data)
    elif type(event) is DeadlineOverridden and event.due_at is not None:
        data["due_at"] = event.due_at.isoformat()
    return data


def event_to_json(event: Event) -> str:
    """The canonical JSON text of ``event``: ``event_to_dict`` serialised compactly.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from slakit.workflow import StatusChanged
        >>> e = StatusChanged(ticket="T-1", event_id="e7", to="waiting_on_customer",
        ...     at=datetime(2025, 3, 3, 9, 30, tzinfo=timezone(timedelta(hours=1))))
        >>> event_to_json(e)
        '{"type":"status_changed","schema":2,"ticket":"T-1","at":"2025-03-03T09:30:00+01:00","event_id":"e7","actor":null,"to":"waiting_on_customer"}'
        >>> event_from_json(event_to_json(e)) == e
        True
    """
    # Hand-assembled for speed (stores encode every appended event); a test checks it equals
    # the JSON encoding of event_to_dict for random events.
    cls = type(event)
    at = event.at.isoformat()  # ASCII digits and signs only: nothing to escape
    if type(event) is Escalated:
        return _escalated_json(event, at)
    parts = [
        _PREFIX[cls],
        _encode_str(event.ticket),
        ',"at":"',
        at,
        '","event_id":',
        _encode_str(event.event_id),
        ',"actor":',
        _json_value(event.actor),
    ]
    if cls is DeadlineOverridden:
        for name, key in _PAYLOAD_KEYS[cls]:
            parts.append(key)
            value = getattr(event, name)
            if name == "due_at":
                parts.append("null" if value is None else f'"{value.isoformat()}"')
            else:
                parts.append(_json_value(value))
    else:
        for name, key in _PAYLOAD_KEYS[cls]:
            parts.append(key)
            parts.append(_json_value(getattr(event, name)))
    parts.append("}")
    return "".join(parts)


# The desk writes thousands of escalations per wake-up: their form is written out field by
# field, in declaration order (checked here; tests compare it with event_to_dict).
assert _PAYLOAD[Escalated] == ("key", "metric", "rule", "level", "due_at", "actions")
_ESCALATED_PREFIX = _PREFIX[Escalated]


def _escalated_json(event: Escalated, at: str) -> str:
    due = event.due_at
    actor = event.actor
    return "".join((
        _ESCALATED_PREFIX, _encode_str(event.ticket), ',"at":"', at,
        '","event_id":', _encode_str(event.event_id),
        ',"actor":', "null" if actor is None else _encode_str(actor),
        ',"key":', _encode_str(event.key), ',"metric":', _encode_str(event.metric),
        ',"rule":', _encode_str(event.rule), ',"level":', str(event.level),
        # an escalation found on time is dated when it fell due: the same time, written once
        ',"due_at":"', at if due is event.at else due.isoformat(),
        '","actions":', _actions_json(event.actions), "}"))


@functools.lru_cache(maxsize=1024)
def _actions_json(actions: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    # A pure function of an immutable value: a policy has few distinct action lists, and
    # the desk encodes one per escalation it records.
    return _ENCODER.encode([{kind: list(targets)} for kind, targets in actions])


def _json_value(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is str:
        return _encode_str(value)
    if type(value) is int:
        return str(value)
    if type(value) is frozenset:
        return "[" + ",".join(_encode_str(item) for item in sorted(value)) + "]"
    if type(value) is FactMap:
        return _ENCODER.encode(_facts_to_json(value))
    return _ENCODER.encode(value)


def _upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("event_id", "actor"):
        if key in data:
            raise EventDecodeError(Message("schema 1 events have no {key!r}; drop it or use schema 2",
                                           key=key))
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()[:20]
    return {**data, "schema": 2, "event_id": f"v1-{digest}", "actor": None}


# version -> function turning a document of that version into the next version
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_v1}


def upgrade_event_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """Bring an event document of any known schema version to the current version.

    Raises:
        EventDecodeError: if the version is unknown or newer than this slakit.
    """
    doc = dict(data)
    version = doc.get("schema", EVENT_SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or not (
        1 <= version <= EVENT_SCHEMA_VERSION
    ):
        raise EventDecodeError(
            Message("unknown event schema version {version!r}; this slakit reads versions 1 to "
                    "{event_schema_version} (upgrade slakit to read newer events)", version=version,
                    event_schema_version=EVENT_SCHEMA_VERSION)
        )
    while version < EVENT_SCHEMA_VERSION:
        doc = _UPGRADES[version](doc)
        version = doc["schema"]
    return doc


_READING: dict[type[Any], tuple[frozenset[str], tuple[str, ...], str]] = {
    cls: (frozenset(_COMMON) | frozenset(_PAYLOAD[cls]),
          tuple(k for k in ("tags", "clear", "tags_added", "tags_removed") if k in _PAYLOAD[cls]),
          f"{cls.event_type!r} event 'at'")
    for cls in EVENT_TYPES.values()
}
"""Per event class, what reading needs: its keys, its list-valued keys, how 'at' is named."""


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Decode an event document (any known schema version).

    Raises:
        EventDecodeError: naming what is wrong with the document.
    """
    if not isinstance(data, Mapping):
        raise EventDecodeError(Message("an event must be a JSON object, got {kind}",
                                       kind=type(data).__name__))
    doc = upgrade_event_dict(data)
    kind = doc.pop("type", None)
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise EventDecodeError(
            Message("unknown event type {kind!r}; known types: {items}", kind=kind,
                    items=', '.join(EVENT_TYPES))
        )
    doc.pop("schema", None)
    allowed, lists, at_what = _READING[cls]
    if not doc.keys() <= allowed:
        raise EventDecodeError(Message("{kind!r} event has unknown keys: {items}", kind=kind,
                                       items=', '.join(sorted(doc.keys() - allowed))))
    doc["at"] = parse_aware(doc.get("at"), at_what)
    for key in lists:
        if key in doc and not isinstance(doc[key], list):
            raise EventDecodeError(Message("{key} must be a list of strings, got {doc!r}", key=key,
                                           doc=doc[key]))
    if "set" in doc:
        doc["set"] = _facts_from_json(doc["set"], f"{kind!r} event 'set'")
    if cls is Escalated:
        _escalated_from_dict(doc)
    elif cls is DeadlineOverridden and doc.get("due_at") is not None:
        doc["due_at"] = parse_aware(doc["due_at"], "'deadline_overridden' event 'due_at'")
    try:
        return cls(**doc)
    except (TypeError, ValueError) as exc:
        raise EventDecodeError(Message("invalid {kind!r} event: {exc}", kind=kind, exc=exc)) from exc


def event_from_json(text: str | bytes) -> Event:
    """Decode an event from JSON text (any known schema version).

    Raises:
        EventDecodeError: if the text is not JSON or not a valid event.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:  # UnicodeDecodeError for bytes that are not UTF-8 included
        raise EventDecodeError(Message("not valid JSON: {exc}", exc=exc)) from exc
    except RecursionError:
        raise EventDecodeError(
            Message("the JSON nests arrays or objects too deeply to be an event (an event is one flat "
                    "object); the line is corrupt or hostile")
        ) from None
    return event_from_dict(data)


_STATE_FIELDS = tuple(a.name for a in attrs.fields(TicketState))
_STATE_TIMES = frozenset(
    a.name for a in attrs.fields(TicketState) if a.name.endswith("_at") or a.name == "status_since"
)


def state_to_dict(state: TicketState) -> dict[str, Any]:
    """A JSON-ready snapshot of ``state`` (round-trips with :func:`state_from_dict`)."""
    data: dict[str, Any] = {"schema": STATE_SCHEMA_VERSION}
    fields = state.__dict__
    for name in _STATE_FIELDS:
        value = fields[name]
        kind = type(value)
        if kind not in _PLAIN:  # by exact type first: a snapshot per append makes this hot
            value = _state_value(value)
        data[name] = value
    return data


_PLAIN = frozenset({type(None), str, int, bool, float})
"""Field values a snapshot keeps as they are."""


def _state_value(value: object) -> object:
    """A state field's value in its JSON form."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Satisfaction):
        return attrs.asdict(value)
    if isinstance(value, FactMap):
        return _facts_to_json(value)
    return value


def state_to_json(state: TicketState) -> str:
    """Compact JSON text of :func:`state_to_dict`."""
    return _ENCODER.encode(state_to_dict(state))


def state_from_dict(data: Mapping[str, Any]) -> TicketState:
    """Rebuild a ticket state from a snapshot made by :func:`state_to_dict`.

    Raises:
        EventDecodeError: if the snapshot is of another schema version or malformed; rebuild
            the state by replaying the ticket's events instead.
    """
    doc = dict(data)
    version = doc.pop("schema", None)
    if version != STATE_SCHEMA_VERSION:
        raise EventDecodeError(
            Message("ticket snapshot schema {version!r} is not {state_schema_version}; replay the "
                    "ticket's events to rebuild it", version=version,
                    state_schema_version=STATE_SCHEMA_VERSION)
        )
    try:
        for name in _STATE_TIMES:
            if doc.get(name) is not None:
                doc[name] = parse_aware(doc[name], f"snapshot {name!r}")
        doc["tags"] = frozenset(doc["tags"])
        doc["event_ids"] = frozenset(doc["event_ids"])
        doc["custom"] = FactMap(_facts_from_json(doc["custom"], "snapshot 'custom'"))
        if doc.get("satisfaction") is not None:
            doc["satisfaction"] = Satisfaction(**doc["satisfaction"])
        return TicketState(**doc)
    except (KeyError, TypeError) as exc:
        raise EventDecodeError(Message("malformed ticket snapshot: {exc}", exc=exc)) from exc
