"""How is a whole policy file read and written: the SLA policies and the ticket timers?

Design rules:

* One file, two readers. The SLA part is :func:`slakit.policies.load_policies`'s form; the
  ``timers`` table is :func:`slakit.care.timers_from_mapping`'s. The policies package sits
  below care and cannot read timers, so :func:`slakit.policies.load_policies` refuses a
  ``timers`` table (pointing here) rather than dropping it silently, and
  :func:`load_policy_file` reads both halves.
* Every problem of both halves is listed at once, each with its path, in one
  :class:`~slakit.policies.PolicyDataError` (``timers.survey.after: ...`` next to
  ``policies[0].targets[0].within: ...``).
* :func:`dump_policy_file` writes what :func:`load_policy_file` reads back equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from slakit._errors import NotFoundError, WrongTypeError
from slakit._message import Message
from slakit.care._timers import TimerRule
from slakit.care._timers_data import timers_from_mapping, timers_to_mapping
from slakit.plans._errors import CareDataError
from slakit.policies import PolicyDataError, PolicySet, dump_policies, load_policies


def _timers(value: Any) -> tuple[TimerRule, ...]:
    rules = tuple(value)
    for rule in rules:
        if not isinstance(rule, TimerRule):
            raise WrongTypeError(Message("timers must be TimerRule values (read a timers table with "
                                         "timers_from_mapping), got {kind}", kind=type(rule).__name__))
    return rules


@attrs.frozen
class PolicyFile:
    """A policy file's contents: the SLA policy set and the ticket timers.

    Attributes:
        policies: The SLA policies.
        timers: The ``timers`` table's rules, in file order.
    """

    policies: PolicySet = attrs.field(validator=attrs.validators.instance_of(PolicySet))
    timers: tuple[TimerRule, ...] = attrs.field(default=(), converter=_timers)

    def timer(self, name: str) -> TimerRule:
        """The timer rule called ``name``.

        Raises:
            NotFoundError: no such timer (the message lists the names there are).
        """
        for rule in self.timers:
            if rule.name == name:
                return rule
        raise NotFoundError(Message("no timer {name!r} in the policy file; it has {value}", name=name,
                                    value=', '.join(r.name for r in self.timers) or 'none'))


def load_policy_file(data: object) -> PolicyFile:
    """Read a policy file (parsed TOML or JSON): the SLA policies and its ``timers`` table.

    >>> f = load_policy_file({"priorities": ["normal"], "fallback": {"name": "any",
    ...     "version": "1", "targets": []},
    ...     "timers": {"auto_close": {"kind": "auto_close", "after": "3 working days"}}})
    >>> [str(t.after) for t in f.timers]
    ['3 working days']

    Raises:
        PolicyDataError: every problem of both parts, each with its path.
    """
    if not isinstance(data, Mapping) or "timers" not in data:
        return PolicyFile(load_policies(data))
    problems: list[str] = []
    timers: tuple[TimerRule, ...] = ()
    try:
        timers = timers_from_mapping(data["timers"])
    except CareDataError as exc:
        problems += exc.problems
    policies = None
    try:
        policies = load_policies({k: v for k, v in data.items() if k != "timers"})
    except PolicyDataError as exc:
        problems = [*exc.problems, *problems]
    if problems or policies is None:
        raise PolicyDataError(problems)
    return PolicyFile(policies, timers)


def dump_policy_file(policy_file: PolicyFile) -> dict[str, Any]:
    """The policy file as plain JSON/TOML-able data; :func:`load_policy_file` reads it back.

    Raises:
        PolicyDataError: as :func:`slakit.policies.dump_policies`.
    """
    data = dump_policies(policy_file.policies)
    if policy_file.timers:
        data["timers"] = timers_to_mapping(policy_file.timers)
    return data
