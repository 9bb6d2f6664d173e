"""A subject's plan history: the fold of its plan events, and who is served when.

Design rules:

* :class:`PlanState` is a frozen value; :func:`apply_plan_event` returns a new one or raises
  :class:`PlanInputError` (the old state is untouched). A redelivered ``event_id`` is a no-op;
  an event older than the last applied one is refused (fold in order).
* Terms never overlap: a renewal starts where the last term ends (or at the renewal once the
  last term is no longer served); an upgrade or a cancellation cuts the current term.
* Quota uses are counted per period window of the term they were taken in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs
from dateutil.relativedelta import relativedelta

from slakit._message import Message
from slakit.plans._checks import check_name
from slakit.plans._errors import PlanInputError
from slakit.plans._events import (
    PlanCancelled,
    PlanEvent,
    PlanRenewed,
    PlanStarted,
    PlanUpgraded,
    QuotaConsumed,
)
from slakit.plans._plan import Plan, Quota

_YEAR = relativedelta(years=1)
_MONTH = relativedelta(months=1)


@attrs.frozen
class QuotaUse:
    """``amount`` uses of ``quota`` taken at ``at`` under term number ``term`` (0-based)."""

    at: datetime
    quota: str
    amount: int
    term: int


@attrs.frozen
class PlanState:
    """Every term a subject has had, how each ended, and the quota uses.

    Attributes:
        tenant: Tenant of the subject (part of every decision key).
        subject: Customer or organisation id.
        terms: Terms in time order.
        ended_by: Per term: ``"cancelled"``, ``"upgraded"`` or None (ran to its end).
        uses: Quota uses in time order.
        event_ids: Ids of the applied events (redeliveries are skipped).
        last_event_at: Instant of the latest applied event.
    """

    tenant: str = attrs.field(validator=check_name)
    subject: str = attrs.field(validator=check_name)
    terms: tuple[Plan, ...] = ()
    ended_by: tuple[str | None, ...] = ()
    uses: tuple[QuotaUse, ...] = ()
    event_ids: frozenset[str] = frozenset()
    last_event_at: datetime | None = None

    def term_at(self, at: datetime) -> int | None:
        """Index of the term serving the subject at ``at`` (grace included), or None."""
        for i in range(len(self.terms) - 1, -1, -1):
            term = self.terms[i]
            until = term.served_until
            if term.start <= at and (until is None or at < until):
                return i
        return None

    def quota_left(self, quota: str, at: datetime) -> int | None:
        """Uses of ``quota`` left at ``at`` in the serving term's period; None if no such quota."""
        i = self.term_at(at)
        if i is None:
            return None
        term = self.terms[i]
        q = next((q for q in term.quotas if q.name == quota), None)
        if q is None:
            return None
        lo, hi = quota_window(term, q, at)
        used = sum(u.amount for u in self.uses
                   if u.term == i and u.quota == quota and lo <= u.at and (hi is None or u.at < hi))
        return q.limit - used


def quota_window(term: Plan, quota: Quota, at: datetime) -> tuple[datetime, datetime | None]:
    """The period window ``[lo, hi)`` of ``quota`` containing ``at``, anchored at the term start."""
    if quota.period == "term":
        return term.start, None
    step = _YEAR if quota.period == "year" else _MONTH
    k = 0
    lo = term.start
    while True:
        hi = term.start + step * (k + 1)
        if at < hi:
            return lo, hi
        k += 1
        lo = hi


def apply_plan_events(tenant: str, subject: str, events: Iterable[PlanEvent]) -> PlanState:
    """Fold ``events`` (in order) into a new :class:`PlanState`.

    Raises:
        PlanInputError: an event cannot be applied (it says which and why).
    """
    state = PlanState(tenant, subject)
    for event in events:
        state = apply_plan_event(state, event)
    return state


