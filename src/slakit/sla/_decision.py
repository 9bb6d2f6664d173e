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


# slots=False, as for the SLA state: due_escalations builds one per decision, and a frozen
# class without slots is built about twice as fast.
@attrs.frozen(slots=False)
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

    All of it but the cycle, the target and the occurrence depends on the language, the
    metric and the rule's trigger and level alone, so that part is made once per translator
    (a template, see :meth:`~slakit.i18n.Translator.cached`) and each decision fills in the
    rest: the same sentence as :func:`sentence` (a property test compares them).
    """
    trig = rule.trigger
    template = tr.cached(
        ("reason", c.metric, trig.kind, trig.fraction, trig.offset, trig.after_breach,
         rule.level), _template, tr, c.metric, trig, rule.level)
    return template.format(cycle=c.number, target=c.target, n=occurrence)


def _template(tr: Translator, metric: str, trig: Trigger, level: int) -> str:
    """:func:`sentence` with the per-decision values left as placeholders."""
    return sentence(tr, trig, level, metric=_literal(metric_label(tr, metric)),
                    cycle="{cycle}", target="{target}",
                    fraction=_literal(f"{trig.fraction:.0%}"), offset=_literal(str(trig.offset)),
                    n="{n}")


def _literal(text: str) -> str:
    """``text`` as it reads in a format string (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


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
