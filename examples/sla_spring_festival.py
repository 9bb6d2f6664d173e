"""The worked SLA example: a ticket over the Spring Festival 2025, exact to the minute.

Run: ``python examples/sla_spring_festival.py``. The promises are in
``examples/sla_policies.toml``; the story:

* Fri 2025-01-24 20:30 (Asia/Shanghai) a customer reports that some orders fail: ``normal``
  priority, office hours (Mon-Fri 09:00-18:00, CN holidays; Sun 26 Jan is a makeup workday
  and 28 Jan - 4 Feb are the Spring Festival holidays).
* Sun 26 Jan the engineer answers, asks for logs and sets the ticket waiting on the customer:
  every pausable clock stops.
* Wed 5 Feb, after the holidays, the customer answers; it turns out payments are down: the
  ticket is upgraded to ``urgent`` (24x7, 4 h to fix, ``stricter`` upgrade rule).
* The fix ships at 12:50; the customer reopens the next morning; fixed again at 09:50.

Alongside: the same minute on the emergency hotline, a suggestion, and a ticket in the
11.11 peak window.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slakit.policies import PolicySet, load_policies
from slakit.sla import SlaEngine, SlaState, due_escalations, next_wake_at
from slakit.workflow import (
    AgentReplied,
    CustomerReplied,
    Event,
    PriorityChanged,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketOpened,
    TicketReopened,
    TicketResolved,
    apply,
)

SH = ZoneInfo("Asia/Shanghai")
POLICIES = Path(__file__).with_name("sla_policies.toml")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SH)


def load() -> PolicySet:
    with POLICIES.open("rb") as f:
        return load_policies(tomllib.load(f))


def story() -> list[Event]:
    ids: Iterator[int] = iter(range(1, 100))

    def common(t: datetime) -> dict[str, object]:
        return {"ticket": "A-1001", "at": t, "event_id": f"a{next(ids)}"}

    return [
        TicketOpened(**common(at(1, 24, 20, 30)), priority="normal", category="order",  # type: ignore[arg-type]
                     channel="web", customer="shop-42", customer_tier="gold",
                     subject="some orders fail at checkout"),
        TicketAssigned(**common(at(1, 26, 9, 20)), assignee="li.na", group="l2"),  # type: ignore[arg-type]
        AgentReplied(**common(at(1, 26, 9, 40))),  # type: ignore[arg-type]
        StatusChanged(**common(at(1, 26, 9, 45)), to="waiting_on_customer"),  # type: ignore[arg-type]
        CustomerReplied(**common(at(2, 5, 10))),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 5, 10, 20))),  # type: ignore[arg-type]
        PriorityChanged(**common(at(2, 5, 10, 30)), priority="urgent",  # type: ignore[arg-type]
                        reason="payment gateway down for all cards"),
        StageChanged(**common(at(2, 5, 10, 45)), stage="planning"),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 5, 10, 58))),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 5, 11, 25))),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 5, 11, 52))),  # type: ignore[arg-type]
        StageChanged(**common(at(2, 5, 12, 10)), stage="fixing"),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 5, 12, 20))),  # type: ignore[arg-type]
        TicketResolved(**common(at(2, 5, 12, 50)), resolution_code="fixed"),  # type: ignore[arg-type]
        TicketReopened(**common(at(2, 6, 9))),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 6, 9, 10))),  # type: ignore[arg-type]
        AgentReplied(**common(at(2, 6, 9, 35))),  # type: ignore[arg-type]
        TicketResolved(**common(at(2, 6, 9, 50)), resolution_code="fixed"),  # type: ignore[arg-type]
    ]


def fmt(t: datetime | None) -> str:
    return "-" if t is None else t.astimezone(SH).strftime("%a %m-%d %H:%M")


def show_clocks(state: SlaState, now: datetime) -> None:
    print(f"  clocks at {fmt(now)}:")
    for r in state.at(now):
        print(f"    {r.metric:<17} #{r.cycle} {r.status:<17} {r.priority:<7} due {fmt(r.due_at)}"
              f"  elapsed {r.elapsed}  breached {fmt(r.breached_at)}"
              f"  [{r.policy} v{r.policy_version}, {r.calendar} v{r.calendar_version}]")


def first_due(engine: SlaEngine, event: Event, metric: str) -> str:
    _, state = engine.apply_all([event])
    (r,) = [r for r in state.at(event.at) if r.metric == metric]
    return fmt(r.due_at)


def main() -> None:
    engine = SlaEngine(load())
    events = story()
    ticket = None
    state: SlaState | None = None
    fired: set[str] = set()  # the host's record of decision keys it acted on

    print("Ticket A-1001 over the Spring Festival")
    for i, event in enumerate(events):
        ticket = apply(ticket, event)
        state = engine.advance(state, event, ticket)
        print(f"{fmt(event.at)}  {event.event_type:<16} -> {ticket.status}, {ticket.priority}")
        if event.event_type in ("opened", "priority_changed", "reopened"):
            show_clocks(state, event.at)
        # The host evaluates after each event, then sleeps until next_wake_at (no polling).
        following = events[i + 1].at if i + 1 < len(events) else None
        now: datetime | None = event.at
        while now is not None and (following is None or now < following):
            for d in due_escalations(state, now, already_fired=fired):
                fired.add(d.key)
                actions = ", ".join(f"{a.kind} {'/'.join(a.targets)}" for a in d.actions)
                print(f"  {fmt(d.fire_at)}  escalation {d.rule:<14} {actions:<28} {d.reason}")
            now = next_wake_at(state, now, already_fired=fired)
    assert state is not None
    show_clocks(state, at(2, 7, 12))

    print("\nThe same Friday evening elsewhere")
    hotline = TicketOpened(ticket="B-7", at=at(1, 24, 20, 30), event_id="b1",
                           priority="urgent", category="payment", channel="hotline",
                           customer="shop-9", customer_tier=None)
    suggestion = TicketOpened(ticket="C-3", at=at(1, 24, 20, 30), event_id="c1",
                              priority="normal", category="suggestion", channel="web",
                              customer="shop-5", customer_tier=None)
    peak = TicketOpened(ticket="D-11", at=at(11, 11, 20, 30), event_id="d1",
                        priority="normal", category="order", channel="web",
                        customer="shop-5", customer_tier=None)
    plain = TicketOpened(ticket="D-12", at=at(11, 20, 20, 30), event_id="d2",
                         priority="normal", category="order", channel="web",
                         customer="shop-5", customer_tier=None)
    print(f"  hotline urgent     first response due {first_due(engine, hotline, 'first_response')}"
          f", engineer due {first_due(engine, hotline, 'engineer_assigned')}")
    print(f"  suggestion         first response due "
          f"{first_due(engine, suggestion, 'first_response')}")
    print(f"  11.11 peak normal  first response due {first_due(engine, peak, 'first_response')}")
    print(f"  after the peak     first response due {first_due(engine, plain, 'first_response')}")


if __name__ == "__main__":
    main()
