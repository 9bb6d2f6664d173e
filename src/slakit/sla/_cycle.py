"""One cycle of one clock: running spans, the counting basis, and exact deadline arithmetic.

Theory of operation:

* A cycle records the *running spans* ``[start, end)`` during which it counted (real instants
  in UTC; pauses are the gaps). Business elapsed time is the sum over spans of
  ``calendar.elapsed(span)``, so a pause removes exactly its own open time, never more.
* A priority change may move the *counting basis*: ``carried`` business time counted before
  ``basis_at`` plus the spans from ``basis_index`` on. ``restart`` carries nothing,
  ``keep_elapsed`` carries the old figure, ``from_creation`` re-measures every span with the
  new calendar (see :mod:`slakit.policies._priority_change`).
* Every deadline or firing is a *crossing*: the first running, open instant at which elapsed
  time reaches a threshold (:func:`crossing`). The due time is the crossing of the target, a
  75 % reminder the crossing of ``0.75 * target``. Computed with ``calendar.add`` from the
  current running point, so it is exact to the microsecond and pauses shift it exactly.
* Each span caches its elapsed time under the cycle's calendar, so crossing and elapsed cost
  one calendar call for the running span plus additions.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import attrs

from slakit._fast import build
from slakit.calendar import AlwaysOpen, Calendar
from slakit.calendar._indexed_calendar import IndexedCalendar
from slakit.policies import NamedCalendar

UTC = timezone.utc
ZERO = timedelta(0)
Span = tuple[datetime, datetime, timedelta]
"""``(start, end, elapsed under the cycle's calendar)``, instants in UTC."""


# slots=False, as for CycleState: a policy change records one per open clock, and a frozen
# class without slots is built about twice as fast.
@attrs.frozen(slots=False)
class TargetChange:
    """A change of a running cycle's target (priority change, policy change or reopen).

    ``mode`` is the priority-change mode applied (``stricter`` records which deadline won in
    ``kept``: ``"old"`` or ``"new"``; a deadline set by hand records ``"override"``, or
    ``"override_cleared"`` when handed back to the policy). Deadlines are those projected at
    the change instant.
    """

    at: datetime
    from_priority: str
    to_priority: str
    mode: str
    old_target: timedelta | None
    new_target: timedelta | None
    old_due: datetime | None
    new_due: datetime | None
    kept: Literal["old", "new"] = "new"
    reason: str | None = None
    """The reason given with a deadline set by hand (modes ``override`` and
    ``override_cleared``, see :mod:`slakit.sla._override`)."""


# slots=False on purpose: ``replace`` copies a cycle by copying its __dict__, several times
# faster than attrs.evolve (the fold copies a cycle on every event that touches it). The
# class is still frozen: attribute assignment raises.
@attrs.frozen(slots=False)
class CycleState:
    """The frozen state of one clock cycle (see the module docstring for the model)."""

    metric: str
    number: int
    started_at: datetime
    priority: str
    policy: str | None
    policy_version: str | None
    target: timedelta | None
    calendar: NamedCalendar | None
    basis_at: datetime
    carried: timedelta
    basis_index: int
    spans: tuple[Span, ...]
    counted: timedelta
    running_since: datetime | None
    ended_at: datetime | None = None
    outcome: Literal["met", "cancelled"] | None = None
    breached_at: datetime | None = None
    changes: tuple[TargetChange, ...] = ()
    stopped: tuple[tuple[datetime, datetime], ...] = ()
    """``[met, reopened)`` intervals: the cycle was met and not counting, and not paused."""
    override: tuple[datetime, str] | None = None
    """``(due_at in UTC, reason)`` while the deadline is one set by hand (see
    :mod:`slakit.sla._override`)."""

    @property
    def is_open(self) -> bool:
        """Not yet met or cancelled (running or paused)."""
        return self.ended_at is None

    @property
    def is_running(self) -> bool:
        """Counting right now (open and not paused)."""
        return self.running_since is not None


def replace(c: CycleState, **changes: Any) -> CycleState:
    """A copy of ``c`` with ``changes`` (field name -> value); a fast ``attrs.evolve``."""
    return build(CycleState, c.__dict__ | changes)


def new_cycle(
    metric: str,
    number: int,
    at: datetime,
    running: bool,
    priority: str,
    policy: tuple[str, str] | None,
    target: timedelta | None,
    calendar: NamedCalendar | None,
) -> CycleState:
    """A fresh cycle started at ``at`` (UTC), running unless the ticket is in a pause."""
    # Built field by field rather than through __init__: the fold starts a cycle for most
    # events, and the dict costs half as much. The keys are CycleState's fields, all of them
    # (a test compares this with the constructor).
    return build(CycleState, {
        "metric": metric, "number": number, "started_at": at, "priority": priority,
        "policy": None if policy is None else policy[0],
        "policy_version": None if policy is None else policy[1],
        "target": target, "calendar": calendar, "basis_at": at, "carried": ZERO,
        "basis_index": 0, "spans": (), "counted": ZERO,
        "running_since": at if running else None, "ended_at": None, "outcome": None,
        "breached_at": None, "changes": (), "stopped": (),
        "override": None,
    })


def _cal(c: CycleState) -> Calendar | None:
    return None if c.calendar is None else c.calendar.calendar


def close_span(c: CycleState, at: datetime, **changes: Any) -> CycleState:
    """Stop counting at ``at`` (a pause, or the end of the cycle), applying ``changes``."""
    start = c.running_since
    if start is None:
        return replace(c, **changes) if changes else c
    changes["running_since"] = None
    if at > start:
        cal = _cal(c)
        d = ZERO if cal is None else cal.elapsed(start, at)
        changes["spans"] = (*c.spans, (start, at, d))
        changes["counted"] = c.counted + d
    return build(CycleState, c.__dict__ | changes)


def resume(c: CycleState, at: datetime) -> CycleState:
    """Start counting again at ``at``."""
    return c if c.running_since is not None else replace(c, running_since=at)


def reopen(c: CycleState, at: datetime, running: bool) -> CycleState:
    """Set a met cycle going again at ``at``, elapsed time kept (the gap is recorded)."""
    gap = () if c.ended_at is None or at <= c.ended_at else ((c.ended_at, at),)
    return replace(c, ended_at=None, outcome=None, running_since=at if running else None,
                   stopped=(*stopped_of(c), *gap))


def stopped_of(c: CycleState) -> tuple[tuple[datetime, datetime], ...]:
    """The cycle's ``stopped`` intervals (a cycle pickled by an earlier release has none)."""
    found: tuple[tuple[datetime, datetime], ...] = c.__dict__.get("stopped", ())
    return found


def elapsed_at(c: CycleState, now: datetime) -> timedelta:
    """Business time counted up to ``now`` under the current basis (carried included)."""
    cal = _cal(c)
    if c.running_since is None or cal is None or now <= c.running_since:
        return c.counted
    return c.counted + cal.elapsed(c.running_since, now)


def elapsed_until(c: CycleState, t: datetime) -> timedelta | None:
    """Elapsed time at any instant ``t`` under the current basis (None before the basis)."""
    if t < c.basis_at:
        return None
    cal = _cal(c)
    if cal is None:
        return c.counted
    if c.running_since is not None and t >= c.running_since:
        if t == c.running_since:  # asked at the instant counting (re)started: common
            return c.counted
        return c.counted + cal.elapsed(c.running_since, t)
    acc = c.carried
    for start, end_, d in c.spans[c.basis_index:]:
        if end_ <= t:
            acc += d
        elif start < t:
            return acc + cal.elapsed(start, t)
        else:
            break
    return acc


def _add_utc(cal: Calendar, start: datetime, duration: timedelta) -> datetime:
    """``cal.add`` in UTC; slakit's own calendars skip the round trip through their zone."""
    # Only where ``add`` is slakit's own: a subclass that overrides it must be asked.
    if type(cal).add in _OWN_ADDS:
        result: datetime = cal._add_utc(start, duration)  # type: ignore[attr-defined]
        return result
    return cal.add(start, duration).astimezone(UTC)


_OWN_ADDS = frozenset({IndexedCalendar.add, AlwaysOpen.add})


def crossing(c: CycleState, threshold: timedelta) -> datetime | None:
    """The first running, open instant at which elapsed time reaches ``threshold``.

    None when it is not reached and the cycle is not running (paused or ended).
    """
    cal = _cal(c)
    if cal is None:
        return None
    acc = c.carried
    for start, _end, d in c.spans[c.basis_index:]:
        # Inside this span only if it has open time and the threshold falls within it (a
        # threshold already passed by carried time fires at the span's first open instant).
        if d and acc + d > threshold:
            return _add_utc(cal, start, max(threshold - acc, ZERO))
        acc += d
    if c.running_since is None:
        return None
    return _add_utc(cal, c.running_since, max(threshold - acc, ZERO))


def projected_due(c: CycleState, at: datetime) -> datetime | None:
    """The deadline as of ``at``, a paused cycle counting as if it resumed at ``at``."""
    if c.target is None or c.calendar is None:
        return None
    return crossing(c if c.running_since is not None else replace(c, running_since=at),
                    c.target)


def is_breached(c: CycleState, now: datetime) -> bool:
    """Whether the cycle is (or was, before a target change) past its target at ``now``."""
    if c.breached_at is not None:
        return True
    if c.target is None:
        return False
    end_at = now if c.ended_at is None else min(now, c.ended_at)
    return elapsed_at(c, end_at) > c.target


def retarget(
    c: CycleState,
    at: datetime,
    mode: str,
    priority: str,
    policy: tuple[str, str] | None,
    target: timedelta | None,
    calendar: NamedCalendar | None,
) -> CycleState:
    """Apply a new target to an open cycle at ``at`` with a priority-change ``mode``."""
    was_running = c.running_since is not None
    c = close_span(c, at)
    if c.breached_at is None and c.target is not None and c.counted > c.target:
        c = replace(c, breached_at=crossing(c, c.target))  # a breach is never undone
    old_due = projected_due(c, at)
    # A running cycle counts on from ``at`` under the new basis: set with the last copy.
    going_on: dict[str, Any] = {"running_since": at} if was_running else {}
    policy_name = None if policy is None else policy[0]
    policy_version = None if policy is None else policy[1]
    if target is None or calendar is None:
        change = TargetChange(at, c.priority, priority, mode, c.target, None, old_due, None)
        return replace(c, priority=priority, policy=policy_name, policy_version=policy_version,
                       target=None, changes=(*c.changes, change), **going_on)
    cal = calendar.calendar
    split = len(c.spans)
    judged = {"priority": priority, "policy": policy_name, "policy_version": policy_version,
              "target": target, "calendar": calendar}
    if mode == "restart":
        new = replace(c, basis_at=at, carried=ZERO, basis_index=split, counted=ZERO, **judged)
    elif mode in ("keep_elapsed", "stricter"):
        new = replace(c, basis_at=at, carried=c.counted, basis_index=split, counted=c.counted,
                      **judged)
    else:  # from_creation: judged as if the new target had applied since the cycle began
        spans = tuple((s, e, cal.elapsed(s, e)) for s, e, _ in c.spans)
        new = replace(c, basis_at=c.started_at, carried=ZERO, basis_index=0, spans=spans,
                      counted=sum((d for _, _, d in spans), ZERO), breached_at=None, **judged)
    if mode == "from_creation" and new.counted > target:
        new = replace(new, breached_at=crossing(new, target))
    new_due = projected_due(new, at)
    kept: Literal["old", "new"] = "new"
    if mode == "stricter" and old_due is not None and new_due is not None and old_due <= new_due:
        kept = "old"
        new = c  # the old deadline stands: only the priority moves (below)
        going_on["priority"] = priority
    change = TargetChange(at, c.priority, priority, mode, c.target, target, old_due, new_due, kept)
    return replace(new, changes=(*c.changes, change), **going_on)
