"""Escalation decisions and the exact next wake-up time.

Design rules:

* A rule fires at the *crossing* of its threshold (see :mod:`slakit.sla._cycle`): the first
  running, open instant at which the cycle's business elapsed time reaches it. So a reminder
  never fires while the clock is paused, never after it is met, and a pause pushes it later
  by exactly the pause.
* Idempotency is by key, not by memory: every decision carries
  ``key = "ticket/metric/cycle/rule/occurrence"``, stable however often and whenever the host
  evaluates. :func:`due_escalations` returns every decision due by ``now`` whose key is not in
  ``already_fired`` (and, with ``since``, that fired after the host's previous evaluation), so a
  host that records the keys it acted on gets each decision exactly once per cycle.
* A target change (priority change) moves thresholds; a threshold already passed under the
  new target fires at once (at the first running instant of the new basis), once: the key
  does not change with the target. ``from_creation`` re-measures the cycle from its start,
  so there a threshold the new target puts in the past fires at that past instant.
* A rule fires only while it is in force: one that a facts or policy change brings into
  force fires a threshold already passed at once (the first counting instant from the
  change), and none for cycles that ended before (see :mod:`slakit.sla._rules_in_force`).
* :func:`next_wake_at` is the first instant strictly after ``now`` at which a decision would
  fire or a running clock would breach; the host schedules one job there instead of polling.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime, timedelta, tzinfo

from slakit._fast import remember
from slakit.i18n import translator
from slakit.policies import EscalationRule, Trigger
from slakit.sla._cycle import UTC, ZERO, crossing, elapsed_until
from slakit.sla._decision import EscalationDecision, escalation_key, reason
from slakit.sla._engine import ClockState, SlaState, ThresholdCache, WakeMemo
from slakit.sla._now import state_now, utc_now
from slakit.sla._rules_in_force import (
    RuleInForce,
    all_settled,
    fire_in_force,
    next_in_force,
    rules_with_intervals,
    settled_by,
)


def _thresholds(
    rule: EscalationRule, target: timedelta, from_elapsed: timedelta | None
) -> Iterator[tuple[int, timedelta]] | tuple[tuple[int, timedelta]]:
    trig = rule.trigger
    kind = trig.kind
    if kind == "fraction":
        return ((1, target * trig.fraction),)
    if kind == "before_due":
        return ((1, max(target - trig.offset, ZERO)),)
    if kind == "after_breach":
        return ((1, target + trig.offset),)
    return _every(trig, target, from_elapsed)


def _every(
    trig: Trigger, target: timedelta, from_elapsed: timedelta | None
) -> Iterator[tuple[int, timedelta]]:
    # Start at the last occurrence at or below ``from_elapsed`` instead of walking every
    # one since the cycle started.
    base = target if trig.after_breach else ZERO
    k = 1 if from_elapsed is None else max(1, (from_elapsed - base) // trig.offset)
    while trig.limit is None or k <= trig.limit:
        yield k, base + trig.offset * k
        k += 1


def _check_now(state: SlaState, now: datetime) -> datetime:
    return state_now(now, state._event_at, state.last_event_at)


def due_escalations(
    state: SlaState,
    now: datetime,
    *,
    since: datetime | None = None,
    already_fired: Collection[str] = frozenset(),
    lang: str = "en",
) -> tuple[EscalationDecision, ...]:
    """Decisions that fired by ``now`` (after ``since``, if given), minus ``already_fired``.

    Each decision's ``reason`` is written in ``lang`` (``"en"`` or ``"zh-CN"``).

    ``since`` is typically the host's previous evaluation: only decisions firing strictly
    after it are returned, which also keeps the work proportional to what is new. Exactly
    once is the key's job: a priority change moves thresholds, so after one a decision
    already handed out can fire again after ``since``; pass the keys acted on as
    ``already_fired`` too. Sorted by fire time, then key.

    Raises:
        NaiveDatetimeError: ``now`` or ``since`` is naive.
        SlaInputError: ``now`` is before the last folded event.
        UnknownLanguageError: ``lang`` is not a language slakit speaks.
    """
    tr = translator(lang)
    now_u = _check_now(state, now)
    since_u = None if since is None else utc_now(since, "since")
    rules_by_metric = state.rules
    memo = state._wake_memo
    if (since_u is None or memo is None or memo.at > since_u or memo.rules is not rules_by_metric
            or len(memo.clocks) != len(state.clocks)):
        memo = None
    in_force = state.rules_in_force
    out: list[EscalationDecision] = []
    for i, clock in enumerate(state.clocks):
        if not (in_force or rules_by_metric.get(clock.metric)):
            continue  # no rule for this clock (tested before building the list: common)
        if memo is not None and memo.clocks[i] is clock:
            # next_wake_at found, at or before ``since``, this clock's first firing after
            # it; the clock is unchanged since, so nothing fires in (since, now] before it.
            fire = memo.fires[i]
            if fire is None or fire > now_u:
                continue
        rules = rules_with_intervals(rules_by_metric, in_force, clock.metric)
        if not rules:
            continue
        for c in clock.cycles:
            if c.target is None or c.calendar is None:
                continue
            if since_u is not None and c.ended_at is not None and c.ended_at <= since_u:
                continue
            # Thresholds above the elapsed time at ``now`` cannot have fired; those below the
            # elapsed time at ``since`` fired before it, as long as elapsed time grew
            # continuously. A target change can carry time over in one jump (a downgrade that
            # lands past every threshold fires them all when counting resumes, possibly after
            # ``since``), so then every threshold is checked by its crossing instant.
            # A rule that came into force late fires a passed threshold when it did, so
            # there too every threshold is checked.
            hi = elapsed_until(c, now_u) or ZERO
            lo_all = None if since_u is None or c.changes else elapsed_until(c, since_u)
            for rule, intervals in rules:
                lo = lo_all
                if (intervals is not None and since_u is not None
                        and not settled_by(c, intervals, since_u)):
                    lo = None
                for k, threshold in _thresholds(rule, c.target, lo):
                    if threshold > hi:
                        break
                    if lo is not None and threshold < lo:
                        continue
                    fire = (crossing(c, threshold) if intervals is None
                            else fire_in_force(c, threshold, intervals))
                    if fire is None or fire > now_u:
                        break
                    if since_u is not None and fire <= since_u:
                        continue
                    key = escalation_key(state.ticket, c.metric, c.number, rule.name, k)
                    if key in already_fired:
                        continue
                    out.append(EscalationDecision(
                        key, state.ticket, c.metric, c.number, rule.name, rule.level, k,
                        fire.astimezone(c.calendar.calendar.zone), rule.actions,
                        reason(rule, c, k, tr), c.priority, c.policy, c.policy_version,
                    ))
    out.sort(key=lambda d: (d.fire_at.astimezone(UTC), d.key))
    return tuple(out)


def next_wake_at(
    state: SlaState, now: datetime, *, already_fired: Collection[str] = frozenset()
) -> datetime | None:
    """The first instant after ``now`` at which a decision fires or a running clock breaches.

    None when nothing is scheduled (every clock met, paused or untargeted). Paused clocks
    wake nobody: the event that resumes them is the host's cue to call again. Decisions
    already due at ``now`` are :func:`due_escalations`' business, not a wake-up.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        SlaInputError: ``now`` is before the last folded event.
    """
    now_u = _check_now(state, now)
    clocks = state.clocks
    rules = state.rules
    if already_fired:
        return _earliest(state, [_clock_next(state.ticket, clock, rules, now_u, already_fired,
                                             state._thresholds, state.rules_in_force)
                                 for clock in clocks])
    memo = state._wake_memo
    if (memo is None or memo.at > now_u or memo.rules is not rules
            or len(memo.clocks) != len(clocks)):
        memo = None
    elif memo.clocks is clocks and (memo.soonest is None or memo.soonest > now_u):
        return memo.answer  # nothing changed and nothing came due since it was found
    # A cycle is an immutable value: its next instant, found at an earlier ``now``, holds
    # until it passes. Only the clocks the last events replaced (or whose instant has
    # passed) are computed again, so a host calling after every event pays for what the
    # event touched, not for every clock.
    ticket = state.ticket
    cache = state._thresholds
    in_force = state.rules_in_force
    fires: list[datetime | None] = []
    soonest = None
    none = (None,) * len(clocks)
    known = zip(clocks, none, none, strict=True) if memo is None else zip(
        clocks, memo.clocks, memo.fires, strict=True)
    for clock, was, fire in known:
        if clock is not was:
            cycles = clock.cycles
            if not cycles or cycles[-1].running_since is None or cycles[-1].target is None:
                fire = None  # not started, met, cancelled, paused or untargeted: wakes nobody
            else:
                fire = _clock_next(ticket, clock, rules, now_u, (), cache, in_force)
        elif fire is not None and fire <= now_u:
            fire = _clock_next(ticket, clock, rules, now_u, (), cache, in_force)
        fires.append(fire)
        if fire is not None and (soonest is None or fire < soonest):
            soonest = fire
    answer = None
    if soonest is not None:
        zone = _zone(state)
        if memo is not None and soonest is memo.soonest:
            answer = memo.answer  # the same instant as last time: no zone conversion
        if answer is None or answer.tzinfo is not zone:
            answer = soonest.astimezone(zone)
    remember(state, "_wake_memo", WakeMemo(clocks, rules, now_u, fires, soonest, answer))
    return answer


def _earliest(state: SlaState, fires: list[datetime | None]) -> datetime | None:
    """The earliest of ``fires``, in the zone the answer is given in."""
    best: datetime | None = None
    for fire in fires:
        if fire is not None and (best is None or fire < best):
            best = fire
    return None if best is None else best.astimezone(_zone(state))


def _clock_next(
    ticket: str,
    clock: ClockState,
    rules_by_metric: Mapping[str, tuple[EscalationRule, ...]],
    now_u: datetime,
    already_fired: Collection[str],
    cache: ThresholdCache | None,
    in_force: Mapping[str, tuple[RuleInForce, ...]],
) -> datetime | None:
    """The first instant after ``now_u`` at which the clock's cycle fires a rule or breaches."""
    if not clock.cycles:
        return None
    c = clock.cycles[-1]
    if c.running_since is None or c.target is None:
        return None
    if in_force:
        entries = in_force.get(c.metric, ())
        # The rules in force now are ``rules_by_metric``'s; once each has been since before
        # the clock last counted, their next firing is their next crossing (the fast path).
        if already_fired or not all_settled(c, entries, now_u):
            return next_in_force(c, entries, now_u, lambda rule, k: bool(
                already_fired) and escalation_key(ticket, c.metric, c.number, rule.name, k)
                in already_fired)
    rules = rules_by_metric.get(c.metric, ())
    hi = elapsed_until(c, now_u) or ZERO
    # A target change can carry elapsed time over in one jump: thresholds it jumped
    # past fire when counting resumes, which may still be ahead of ``now``. Then every
    # threshold up to ``hi`` is a candidate too, not only those above it.
    floor = ZERO if c.changes else hi
    # Every threshold still ahead, the deadline included; crossings grow with the
    # threshold, so the smallest one not yet fired gives this clock's next instant.
    once, names, periodic = _fixed_thresholds(rules, c.target, cache)
    if already_fired:
        ahead = [threshold for threshold, name in zip(once, names, strict=True)
                 if threshold >= floor and (name is None or escalation_key(
                     ticket, c.metric, c.number, name, 1) not in already_fired)]
    else:
        ahead = list(once[bisect_left(once, floor):])
    for rule in periodic:
        taken = 0
        for k, threshold in _every(rule.trigger, c.target, None if c.changes else hi):
            if threshold < floor or (already_fired and escalation_key(
                    ticket, c.metric, c.number, rule.name, k) in already_fired):
                continue
            ahead.append(threshold)
            if threshold >= hi:
                taken += 1
                if taken == 2:  # the boundary one may already be due: keep one spare
                    break
    if periodic:
        ahead.sort()
    for threshold in ahead:
        fire = crossing(c, threshold)
        if fire is not None and fire > now_u:
            return fire
    return None


