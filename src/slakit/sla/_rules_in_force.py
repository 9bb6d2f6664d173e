"""When each escalation rule is in force for a ticket, and when a threshold of it fires.

Design rules:

* A rule is *in force* while the chosen policy has it and the ticket's facts meet its
  condition. Most tickets keep the rule set they opened with: their
  ``SlaState.rules_in_force`` stays empty and evaluation reads ``SlaState.rules`` alone (the
  fast path). The first time a facts change, a policy change or a validity boundary changes
  the set, the state starts keeping, per metric, every rule that was ever in force with the
  intervals ``[start, end)`` it was (UTC; ``None``: since the opening, or still).
* A threshold fires at its crossing (see :mod:`slakit.sla._cycle`) when the rule is in force
  then. A threshold crossed before the rule came into force fires at once when it does: at
  the first instant from the start at which the cycle counts (running, calendar open), so
  never in the past of the change, never while paused, and once (the key is the same).
* A rule out of force fires nothing more, and a cycle that ended before a rule came into
  force is never judged by it; what a rule fired while in force stays fired (listed by
  ``due_escalations`` with its original instant).
* The threshold-to-fire map is non-decreasing, so walks over a rule's thresholds may stop
  at the first one that has not fired.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta

import attrs

from slakit.calendar import open_at_or_after
from slakit.policies import EscalationRule
from slakit.sla._cycle import UTC, CycleState, _cal, crossing

Interval = tuple[datetime | None, datetime | None]
"""``[start, end)`` in UTC; ``None`` for since the opening, or still in force."""
ALWAYS: tuple[Interval, ...] = ((None, None),)
"""The intervals of a rule in force since the opening and still."""


@attrs.frozen(slots=False)  # built per rule at each change of the rules: faster without slots
class RuleInForce:
    """One escalation rule and the intervals it was in force for one ticket."""

    rule: EscalationRule
    intervals: tuple[Interval, ...]

    @property
    def in_force(self) -> bool:
        """Whether the rule is in force now (its last interval is open)."""
        return self.intervals[-1][1] is None


RulesInForce = Mapping[str, tuple[RuleInForce, ...]]
"""Every rule ever in force for a ticket, by metric (empty: the opening's rules throughout)."""


def rules_with_intervals(
    rules: Mapping[str, tuple[EscalationRule, ...]],
    in_force: RulesInForce,
    metric: str,
) -> list[tuple[EscalationRule, tuple[Interval, ...] | None]]:
    """``metric``'s rules to evaluate, each with its intervals in force.

    ``None`` for a rule in force throughout: its thresholds fire at their plain crossings.
    """
    if in_force:
        return [(e.rule, None if e.intervals == ALWAYS else e.intervals)
                for e in in_force.get(metric, ())]
    return [(rule, None) for rule in rules.get(metric, ())]


def changed_rules(
    before: Mapping[str, tuple[EscalationRule, ...]],
    history: RulesInForce,
    after: Mapping[str, tuple[EscalationRule, ...]],
    at: datetime,
) -> RulesInForce:
    """The history once the rules in force change from ``before`` to ``after`` at ``at``."""
    if after is before or dict(after) == dict(before):
        return history
    if not history:
        history = {metric: tuple(RuleInForce(rule, ALWAYS) for rule in rules)
                   for metric, rules in before.items()}
    out: dict[str, tuple[RuleInForce, ...]] = {}
    for metric in {*history, *after}:
        now_in = after.get(metric, ())
        kept: list[RuleInForce] = []
        # Rules compare by value (tuple membership tries identity first), never by hash:
        # hashing a rule hashes its whole condition.
        for entry in history.get(metric, ()):
            start, end = entry.intervals[-1]
            if end is None and entry.rule not in now_in:
                entry = RuleInForce(entry.rule, (*entry.intervals[:-1], (start, at)))
            elif end is not None and entry.rule in now_in:
                entry = RuleInForce(entry.rule, (*entry.intervals, (at, None)))
            kept.append(entry)
        known = tuple(entry.rule for entry in kept)
        kept += [RuleInForce(rule, ((at, None),)) for rule in now_in if rule not in known]
        out[metric] = tuple(kept)
    return out


def counting_from(c: CycleState, at: datetime) -> datetime | None:
    """The first instant at or after ``at`` at which the cycle counts (running, open).

    None when it does not count from ``at`` on (ended, or paused since).
    """
    cal = _cal(c)
    if cal is None:
        return None
    for start, end, _elapsed in c.spans:
        if end <= at:
            continue
        t = open_at_or_after(cal, max(start, at))
        if t < end:
            return t.astimezone(UTC)
    if c.running_since is None:
        return None
    return open_at_or_after(cal, max(c.running_since, at)).astimezone(UTC)


def settled_by(c: CycleState, intervals: tuple[Interval, ...], at: datetime) -> bool:
    """Whether every threshold of the rule crossed by ``at`` fired by ``at`` (or never will).

    True when the rule came into force last before the cycle counted up to ``at``: then a
    threshold crossed before its start fired (at the first counting instant from it) by
    ``at``, and one crossed later fires at its crossing, as if the rule had always been in
    force. So from ``at`` on the rule needs no clamping (the fast paths apply).
    """
    start = intervals[-1][0]
    if start is None or start <= c.started_at:
        return True
    first = counting_from(c, start)
    return first is None or first <= at


def all_settled(c: CycleState, entries: Iterable[RuleInForce], at: datetime) -> bool:
    """Whether every rule of ``entries`` in force now is settled by ``at`` (see settled_by).

    The rules a change brought into force share its instant as their start, and whether a
    rule is settled depends on its start alone: each start is tested once, not per rule.
    """
    passed: datetime | None = None
    for entry in entries:
        start, end = entry.intervals[-1]
        if end is not None or start is None or start == passed or start <= c.started_at:
            continue
        first = counting_from(c, start)
        if first is not None and first > at:
            return False
        passed = start
    return True


def fire_in_force(
    c: CycleState, threshold: timedelta, intervals: tuple[Interval, ...]
) -> datetime | None:
    """When ``threshold`` fires for a rule in force over ``intervals`` (see the module rules).

    None when it has not fired and will not without new events.
    """
    at = crossing(c, threshold)
    if at is None:
        return None
    for start, end in intervals:
        if end is not None and at >= end:
            continue  # crossed after this interval: maybe in a later one
        if start is None or at >= start:
            return at
        first = counting_from(c, start)
        if first is None:
            return None
        if end is None or first < end:
            return first
    return None


def next_in_force(
    c: CycleState,
    entries: tuple[RuleInForce, ...],
    now_u: datetime,
    fired: Callable[[EscalationRule, int], bool],
) -> datetime | None:
    """The first instant after ``now_u`` at which ``c`` breaches or fires one of ``entries``.

    ``fired(rule, occurrence)`` tells the occurrences the host already acted on (skipped).
    """
    assert c.target is not None
    best = crossing(c, c.target)
    if best is not None and best <= now_u:
        best = None
    for entry in entries:
        rule = entry.rule
        thresholds = (_every_from(rule, c, entry.intervals, now_u)
                      if rule.trigger.kind == "every" else rule.trigger.thresholds(c.target))
        for k, threshold in thresholds:
            fire = fire_in_force(c, threshold, entry.intervals)
            if fire is None or (best is not None and fire >= best):
                break
            if fire > now_u and not fired(rule, k):
                best = fire
                break
    return best


def _every_from(
    rule: EscalationRule, c: CycleState, intervals: tuple[Interval, ...], now_u: datetime
) -> Iterator[tuple[int, timedelta]]:
    """A periodic rule's thresholds from the last one that fired by ``now_u``.

    Fire instants do not decrease with the threshold, so the earlier ones are skipped by
    bisection rather than walked.
    """
    trig = rule.trigger
    assert c.target is not None
    base = c.target if trig.after_breach else timedelta(0)

    def fired_by_now(k: int) -> bool:
        fire = fire_in_force(c, base + trig.offset * k, intervals)
        return fire is not None and fire <= now_u

    lo, hi = 1, 1
    while trig.limit is None or hi <= trig.limit:  # double until one has not fired
        if not fired_by_now(hi):
            break
        lo, hi = hi, hi * 2
    else:
        hi = trig.limit + 1
    while lo < hi:  # the first occurrence in [lo, hi] not fired by now
        mid = (lo + hi) // 2
        if fired_by_now(mid):
            lo = mid + 1
        else:
            hi = mid
    k = max(1, lo - 1)  # from the last fired one: the host may not have acted on it
    while trig.limit is None or k <= trig.limit:
        yield k, base + trig.offset * k
        k += 1
