"""From an incoming ticket to its deadlines: triage, assignment, workflow and SLA clocks together.

Run: ``python examples/triage_to_sla.py``. Three tickets reach a shop's desk on Monday
2025-06-02 at 20:30 in Shanghai. For each, the host

1. classifies it with the shipped example rules (``default_classifier``), which explain why;
2. maps the triage priority onto its SLA ladder (triage's ``suggestion`` is the SLA
   policies' ``low``: the two ladders are the host's to join, and a missing link fails loudly);
3. picks an agent: the customer's dedicated advisor if on shift, else someone with the skill
   for the category, least loaded first;
4. opens the ticket in the workflow with that priority, assigns it, and folds both events
   into the SLA engine (``examples/sla_policies.toml``), which gives the deadlines and the
   instant the host's scheduler should wake it next.

Everything is pure: the host owns the clock (``NOW``), the store and the scheduler.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slakit import BusinessCalendar
from slakit.assignment import (
    Agent,
    AssignmentPlan,
    AssignmentRequest,
    DedicatedAdvisor,
    LeastLoaded,
    SkillMatch,
)
from slakit.policies import load_policies
from slakit.sla import SlaEngine, next_wake_at
from slakit.triage import TriageInput, default_classifier
from slakit.workflow import TicketAssigned, TicketOpened, apply

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 2, 20, 30, tzinfo=SH)
POLICIES = Path(__file__).with_name("sla_policies.toml")

# Triage's ladder -> the SLA policies' ladder.
SLA_PRIORITY = {"urgent": "urgent", "important": "important", "normal": "normal",
                "suggestion": "low"}  # fmt: skip

DAY_SHIFT = BusinessCalendar.every_day("09:00", "18:00", timezone=SH)
LATE_SHIFT = BusinessCalendar.every_day("14:00", "23:00", timezone=SH)
AGENTS = [
    Agent("ann", skills={"payment", "account"}, load=2, calendar=DAY_SHIFT),
    Agent("bob", skills={"payment", "system_fault"}, load=4, calendar=LATE_SHIFT),
    Agent("cho", skills={"payment", "logistics"}, load=1, calendar=LATE_SHIFT),
    Agent("dee", skills={"after_sales", "product_quality", "account"}, load=0, calendar=LATE_SHIFT),
]
PLAN = AssignmentPlan([
    DedicatedAdvisor(),
    SkillMatch({c: {c} for c in ("payment", "logistics", "account", "after_sales",
                                 "product_quality", "system_fault")}),
    LeastLoaded(),
])  # fmt: skip

INCOMING = [
    # (ticket id, customer, tier, dedicated advisor, subject, body)
    ("T-1", "shop-42", "vip", "ann", "支付接口报错", "顾客都无法付款，请尽快处理！"),
    ("T-2", "shop-7", None, None, "How do I set up a coupon?",
     "We want 10% off for returning customers."),
    ("T-3", "shop-9", None, "dee", "功能建议", "希望增加批量导出订单的功能。"),
]


def fmt(t: datetime | None) -> str:
    return "-" if t is None else t.astimezone(SH).strftime("%a %m-%d %H:%M")


def main() -> None:
    classifier = default_classifier()
    with POLICIES.open("rb") as f:
        engine = SlaEngine(load_policies(tomllib.load(f)))
    for ticket_id, customer, tier, advisor, subject, body in INCOMING:
        decision = classifier.classify(TriageInput(subject, body, customer_tier=tier, at=NOW))
        priority = SLA_PRIORITY[decision.priority]
        assignment = PLAN.assign(
            AssignmentRequest(NOW, advisor_id=advisor, category=decision.category), AGENTS
        )
        opened = TicketOpened(
            ticket=ticket_id, at=NOW, event_id=f"{ticket_id}-1", priority=priority,
            category=decision.category, channel="web", customer=customer, customer_tier=tier,
            subject=subject,
        )
        assigned = TicketAssigned(
            ticket=ticket_id, at=NOW, event_id=f"{ticket_id}-2", assignee=assignment.agent_id,
            group=None,
        )
        state = None
        sla = None
        for event in (opened, assigned):
            state = apply(state, event)
            sla = engine.advance(sla, event, state)
        assert sla is not None

        print(f"{ticket_id} {subject!r}")
        for line in decision.explain().splitlines():
            print(f"  triage  {line}")
        for line in assignment.explain().splitlines():
            print(f"  assign  {line}")
        for result in sla.at(NOW):
            if result.due_at is not None:
                print(f"  sla     {result.metric:<15} {priority:<9} due {fmt(result.due_at)}")
        print(f"  wake    {fmt(next_wake_at(sla, NOW))}\n")


if __name__ == "__main__":
    main()
