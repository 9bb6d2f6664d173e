"""Metric definitions: which events start, stop, resume and cancel a clock.

A metric (``first_response``, ``resolution``, ...) is data, not code, so hosts can add their
own. Each workflow event is matched against the definition's :class:`EventMatch` lists and
turned into clock signals, in this order:

1. ``cancels``: the running or paused cycle ends without being met (ticket cancelled).
2. ``stops``: the running or paused cycle is met.
3. ``resumes``: the last cycle, if met, runs again with its elapsed time kept (a reopen).
4. ``starts``: a new cycle begins if none is open (for ``repeats`` metrics, each time).

An event that both stops and starts a repeating metric (an agent update for
``periodic_update``) therefore closes one cycle and opens the next at the same instant.
Pausing is not an event match: a ``pausable`` clock is paused whenever the ticket's status is
one of the workflow's pausing statuses, whichever event put it there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import attrs

from slakit._message import Message
from slakit._problems import Problems, Table, shown
from slakit.i18n._translator import N_
from slakit.policies._errors import PolicyDataError

Scalar = str | bool | int | None


class EventLike(Protocol):
    """What metric matching reads from a workflow event."""

    @property
    def event_type(self) -> str: ...


@attrs.frozen(repr=False)
class EventMatch:
    """Matches events of one type whose fields equal given values (and are present).

    Example:
        >>> on("agent_replied", public=True)
        on("agent_replied", public=True)
    """

    event_type: str
    equals: tuple[tuple[str, Scalar], ...] = ()
    present: tuple[str, ...] = ()

    def __call__(self, event: EventLike) -> bool:
        """Whether ``event`` matches."""
        if event.event_type != self.event_type:
            return False
        for name, value in self.equals:
            if getattr(event, name, _MISSING) != value:
                return False
        for name in self.present:  # noqa: SIM110 -- runs per event; a loop beats all(genexpr)
            if getattr(event, name, None) is None:
                return False
        return True

    def __repr__(self) -> str:
        args = [f'"{self.event_type}"']
        args += [f"{k}={v!r}" for k, v in self.equals]
        if self.present:
            args.append(f"present={self.present!r}")
        return f"on({', '.join(args)})"

    def to_data(self) -> dict[str, Any]:
        """Plain data: ``{"type": ..., field: value, ..., "present": [...]}``."""
        data: dict[str, Any] = {"type": self.event_type, **dict(self.equals)}
        if self.present:
            data["present"] = list(self.present)
        return data

    @classmethod
    def from_data(cls, data: object, path: str) -> EventMatch:
        """Rebuild from :meth:`to_data` output."""
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise PolicyDataError([Message("{path}: an event match needs a 'type' string, got {data!r}",
                                           path=path, data=data)])
        body = dict(data)
        event_type = body.pop("type")
        present = body.pop("present", [])
        if not isinstance(present, list) or not all(isinstance(p, str) for p in present):
            raise PolicyDataError([Message("{path}.present: expected a list of field names", path=path)])
        for key, value in body.items():
            if not isinstance(value, str | bool | int | type(None)):
                raise PolicyDataError([Message("{path}.{key}: expected a scalar, got {value!r}", path=path,
                                               key=key, value=value)])
        return on(event_type, present=present, **body)


_MISSING = object()


def on(event_type: str, *, present: Iterable[str] = (), **equals: Scalar) -> EventMatch:
    """Match events of ``event_type`` with fields equal to ``equals`` and ``present`` set.

    >>> on("assigned", present=["assignee"])
    on("assigned", present=('assignee',))
    """
    if not isinstance(event_type, str) or not event_type:
        raise PolicyDataError([Message("on() needs an event type name, got {event_type!r}",
                                       event_type=event_type)])
    return EventMatch(event_type, tuple(sorted(equals.items())), tuple(present))


def _matches(value: Iterable[EventMatch]) -> tuple[EventMatch, ...]:
    return tuple(value)


def _statuses(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise PolicyDataError([Message("pauses_in takes a collection of statuses, got the string {value!r}",
                                       value=value)])
    return frozenset(value)


@attrs.frozen
class MetricDefinition:
    """A clock's definition: the events that start, stop, resume and cancel its cycles.

    Args:
        name: the metric's name, used by targets and escalation rules.
        starts: events that begin a cycle when none is open.
        stops: events that meet the open cycle.
        resumes: events that set the last met cycle running again (elapsed time kept).
        cancels: events that end the open cycle unmet and unbreached from then on.
        repeats: whether a new cycle may start after one has ended (``next_response``).
        pausable: whether the clock pauses at all.
        pauses_in: the statuses that pause it (None: the engine's pausing statuses). Adopt a
            built-in metric with one setting changed with ``attrs.evolve``, e.g.
            ``attrs.evolve(FIRST_RESPONSE, pausable=False)`` (``like`` in a policy file).
    """

    name: str
    starts: tuple[EventMatch, ...] = attrs.field(converter=_matches)
    stops: tuple[EventMatch, ...] = attrs.field(converter=_matches)
    resumes: tuple[EventMatch, ...] = attrs.field(default=(), converter=_matches)
    cancels: tuple[EventMatch, ...] = attrs.field(
        factory=lambda: (on("cancelled"), on("closed")), converter=_matches
    )
    repeats: bool = False
    pausable: bool = True
    pauses_in: frozenset[str] | None = attrs.field(default=None, converter=_statuses)
    """The statuses that pause this clock; None: the engine's pausing statuses (by default
    the workflow's waiting statuses). Ignored when ``pausable`` is False."""

    def to_data(self) -> dict[str, Any]:
        """Plain data for storage."""
        data: dict[str, Any] = {
            "name": self.name,
            "starts": [m.to_data() for m in self.starts],
            "stops": [m.to_data() for m in self.stops],
            "resumes": [m.to_data() for m in self.resumes],
            "cancels": [m.to_data() for m in self.cancels],
            "repeats": self.repeats,
            "pausable": self.pausable,
        }
        if self.pauses_in is not None:
            data["pauses_in"] = sorted(self.pauses_in)
        return data

    @classmethod
    def from_data(cls, data: object, path: str = "metrics") -> MetricDefinition:
        """Rebuild from :meth:`to_data` output.

        ``{"like": "first_response", "pausable": false}`` adopts a built-in metric with the
        given keys changed and the rest kept (``name`` too, unless given).

        Raises:
            PolicyDataError: listing every problem of the metric, each with its path.
        """
        if isinstance(data, dict) and "like" in data:
            base = {m.name: m for m in DEFAULT_METRICS}.get(data["like"])
            if base is None:
                raise PolicyDataError(
                    [Message("{path}.like: {data} is not a built-in metric; use one of {items}", path=path,
                             data=shown(data['like']), items=', '.join(m.name for m in DEFAULT_METRICS))]
                )
            data = {**base.to_data(), **{k: v for k, v in data.items() if k != "like"}}
        problems = Problems()
        table = Table.of(data, path, problems, N_("a metric definition"))
        if table is None:
            raise PolicyDataError(problems.items)
        table.only(_METRIC_KEYS, N_("a metric definition"))
        name = table.text("name", what=N_("the metric's name"), required=True)
        repeats = table.flag("repeats", False)
        pausable = table.flag("pausable", True)
        pauses = table.texts("pauses_in", N_("statuses"))

        def matches(key: str) -> list[EventMatch]:
            out = []
            for i, m in enumerate(table.items(key, N_("event matches")) or []):
                try:
                    out.append(EventMatch.from_data(m, f"{table.at(key)}[{i}]"))
                except PolicyDataError as error:
                    problems.extend(table.at(key), error.problems)
            return out

        starts, stops, resumes = matches("starts"), matches("stops"), matches("resumes")
        cancels = matches("cancels") if "cancels" in table else [on("cancelled"), on("closed")]
        if problems.items or name is None or repeats is None or pausable is None:
            raise PolicyDataError(problems.items)
        return cls(name, starts, stops, resumes, cancels, repeats=repeats, pausable=pausable,
                   pauses_in=None if pauses is None else frozenset(pauses))


_METRIC_KEYS = ("name", "starts", "stops", "resumes", "cancels", "repeats", "pausable",
                "pauses_in")
_PUBLIC_REPLY = on("agent_replied", public=True)

FIRST_RESPONSE = MetricDefinition(
    "first_response", starts=[on("opened")], stops=[_PUBLIC_REPLY, on("resolved")]
)
NEXT_RESPONSE = MetricDefinition(
    "next_response",
    starts=[on("customer_replied")],
    stops=[_PUBLIC_REPLY, on("resolved")],
    repeats=True,
)
PERIODIC_UPDATE = MetricDefinition(
    "periodic_update",
    starts=[_PUBLIC_REPLY, on("reopened")],
    stops=[_PUBLIC_REPLY, on("resolved")],
    repeats=True,
)
RESOLUTION = MetricDefinition(
    "resolution", starts=[on("opened")], stops=[on("resolved")], resumes=[on("reopened")]
)
SOLUTION_PLAN = MetricDefinition(
    "solution_plan", starts=[on("opened")], stops=[on("stage_changed", stage="fixing"),
                                                    on("resolved")]
)
ENGINEER_ASSIGNED = MetricDefinition(
    "engineer_assigned", starts=[on("opened")], stops=[on("assigned", present=["assignee"])]
)

DEFAULT_METRICS: tuple[MetricDefinition, ...] = (
    FIRST_RESPONSE,
    NEXT_RESPONSE,
    PERIODIC_UPDATE,
    RESOLUTION,
    SOLUTION_PLAN,
    ENGINEER_ASSIGNED,
)
"""The built-in metrics; a host passes its own tuple to add or replace some."""
