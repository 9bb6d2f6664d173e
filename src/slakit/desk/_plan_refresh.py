"""Which open tickets of a customer hold outdated plan facts, and what event updates them?

Design rules:

- A ticket's plan facts are those in its history: the ``FactsChanged`` recorded when it was
  opened, and any recorded since. A plan change (a lapse, a renewal, an upgrade, a quota
  used) reaches a ticket already open only through a new ``FactsChanged`` event, so the SLA
  engine re-selects the policy from that instant on and :func:`slakit.policies.why_selected`
  gives the new ``plan_reason``; the history says when and why the policy changed.
- :func:`plan_facts_update` is pure: the event that brings a ticket's plan facts to what
  they are at ``now`` (``quota_left.*`` facts of quotas the plan no longer has are
  cleared), or None when they already are, so a second refresh records nothing. The
  event's id is derived from the ticket and the instant: a redelivered refresh is skipped.
- :func:`open_tickets` reads the tenant's tickets in every non-terminal status of the
  workflow and keeps the customer's: the desk store has no index by customer, so its cost
  grows with the tenant's open tickets (a refresh runs on plan changes, not on every tick).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from slakit.plans import PlanState, plan_fact_changes
from slakit.storage import TicketStore
from slakit.workflow import FactsChanged, TicketState, Workflow

_QUOTA = "quota_left."


def plan_facts_update(state: TicketState, plans: PlanState, now: datetime) -> FactsChanged | None:
    """The ``FactsChanged`` at ``now`` that makes ``state``'s plan facts current, or None."""
    set_, clear = plan_fact_changes(plans, now, channel=state.channel)
    stale = {k for k in state.custom if k.startswith(_QUOTA) and k not in set_}
    clear = frozenset(k for k in clear | stale if k in state.custom)
    changed = {k: v for k, v in set_.items()
               if k not in state.custom or state.custom[k] != v
               or type(state.custom[k]) is not type(v)}
    if not changed and not clear:
        return None
    return FactsChanged(ticket=state.ticket, at=now,
                        event_id=f"{state.ticket}/plan@{now.astimezone(UTC).isoformat()}",
                        set=changed, clear=clear)


def open_tickets(
    store: TicketStore, workflow: Workflow, tenant: str, customer: str
) -> Iterator[TicketState]:
    """The states of ``customer``'s tickets in a non-terminal status, by status then id."""
    for status in workflow.status_names:
        if status in workflow.terminal_statuses:
            continue
        for summary in store.list_by_status(tenant, status):
            state = store.load_state(tenant, summary.ticket)
            if state is not None and state.customer == customer:
                yield state
