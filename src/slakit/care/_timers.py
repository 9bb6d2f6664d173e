"""Ticket timers that are not SLA targets: auto-close, satisfaction survey, waiting reminder.

Design rules:

* A timer is a rule over a ticket's folded workflow state (:class:`slakit.workflow.TicketState`):
  ``auto_close`` fires ``after`` the later of the resolution and the last customer reply
  while the ticket is resolved; ``survey`` fires ``after`` the resolution while it stays
  resolved or closed; ``waiting_reminder`` fires every ``after`` (``repeat`` times) from the
  moment the ticket entered one of ``statuses``.
* Delays are exact: ``N days``/``N hours`` of real time, ``N business hours`` of open time on
  the desk calendar, ``N working days`` as in :mod:`slakit.plans._working_days`.
* Decisions are :class:`slakit.plans.DueDecision` (``close``, ``send_survey``,
  ``remind_customer``) with keys ``tenant/ticket/rule/anchor``; a new resolution is a new
  anchor, so a reopened-and-resolved ticket is closed (and surveyed) again, once.
  :func:`closing_event` turns a ``close`` decision into the ``TicketClosed(auto=True)`` the
  host records.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import attrs

from slakit._errors import WrongTypeError, type_check
from slakit._message import Message
from slakit.calendar import Calendar
from slakit.plans import DueDecision, decision_key, due, next_wake
from slakit.plans._checks import check_name
from slakit.plans._errors import PlanInputError
from slakit.plans._working_days import shift_working_days
from slakit.workflow import TicketClosed, TicketState

TIMER_KINDS = ("auto_close", "survey", "waiting_reminder")
DELAY_UNITS = ("days", "hours", "minutes", "working_days", "business_hours")
_ACTIONS = {"auto_close": "close", "survey": "send_survey", "waiting_reminder": "remind_customer"}
_DELAY = re.compile(r"^\s*(\d+)\s+(working days?|business hours?|days?|hours?|minutes?)\s*$")


@attrs.frozen
class Delay:
    """An exact delay: ``amount`` of ``unit`` (see the module docs).

    >>> Delay.parse("3 working days")
    Delay(amount=3, unit='working_days')
    """

    amount: int
    unit: str

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool) or self.amount < 1:
            raise WrongTypeError(Message("a delay amount must be an int >= 1, got {amount!r}",
                                         amount=self.amount))
        if self.unit not in DELAY_UNITS:
            raise PlanInputError(Message("delay unit must be one of {items}, got {unit!r}",
                                         items=', '.join(DELAY_UNITS), unit=self.unit))

    @classmethod
    def parse(cls, text: str) -> Delay:
        """Read ``"3 working days"``, ``"8 business hours"``, ``"2 days"``, ``"36 hours"``.

        Raises:
            PlanInputError: the text is not one of those forms.
        """
        m = _DELAY.match(text) if isinstance(text, str) else None
        if m is None:
            raise PlanInputError(Message("{text!r} is not a delay; write e.g. '3 working days', '8 "
                                         "business hours', '2 days' or '36 hours'", text=text))
        unit = m.group(2).replace(" ", "_")
        return cls(int(m.group(1)), unit if unit.endswith("s") else unit + "s")

    def after(self, t: datetime, calendar: Calendar | None) -> datetime:
        """The instant this delay after ``t``.

        Raises:
            PlanInputError: a business-time unit and no calendar.
        """
        if self.unit in ("days", "hours", "minutes"):
            return t + timedelta(**{self.unit: self.amount})
        if calendar is None:
            raise PlanInputError(Message("a delay in {unit} needs the desk calendar",
                                         unit=self.unit.replace("_", " ")))
        if self.unit == "business_hours":
            return calendar.add(t, timedelta(hours=self.amount))
        return shift_working_days(calendar, t, self.amount)

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


@attrs.frozen
class TimerRule:
    """A ticket timer.

    Attributes:
        name: Rule name (part of the key).
        kind: ``auto_close``, ``survey`` or ``waiting_reminder``.
        after: The delay.
        statuses: Statuses that count as waiting (``waiting_reminder``).
        repeat: How many reminders at most (``waiting_reminder``).
    """

    name: str = attrs.field(validator=check_name)
    kind: str
    after: Delay = attrs.field(validator=type_check(Delay))
    statuses: tuple[str, ...] = ("waiting_on_customer",)
    repeat: int = 1

    def __attrs_post_init__(self) -> None:
        if self.kind not in TIMER_KINDS:
            raise PlanInputError(Message("timer {name!r}: kind must be one of {items}, got {kind!r}",
                                         name=self.name, items=', '.join(TIMER_KINDS), kind=self.kind))
        if not isinstance(self.repeat, int) or isinstance(self.repeat, bool) or self.repeat < 1:
            raise WrongTypeError(Message("timer {name!r}: repeat must be an int >= 1, got {repeat!r}",
                                         name=self.name, repeat=self.repeat))


def timer_candidates(
    tenant: str, ticket: TicketState, rules: Collection[TimerRule], calendar: Calendar | None
) -> list[DueDecision]:
    """Every timer decision the ticket's current state gives rise to, due or not."""
    out: list[DueDecision] = []
    tk = ticket.ticket
    for rule in rules:
        fires: list[tuple[str, datetime, str]] = []
        if rule.kind == "auto_close" and ticket.status == "resolved" and ticket.resolved_at:
            reply = ticket.last_customer_reply_at
            anchor = reply if reply is not None and reply > ticket.resolved_at else (
                ticket.resolved_at)
            fires.append((anchor.isoformat(), rule.after.after(anchor, calendar),
                          f"resolved ticket {tk!r} had no customer reply for {rule.after} "
                          "since " + anchor.isoformat() + ": close it (auto)"))
        elif rule.kind == "survey" and ticket.resolved_at is not None and (
                ticket.status in ("resolved", "closed")):
            at = ticket.resolved_at
            fires.append((at.isoformat(), rule.after.after(at, calendar),
                          f"ticket {tk!r} was resolved {rule.after} ago: send the survey"))
        elif rule.kind == "waiting_reminder" and ticket.status in rule.statuses:
            at = anchor = ticket.status_since
            for k in range(1, rule.repeat + 1):
                at = rule.after.after(at, calendar)
                fires.append((f"{anchor.isoformat()}#{k}", at,
                              f"ticket {tk!r} has waited on the customer since "
                              f"{anchor.isoformat()}: reminder {k} of {rule.repeat}"))
        for occurrence, fire, reason in fires:
            out.append(DueDecision(decision_key(tenant, tk, rule.name, occurrence), tenant, tk,
                                   rule.name, occurrence, fire, _ACTIONS[rule.kind], reason))
    return out


