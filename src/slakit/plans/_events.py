"""Plan events: what happened to a subject's support plan, with a versioned JSON form.

Design rules:

* Events are frozen values naming the ``subject`` (customer or organisation), the instant
  ``at`` and a host-chosen ``event_id`` (a redelivered id is skipped by the fold).
* The JSON form is one object: ``type`` (``slakit.plan/started`` ...), ``schema`` (the
  version, 1), ``subject``, ``at``, ``event_id``, then the event's own fields. Reading is
  strict: unknown types, unknown or missing keys and naive instants are refused, every
  problem listed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs

from slakit._errors import WrongTypeError, type_check
from slakit._message import Message
from slakit._problems import unknown_key
from slakit.plans._checks import check_aware, check_name, check_optional_aware, parse_instant
from slakit.plans._errors import CareDataError, PlanInputError
from slakit.plans._plan import Plan

SCHEMA = 1
"""The version of the JSON form written by :func:`plan_event_to_json`."""


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise WrongTypeError(Message("{name} must be an int, got {value!r}", name=attribute.name,
                                     value=value))
    if value < 1:
        raise PlanInputError(Message("{name} must be 1 or more, got {value}", name=attribute.name,
                                     value=value))


@attrs.frozen(kw_only=True)
class _PlanEvent:
    event_type: ClassVar[str] = ""
    subject: str = attrs.field(validator=check_name)
    at: datetime = attrs.field(validator=check_aware)
    event_id: str = attrs.field(validator=check_name)


@attrs.frozen(kw_only=True)
class PlanStarted(_PlanEvent):
    """A plan begins for the subject (go-live free support, a purchase)."""

    event_type: ClassVar[str] = "slakit.plan/started"
    plan: Plan = attrs.field(validator=type_check(Plan))


@attrs.frozen(kw_only=True)
class PlanRenewed(_PlanEvent):
    """The current plan is renewed: a new term from its end (or from ``at`` once lapsed).

    ``end`` is the new term's end; None means one year after the new term's start.
    """

    event_type: ClassVar[str] = "slakit.plan/renewed"
    end: datetime | None = attrs.field(default=None, validator=check_optional_aware)


@attrs.frozen(kw_only=True)
class PlanUpgraded(_PlanEvent):
    """Another plan replaces the current one from ``plan.start`` (an upgrade or a change)."""

    event_type: ClassVar[str] = "slakit.plan/upgraded"
    plan: Plan = attrs.field(validator=type_check(Plan))


@attrs.frozen(kw_only=True)
class PlanCancelled(_PlanEvent):
    """The current plan stops at ``effective`` (``at`` when None), without grace."""

    event_type: ClassVar[str] = "slakit.plan/cancelled"
    effective: datetime | None = attrs.field(default=None, validator=check_optional_aware)


@attrs.frozen(kw_only=True)
class QuotaConsumed(_PlanEvent):
    """``amount`` uses of the quota ``quota`` were taken at ``at`` (an on-site visit, say)."""

    event_type: ClassVar[str] = "slakit.plan/quota_consumed"
    quota: str = attrs.field(validator=check_name)
    amount: int = attrs.field(default=1, validator=_positive)


PlanEvent = PlanStarted | PlanRenewed | PlanUpgraded | PlanCancelled | QuotaConsumed
PLAN_EVENT_TYPES: dict[str, type[Any]] = {
    cls.event_type: cls
    for cls in (PlanStarted, PlanRenewed, PlanUpgraded, PlanCancelled, QuotaConsumed)
}


def event_to_dict(event: Any, schema: int = SCHEMA) -> dict[str, Any]:
    """The JSON-ready dict of a plan or care event (type, schema, then its fields)."""
    out: dict[str, Any] = {"type": event.event_type, "schema": schema}
    for a in attrs.fields(type(event)):
        value = getattr(event, a.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Plan):
            value = value.to_mapping()
        out[a.name] = value
    return out


def event_from_dict(doc: Any, types: Mapping[str, type[Any]], what: str) -> Any:
    """Read an event of one of ``types`` from its dict form, listing every problem."""
    if not isinstance(doc, Mapping):
        raise CareDataError(what, [Message("expected a JSON object, got {kind}", kind=type(doc).__name__)])
    cls = types.get(doc.get("type"))  # type: ignore[arg-type]
    if cls is None:
        raise CareDataError(what, [Message("type: unknown {value!r}; known: {items}", value=doc.get('type'),
                                           items=', '.join(sorted(types)))])
    problems: list[str] = []
    if doc.get("schema", SCHEMA) != SCHEMA:
        problems.append(Message("schema: version {value!r} is not {schema}; read it with the slakit that "
                                "wrote it", value=doc.get('schema'), schema=SCHEMA))
    fields = {a.name: a for a in attrs.fields(cls)}
    problems += [f"{k}: {unknown_key(k, [*fields], 'this event')}"
                 for k in doc if k not in fields and k not in ("type", "schema")]
    kwargs: dict[str, Any] = {}
    for name, a in fields.items():
        if name not in doc:
            if a.default is attrs.NOTHING:
                problems.append(Message("{name}: missing", name=name))
            continue
        value = doc[name]
        if name in ("at", "end", "effective", "done_at") and value is not None:
            value = parse_instant(name, value, problems)
        elif name == "plan":
            try:
                value = Plan.from_mapping(value, "plan")
            except CareDataError as exc:
                problems += exc.problems
                continue
        kwargs[name] = value
    if problems:
        raise CareDataError(what, problems)
    try:
        return cls(**kwargs)
    except (PlanInputError, WrongTypeError, TypeError) as exc:
        raise CareDataError(what, [str(exc)]) from None


def plan_event_to_json(event: PlanEvent) -> str:
    """The compact JSON text of a plan event.

    >>> from datetime import datetime, timezone
    >>> plan_event_to_json(QuotaConsumed(subject="shop-1", event_id="e9", quota="visit",
    ...     at=datetime(2025, 3, 1, tzinfo=timezone.utc)))
    '{"type":"slakit.plan/quota_consumed","schema":1,"subject":"shop-1","at":"2025-03-01T00:00:00+00:00","event_id":"e9","quota":"visit","amount":1}'
    """
    return _dumps(event_to_dict(event))


def plan_event_from_json(text: str | bytes) -> PlanEvent:
    """Read a plan event from :func:`plan_event_to_json`'s text.

    Raises:
        CareDataError: not JSON, an unknown type, unknown or missing keys, bad values.
    """
    return _loads(text, PLAN_EVENT_TYPES, "plan event")  # type: ignore[no-any-return]


_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _loads(text: str | bytes, types: Mapping[str, type[Any]], what: str) -> Any:
    try:
        doc = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise CareDataError(what, [Message("not JSON: {exc}", exc=exc)]) from None
    return event_from_dict(doc, types, what)
