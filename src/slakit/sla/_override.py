"""Deadlines set by hand: how a ``deadline_overridden`` event changes one clock's cycle.

Design rules (the rule is also written in docs/sla.md, "Deadlines set by hand"):

* An override applies to the metric's current *open* cycle (running or paused). Overriding a
  metric the policy set does not define, or one with no open, targeted cycle (not started,
  met, cancelled, or without a target for the ticket's priority) raises
  :class:`~slakit.sla.SlaInputError` and changes nothing: an override that applies to no
  clock would be silently lost.
* The override is kept as *business time*: from the override on, the cycle's target is the
  time counted so far plus the calendar's open time up to ``due_at``, on a basis starting at
  the override (the ``keep_elapsed`` arithmetic). So the clock is due at ``due_at`` when it
  runs without a pause until then; a later pause moves the due time as it moves any
  deadline, and a ``due_at`` in closed hours shows as the next opening, as any deadline that
  lands on a close does (no business time passes in between; the breach begins when the
  calendar opens and counting goes on).
* A breach recorded before the override stays a breach (a breach is never undone).
* The override stands: a later priority change, policy change or reopen does not re-target
  the cycle; it is recorded in the cycle's history as a change in mode ``"override"`` with
  the old deadline kept (``kept == "old"``), and the cycle's priority and policy follow the
  ticket. An override with ``due_at=None`` hands the cycle back to the policy: the target
  for the ticket's current priority, the time counted so far kept (``keep_elapsed``),
  recorded in mode ``"override_cleared"``. A new cycle of a repeating metric starts without
  an override.
* Each change records the event's ``reason`` (see :class:`~slakit.sla.TargetChange`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from slakit._message import Message
from slakit.policies import NamedCalendar
from slakit.sla._cycle import (
    CycleState,
    TargetChange,
    elapsed_at,
    projected_due,
    replace,
    retarget,
)
from slakit.sla._errors import SlaInputError
from slakit.sla._now import event_utc


def override_of(c: CycleState) -> tuple[datetime, str] | None:
    """``(due_at in UTC, reason)`` of the override the cycle runs under, if any.

    A cycle pickled by an earlier release has no ``override`` field: it has none.
    """
    found: tuple[datetime, str] | None = c.__dict__.get("override")
    return found


def _last_change(c: CycleState, mode: str, reason: str) -> CycleState:
    last = attrs.evolve(c.changes[-1], mode=mode, reason=reason)
    return replace(c, changes=(*c.changes[:-1], last))


def set_override(
    c: CycleState | None, metric: str, at: datetime, due_at: datetime, reason: str
) -> CycleState:
    """The cycle ``c`` due at ``due_at`` from ``at`` (UTC), by hand (see the module rules)."""
    if c is None or not c.is_open or c.target is None or c.calendar is None:
        why = (Message("its clock has not started") if c is None
               else Message("its clock is not open (met or cancelled)") if not c.is_open
               else Message("its clock has no target under its policy"))
        raise SlaInputError(Message(
            "cannot override the deadline of {metric!r}: {why}; override only a running or "
            "paused clock with a target", metric=metric, why=why))
    due = event_utc(due_at)
    cal = c.calendar.calendar
    counted = elapsed_at(c, at)
    target = counted + (cal.elapsed(at, due) if due > at else timedelta(0))
    ref = None if c.policy is None else (c.policy, c.policy_version or "")
    new = retarget(c, at, "keep_elapsed", c.priority, ref, target, c.calendar)
    new = replace(_last_change(new, "override", reason), override=(due, reason))
    return replace(new, policy_version=c.policy_version)


def clear_override(
    c: CycleState, at: datetime, priority: str, policy: tuple[str, str] | None,
    target: timedelta | None, calendar: NamedCalendar | None, reason: str,
) -> CycleState:
    """The cycle handed back to its policy's ``target`` (the counted time kept)."""
    new = retarget(c, at, "keep_elapsed", priority, policy, target, calendar)
    return replace(_last_change(new, "override_cleared", reason), override=None)


def keep_override(
    c: CycleState, at: datetime, priority: str, policy: tuple[str, str] | None
) -> CycleState:
    """Record that a priority or policy change left the overridden deadline as it was."""
    due = projected_due(c, at)
    ov = override_of(c)
    change = TargetChange(at, c.priority, priority, "override", c.target, c.target, due, due,
                          "old", None if ov is None else ov[1])
    return replace(c, priority=priority, policy=None if policy is None else policy[0],
                   policy_version=None if policy is None else policy[1],
                   changes=(*c.changes, change))