def due_timers(
    tenant: str,
    ticket: TicketState,
    rules: Collection[TimerRule],
    now: datetime,
    *,
    calendar: Calendar | None = None,
    since: datetime | None = None,
    already_fired: Collection[str] = frozenset(),
) -> tuple[DueDecision, ...]:
    """Timer decisions due by ``now`` (after ``since``), minus ``already_fired``."""
    return due(timer_candidates(tenant, ticket, rules, calendar), now, since=since,
               already_fired=already_fired)


def next_timer_at(
    tenant: str,
    ticket: TicketState,
    rules: Collection[TimerRule],
    now: datetime,
    *,
    calendar: Calendar | None = None,
    already_fired: Collection[str] = frozenset(),
) -> datetime | None:
    """The first instant after ``now`` at which a timer of the ticket fires, or None."""
    return next_wake(timer_candidates(tenant, ticket, rules, calendar), now,
                     already_fired=already_fired)


def closing_event(decision: DueDecision, event_id: str, **fields: Any) -> TicketClosed:
    """The ``TicketClosed(auto=True)`` event recording a ``close`` decision at its instant.

    Raises:
        PlanInputError: the decision is not a ``close`` decision.
    """
    if decision.action != "close":
        raise PlanInputError(Message("decision {key!r} is a {action!r} decision, not 'close'",
                                     key=decision.key, action=decision.action))
    return TicketClosed(ticket=decision.subject, at=decision.fire_at, event_id=event_id,
                        auto=True, **fields)
