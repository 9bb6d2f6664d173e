"""Due decisions: what a host should do now, once, by key, and when to wake up next.

Design rules (the same as the SLA escalations, see :mod:`slakit.sla._escalation`):

* Every rule that can fire produces *candidates*: an exact instant and a key
  ``"tenant/subject/rule/occurrence"`` that is the same however often and whenever the host
  evaluates (it depends on the subject's events and rules only, never on ``now``).
* :func:`due` returns the candidates firing at or before ``now`` (and strictly after
  ``since`` when given) whose key is not in ``already_fired``, sorted by instant then key.
* :func:`next_wake` is the earliest candidate strictly after ``now`` not already fired; both
  read the same candidates, so the next wake-up is never later than the next due item.
* The JSON form (:meth:`DueDecision.to_json`) is what the desk outbox stores for a care
  decision: one object with ``kind: "care"`` and ``schema: 1``; reading it back is strict.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

import attrs

from slakit._message import Message
from slakit.plans._checks import aware
from slakit.plans._errors import PlanInputError

CARE_KIND = "care"
"""The ``kind`` of a care decision's JSON form (the desk outbox routes on it)."""

_SCHEMA = 1
_TEXT_FIELDS = ("key", "tenant", "subject", "rule", "occurrence", "action", "reason")


@attrs.frozen
class DueDecision:
    """Something the host should do at ``fire_at``, exactly once (by ``key``).

    Attributes:
        key: ``"tenant/subject/rule/occurrence"``; record it once acted on.
        tenant: Tenant of the subject.
        subject: Customer, organisation or ticket the decision is about.
        rule: Name of the reminder, schedule or timer rule.
        occurrence: Which firing of the rule (an expiry, a visit date, a resolution).
        fire_at: The exact instant it falls due.
        action: What to do (``remind_renewal``, ``visit``, ``close`` ...); slakit does none.
        reason: A sentence for the notification or the audit log.
    """

    key: str
    tenant: str
    subject: str
    rule: str
    occurrence: str
    fire_at: datetime
    action: str
    reason: str

    def to_json(self) -> str:
        """The JSON form (compact, non-ASCII kept); :meth:`from_json` reads it back equal.

        >>> d = DueDecision("a/s/visit/1", "a", "s", "visit", "1",
        ...                 datetime(2025, 4, 1, tzinfo=UTC), "visit", "quarterly visit")
        >>> DueDecision.from_json(d.to_json()) == d
        True
        """
        doc: dict[str, Any] = {"kind": CARE_KIND, "schema": _SCHEMA}
        doc.update({name: getattr(self, name) for name in _TEXT_FIELDS})
        doc["fire_at"] = self.fire_at.isoformat()
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> DueDecision:
        """Read :meth:`to_json` output back.

        Raises:
            PlanInputError: naming every problem with the document.
        """
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise PlanInputError(Message("care decision document is not JSON: {exc}", exc=exc)) from exc
        if not isinstance(doc, dict):
            raise PlanInputError(Message("a care decision must be a JSON object, got {doc!r}", doc=doc))
        expected = {"kind", "schema", "fire_at", *_TEXT_FIELDS}
        fire_at: datetime | None = None
        problems = [f"unknown key {k!r}" for k in sorted(set(doc) - expected)]
        problems += [f"missing key {k!r}" for k in sorted(expected - set(doc))]
        if not problems:
            if (doc["kind"], doc["schema"]) != (CARE_KIND, _SCHEMA):
                problems.append(Message("kind {doc!r} schema {doc2!r} is not {care_kind!r} schema {schema}",
                                        doc=doc['kind'], doc2=doc['schema'], care_kind=CARE_KIND,
                                        schema=_SCHEMA))
            problems += [f"{k}: expected a string, got {doc[k]!r}" for k in _TEXT_FIELDS
                         if not isinstance(doc[k], str)]
            with contextlib.suppress(TypeError, ValueError):
                fire_at = datetime.fromisoformat(doc["fire_at"])
            if fire_at is None or fire_at.utcoffset() is None:
                problems.append(Message("fire_at: {doc!r} is not an ISO 8601 instant with an offset",
                                        doc=doc['fire_at']))
        if problems:
            raise PlanInputError("care decision document: " + "; ".join(problems) +
                                 "; give what DueDecision.to_json writes")
        assert fire_at is not None
        return cls(doc["key"], doc["tenant"], doc["subject"], doc["rule"], doc["occurrence"],
                   fire_at, doc["action"], doc["reason"])


def decision_key(tenant: str, subject: str, rule: str, occurrence: str) -> str:
    """The idempotency key of a decision.

    >>> decision_key("acme", "shop-1", "renewal-30d", "2026-04-06T00:00+08:00")
    'acme/shop-1/renewal-30d/2026-04-06T00:00+08:00'
    """
    return f"{tenant}/{subject}/{rule}/{occurrence}"


def due(
    candidates: Iterable[DueDecision],
    now: datetime,
    *,
    since: datetime | None = None,
    already_fired: Collection[str] = frozenset(),
) -> tuple[DueDecision, ...]:
    """The candidates due by ``now`` (after ``since``), minus ``already_fired``, in order."""
    now_u = aware("now", now).astimezone(UTC)
    since_u = None if since is None else aware("since", since).astimezone(UTC)
    out = [d for d in candidates
           if d.fire_at <= now_u and (since_u is None or d.fire_at > since_u)
           and d.key not in already_fired]
    out.sort(key=lambda d: (d.fire_at.astimezone(UTC), d.key))
    return tuple(out)


def next_wake(
    candidates: Iterable[DueDecision],
    now: datetime,
    *,
    already_fired: Collection[str] = frozenset(),
) -> datetime | None:
    """The earliest candidate instant strictly after ``now`` not already fired, or None."""
    now_u = aware("now", now).astimezone(UTC)
    best: datetime | None = None
    for d in candidates:
        if d.fire_at > now_u and (best is None or d.fire_at < best) and (
                d.key not in already_fired):
            best = d.fire_at
    return best
