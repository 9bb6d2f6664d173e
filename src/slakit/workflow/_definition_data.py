"""Reading a workflow definition from plain data (parsed JSON, TOML or YAML).

Design rules:

* This module answers "is this document a well-formed workflow definition?": keys, types
  and shapes, every problem listed at once with its path (``statuses.closed.exits[0]``).
  Whether the workflow it describes makes sense (reachability, traps, exits) is checked by
  :class:`~slakit.workflow.Workflow` itself, once the document is well formed.
* Unknown keys are problems with a "did you mean" suggestion (a misspelt ``pause_clock``
  would otherwise leave a status that never pauses); flags must be ``true`` or ``false``.
* The reader returns plain, checked values; building the workflow stays in
  ``_definition.py`` (so neither module imports the other).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from slakit._message import Message
from slakit._problems import Problems, Table, depth_problem, described
from slakit.workflow._errors import WorkflowDefinitionError

TOP_KEYS = ("name", "initial", "stages", "statuses", "transitions")
STATUS_KEYS = ("terminal", "exits", "pauses_clock", "keeps_stage", "description")


@attrs.frozen
class WorkflowData:
    """A well-formed workflow document: the arguments of ``Workflow``, checked for shape."""

    name: str
    initial: str
    stages: tuple[str, ...]
    statuses: tuple[tuple[str, dict[str, Any]], ...]
    """``(name, options)`` per status, options being ``WorkflowStatus`` keyword arguments."""
    transitions: tuple[tuple[str, str, str], ...]


def read_workflow_data(data: object) -> WorkflowData:
    """Check the shape of a workflow document.

    Raises:
        WorkflowDefinitionError: listing every problem found, each with its path.
    """
    if not isinstance(data, Mapping):
        raise WorkflowDefinitionError(
            [Message("expected a table (a workflow definition), got {got}", got=described(data))])
    deep = depth_problem(data)
    if deep is not None:
        raise WorkflowDefinitionError([deep])
    problems = Problems()
    top = Table(data, "", problems)
    top.only(TOP_KEYS, Message("a workflow definition"))
    name = top.text("name", what=Message("the workflow's name"), required=True)
    initial = top.text("initial", what=Message("the name of the initial status"), required=True)
    stages = top.texts("stages", Message("stage names")) or ()
    statuses = _statuses(top)
    transitions = _transitions(top)
    if problems.items or name is None or initial is None:
        raise WorkflowDefinitionError(problems.items)
    return WorkflowData(name, initial, stages, statuses, transitions)


def _statuses(top: Table) -> tuple[tuple[str, dict[str, Any]], ...]:
    table = top.table("statuses", Message("status name -> options"), required=True)
    out: list[tuple[str, dict[str, Any]]] = []
    for name, raw in (table.raw.items() if table is not None else ()):
        assert table is not None
        if not isinstance(name, str):  # "" is refused by the workflow's own checks
            table.problems.add(f"{table.path}[{name!r}]", Message("a status name must be a string"))
            continue
        if raw is None:
            out.append((name, {}))
            continue
        status = Table.of(raw, table.at(name), table.problems, Message("the status's options"))
        if status is None:
            continue
        status.only(STATUS_KEYS, Message("a status"))
        options: dict[str, Any] = {}
        for flag in ("terminal", "pauses_clock", "keeps_stage"):
            value = status.flag(flag, False)
            if flag in status and value is not None:
                options[flag] = value
        exits = status.texts("exits", Message("event names"))
        if exits is not None:
            options["exits"] = exits
        if "description" in status:
            description = status.get("description")
            if isinstance(description, str):
                options["description"] = description
            else:
                status.bad("description", Message("expected a string, got {got}",
                                                  got=described(description)))
        out.append((name, options))
    return tuple(out)


def _transitions(top: Table) -> tuple[tuple[str, str, str], ...]:
    rows = top.items("transitions", Message("[source, event, target] rows"), required=True)
    out: list[tuple[str, str, str]] = []
    for place, row in enumerate(rows or ()):
        where = f"{top.at('transitions')}[{place}]"
        if (not isinstance(row, list | tuple) or len(row) != 3
                or not all(isinstance(v, str) and v for v in row)):
            top.problems.add(where, Message("expected a [source, event, target] row of three names, got "
                                            "{got}", got=described(row)))
            continue
        out.append((row[0], row[1], row[2]))
    return tuple(out)
