"""Which plan facts hold for a subject at an instant (for SLA policy selection)?

Design rules:

* :func:`plan_facts` is pure: the subject's :class:`PlanState` and an instant in, a plain
  mapping out, so a host merges it into the ticket's custom facts and the SLA policies'
  fact conditions select on it (``plan_active: false`` -> a best-effort policy).
* Keys: ``plan`` (name of the serving plan or None), ``plan_active`` (served, grace
  included), ``plan_in_grace``, ``plan_reason`` (a sentence saying why, for the policy
  explanation), ``plan_hours`` (the name of the covered hours' calendar, or None),
  ``quota_left`` (quota name -> uses left in the current period) and one flat
  ``quota_left.<name>`` per quota for conditions that compare scalars. Given the ticket's
  ``channel``, ``plan_covers_channel`` says whether the plan covers it (a plan without
  channels covers every channel), and ``plan_active`` is False for an uncovered channel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slakit.plans._checks import aware
from slakit.plans._state import PlanState


def plan_facts(state: PlanState, at: datetime, channel: str | None = None) -> dict[str, Any]:
    """The plan facts of ``state``'s subject at ``at`` (for a ticket on ``channel``).

    Raises:
        NaiveDatetimeError: ``at`` has no zone.
    """
    aware("at", at)
    i = state.term_at(at)
    if i is None:
        facts: dict[str, Any] = {"plan": None, "plan_active": False, "plan_in_grace": False,
                                 "plan_reason": _why_not(state, at), "plan_hours": None,
                                 "quota_left": {}}
        if channel is not None:
            facts["plan_covers_channel"] = False
        return facts
    term = state.terms[i]
    in_grace = term.end is not None and at >= term.end
    if in_grace:
        assert term.end is not None
        assert term.served_until is not None
        reason = (f"plan {term.name!r} ended at {term.end.isoformat()}; in grace until "
                  f"{term.served_until.isoformat()}")
    elif term.end is None:
        reason = f"plan {term.name!r} active for life since {term.start.isoformat()}"
    else:
        reason = f"plan {term.name!r} active until {term.end.isoformat()}"
    left = {q.name: state.quota_left(q.name, at) for q in term.quotas}
    active = True
    covers = not term.channels or channel in term.channels
    if channel is not None and not covers:
        active = False
        reason = (f"plan {term.name!r} does not cover the {channel!r} channel (it covers "
                  f"{', '.join(sorted(term.channels))})")
    facts = {"plan": term.name, "plan_active": active, "plan_in_grace": in_grace,
             "plan_reason": reason, "plan_hours": term.hours, "quota_left": left}
    if channel is not None:
        facts["plan_covers_channel"] = covers
    for name, n in left.items():
        facts[f"quota_left.{name}"] = n
    return facts


def _why_not(state: PlanState, at: datetime) -> str:
    before = [i for i, t in enumerate(state.terms) if t.start <= at]
    if not before:
        if state.terms:
            first = state.terms[0]
            return (f"no plan yet for {state.subject!r}: plan {first.name!r} starts at "
                    f"{first.start.isoformat()}")
        return f"no support plan has been recorded for {state.subject!r}"
    i = before[-1]
    term = state.terms[i]
    if state.ended_by[i] == "cancelled":
        assert term.end is not None
        return f"plan {term.name!r} was cancelled at {term.end.isoformat()}"
    assert term.end is not None
    assert term.served_until is not None
    grace = (f" (grace ended {term.served_until.isoformat()})" if term.grace_days else "")
    return f"plan {term.name!r} expired at {term.end.isoformat()}{grace}; not renewed"


PLAN_FIELDS: dict[str, str] = {"plan": "string", "plan_active": "bool",
                               "plan_in_grace": "bool", "plan_reason": "string",
                               "plan_hours": "string"}
"""Custom field types of the plan facts, for a policy set's ``fields`` (quotas add
``"quota_left.<name>": "number"`` each)."""


def plan_fact_changes(
    state: PlanState, at: datetime, channel: str | None = None
) -> tuple[dict[str, str | int | bool], frozenset[str]]:
    """The plan facts as custom ticket facts: ``(set, clear)`` for a ``FactsChanged`` event.

    Scalar facts only: ``plan``, ``plan_active``, ``plan_in_grace``, ``plan_reason``,
    ``plan_hours`` and ``quota_left.<name>``; a fact without a value (no plan, no hours) is
    in ``clear``, so a ticket that had one loses it. Record it when the ticket is opened (and
    again when the plan changes), and SLA policies select on it with ``fact("plan_active")``.
    """
    facts = plan_facts(state, at, channel)
    out: dict[str, str | int | bool] = {}
    clear: set[str] = set()
    for name in PLAN_FIELDS:
        value = facts[name]
        if value is None:
            clear.add(name)
        else:
            out[name] = value
    for name, left in facts["quota_left"].items():
        out[f"quota_left.{name}"] = left
    return out, frozenset(clear)