def apply_plan_event(state: PlanState, event: PlanEvent) -> PlanState:
    """``state`` with ``event`` applied.

    Raises:
        PlanInputError: another subject's event, an event older than the last one, or one
            that makes no sense now (renewing nothing, consuming an exhausted quota ...).
    """
    if event.subject != state.subject:
        raise PlanInputError(Message("event {event_id!r} is for subject {subject!r}, not {subject2!r}; "
                                     "fold each subject's events separately", event_id=event.event_id,
                                     subject=event.subject, subject2=state.subject))
    if event.event_id in state.event_ids:
        return state
    if state.last_event_at is not None and event.at < state.last_event_at:
        raise PlanInputError(Message("event {event_id!r} at {isoformat} is older than the last applied "
                                     "event ({isoformat2}); apply events in time order",
                                     event_id=event.event_id, isoformat=event.at.isoformat(),
                                     isoformat2=state.last_event_at.isoformat()))
    terms, ended_by, uses = list(state.terms), list(state.ended_by), state.uses
    where = f"event {event.event_id!r} for {state.subject!r}"
    last = terms[-1] if terms else None
    if isinstance(event, PlanStarted):
        plan = event.plan
        if plan.kind == "lifetime" and plan.end is not None:
            raise PlanInputError(Message("{where}: a lifetime plan starts without an end", where=where))
        if last is not None and (last.end is None or plan.start < last.end):
            raise PlanInputError(
                Message("{where}: plan {name!r} would overlap plan {name2!r}; use PlanUpgraded to replace "
                        "it or PlanRenewed to extend it", where=where, name=plan.name, name2=last.name))
        terms.append(plan)
        ended_by.append(None)
    elif isinstance(event, PlanRenewed):
        if last is None or last.end is None or (
                ended_by[-1] == "cancelled" and last.end > event.at):
            raise PlanInputError(Message("{where}: nothing to renew (no plan, a lifetime plan, or one "
                                         "cancelled for the future); start a plan with PlanStarted",
                                         where=where))
        until = last.served_until
        start = last.end if until is not None and event.at < until else event.at
        end = event.end if event.end is not None else start + _YEAR
        if end <= start:
            raise PlanInputError(Message("{where}: the renewed term would end at {isoformat}, not after "
                                         "its start {isoformat2}", where=where, isoformat=end.isoformat(),
                                         isoformat2=start.isoformat()))
        terms.append(attrs.evolve(last, start=start, end=end))
        ended_by.append(None)
    elif isinstance(event, PlanUpgraded | PlanCancelled):
        cut = event.plan.start if isinstance(event, PlanUpgraded) else (
            event.effective or event.at)
        i = state.term_at(cut)
        if i is None or i != len(terms) - 1 or (last is not None and last.end is not None
                                                 and cut >= last.end):
            raise PlanInputError(Message("{where}: no current plan at {isoformat} to {value}", where=where,
                                         isoformat=cut.isoformat(),
                                         value=Message("replace") if isinstance(event, PlanUpgraded)
                                         else Message("cancel")))
        if cut <= terms[i].start:
            raise PlanInputError(Message("{where}: {isoformat} is not after the start of plan {name!r}",
                                         where=where, isoformat=cut.isoformat(), name=terms[i].name))
        terms[i] = attrs.evolve(terms[i], end=cut, grace_days=0)
        if isinstance(event, PlanUpgraded):
            ended_by[i] = "upgraded"
            terms.append(event.plan)
            ended_by.append(None)
        else:
            ended_by[i] = "cancelled"
    else:
        assert isinstance(event, QuotaConsumed)
        left = state.quota_left(event.quota, event.at)
        if left is None:
            raise PlanInputError(Message("{where}: no plan serving {subject!r} at {isoformat} has a quota "
                                         "{quota!r}", where=where, subject=state.subject,
                                         isoformat=event.at.isoformat(), quota=event.quota))
        if left < event.amount:
            raise PlanInputError(Message("{where}: quota {quota!r} has {left} left, {amount} asked; "
                                         "record the extra use as paid work", where=where,
                                         quota=event.quota, left=left, amount=event.amount))
        i = state.term_at(event.at)
        assert i is not None
        uses = (*uses, QuotaUse(event.at, event.quota, event.amount, i))
    return attrs.evolve(state, terms=tuple(terms), ended_by=tuple(ended_by), uses=uses,
                        event_ids=state.event_ids | {event.event_id},
                        last_event_at=event.at)
