"""Plan reminders: which renewal, expiry and quota notices fall due, and when next.

Design rules:

* An *expiry* is the end of a run of terms that follow one another (a renewal or an upgrade
  before the end extends the run), so renewing early cancels the reminders of the old end
  and schedules those of the new one. Runs ended by a cancellation send no expiry notices.
* ``before_expiry`` fires ``days`` calendar days before the expiry, or ``days`` working days
  before it on the given calendar (see :mod:`slakit.plans._working_days`); never before the
  run starts. ``on_expiry`` fires at the expiry.
* ``quota_below`` fires at the use that brings a quota to ``threshold`` or fewer uses left,
  once per period window.
* Keys are ``tenant/subject/rule/occurrence`` with the expiry instant (or the window start)
  as occurrence: stable across replays, new for a new expiry.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import attrs

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._problems import unknown_key
from slakit.calendar import Calendar
from slakit.plans._checks import check_name
from slakit.plans._decision import DueDecision, decision_key, due, next_wake
from slakit.plans._errors import CareDataError, PlanInputError
from slakit.plans._state import PlanState, quota_window
from slakit.plans._working_days import shift_working_days

REMINDER_KINDS = ("before_expiry", "on_expiry", "quota_below")
_ACTIONS = {"before_expiry": "remind_renewal", "on_expiry": "notify_expired",
            "quota_below": "notify_quota"}


@attrs.frozen
class ReminderRule:
    """A plan reminder rule.

    Attributes:
        name: Rule name (part of the key), e.g. ``renewal-30d``.
        kind: ``before_expiry``, ``on_expiry`` or ``quota_below``.
        days: Days before the expiry (``before_expiry``).
        working: Count ``days`` as working days of the calendar passed to the evaluation.
        quota: The quota watched (``quota_below``).
        threshold: Fire when this many uses or fewer are left (``quota_below``).
    """

    name: str = attrs.field(validator=check_name)
    kind: str
    days: int = 0
    working: bool = False
    quota: str | None = None
    threshold: int = 0

    def __attrs_post_init__(self) -> None:
        if self.kind not in REMINDER_KINDS:
            raise PlanInputError(Message("reminder {name!r}: kind must be one of {items}, got {kind!r}",
                                         name=self.name, items=', '.join(REMINDER_KINDS), kind=self.kind))
        for what, v in (("days", self.days), ("threshold", self.threshold)):
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise WrongTypeError(Message("reminder {name!r}: {what} must be an int >= 0, got {v!r}",
                                             name=self.name, what=what, v=v))
        if not isinstance(self.working, bool):
            raise WrongTypeError(Message("reminder {name!r}: working must be true or false, got "
                                         "{working!r}", name=self.name, working=self.working))
        if self.quota is not None and not isinstance(self.quota, str):
            raise WrongTypeError(Message("reminder {name!r}: quota must be a quota name, got {quota!r}",
                                         name=self.name, quota=self.quota))
        if (self.kind == "quota_below") != (self.quota is not None):
            raise PlanInputError(Message("reminder {name!r}: a quota_below rule names its quota and other "
                                         "kinds do not", name=self.name))


def _expiries(state: PlanState) -> list[tuple[datetime, datetime, str]]:
    """``(run start, expiry, plan name)`` of every run of terms not ended by a cancellation."""
    out: list[tuple[datetime, datetime, str]] = []
    run_start: datetime | None = None
    terms = state.terms
    for i, term in enumerate(terms):
        if run_start is None:
            run_start = term.start
        nxt = terms[i + 1] if i + 1 < len(terms) else None
        if term.end is not None and nxt is not None and nxt.start <= term.end:
            continue  # renewed or upgraded before the end: the run goes on
        if term.end is not None and state.ended_by[i] != "cancelled":
            out.append((run_start, term.end, term.name))
        run_start = None
    return out


def reminder_candidates(
    state: PlanState,
    rules: Collection[ReminderRule],
    calendar: Calendar | None = None,
    *,
    floor: datetime | None = None,
) -> list[DueDecision]:
    """Every reminder the subject's plans give rise to, due or not (see :func:`due_reminders`).

    With ``floor``, only those firing strictly after it are built.

    Raises:
        PlanInputError: a working-days rule and no calendar.
    """
    out: list[DueDecision] = []
    t, s = state.tenant, state.subject
    expiries = _expiries(state)
    for rule in rules:
        if rule.kind == "quota_below":
            out += _quota_candidates(state, rule, floor)
            continue
        for run_start, end, name in expiries:
            occurrence = end.isoformat(timespec="minutes")
            if rule.kind == "on_expiry":
                if floor is not None and end <= floor:
                    continue
                fire, reason = end, f"plan {name!r} of {s!r} expires now ({end.isoformat()})"
            else:
                if rule.working:
                    if calendar is None:
                        raise PlanInputError(Message("reminder {name!r} counts working days: pass the "
                                                     "calendar to evaluate it", name=rule.name))
                    fire = shift_working_days(calendar, end, -rule.days)
                    unit = "working days"
                else:
                    fire, unit = end - timedelta(days=rule.days), "days"
                fire = max(fire, run_start)
                if floor is not None and fire <= floor:
                    continue
                reason = (f"plan {name!r} of {s!r} expires at {end.isoformat()}, in "
                          f"{rule.days} {unit}: remind the customer to renew")
            out.append(DueDecision(decision_key(t, s, rule.name, occurrence), t, s, rule.name,
                                   occurrence, fire, _ACTIONS[rule.kind], reason))
    return out


def _quota_candidates(
    state: PlanState, rule: ReminderRule, floor: datetime | None
) -> list[DueDecision]:
    out: list[DueDecision] = []
    seen: set[str] = set()
    for use in state.uses:
        if use.quota != rule.quota:
            continue
        term = state.terms[use.term]
        quota = next(q for q in term.quotas if q.name == rule.quota)
        lo, _hi = quota_window(term, quota, use.at)
        occurrence = lo.isoformat(timespec="minutes")
        if occurrence in seen:
            continue
        used = sum(u.amount for u in state.uses if u.term == use.term and u.quota == quota.name
                   and lo <= u.at <= use.at)
        left = quota.limit - used
        if left <= rule.threshold:
            seen.add(occurrence)  # the first crossing in the window, whatever the floor
            if floor is not None and use.at <= floor:
                continue
            out.append(DueDecision(
                decision_key(state.tenant, state.subject, rule.name, occurrence), state.tenant,
                state.subject, rule.name, occurrence, use.at, _ACTIONS[rule.kind],
                f"quota {quota.name!r} of {state.subject!r} has {left} of {quota.limit} left "
                f"this {quota.period}"))
    return out


def due_reminders(
    state: PlanState,
    rules: Collection[ReminderRule],
    now: datetime,
    *,
    calendar: Calendar | None = None,
    since: datetime | None = None,
    already_fired: Collection[str] = frozenset(),
) -> tuple[DueDecision, ...]:
    """Reminders due by ``now`` (after ``since``), minus ``already_fired``, in order."""
    return due(reminder_candidates(state, rules, calendar, floor=since), now, since=since,
               already_fired=already_fired)


def next_reminder_at(
    state: PlanState,
    rules: Collection[ReminderRule],
    now: datetime,
    *,
    calendar: Calendar | None = None,
    already_fired: Collection[str] = frozenset(),
) -> datetime | None:
    """The first instant after ``now`` at which a reminder falls due, or None."""
    return next_wake(reminder_candidates(state, rules, calendar, floor=now), now,
                     already_fired=already_fired)


def reminder_rules_from_mapping(mapping: Any, path: str = "reminders") -> tuple[ReminderRule, ...]:
    """Read ``{name: {kind, days, working, quota, threshold}}``, listing every problem.

    Raises:
        CareDataError: unknown keys, missing kinds, bad values (each with its path).
    """
    keys = ("kind", "days", "working", "quota", "threshold")
    if not isinstance(mapping, dict):
        raise CareDataError(Message("reminders"), [
            Message("{path}: expected a mapping of rule names", path=path)])
    problems: list[str] = []
    rules: list[ReminderRule] = []
    for name, body in mapping.items():
        where = f"{path}.{name}"
        if not isinstance(body, dict):
            problems.append(Message("{where}: expected a mapping, got {kind}", where=where,
                                    kind=type(body).__name__))
            continue
        problems += [f"{where}.{k}: {unknown_key(k, keys, 'a reminder')}"
                     for k in body if k not in keys]
        if "kind" not in body:
            problems.append(Message("{where}.kind: missing; one of {items}", where=where,
                                    items=', '.join(REMINDER_KINDS)))
            continue
        try:
            rules.append(ReminderRule(name, **{k: v for k, v in body.items() if k in keys}))
        except (PlanInputError, WrongTypeError) as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise CareDataError(Message("reminders"), problems)
    return tuple(rules)
