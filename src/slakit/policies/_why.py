"""Why did a ticket get the policy it got? The sentence behind a policy choice.

Design rules:

* :func:`why_selected` repeats :meth:`PolicySet.select` and says, for every policy tried
  before the chosen one, which condition it needed and what the ticket's facts it tests
  were, so a fallback is never a bare "(fallback)".
* A ``<name>_reason`` custom fact (``plan_reason`` from :mod:`slakit.plans`) next to a
  tested fact ``<name>_...`` is quoted: the host's own sentence for why the fact holds.
* Pure and read-only: the same facts always give the same sentence.
"""

from __future__ import annotations

from slakit.policies._conditions import FactsLike
from slakit.policies._fact_tests import fact_tests, read_fact
from slakit.policies._policy import PolicySet


def why_selected(policy_set: PolicySet, facts: FactsLike) -> str:
    """The policy ``policy_set`` selects for ``facts``, and why the policies before it did not.

    >>> from slakit.policies import SlaPolicy, TicketFacts, fact
    >>> ps = PolicySet([SlaPolicy("annual", "1", fact("plan_active").eq(True))],
    ...     fallback=SlaPolicy("best_effort", "1"), fields={"plan_active": "bool",
    ...     "plan_reason": "string"})
    >>> print(why_selected(ps, TicketFacts(priority="normal", custom={"plan_active": False,
    ...     "plan_reason": "plan 'annual' expired"})))  # doctest: +NORMALIZE_WHITESPACE
    policy 'best_effort' v1 (fallback); policy 'annual' v1 did not match: it needs
    fact("plan_active").eq(True), the ticket has plan_active=False (plan 'annual' expired)
    """
    choice = policy_set.select(facts)
    parts = [choice.describe()]
    for policy in policy_set.policies:
        if policy is choice.policy:
            break
        seen: list[str] = []
        for test in fact_tests(policy.when):
            if test.field in seen:
                continue
            seen.append(test.field)
        values = [f"{name}={read_fact(facts, name)!r}" for name in seen]
        reasons = {str(r) for name in seen
                   if (r := read_fact(facts, f"{name.split('_')[0]}_reason")) is not None}
        has = f", the ticket has {', '.join(values)}" if values else ""
        why = f" ({'; '.join(sorted(reasons))})" if reasons else ""
        parts.append(f"policy {policy.name!r} v{policy.version} did not match: it needs "
                     f"{policy.when!r}{has}{why}")
    return "; ".join(parts)