_ONCE = frozenset({"fraction", "before_due", "after_breach"})
"""Trigger kinds with one threshold per cycle (see :func:`_thresholds`)."""
_FIXED_LIMIT = 4096
"""Distinct (rules, target) pairs an engine's threshold cache holds; past this it starts
again rather than grow without bound."""


def _fixed_thresholds(
    rules: tuple[EscalationRule, ...], target: timedelta, cache: ThresholdCache | None
) -> tuple[tuple[timedelta, ...], tuple[str | None, ...], tuple[EscalationRule, ...]]:
    """The thresholds of a cycle's deadline and of its once-per-cycle rules, and the others.

    Returns the thresholds sorted, the name of the rule of each (None for the deadline),
    and the periodic rules. They depend on the rules and the target alone, which take few
    distinct values, and next_wake_at needs them for every cycle it computes: ``cache`` is
    the engine's (see :class:`SlaEngine`), None for a state no engine folded here.
    """
    if cache is None:
        cache = {}
    key = (id(rules), target)  # the entry keeps ``rules`` alive, so the id stays theirs
    found = cache.get(key)
    if found is None:
        if len(cache) >= _FIXED_LIMIT:
            cache.clear()
        pairs: list[tuple[timedelta, str | None]] = [(target, None)]
        for rule in rules:
            if rule.trigger.kind in _ONCE:
                pairs += [(t, rule.name) for _, t in _thresholds(rule, target, None)]
        pairs.sort(key=lambda pair: pair[0])
        periodic = tuple(rule for rule in rules if rule.trigger.kind not in _ONCE)
        found = cache[key] = (rules, tuple(t for t, _ in pairs), tuple(n for _, n in pairs),
                               periodic)
    return found[1], found[2], found[3]


def _zone(state: SlaState) -> tzinfo:
    for clock in state.clocks:
        cycles = clock.cycles
        if cycles and cycles[-1].calendar is not None:
            return cycles[-1].calendar.calendar.zone
    return UTC
