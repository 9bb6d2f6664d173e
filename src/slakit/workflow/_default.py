"""The default after-sales workflow, as data.

It follows how real desks run a ticket: registration -> an engineer takes it -> investigation,
solution plan, fix (the work stages of ``in_progress``) -> the customer accepts the resolution
(or the desk auto-closes it). Waiting on the customer or on a third party pauses SLA clocks.
Reopening after close is allowed because real desks do it (the public logs show it).

Choices a host might not guess, all visible in the table:

- A customer reply moves ``waiting_on_customer`` back to ``in_progress`` (the ball is back with
  the desk); while waiting on a third party it changes nothing.
- Re-assigning does not change the work status; only the first assignment moves ``new`` to
  ``assigned``. A stage change on an assigned ticket starts the work (``in_progress``).
- ``resolved`` accepts replies and a rating; a customer reply does not reopen on its own: the
  host decides and sends ``reopened``.
- Any open status may go back to ``new`` with ``status_changed`` (returned to the queue, e.g.
  transferred to another group: 3,960 of the 7,554 BPIC 2013 incidents do it), and ``new`` may
  go straight to waiting on a third party (forwarded to a vendor before anyone took it). A
  status change never touches the assignee.
- ``facts_changed`` (category, tags, group, custom fields...) is accepted in every open status
  and in ``resolved`` and never moves the status; a closed or cancelled ticket's facts stay
  as they were when it ended.
- ``closed`` is terminal except for ``reopened``; ``cancelled`` is terminal for good. Closing
  needs a resolution first: a desk that closes without resolving sends ``resolved`` then
  ``closed`` (or ``cancelled`` for a ticket that needed no work).
"""

from __future__ import annotations

from slakit.workflow._definition import Transition, Workflow, WorkflowStatus

_STAY = ("agent_replied", "customer_replied", "priority_changed", "facts_changed")


def _rows() -> list[Transition]:
    rows: list[Transition] = []

    def add(source: str, event: str, target: str | None = None) -> None:
        rows.append(Transition(source, event, source if target is None else target))

    def stay(source: str, *events: str) -> None:
        for event in events:
            add(source, event)

    def status_changes(source: str, *targets: str) -> None:
        for target in targets:
            add(source, "status_changed", target)

    def can_end(source: str) -> None:
        add(source, "resolved", "resolved")
        add(source, "cancelled", "cancelled")

    add("new", "assigned", "assigned")
    stay("new", *_STAY)
    status_changes("new", "in_progress", "waiting_on_customer", "waiting_on_third_party")
    can_end("new")

    stay("assigned", "assigned", *_STAY)
    add("assigned", "stage_changed", "in_progress")
    status_changes(
        "assigned", "new", "in_progress", "waiting_on_customer", "waiting_on_third_party"
    )
    can_end("assigned")

    stay("in_progress", "assigned", "stage_changed", *_STAY)
    status_changes(
        "in_progress", "new", "assigned", "waiting_on_customer", "waiting_on_third_party"
    )
    can_end("in_progress")

    stay("waiting_on_customer", "assigned", "agent_replied", "priority_changed", "facts_changed")
    add("waiting_on_customer", "customer_replied", "in_progress")
    status_changes(
        "waiting_on_customer", "new", "assigned", "in_progress", "waiting_on_third_party"
    )
    can_end("waiting_on_customer")

    stay("waiting_on_third_party", "assigned", *_STAY)
    status_changes(
        "waiting_on_third_party", "new", "assigned", "in_progress", "waiting_on_customer"
    )
    can_end("waiting_on_third_party")

    stay("resolved", "agent_replied", "customer_replied", "rated", "facts_changed")
    add("resolved", "reopened", "in_progress")
    add("resolved", "closed", "closed")

    stay("closed", "rated")
    add("closed", "reopened", "in_progress")
    return rows


DEFAULT_WORKFLOW = Workflow(
    name="after-sales",
    statuses=[
        WorkflowStatus("new", description="registered, not yet taken"),
        WorkflowStatus("assigned", description="an engineer owns it"),
        WorkflowStatus(
            "in_progress",
            keeps_stage=True,
            description="being worked on (stage: investigating, planning, fixing)",
        ),
        WorkflowStatus(
            "waiting_on_customer",
            pauses_clock=True,
            keeps_stage=True,
            description="waiting for the customer's answer",
        ),
        WorkflowStatus(
            "waiting_on_third_party",
            pauses_clock=True,
            keeps_stage=True,
            description="waiting for a vendor, carrier or other team",
        ),
        WorkflowStatus("resolved", description="fix delivered, awaiting the customer's acceptance"),
        WorkflowStatus(
            "closed",
            terminal=True,
            exits={"reopened"},
            description="accepted or auto-closed",
        ),
        WorkflowStatus("cancelled", terminal=True, description="duplicate or invalid"),
    ],
    initial="new",
    transitions=_rows(),
    stages=("investigating", "planning", "fixing"),
)
"""The default after-sales workflow (see docs/workflow.md for its diagram)."""
