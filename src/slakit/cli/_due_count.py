"""How many escalations are due for a ticket, counted without building them.

A replay reports one number per ticket: the escalation decisions due by ``now``. Building
each :class:`~slakit.sla.EscalationDecision` to count them costs memory that follows the
number of firings: a per-second reminder on a month-old ticket is millions of objects.

Design rules:

* The count walks the same thresholds and the same crossing instants as
  :func:`slakit.sla.due_escalations`, so it equals ``len(due_escalations(state, now))``
  (tested against it), in constant memory.
* The walk stops at ``cap`` per ticket; a capped count is flagged, never passed off as exact.
* Sub-minute repeats are refused when the policy is loaded (:func:`fast_repeats`) unless the
  user asks for them: they are almost always a typo (``PT1S`` for ``PT1M``) and cost a
  crossing computation per occurrence.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from slakit._message import Message
from slakit.policies import PolicySet
from slakit.sla import SlaState
from slakit.sla._cycle import ZERO, crossing, elapsed_until
from slakit.sla._now import utc_now
from slakit.sla._rules_in_force import fire_in_force, rules_with_intervals

DEFAULT_CAP = 100_000
"""Due escalations counted per ticket before the count stops (and is flagged)."""

MIN_REPEAT = timedelta(minutes=1)
"""The shortest ``every`` interval accepted without ``--allow-fast-repeats``."""


def count_due(state: SlaState, now: datetime, cap: int = DEFAULT_CAP) -> tuple[int, bool]:
    """``(count, capped)``: decisions due by ``now``, stopping at ``cap``."""
    now_u = utc_now(now)
    total = 0
    in_force = state.rules_in_force
    for clock in state.clocks:
        rules = rules_with_intervals(state.rules, in_force, clock.metric)
        if not rules:
            continue
        for c in clock.cycles:
            if c.target is None or c.calendar is None:
                continue
            hi = elapsed_until(c, now_u) or ZERO
            for rule, intervals in rules:
                for _k, threshold in rule.trigger.thresholds(c.target):
                    if threshold > hi:
                        break
                    fire = (crossing(c, threshold) if intervals is None
                            else fire_in_force(c, threshold, intervals))
                    if fire is None or fire > now_u:
                        break
                    total += 1
                    if total >= cap:
                        return total, True
    return total, False


def fast_repeats(policies: PolicySet) -> list[str]:
    """Every ``every`` rule repeating more often than :data:`MIN_REPEAT`, described."""
    found: list[str] = []
    for policy in (*policies.policies, policies.fallback):
        if policy is None:
            continue
        for rule in policy.escalations:
            trig = rule.trigger
            if trig.kind == "every" and trig.offset < MIN_REPEAT:
                found.append(Message("policy {policy!r}, rule {rule!r}: every {offset}",
                                     policy=policy.name, rule=rule.name, offset=trig.offset))
    return found
