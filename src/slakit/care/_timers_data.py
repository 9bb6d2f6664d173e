"""How is a ``timers`` table read? The data form of ticket timers, for the policy file.

Design rules: ``{name: {kind, after, statuses?, repeat?}}``; ``after`` is a delay text
(``"3 working days"``); unknown keys are refused and every problem is listed at once with
its path (``timers.nudge.after: ...``), so the policy-file loader can delegate the table here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._problems import unknown_key
from slakit.care._timers import TIMER_KINDS, Delay, TimerRule
from slakit.plans._errors import CareDataError, PlanInputError

_KEYS = ("kind", "after", "statuses", "repeat")
_DEFAULT_STATUSES = ("waiting_on_customer",)


def timer_to_mapping(rule: TimerRule) -> dict[str, Any]:
    """The data form of one timer (defaults left out); :func:`timers_from_mapping` reads it.

    >>> timer_to_mapping(TimerRule("nudge", "waiting_reminder", Delay(2, "working_days"),
    ...                            repeat=3))
    {'kind': 'waiting_reminder', 'after': '2 working days', 'repeat': 3}
    """
    data: dict[str, Any] = {"kind": rule.kind, "after": str(rule.after)}
    if rule.statuses != _DEFAULT_STATUSES:
        data["statuses"] = list(rule.statuses)
    if rule.repeat != 1:
        data["repeat"] = rule.repeat
    return data


def timers_to_mapping(rules: Iterable[TimerRule]) -> dict[str, dict[str, Any]]:
    """The ``timers`` table of ``rules``, keyed by rule name, in order."""
    return {rule.name: timer_to_mapping(rule) for rule in rules}


def timers_from_mapping(mapping: Any, path: str = "timers") -> tuple[TimerRule, ...]:
    """Read a ``timers`` table.

    >>> [str(r.after) for r in timers_from_mapping(
    ...     {"auto_close": {"kind": "auto_close", "after": "3 working days"}})]
    ['3 working days']

    Raises:
        CareDataError: every problem, each with its path.
    """
    if not isinstance(mapping, Mapping):
        raise CareDataError(Message("timers"), [
            Message("{path}: expected a mapping of timer names, got {kind}", path=path,
                    kind=type(mapping).__name__)])
    problems: list[str] = []
    rules: list[TimerRule] = []
    for name, body in mapping.items():
        where = f"{path}.{name}"
        if not isinstance(body, Mapping):
            problems.append(Message("{where}: expected a mapping, got {kind}", where=where,
                                    kind=type(body).__name__))
            continue
        problems += [f"{where}.{k}: {unknown_key(k, _KEYS, 'a timer')}"
                     for k in body if k not in _KEYS]
        bad = len(problems)
        if body.get("kind") not in TIMER_KINDS:
            problems.append(Message("{where}.kind: {value}; one of {items}", where=where,
                                    value='missing' if 'kind' not in body else repr(body['kind']),
                                    items=', '.join(TIMER_KINDS)))
        delay = None
        try:
            delay = Delay.parse(body.get("after"))  # type: ignore[arg-type]
        except PlanInputError as exc:
            problems.append(f"{where}.after: " + (
                "missing; write e.g. '3 working days'" if "after" not in body else str(exc)))
        statuses = body.get("statuses", _DEFAULT_STATUSES)
        if (isinstance(statuses, str) or not isinstance(statuses, list | tuple)
                or not all(isinstance(s, str) and s for s in statuses)):
            problems.append(Message("{where}.statuses: expected a list of status names", where=where))
        if len(problems) > bad or delay is None:
            continue
        try:
            rules.append(TimerRule(name, body["kind"], delay, tuple(statuses),
                                   body.get("repeat", 1)))
        except (PlanInputError, WrongTypeError) as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise CareDataError(Message("timers"), problems)
    return tuple(rules)
