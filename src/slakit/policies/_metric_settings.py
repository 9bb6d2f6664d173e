"""How one policy adjusts one metric: its pausing statuses and its change modes.

Design rules:

* A policy may say, per metric, which statuses pause the clock (``pauses_in``: "waiting on
  carrier" pauses resolution but not the customer-update clock) and which modes apply on a
  priority or policy change (``priority_change``). What it does not say comes from the metric
  definition and from the policy's own :class:`PriorityChangeSettings`.
* Which statuses pause a metric under a policy, in order: the policy's setting for the
  metric, else the metric's ``pauses_in``, else the engine's pausing statuses (the
  workflow's waiting statuses); never any when the metric is not ``pausable``.
* The settings in force are those of the policy a cycle is judged by *now*: after a
  re-selection, the new policy's pauses apply from the change on (earlier pauses stand).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from slakit._message import Message
from slakit.policies._errors import PolicyDataError
from slakit.policies._priority_change import PriorityChangeSettings


def _statuses(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(v, str) and v for v in value):
        raise PolicyDataError(
            [Message("pauses_in takes a collection of status names, got {value!r}", value=value)])
    return frozenset(value)


@attrs.frozen
class MetricSettings:
    """A policy's settings for one metric (None: not set, the defaults apply).

    Example:
        >>> MetricSettings("resolution", pauses_in=["on_hold"])
        MetricSettings(metric='resolution', pauses_in=frozenset({'on_hold'}), priority_change=None)
    """

    metric: str
    pauses_in: frozenset[str] | None = attrs.field(default=None, converter=_statuses)
    priority_change: PriorityChangeSettings | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain data: ``{"metric": ..., "pauses_in": [...], "priority_change": {...}}``."""
        data: dict[str, Any] = {"metric": self.metric}
        if self.pauses_in is not None:
            data["pauses_in"] = sorted(self.pauses_in)
        if self.priority_change is not None:
            data["priority_change"] = self.priority_change.to_data()
        return data

    @classmethod
    def from_data(cls, data: object, path: str) -> MetricSettings:
        """Rebuild from :meth:`to_data` output, listing every problem."""
        if not isinstance(data, dict) or not isinstance(data.get("metric"), str):
            raise PolicyDataError([Message("{path}: metric settings need a 'metric' name, got {data!r}",
                                           path=path, data=data)])
        problems: list[str] = [
            Message("{path}: unknown key {key!r}; use metric, pauses_in, priority_change",
                    path=path, key=k)
            for k in sorted(set(data) - {"metric", "pauses_in", "priority_change"})]
        pauses = data.get("pauses_in")
        if pauses is not None and not (
            isinstance(pauses, list) and all(isinstance(p, str) and p for p in pauses)
        ):
            problems.append(Message("{path}.pauses_in: expected a list of statuses, got {pauses!r}",
                                    path=path, pauses=pauses))
        change = None
        if "priority_change" in data:
            try:
                change = PriorityChangeSettings.from_data(
                    data["priority_change"], f"{path}.priority_change")
            except PolicyDataError as exc:
                problems += exc.problems
        if problems:
            raise PolicyDataError(problems)
        return cls(data["metric"], None if pauses is None else frozenset(pauses), change)
