"""Diagrams and tables drawn from a workflow's transition table (the docs use these)."""

from __future__ import annotations

from slakit.workflow._default import DEFAULT_WORKFLOW
from slakit.workflow._definition import Workflow


def workflow_to_mermaid(workflow: Workflow = DEFAULT_WORKFLOW) -> str:
    """A Mermaid ``stateDiagram-v2`` of ``workflow``.

    Arrows are status changes labelled with the events that cause them; events that keep the
    status are listed inside the status box, with its description and whether it pauses SLA
    clocks.

    Example:
        >>> print(workflow_to_mermaid().splitlines()[1])
            [*] --> new : opened
    """
    lines = ["stateDiagram-v2", f"    [*] --> {workflow.initial} : opened"]
    for status in workflow.statuses:
        if status.description:
            lines.append(f"    {status.name} : {status.description}")
        if status.pauses_clock:
            lines.append(f"    {status.name} : (SLA clocks paused)")
        stays = sorted(
            {t.event for t in workflow.transitions if t.source == t.target == status.name}
        )
        if stays:
            lines.append(f"    {status.name} : also accepts {', '.join(stays)}")
    arrows: dict[tuple[str, str], list[str]] = {}
    for row in workflow.transitions:
        if row.source != row.target:
            events = arrows.setdefault((row.source, row.target), [])
            if row.event not in events:
                events.append(row.event)
    for (source, target), events in arrows.items():
        lines.append(f"    {source} --> {target} : {', '.join(events)}")
    for status in workflow.statuses:
        if status.terminal:
            lines.append(f"    {status.name} --> [*]")
    return "\n".join(lines) + "\n"


def workflow_to_markdown(workflow: Workflow = DEFAULT_WORKFLOW) -> str:
    """Markdown for the docs: the Mermaid diagram, then the status and transition tables."""
    out = ["```mermaid", workflow_to_mermaid(workflow).rstrip("\n"), "```", ""]
    out += [
        "| status | kind | pauses SLA clocks | keeps stage | description |",
        "|---|---|---|---|---|",
    ]
    for s in workflow.statuses:
        kind = "initial" if s.name == workflow.initial else "terminal" if s.terminal else ""
        if s.exits:
            kind += f" (exits: {', '.join(sorted(s.exits))})"
        out.append(
            f"| `{s.name}` | {kind} | {'yes' if s.pauses_clock else ''} | "
            f"{'yes' if s.keeps_stage else ''} | {s.description} |"
        )
    out += ["", "| from | event | to |", "|---|---|---|"]
    for row in workflow.transitions:
        target = "(same)" if row.target == row.source else f"`{row.target}`"
        out.append(f"| `{row.source}` | `{row.event}` | {target} |")
    return "\n".join(out) + "\n"
