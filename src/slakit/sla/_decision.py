"""What an escalation decision is: its fields, its idempotency key and its sentence.

Design rules:

* A decision is a frozen value the host acts on; slakit executes none of its actions.
* The key ``"ticket/metric/cycle/rule/occurrence"`` is the whole of its identity for
  exactly-once delivery (see :mod:`slakit.sla._escalation`): it does not change with the
  target, the policy version or the language of ``reason``.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from slakit.i18n import Translator, metric_label
from slakit.policies import EscalationAction, EscalationRule, Trigger
from slakit.sla._cycle import CycleState


@attrs.frozen
class EscalationDecision:
    """Something the host should do now, for a reason, exactly once (by ``key``).

    Attributes:
        key: ``"ticket/metric/cycle/rule/occurrence"``; deduplicate on it.
        fire_at: the exact instant the rule fired (in the cycle calendar's zone).
        actions: what to do (notify, reassign, raise priority); slakit does none of it.
        reason: a sentence for the notification or the audit log.
    """

    key: str
    ticket: str
    metric: str
    cycle: int
    rule: str
    level: int
    occurrence: int
    fire_at: datetime
    actions: tuple[EscalationAction, ...]
    reason: str
    priority: str
    policy: str | None
    policy_version: str | None


def escalation_key(ticket: str, metric: str, cycle: int, rule: str, occurrence: int) -> str:
    """The idempotency key of a decision.

    >>> escalation_key("T-1", "resolution", 1, "ladder/2", 1)
    'T-1/resolution/1/ladder/2/1'
    """
    return f"{ticket}/{metric}/{cycle}/{rule}/{occurrence}"


def reason(rule: EscalationRule, c: CycleState, occurrence: int, tr: Translator) -> str:
    """The decision's sentence: which clock, which threshold, in ``tr``'s language.

    The sentence's shape depends on the language and the rule's trigger kind and level
    alone, so its template is made once per translator (see :func:`sentence`) and each
    decision fills in its values (a test compares the two for every shape).
    """
    trig = rule.trigger
    template = tr.cached(("reason", trig.kind, trig.after_breach, not trig.offset, rule.level),
                         _template, tr, trig, rule.level)
    return template.format(
        metric=metric_label(tr, c.metric), cycle=c.number, target=c.target,
        fraction=f"{trig.fraction:.0%}" if trig.kind == "fraction" else "",
        offset=trig.offset, n=occurrence)


def _template(tr: Translator, trig: Trigger, level: int) -> str:
    """:func:`sentence` with each value its own placeholder: what :func:`reason` fills in."""
    return sentence(tr, trig, level, metric="{metric}", cycle="{cycle}", target="{target}",
                    fraction="{fraction}", offset="{offset}", n="{n}")


def sentence(
    tr: Translator, trig: Trigger, level: int, *, metric: object, cycle: object,
    target: object, fraction: object, offset: object, n: object,
) -> str:
    """A decision's sentence for ``trig`` at ``level`` with these values (the general path)."""
    _ = tr.gettext
    what = _("{metric} (cycle {cycle}, target {target})").format(
        metric=metric, cycle=cycle, target=target)
    if trig.kind == "fraction":
        text = _("{what} reached {fraction} of its target")
    elif trig.kind == "before_due":
        text = _("{what} has {offset} left")
    elif trig.kind == "after_breach":
        text = (_("{what} breached its target and is {offset} past it") if trig.offset
                else _("{what} breached its target"))
        if level:
            text = _("{sentence} (level {level})").format(sentence=text, level=level)
    else:
        text = (_("{what}: reminder {n}, every {offset} past the target") if trig.after_breach
                else _("{what}: reminder {n}, every {offset} of work"))
    return text.format(what=what, fraction=fraction, offset=offset, n=n)
