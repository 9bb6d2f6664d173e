"""Workflow definitions: statuses and a transition table, validated once when built.

Design rules:

- A workflow is plain data (statuses + a table of ``(source, event, target)`` rows), so hosts
  can define their own, the docs draw the diagram from the very table the fold runs, and the
  checks below run on every definition, ours included.
- Checks when built (all problems reported at once, python-statemachine style): names declared,
  one non-terminal initial status, every status reachable, every non-terminal status can still reach
  a terminal one (no traps), terminal statuses are left only by the events they declare (``exits``),
  and the table is deterministic.
- ``status_changed`` rows list each allowed target: the event's ``to`` picks the row. Every other
  event has at most one row per source status, whose target is where it leads (the source itself
  for events that do not move the ticket, e.g. a reply).
- Lookups the fold needs are precomputed into private dicts, so ``apply`` does one dict lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from slakit._fast import derive
from slakit._message import Message
from slakit.workflow._definition_data import read_workflow_data
from slakit.workflow._errors import WorkflowDefinitionError
from slakit.workflow._events import EVENT_TYPES, Event

STATUS_CHANGED = "status_changed"
_OPENED = "opened"
_HISTORY = ("escalated", "deadline_overridden")  # not transitions (see slakit.workflow._fold)


def _frozen_str(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen
class WorkflowStatus:
    """One status of a workflow.

    Attributes:
        name: The status name used in events and state (``"waiting_on_customer"``).
        terminal: True when the ticket's life normally ends here (closed, cancelled).
        exits: For a terminal status, the event types allowed to leave it (e.g. ``reopened``).
        pauses_clock: True when SLA clocks stop while the ticket is in this status.
        keeps_stage: True when the work stage survives in this status; entering any other
            status clears the stage.
        description: Human description, shown in the docs.
    """

    name: str
    terminal: bool = False
    exits: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen_str)
    pauses_clock: bool = False
    keeps_stage: bool = False
    description: str = ""


@attrs.frozen
class Transition:
    """One row of a transition table: in ``source``, event type ``event`` leads to ``target``."""

    source: str
    event: str
    target: str


def _tuple_of_statuses(value: Iterable[WorkflowStatus]) -> tuple[WorkflowStatus, ...]:
    return tuple(value)


def _tuple_of_transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(value)


def _tuple_of_str(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Workflow:
    """A validated workflow: statuses, an initial status, stages and a transition table.

    Raises:
        WorkflowDefinitionError: listing every problem, when the definition is invalid.

    Example:
        >>> wf = Workflow(
        ...     name="tiny",
        ...     statuses=[WorkflowStatus("open"), WorkflowStatus("done", terminal=True)],
        ...     initial="open",
        ...     transitions=[Transition("open", "resolved", "done")],
        ... )
        >>> wf.allowed_events("open")
        ('resolved',)
    """

    name: str
    statuses: tuple[WorkflowStatus, ...] = attrs.field(converter=_tuple_of_statuses)
    initial: str
    transitions: tuple[Transition, ...] = attrs.field(converter=_tuple_of_transitions)
    stages: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    # Derived lookups; excluded from eq/repr/hash since they follow from the fields above.
    _moves: dict[tuple[str, type[Event]], str] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _status_targets: dict[str, frozenset[str]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _allowed: dict[str, tuple[str, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _by_name: dict[str, WorkflowStatus] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _keeps_stage: frozenset[str] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems = _check(self)
        if problems:
            raise WorkflowDefinitionError(problems)
        moves: dict[tuple[str, type[Event]], str] = {}
        targets: dict[str, set[str]] = {}
        allowed: dict[str, set[str]] = {s.name: set() for s in self.statuses}
        for row in self.transitions:
            allowed[row.source].add(row.event)
            if row.event == STATUS_CHANGED:
                targets.setdefault(row.source, set()).add(row.target)
            else:
                moves[(row.source, EVENT_TYPES[row.event])] = row.target
        derive(self, "_moves", moves)
        derive(
            self, "_status_targets", {k: frozenset(v) for k, v in targets.items()}
        )
        derive(self, "_allowed", {k: tuple(sorted(v)) for k, v in allowed.items()})
        derive(self, "_by_name", {s.name: s for s in self.statuses})
        derive(
            self, "_keeps_stage", frozenset(s.name for s in self.statuses if s.keeps_stage)
        )

    @property
    def status_names(self) -> tuple[str, ...]:
        """Status names in declaration order."""
        return tuple(s.name for s in self.statuses)

    @property
    def pausing_statuses(self) -> frozenset[str]:
        """Statuses in which SLA clocks are paused."""
        return frozenset(s.name for s in self.statuses if s.pauses_clock)

    @property
    def terminal_statuses(self) -> frozenset[str]:
        """Statuses where a ticket's life normally ends."""
        return frozenset(s.name for s in self.statuses if s.terminal)

    def status(self, name: str) -> WorkflowStatus:
        """The declared status called ``name``.

        Raises:
            KeyError: if the workflow has no such status.
        """
        return self._by_name[name]

    def allowed_events(self, status: str | None) -> tuple[str, ...]:
        """Event types accepted in ``status`` (``None``: no ticket yet), sorted by name."""
        if status is None:
            return (_OPENED,)
        return self._allowed.get(status, ())

    def status_change_targets(self, status: str) -> frozenset[str]:
        """Statuses a ``status_changed`` event may move a ticket in ``status`` to."""
        return self._status_targets.get(status, frozenset())

    def target(self, status: str, event: Event) -> str | None:
        """Status ``event`` leads to from ``status``, or ``None`` when it is not allowed."""
        if event.event_type == STATUS_CHANGED:
            to: str = event.to  # type: ignore[union-attr]
            return to if to in self._status_targets.get(status, ()) else None
        return self._moves.get((status, type(event)))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Workflow:
        """Build a workflow from plain data (e.g. parsed JSON, TOML or YAML).

        ``data`` has ``name``, ``initial``, optional ``stages`` (list of names), ``statuses``
        (a mapping of name to options: ``terminal``, ``exits``, ``pauses_clock``,
        ``keeps_stage``, ``description``) and ``transitions`` (a list of
        ``[source, event, target]`` triples).

        Every problem of shape is listed at once with its path, unknown keys included
        (with a "did you mean" suggestion); then the workflow's own checks run.

        Raises:
            WorkflowDefinitionError: if the data is malformed or the workflow invalid.
        """
        checked = read_workflow_data(data)
        return cls(
            name=checked.name,
            statuses=[WorkflowStatus(name, **options) for name, options in checked.statuses],
            initial=checked.initial,
            transitions=[Transition(*row) for row in checked.transitions],
            stages=checked.stages,
        )

    def to_mapping(self) -> dict[str, Any]:
        """Plain-data form accepted by :meth:`from_mapping` (round-trips exactly)."""
        return {
            "name": self.name,
            "initial": self.initial,
            "stages": list(self.stages),
            "statuses": {
                s.name: {
                    "terminal": s.terminal,
                    "exits": sorted(s.exits),
                    "pauses_clock": s.pauses_clock,
                    "keeps_stage": s.keeps_stage,
                    "description": s.description,
                }
                for s in self.statuses
            },
            "transitions": [[t.source, t.event, t.target] for t in self.transitions],
        }


