from __future__ import annotations

from pathlib import Path

from slakit.workflow import Workflow, workflow_to_markdown, workflow_to_mermaid

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
BEGIN = "<!-- BEGIN GENERATED: workflow_to_markdown() -->\n"
END = "<!-- END GENERATED -->\n"


def test_doc_diagram_matches_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert generated == workflow_to_markdown()


def test_mermaid_of_a_small_workflow_exact() -> None:
    wf = Workflow.from_mapping({
        "name": "t",
        "initial": "open",
        "statuses": {"open": {"description": "new"}, "hold": {"pauses_clock": True},
                     "done": {"terminal": True}},
        "transitions": [["open", "status_changed", "hold"], ["hold", "status_changed", "open"],
                        ["open", "agent_replied", "open"], ["open", "resolved", "done"],
                        ["hold", "resolved", "done"]],
    })
    assert workflow_to_mermaid(wf) == (
        "stateDiagram-v2\n"
        "    [*] --> open : opened\n"
        "    open : new\n"
        "    open : also accepts agent_replied\n"
        "    hold : (SLA clocks paused)\n"
        "    open --> hold : status_changed\n"
        "    hold --> open : status_changed\n"
        "    open --> done : resolved\n"
        "    hold --> done : resolved\n"
        "    done --> [*]\n"
    )
