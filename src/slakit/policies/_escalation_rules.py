"""Escalation rules as data: when a reminder or escalation fires, and what it asks for.

Every trigger is expressed as a *threshold of business elapsed time* on a clock cycle, so a
paused clock never fires and a pause pushes every pending firing later by exactly the pause:

* ``at_fraction(0.75)``: at 75 % of the target;
* ``before_due(lead)``: when ``lead`` of business time is left (at the start if the target is
  shorter than the lead);
* ``on_breach()`` / ``after_breach(delay)``: at the deadline, or ``delay`` of business time
  past it (the levels of a ladder, see :func:`breach_ladder`);
* ``every(interval)``: at every multiple of ``interval`` since the cycle started (or since the
  breach with ``after_breach=True``), optionally at most ``limit`` times.

The outputs are decisions (notify, reassign, raise priority) the host carries out; slakit
never executes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

import attrs

from slakit._message import Message
from slakit._problems import Problems, Table, described
from slakit.i18n._translator import N_
from slakit.policies._condition_data import condition_from_data
from slakit.policies._conditions import Condition, always
from slakit.policies._durations import format_duration, parse_duration
from slakit.policies._errors import PolicyDataError


@attrs.frozen(repr=False)
class Trigger:
    """When a rule fires, as thresholds of business elapsed time for a given target.

    Attributes:
        kind: ``fraction``, ``before_due``, ``after_breach`` or ``every``.
        fraction: for ``fraction``: the share of the target.
        offset: for ``before_due``: the lead; ``after_breach``: the delay; ``every``: the
            interval.
        after_breach: for ``every``: count from the deadline instead of the cycle start.
        limit: for ``every``: the most occurrences per cycle (None: unbounded).
    """

    kind: str
    fraction: float = 0.0
    offset: timedelta = timedelta(0)
    after_breach: bool = False
    limit: int | None = None

    def thresholds(self, target: timedelta) -> Iterator[tuple[int, timedelta]]:
        """``(occurrence, elapsed threshold)`` pairs in increasing order (maybe endless)."""
        if self.kind == "fraction":
            yield 1, target * self.fraction
        elif self.kind == "before_due":
            yield 1, max(target - self.offset, timedelta(0))
        elif self.kind == "after_breach":
            yield 1, target + self.offset
        else:
            base = target if self.after_breach else timedelta(0)
            k = 1
            while self.limit is None or k <= self.limit:
                yield k, base + self.offset * k
                k += 1

    def __repr__(self) -> str:
        if self.kind == "fraction":
            return f"at_fraction({self.fraction!r})"
        if self.kind == "before_due":
            return f"before_due({self.offset!r})"
        if self.kind == "after_breach":
            return "on_breach()" if not self.offset else f"after_breach({self.offset!r})"
        extra = ", after_breach=True" if self.after_breach else ""
        extra += f", limit={self.limit}" if self.limit is not None else ""
        return f"every({self.offset!r}{extra})"

    def to_data(self) -> dict[str, Any]:
        """Plain data, e.g. ``{"fraction": 0.5}`` or ``{"every": "PT30M"}``."""
        if self.kind == "fraction":
            return {"fraction": self.fraction}
        if self.kind == "before_due":
            return {"before_due": format_duration(self.offset)}
        if self.kind == "after_breach":
            return {"after_breach": format_duration(self.offset)}
        data: dict[str, Any] = {"every": format_duration(self.offset)}
        if self.after_breach:
            data["after_breach"] = True
        if self.limit is not None:
            data["limit"] = self.limit
        return data

    @classmethod
    def from_data(cls, data: object, path: str) -> Trigger:
        """Rebuild from :meth:`to_data` output."""
        if isinstance(data, dict) and set(data) == {"fraction"}:
            return at_fraction(data["fraction"])
        if isinstance(data, dict) and set(data) == {"before_due"}:
            return before_due(parse_duration(data["before_due"], f"{path}.before_due"))
        if isinstance(data, dict) and set(data) == {"after_breach"}:
            return after_breach(parse_duration(data["after_breach"], f"{path}.after_breach"))
        if isinstance(data, dict) and "every" in data and set(data) <= {
            "every", "after_breach", "limit"
        }:
            if not isinstance(data.get("after_breach", False), bool):
                raise PolicyDataError([Message("{path}.after_breach: expected true or false, got {got}",
                                               path=path, got=described(data['after_breach']))])
            return every(
                parse_duration(data["every"], f"{path}.every"),
                after_breach=data.get("after_breach", False),
                limit=data.get("limit"),
            )
        raise PolicyDataError(
            [Message("{path}: expected one of {{'fraction': 0.5}}, {{'before_due': 'PT15M'}}, "
                     "{{'after_breach': 'PT30M'}}, {{'every': 'PT30M'}}; got {data!r}", path=path,
                     data=data)]
        )


def at_fraction(fraction: float) -> Trigger:
    """Fire when business elapsed time reaches ``fraction`` of the target (0 < fraction)."""
    if (isinstance(fraction, bool) or not isinstance(fraction, int | float)
            or not math.isfinite(fraction) or fraction <= 0):
        raise PolicyDataError([Message("at_fraction() needs a number above 0, got {fraction!r}",
                                       fraction=fraction)])
    return Trigger("fraction", fraction=float(fraction))


def before_due(lead: timedelta) -> Trigger:
    """Fire when ``lead`` of business time is left before the deadline."""
    if lead <= timedelta(0):
        raise PolicyDataError([Message("before_due() needs a positive lead, got {lead!r}", lead=lead)])
    return Trigger("before_due", offset=lead)


def on_breach() -> Trigger:
    """Fire at the deadline."""
    return Trigger("after_breach")


def after_breach(delay: timedelta) -> Trigger:
    """Fire ``delay`` of business time after the deadline (0: at the deadline)."""
    if delay < timedelta(0):
        raise PolicyDataError([Message("after_breach() needs a delay >= 0, got {delay!r}", delay=delay)])
    return Trigger("after_breach", offset=delay)


def every(interval: timedelta, *, after_breach: bool = False, limit: int | None = None) -> Trigger:
    """Fire at every ``interval`` of business time while the cycle runs."""
    if interval <= timedelta(0):
        raise PolicyDataError([Message("every() needs a positive interval, got {interval!r}",
                                       interval=interval)])
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise PolicyDataError([Message("every(limit=...) must be a positive int or None, got {limit!r}",
                                       limit=limit)])
    return Trigger("every", offset=interval, after_breach=after_breach, limit=limit)


@attrs.frozen
class EscalationAction:
    """One thing a decision asks the host to do.

    ``kind`` is ``notify`` (``targets``: who), ``reassign`` (``targets``: group, assignee)
    or ``raise_priority`` (``targets``: the new priority).
    """

    kind: str
    targets: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        """Plain data: ``{"notify": ["team_lead"]}``."""
        return {self.kind: list(self.targets)}

    @classmethod
    def from_data(cls, data: object, path: str) -> EscalationAction:
        """Rebuild from :meth:`to_data` output."""
        if (
            isinstance(data, dict)
            and len(data) == 1
            and next(iter(data)) in ("notify", "reassign", "raise_priority")
            and isinstance(next(iter(data.values())), list)
            and all(isinstance(t, str) and t for t in next(iter(data.values())))
        ):
            ((kind, targets),) = data.items()
            return cls(kind, tuple(targets))
        raise PolicyDataError(
            [Message("{path}: expected {{'notify'|'reassign'|'raise_priority': [...]}}, got {data!r}",
                     path=path, data=data)]
        )


def notify(*recipients: str) -> EscalationAction:
    """Ask the host to notify ``recipients`` (roles, groups or people; the host resolves)."""
    return EscalationAction("notify", recipients)


def reassign(group: str) -> EscalationAction:
    """Ask the host to move the ticket to ``group``."""
    return EscalationAction("reassign", (group,))


def raise_priority(to: str) -> EscalationAction:
    """Ask the host to raise the ticket's priority to ``to``."""
    return EscalationAction("raise_priority", (to,))