def _reachable(start: str, edges: Mapping[str, set[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _check(wf: Workflow) -> list[str]:
    problems: list[str] = []
    names = [s.name for s in wf.statuses]
    declared = set(names)
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Message("status {name!r} is declared more than once", name=name))
    for name in names:
        if not isinstance(name, str) or not name:
            problems.append(Message("status names must be non-empty strings, got {name!r}", name=name))
    if wf.initial not in declared:
        problems.append(Message("initial status {initial!r} is not declared; declare it in statuses",
                                initial=wf.initial))
    elif any(s.terminal for s in wf.statuses if s.name == wf.initial):
        problems.append(
            Message("initial status {initial!r} is terminal; a ticket must be able to start",
                    initial=wf.initial)
        )
    if not any(s.terminal for s in wf.statuses):
        problems.append(Message("no terminal status; declare at least one (e.g. closed) with terminal=True"))
    for stage in wf.stages:
        if not isinstance(stage, str) or not stage:
            problems.append(Message("stage names must be non-empty strings, got {stage!r}", stage=stage))

    seen_moves: set[tuple[str, str]] = set()
    seen_rows: set[Transition] = set()
    edges: dict[str, set[str]] = {}
    for row in wf.transitions:
        bad = False
        for role, name in (("source", row.source), ("target", row.target)):
            if name not in declared:
                problems.append(Message("transition {row}: {role} {name!r} is not a declared status",
                                        row=_row(row), role=role, name=name))
                bad = True
        if row.event == _OPENED:
            problems.append(
                Message("transition {row}: 'opened' starts a ticket in the initial status and cannot "
                        "appear in the table", row=_row(row))
            )
            bad = True
        elif row.event in _HISTORY:
            problems.append(
                Message("transition {row}: {event!r} is accepted in every status and moves nothing; "
                        "remove it from the table", row=_row(row), event=row.event)
            )
            bad = True
        elif row.event not in EVENT_TYPES:
            problems.append(
                Message("transition {row}: unknown event {event!r}; use one of {items}", row=_row(row),
                        event=row.event, items=', '.join(sorted(set(EVENT_TYPES) - set(_HISTORY))))
            )
            bad = True
        if row in seen_rows:
            problems.append(Message("transition {row} is listed twice", row=_row(row)))
            continue
        seen_rows.add(row)
        if row.event == STATUS_CHANGED:
            if row.source == row.target:
                problems.append(Message("transition {row}: a status change must change the status",
                                        row=_row(row)))
        elif (row.source, row.event) in seen_moves:
            problems.append(
                Message("transition {row}: {source!r} already has a row for {event!r}; the table must say "
                        "exactly where each event leads", row=_row(row), source=row.source, event=row.event)
            )
        seen_moves.add((row.source, row.event))
        if row.event == "stage_changed" and not wf.stages:
            problems.append(Message("transition {row}: the workflow declares no stages", row=_row(row)))
        if row.event == "stage_changed" and not bad and not any(
            s.keeps_stage for s in wf.statuses if s.name == row.target
        ):
            problems.append(
                Message("transition {row}: the target does not keep stages (keeps_stage=False), so the "
                        "new stage would be dropped at once", row=_row(row))
            )
        if not bad:
            edges.setdefault(row.source, set()).add(row.target)

    if problems:
        return problems  # graph checks on a broken table only produce noise

    for status in wf.statuses:
        leaving = {
            t.event for t in wf.transitions if t.source == status.name and t.target != status.name
        }
        if status.terminal:
            for event in sorted(leaving - status.exits):
                problems.append(
                    Message("terminal status {name!r} is left by {event!r}, which it does not declare in "
                            "exits; add it to exits or remove the row", name=status.name, event=event)
                )
            for event in sorted(status.exits - leaving):
                problems.append(
                    Message("terminal status {name!r} declares exit {event!r} but no row uses it",
                            name=status.name, event=event)
                )
        elif status.exits:
            problems.append(Message("status {name!r} is not terminal, so it cannot declare exits",
                                    name=status.name))

    reachable = _reachable(wf.initial, edges)
    for name in names:
        if name not in reachable:
            problems.append(
                Message("status {name!r} is unreachable from the initial status {initial!r}", name=name,
                        initial=wf.initial)
            )
    terminals = {s.name for s in wf.statuses if s.terminal}
    for name in names:
        if name not in terminals and not (_reachable(name, edges) & terminals):
            problems.append(Message("status {name!r} is a trap: no terminal status can be reached from it",
                                    name=name))
    return problems


def _row(row: Transition) -> str:
    return f"({row.source!r}, {row.event!r}, {row.target!r})"
