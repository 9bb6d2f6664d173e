"""Due decisions: what a host should do now, once, by key, and when to wake up next.

Design rules (the same as the SLA escalations, see :mod:`slakit.sla._escalation`):

* Every rule that can fire produces *candidates*: an exact instant and a key
  ``"tenant/subject/rule/occurrence"`` that is the same however often and whenever the host
  evaluates (it depends on the subject's events and rules only, never on ``now``).
* :func:`due` returns the candidates firing at or before ``now`` (and strictly after
  ``since`` when given) whose key is not in ``already_fired``, sorted by instant then key.
* :func:`next_wake` is the earliest candidate strictly after ``now`` not already fired; both
  read the same candidates, so the next wake-up is never later than the next due item.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime

import attrs

from slakit.plans._checks import aware


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