_RULE_KEYS = ("name", "metric", "trigger", "actions", "when", "level")


def _actions(value: Sequence[EscalationAction]) -> tuple[EscalationAction, ...]:
    return tuple(value)


@attrs.frozen
class EscalationRule:
    """When (``trigger``) to ask for what (``actions``) on which metric's clock.

    ``when`` narrows the rule to tickets whose current facts satisfy it. ``level`` numbers
    the steps of a ladder (0 for a plain rule). Rule names are part of the idempotency key,
    so renaming a rule makes it fire again.
    """

    name: str
    metric: str
    trigger: Trigger
    actions: tuple[EscalationAction, ...] = attrs.field(converter=_actions)
    when: Condition = attrs.field(factory=always)
    level: int = 0

    def to_data(self) -> dict[str, Any]:
        """Plain data for storage."""
        data: dict[str, Any] = {
            "name": self.name,
            "metric": self.metric,
            "trigger": self.trigger.to_data(),
            "actions": [a.to_data() for a in self.actions],
        }
        if self.when != always():
            data["when"] = self.when.to_data()
        if self.level:
            data["level"] = self.level
        return data

    @classmethod
    def from_data(cls, data: object, path: str) -> EscalationRule:
        """Rebuild from :meth:`to_data` output.

        Raises:
            PolicyDataError: listing every problem of the rule, each with its path.
        """
        problems = Problems()
        rule = Table.of(data, path, problems, N_("an escalation rule"))
        if rule is None:
            raise PolicyDataError(problems.items)
        rule.only(_RULE_KEYS, N_("an escalation rule"))
        name = rule.text("name", what=N_("the rule's name"), required=True)
        metric = rule.text("metric", what=N_("a metric name"), required=True)
        level = rule.integer("level", 0, minimum=0)
        parts: list[Any] = []
        for key, read in (
            ("trigger", lambda: Trigger.from_data(rule.get("trigger"), rule.at("trigger"))),
            ("actions", lambda: [EscalationAction.from_data(a, f"{rule.at('actions')}[{i}]")
                                 for i, a in enumerate(rule.items("actions", N_("actions")) or [])]),
            ("when", lambda: condition_from_data(rule.get("when"), rule.at("when"))
             if "when" in rule else always()),
        ):
            try:
                parts.append(read())
            except PolicyDataError as error:
                problems.extend(rule.at(key), error.problems)
        if problems.items or name is None or metric is None or level is None:
            raise PolicyDataError(problems.items)
        trigger, actions, when = parts
        return cls(name, metric, trigger, actions, when, level)


def breach_ladder(
    name: str,
    metric: str,
    steps: Sequence[tuple[timedelta, Sequence[EscalationAction]]],
    when: Condition | None = None,
) -> tuple[EscalationRule, ...]:
    """Rules for a ladder after the deadline: level 1 at ``steps[0][0]`` past it, and so on.

    >>> from datetime import timedelta
    >>> [r.name for r in breach_ladder("ladder", "resolution", [
    ...     (timedelta(0), [notify("team_lead")]), (timedelta(minutes=30), [notify("manager")])])]
    ['ladder/1', 'ladder/2']
    """
    delays = [d for d, _ in steps]
    if delays != sorted(delays):
        raise PolicyDataError([Message("ladder {name!r}: step delays must be increasing, got {delays}",
                                       name=name, delays=delays)])
    return tuple(
        EscalationRule(f"{name}/{i}", metric, after_breach(delay), actions,
                       always() if when is None else when, level=i)
        for i, (delay, actions) in enumerate(steps, start=1)
    )
