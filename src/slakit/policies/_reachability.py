"""Which facts to try when deciding whether a policy can ever be chosen.

Design rules:

* The answer is a finite set of :class:`~slakit.policies.TicketFacts` on which every
  condition of the set takes every value it can take: each value a condition mentions plus
  one it does not (None, or a string no test names); for numbers and dates, the values just
  below and above each mentioned one; both bools. Trying them decides reachability exactly.
* The product of these values grows fast; the caller caps how many it tries and says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from slakit._message import Message
from slakit.policies._conditions import Condition, TicketFacts, _AttributeIs, _HasTag, _Not
from slakit.policies._fact_tests import fact_tests


def fact_domain(priorities: Iterable[str], conditions: list[Condition]) -> Iterator[TicketFacts]:
    """Facts covering every outcome of ``conditions`` (see :meth:`PolicySet.problems`)."""
    mentioned: dict[str, set[str]] = {
        "priority": set(priorities), "category": set(), "channel": set(),
        "customer_tier": set(), "tags": set(),
    }
    tested: dict[str, set[object]] = {}  # other facts that fact() tests name
    stack = list(conditions)
    while stack:
        c = stack.pop()
        if isinstance(c, _AttributeIs):
            mentioned[c.attribute].update(c.values)
        elif isinstance(c, _HasTag):
            mentioned["tags"].update(c.tags)
        elif isinstance(c, _Not):
            stack.append(c.condition)
        else:
            stack.extend(getattr(c, "conditions", ()))
    for condition in conditions:
        for t in fact_tests(condition):
            if t.field == "tags":
                if t.op == "contains":
                    mentioned["tags"].add(t.value)
            elif t.field in mentioned and t.field != "priority":
                values = t.value if isinstance(t.value, tuple) else (t.value,)
                mentioned[t.field].update(v for v in values if isinstance(v, str))
            elif t.field != "priority":
                tested.setdefault(t.field, set()).update(_near(t.value))
    tags = sorted(mentioned.pop("tags"))[:6]  # the powerset stays small
    tag_sets = [frozenset(s) for n in range(len(tags) + 1)
                for s in itertools.combinations(tags, n)]
    axes: list[list[str | None]] = [[*sorted(mentioned["priority"]), "\x00other"]]
    axes += [[*sorted(mentioned[a]), None] for a in ("category", "channel", "customer_tier")]
    names = sorted(tested)
    extra: list[list[object]] = [[None, *sorted(tested[n], key=repr)] for n in names]
    for prio, cat, chan, tier in itertools.product(*axes):
        for values in itertools.product(*extra):
            given = dict(zip(names, values, strict=True))
            group, org = given.pop("group", None), given.pop("organisation", None)
            custom = tuple((k, v) for k, v in given.items() if v is not None)
            for ts in tag_sets:
                yield TicketFacts(str(prio), cat, chan, tier, ts, group,  # type: ignore[arg-type]
                                  org, custom)  # type: ignore[arg-type]


def _near(value: object) -> list[object]:
    """Values telling apart every test of a fact against ``value``.

    That is: it, just below and above it (numbers, dates), the other bool, and a string no
    test mentions.
    """
    values = value if isinstance(value, tuple) else (value,)
    out: list[object] = ["\x00other"]
    for v in values:
        if isinstance(v, bool):
            out += [True, False]
        elif isinstance(v, int | float):
            out += [v - 1, v, v + 1, v - 0.5, v + 0.5]
        elif isinstance(v, date):
            out += [v - timedelta(days=1), v, v + timedelta(days=1)]
        elif v is not None:
            out.append(v)
    return out


DOMAIN_LIMIT = 200_000
"""Fact combinations :meth:`PolicySet.problems` tries at most."""


def capped_domain(
    priorities: Iterable[str], conditions: list[Condition]
) -> tuple[list[TicketFacts], str | None]:
    """:func:`fact_domain` as a list, or nothing and the reason when it passes the limit."""
    domain = list(itertools.islice(fact_domain(priorities, conditions), DOMAIN_LIMIT + 1))
    if len(domain) <= DOMAIN_LIMIT:
        return domain, None
    return [], Message("reachability not checked: the conditions test more than {limit} "
                       "combinations of fact values; test each policy with select() instead",
                       limit=DOMAIN_LIMIT)


def priorities_in(condition: Condition) -> set[str]:
    """Every priority a condition tests (``priority_is`` or ``fact("priority")`` inside it)."""
    found: set[str] = set()
    stack = [condition]
    while stack:
        c = stack.pop()
        if isinstance(c, _AttributeIs):
            if c.attribute == "priority":
                found.update(c.values)
        elif isinstance(c, _Not):
            stack.append(c.condition)
        else:
            stack.extend(getattr(c, "conditions", ()))
    for t in fact_tests(condition):
        if t.field == "priority" and t.value is not None:
            found.update(v for v in (t.value if isinstance(t.value, tuple) else (t.value,))
                         if isinstance(v, str))
    return found
