"""How is a ``timers`` table read? The data form of ticket timers, for the policy file.

Design rules: ``{name: {kind, after, statuses?, repeat?}}``; ``after`` is a delay text
(``"3 working days"``); unknown keys are refused and every problem is listed at once with
its path (``timers.nudge.after: ...``; :func:`slakit.care._table_data.read_named_table`,
shared with the ``schedules`` table), so the policy-file loader can delegate the table here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from slakit._message import Message
from slakit.care._table_data import read_named_table
from slakit.care._timers import TIMER_KINDS, Delay, TimerRule
from slakit.plans._errors import PlanInputError

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
    return read_named_table(mapping, path, "timer", _KEYS, _read_timer)


def _read_timer(
    name: str, body: Mapping[str, Any], where: str, problems: list[str]
) -> Callable[[], TimerRule] | None:
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
    if delay is None:
        return None
    after = delay
    return lambda: TimerRule(name, body["kind"], after, tuple(statuses), body.get("repeat", 1))
