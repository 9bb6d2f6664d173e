"""The JSON Schema of a decision document (:meth:`slakit.desk.Decision.to_dict`)."""

from __future__ import annotations

from typing import Any

from slakit.desk._decision import DECISION_SCHEMA_VERSION
from slakit.workflow._events import ESCALATION_ACTION_KINDS
from slakit.workflow._schema import DRAFT

_NAME = {"type": "string", "minLength": 1}
_TIME = {"type": "string", "format": "date-time"}


def decision_json_schema() -> dict[str, Any]:
    """The JSON Schema of what the outbox stores and the webhook posts.

    Example:
        >>> schema = decision_json_schema()
        >>> schema["properties"]["late_by_seconds"]
        {'type': ['number', 'null'], 'minimum': 0}
    """
    properties: dict[str, Any] = {
        "schema": {"const": DECISION_SCHEMA_VERSION},
        "tenant": _NAME, "ticket": _NAME, "key": _NAME, "metric": _NAME,
        "cycle": {"type": "integer", "minimum": 1},
        "rule": _NAME,
        "level": {"type": "integer", "minimum": 0},
        "due_at": _TIME,
        "deadline": {"type": ["string", "null"], "format": "date-time"},
        "late_by_seconds": {"type": ["number", "null"], "minimum": 0},
        "actions": {"type": "array", "items": {
            "type": "object", "minProperties": 1, "maxProperties": 1,
            "propertyNames": {"enum": list(ESCALATION_ACTION_KINDS)},
            "additionalProperties": {"type": "array", "items": _NAME, "minItems": 1}}},
        "priority": _NAME,
        "policy": {"type": ["string", "null"]},
        "recorded_at": _TIME,
        "text": {"type": "string"},
    }
    return {"$schema": DRAFT, "title": "slakit escalation decision", "type": "object",
            "properties": properties, "required": list(properties),
            "additionalProperties": False}
