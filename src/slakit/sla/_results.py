"""Clock results at an instant, with the machine-readable explanation of every figure.

A :class:`ClockResult` is a view of a :class:`~slakit.sla.CycleState` at ``now``: nothing is
stored, so the same state evaluated at the same ``now`` always gives the same figures. Status
values (:data:`ClockStatus`):

* ``pending``: the policy sets a target but the clock has not started (e.g. no customer reply
  yet for ``next_response``);
* ``running`` / ``paused``: open and within target;
* ``breached``: open (running or paused) and past target; a breach that happened before a
  priority change stays a breach;
* ``met`` / ``breached_then_met``: stopped on time / late;
* ``cancelled``: the ticket was cancelled or closed while the clock ran (``breached_at``
  still tells whether it had been breached).

Breach means *business elapsed time > target*: a clock met exactly at its due time is met.

This module sits below :mod:`slakit.sla._engine` (the engine imports it, never the other way):
:func:`evaluate_clocks` reads a state through the small :class:`EvaluatedState` protocol.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

import attrs

from slakit.calendar import Period
from slakit.policies import PolicyChoice, TicketFacts
from slakit.sla._cycle import (
    UTC,
    ZERO,
    CycleState,
    TargetChange,
    crossing,
    elapsed_at,
    is_breached,
    replace,
    stopped_of,
)
from slakit.sla._now import state_now

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

ClockStatus = Literal[
    "pending", "running", "paused", "met", "breached", "breached_then_met", "cancelled"
]


@attrs.frozen
class ClockExplanation:
    """Why a clock shows what it shows.

    Attributes:
        counted: open (business) time counted towards the target, under the current basis.
        closed: time the clock ran but the calendar was closed (nights, weekends, holidays).
        paused: time the clock was paused by a pausing workflow status.
        stopped: time between the cycle being met (resolved) and reopened: neither counted
            nor paused.
        carried: business time carried over from before a priority change (``keep_elapsed``).
        not_counted: running time before the current counting basis (discarded by a
            ``restart``, or summarised by ``carried``).
        changes: the target changes, with the deadlines before and after each.

    ``elapsed == carried + sum(p.duration for p in counted)`` always holds.
    """

    counted: tuple[Period, ...]
    closed: tuple[Period, ...]
    paused: tuple[Period, ...]
    carried: timedelta
    not_counted: tuple[Period, ...]
    changes: tuple[TargetChange, ...]
    stopped: tuple[Period, ...] = ()


@attrs.frozen
class ClockResult:
    """The figures of one metric's cycle at an instant. Instants are in the calendar's zone.

    ``remaining`` is negative once the target is exceeded; ``paused_for`` is real (wall)
    time spent paused, ``stopped_for`` real time between a resolution and a reopen;
    ``policy``/``policy_version`` and ``calendar``/``calendar_version`` name what the cycle
    was judged by. ``status`` says where the clock stands (see the module docstring); "state"
    in slakit names the frozen values a fold produces (``SlaState``).
    """

    ticket: str
    metric: str
    cycle: int
    status: ClockStatus
    priority: str
    policy: str | None
    policy_version: str | None
    calendar: str | None
    calendar_version: str | None
    target: timedelta | None
    started_at: datetime | None
    due_at: datetime | None
    ended_at: datetime | None
    breached_at: datetime | None
    elapsed: timedelta
    remaining: timedelta | None
    paused_for: timedelta
    explanation: ClockExplanation | None = None
    stopped_for: timedelta = timedelta(0)
    judged_priority: str | None = None
    """The priority whose target the cycle is judged by: ``priority`` unless a ``stricter``
    change (or a deadline set by hand) kept an earlier priority's deadline. Reports group
    clocks by it (None only in results built by hand: read ``priority``)."""

    @property
    def state(self) -> ClockStatus:
        """Deprecated name of :attr:`status` (see ``CHANGELOG.md``)."""
        warnings.warn("ClockResult.state is now ClockResult.status (see CHANGELOG.md)",
                      DeprecationWarning, stacklevel=2)
        return self.status


def _local(t: datetime | None, zone: ZoneInfo | None) -> datetime | None:
    return None if t is None else t.astimezone(zone or UTC)


def _status(c: CycleState, breached: bool) -> ClockStatus:
    if c.outcome == "met":
        return "breached_then_met" if breached else "met"
    if c.outcome == "cancelled":
        return "cancelled"
    if breached:
        return "breached"
    return "running" if c.running_since is not None else "paused"


def _running_spans(c: CycleState, until: datetime) -> list[tuple[datetime, datetime]]:
    spans = [(s, e) for s, e, _ in c.spans]
    if c.running_since is not None and until > c.running_since:
        spans.append((c.running_since, until))
    return spans


def judged_priority(c: CycleState) -> str:
    """The priority whose target ``c`` is judged by (see :attr:`ClockResult.judged_priority`)."""
    judged = c.changes[0].from_priority if c.changes else c.priority
    for ch in c.changes:
        if ch.kept == "new":  # a set deadline is the ticket's priority's when it was set
            judged = ch.to_priority
    return judged


def deadline_and_breach(
    c: CycleState, elapsed: timedelta
) -> tuple[datetime | None, datetime | None]:
    """Cycle ``c``'s deadline and breach instant (UTC), ``elapsed`` counted by ``until``.

    ``until`` being ``now``, or the cycle's end if it ended before. The two figures of a
    :class:`ClockResult` a desk's decision reads, without the rest (the desk judges
    thousands of fired cycles per wake-up).
    """
    if c.target is None:
        return None, None
    due = crossing(c, c.target)
    if due is None and c.ended_at is not None:  # met in time: its deadline as it stood
        due = crossing(replace(c, running_since=c.ended_at), c.target)
    return due, c.breached_at or (due if elapsed > c.target else None)


def result_of(c: CycleState, ticket: str, now: datetime, explain: bool = False) -> ClockResult:
    """The figures of cycle ``c`` at ``now``."""
    until = now if c.ended_at is None else min(now, c.ended_at)
    elapsed = elapsed_at(c, until)
    zone = None if c.calendar is None else c.calendar.calendar.zone
    due, breached_at = deadline_and_breach(c, elapsed)
    spans = _running_spans(c, until)
    running_real = sum((e - s for s, e in spans), ZERO)
    stopped = [(s, min(e, until)) for s, e in stopped_of(c) if s < until]
    stopped_real = sum((e - s for s, e in stopped), ZERO)
    return ClockResult(
        ticket=ticket,
        metric=c.metric,
        cycle=c.number,
        status=_status(c, is_breached(c, until)),
        priority=c.priority,
        policy=c.policy,
        policy_version=c.policy_version,
        calendar=None if c.calendar is None else c.calendar.name,
        calendar_version=None if c.calendar is None else c.calendar.version,
        target=c.target,
        started_at=_local(c.started_at, zone),
        due_at=_local(due, zone),
        ended_at=_local(c.ended_at, zone),
        breached_at=_local(breached_at, zone),
        elapsed=elapsed,
        remaining=None if c.target is None else c.target - elapsed,
        paused_for=max(until - c.started_at, ZERO) - running_real - stopped_real,
        explanation=_explain(c, spans, until, zone) if explain else None,
        stopped_for=stopped_real,
        judged_priority=judged_priority(c),
    )


def _explain(
    c: CycleState, spans: list[tuple[datetime, datetime]], until: datetime, zone: ZoneInfo | None
) -> ClockExplanation:
    def period(s: datetime, e: datetime) -> Period:
        return Period(s.astimezone(zone or UTC), e.astimezone(zone or UTC))

    counted: list[Period] = []
    closed: list[Period] = []
    not_counted = [period(s, e) for s, e in spans[: c.basis_index] if e > s]
    cal = None if c.calendar is None else c.calendar.calendar
    for s, e in spans[c.basis_index:]:
        cursor = s
        for p in ([] if cal is None else cal.periods(s, e)):
            ps, pe = p.start.astimezone(UTC), p.end.astimezone(UTC)
            if ps > cursor:
                closed.append(period(cursor, ps))
            counted.append(period(ps, pe))
            cursor = pe
        if e > cursor:
            closed.append(period(cursor, e))
    paused: list[Period] = []
    stops = [(s, min(e, until)) for s, e in stopped_of(c) if s < until]
    cursor = c.started_at
    for s, e in sorted([*spans, *stops]):  # a stop is neither running nor paused
        if s > cursor:
            paused.append(period(cursor, s))
        cursor = max(cursor, e)
    if until > cursor and c.running_since is None:
        paused.append(period(cursor, until))
    changes = tuple(
        attrs.evolve(ch, at=ch.at.astimezone(zone or UTC), old_due=_local(ch.old_due, zone),
                     new_due=_local(ch.new_due, zone))
        for ch in c.changes
    )
    return ClockExplanation(_merged(counted), _merged(closed), tuple(paused), c.carried,
                            _merged(not_counted), changes,
                            tuple(period(s, e) for s, e in stops if e > s))


def _merged(periods: list[Period]) -> tuple[Period, ...]:
    # Spans are split at pauses and target changes; touching pieces read better as one.
    out: list[Period] = []
    for p in periods:
        if out and out[-1].end == p.start:
            out[-1] = Period(out[-1].start, p.end)
        else:
            out.append(p)
    return tuple(out)


class EvaluatedClock(Protocol):
    """What :func:`evaluate_clocks` reads of one clock (a :class:`slakit.sla.ClockState`)."""

    @property
    def metric(self) -> str: ...

    @property
    def cycles(self) -> tuple[CycleState, ...]: ...


class EvaluatedState(Protocol):
    """What :func:`evaluate_clocks` reads of a ticket's state (a :class:`slakit.sla.SlaState`)."""

    @property
    def ticket(self) -> str: ...

    @property
    def facts(self) -> TicketFacts: ...

    @property
    def choice(self) -> PolicyChoice: ...

    @property
    def clocks(self) -> Sequence[EvaluatedClock]: ...

    @property
    def last_event_at(self) -> datetime: ...


