"""JSON forms of the event values JSON has no native form for: facts, dates, escalations.

Design rules: those of :mod:`slakit.workflow._codec` (one canonical form, strict on read,
every problem an :class:`~slakit.workflow.EventDecodeError` naming the field and the form).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from slakit._message import Message
from slakit.workflow._errors import EventDecodeError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from slakit.workflow._events import Escalated


def parse_aware(value: object, what: str) -> datetime:
    """Parse an ISO 8601 text with a UTC offset (``Z`` accepted).

    Raises:
        EventDecodeError: if ``value`` is not such a text.
    """
    if not isinstance(value, str):
        raise EventDecodeError(Message("{what} must be an ISO 8601 string, got {value!r}", what=what,
                                       value=value))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise EventDecodeError(Message("{what} is not ISO 8601: {value!r}", what=what, value=value)) from None
    if parsed.tzinfo is None:
        raise EventDecodeError(
            Message("{what} {value!r} has no UTC offset; write it like 2025-03-03T09:30:00+01:00",
                    what=what, value=value)
        )
    return parsed


# --- facts_changed values (issue 14): a date is {"date": "YYYY-MM-DD"}, so it never reads
# back as a string; other values are JSON scalars. Keys are sorted (the event sorts them).


def _facts_to_json(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: {"date": v.isoformat()} if isinstance(v, date) else v for k, v in values.items()}


def _facts_from_json(values: object, what: str) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise EventDecodeError(Message("{what} must be an object of fact name -> value, got {values!r}",
                                       what=what, values=values))
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            text = value.get("date") if set(value) == {"date"} else None
            try:
                out[key] = date.fromisoformat(text) if isinstance(text, str) else None
            except ValueError:
                out[key] = None
            if out[key] is None:
                raise EventDecodeError(
                    Message("{what}.{key}: a date is written {{\"date\": \"2025-10-01\"}}, got {value!r}",
                            what=what, key=key, value=value)
                )
        elif isinstance(value, list):
            raise EventDecodeError(
                Message("{what}.{key}: a fact is a string, number, bool or {{\"date\": ...}}, got a list",
                        what=what, key=key)
            )
        else:
            out[key] = value
    return out


# -- Escalated (issue 13): the two fields JSON has no native form for -------------------------


def _escalated_to_dict(event: Escalated, data: dict[str, Any]) -> None:
    data["due_at"] = event.due_at.isoformat()
    data["actions"] = [{kind: list(targets)} for kind, targets in event.actions]


def _escalated_from_dict(doc: dict[str, Any]) -> None:
    doc["due_at"] = parse_aware(doc.get("due_at"), "'escalated' event 'due_at'")
    actions = doc.get("actions")
    if not isinstance(actions, list):
        raise EventDecodeError(
            Message("'escalated' event 'actions' must be a list like [{{\"notify\": [\"lead\"]}}], got "
                    "{actions!r}", actions=actions)
        )
    pairs = []
    for i, action in enumerate(actions):
        if not (isinstance(action, dict) and len(action) == 1
                and isinstance(next(iter(action.values())), list)):
            raise EventDecodeError(
                Message("'escalated' event actions[{i}] must be one kind with a list of targets, like "
                        "{{\"notify\": [\"lead\"]}}; got {action!r}", i=i, action=action)
            )
        ((kind, targets),) = action.items()
        pairs.append((kind, targets))
    doc["actions"] = pairs