def evaluate_clocks(
    state: EvaluatedState, now: datetime, *, explain: bool = False, include_untargeted: bool = False
) -> tuple[ClockResult, ...]:
    """Every clock's figures at ``now``: one result per cycle, ``pending`` for unstarted ones.

    Cycles without a target (their metric has none for the ticket's priority) are left out
    unless ``include_untargeted``.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        SlaInputError: ``now`` is earlier than the last folded event.
    """
    now_utc = state_now(now, getattr(state, "_event_at", None), state.last_event_at)
    out: list[ClockResult] = []
    policy = state.choice.policy
    for clock in state.clocks:
        if not clock.cycles:
            target = None if policy is None else policy.target_for(
                clock.metric, state.facts.priority, state.last_event_at)
            if target is not None:
                out.append(ClockResult(
                    state.ticket, clock.metric, 0, "pending", state.facts.priority,
                    policy.name if policy else None, policy.version if policy else None,
                    target.calendar.name, target.calendar.version,
                    target.budget(state.last_event_at), None, None, None, None, ZERO,
                    target.budget(state.last_event_at), ZERO,
                    judged_priority=state.facts.priority,
                ))
            continue
        for c in clock.cycles:
            if c.target is None and not include_untargeted:
                continue
            out.append(result_of(c, state.ticket, now_utc, explain))
    return tuple(out)
