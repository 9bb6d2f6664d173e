"""Re-selection of the policy after a ``facts_changed`` event (issue 14, item 1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import (
    EscalationRule,
    PolicySet,
    PriorityChangeSettings,
    SlaPolicy,
    TicketFacts,
    after_breach,
    at_fraction,
    category_is,
    channel_is,
    every,
    fact,
    notify,
)
from slakit.sla import SlaEngine, due_escalations, next_wake_at
from slakit.sla._engine import _fact_values, applicable_rules
from slakit.workflow import (
    Event,
    FactsChanged,
    TicketAssigned,
    TicketOpened,
    TicketState,
    apply,
    can_apply,
)
from tests.sla.sla_testkit import C247, OFFICE, Events, H, M, sh, targets

MODES = ("restart", "keep_elapsed", "from_creation", "stricter")


def payment_set(mode: str = "keep_elapsed") -> PolicySet:
    payment = SlaPolicy(
        "payment", "1", category_is("payment"),
        targets("normal", C247, first_response=30 * M, resolution=4 * H),
        PriorityChangeSettings(policy_change=mode),  # type: ignore[arg-type]
    )
    chat = SlaPolicy("chat", "1", channel_is("chat") & category_is("delivery"),
                     targets("normal", OFFICE, first_response=H, resolution=8 * H))
    default = SlaPolicy("default", "1", targets=targets(
        "normal", OFFICE, first_response=2 * H, resolution=24 * H))
    return PolicySet([payment, chat], fallback=default)


def chat_ticket(mode: str) -> tuple[TicketState, dict[str, datetime | None]]:
    ev = Events()
    # Opened at 08:50 on a Monday, before the office opens; categorised 20 minutes later.
    events = [ev.opened(sh(3, 3, 8, 50), channel="chat"),
              ev.facts(sh(3, 3, 9, 10), category="payment")]
    ticket, sla = SlaEngine(payment_set(mode)).apply_all(events)
    assert sla.choice.policy is not None
    assert sla.choice.policy.name == "payment"
    return ticket, {r.metric: r.due_at for r in sla.at(sh(3, 3, 9, 11))
                    if r.metric in ("first_response", "resolution")}


@pytest.mark.parametrize(("mode", "first_response", "resolution"), [
    ("restart", sh(3, 3, 9, 40), sh(3, 3, 13, 10)),       # 30 min / 4 h from 09:10
    ("keep_elapsed", sh(3, 3, 9, 30), sh(3, 3, 13, 0)),   # 10 office minutes carried
    ("from_creation", sh(3, 3, 9, 20), sh(3, 3, 12, 50)),  # 24x7 since 08:50
    ("stricter", sh(3, 3, 9, 30), sh(3, 3, 13, 0)),       # keep_elapsed beats 11:00 / 3-7
])
def test_a_chat_ticket_categorised_20_minutes_later_moves_to_the_payment_policy(
    mode: str, first_response: datetime, resolution: datetime
) -> None:
    _, due = chat_ticket(mode)
    assert due == {"first_response": first_response, "resolution": resolution}


def test_the_change_is_recorded_in_the_clock_history() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 8, 50), channel="chat"),
              ev.facts(sh(3, 3, 9, 10), category="payment")]
    _, sla = SlaEngine(payment_set("restart")).apply_all(events)
    cycle = sla.clock("first_response").cycles[-1]
    assert (cycle.policy, cycle.target) == ("payment", 30 * M)
    (change,) = cycle.changes
    assert (change.mode, change.old_target, change.new_target) == ("restart", 2 * H, 30 * M)
    assert (change.old_due, change.new_due) == (sh(3, 3, 11), sh(3, 3, 9, 40))


def test_same_policy_after_a_facts_change_keeps_the_running_targets() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 8, 50), channel="chat"),
              ev.facts(sh(3, 3, 9, 10), organisation="acme", sev=3)]
    _, sla = SlaEngine(payment_set("restart")).apply_all(events)
    assert sla.facts.organisation == "acme"
    assert sla.facts.value("sev") == 3
    assert sla.clock("resolution").cycles[-1].changes == ()


def test_clearing_the_category_goes_back_to_the_fallback() -> None:
    ev = Events()
    events = [ev.opened(sh(3, 3, 9), channel="chat", category="payment"),
              ev.facts(sh(3, 3, 9, 10), clear=("category",))]
    _, sla = SlaEngine(payment_set()).apply_all(events)
    assert sla.choice.describe() == "policy 'default' v1 (fallback)"
    # keep_elapsed: 10 minutes carried, 2 office hours in all.
    assert sla.at(sh(3, 3, 9, 10))[0].due_at == sh(3, 3, 11)


# ---- properties ------------------------------------------------------------------------------

FACTS = st.fixed_dictionaries({}, optional={
    "category": st.sampled_from(["payment", "delivery", None]),
    "channel": st.sampled_from(["chat", "email", None]),
})
ACTIONS = ("reply", "customer", "wait", "back", "resolve", "reopen", "facts", "priority")


def plain_event(ev: Events, action: str, t: datetime) -> Event:
    """The event of a stream action that moves no fact: a status change, a reply, ..."""
    if action in ("wait", "back"):
        return ev.status(t, "waiting_on_customer" if action == "wait" else "in_progress")
    return {"reply": ev.reply, "customer": ev.customer, "resolve": ev.resolved,
            "reopen": ev.reopened}[action](t)


@st.composite
def streams(draw: st.DrawFn) -> list[Event]:
    ev = Events()
    t = sh(3, 3) + draw(st.integers(0, 3 * 24 * 60)) * M
    events = [ev.opened(t, channel=draw(st.sampled_from(["chat", "email", None])),
                        category=draw(st.sampled_from(["payment", "delivery", None])))]
    ticket = apply(None, events[0])
    for _ in range(draw(st.integers(0, 10))):
        t += draw(st.sampled_from([0, 1, 20, 61, 300, 1440])) * M
        action = draw(st.sampled_from(ACTIONS))
        if action == "facts":
            values = draw(FACTS)
            e = ev.facts(t, clear=tuple(k for k, v in values.items() if v is None),
                         **{k: v for k, v in values.items() if v is not None})
        elif action == "priority":
            e = ev.priority(t, draw(st.sampled_from(["normal", "urgent"])))
        else:
            e = plain_event(ev, action, t)
        if can_apply(ticket, e):
            ticket = apply(ticket, e)
            events.append(e)
    return events


def with_urgent(ps: PolicySet) -> PolicySet:
    """The payment set with urgent targets too, so priority changes retarget."""
    def more(p: SlaPolicy) -> SlaPolicy:
        cal = C247 if p.name == "payment" else OFFICE
        extra = targets("urgent", cal, first_response=15 * M, resolution=2 * H)
        return SlaPolicy(p.name, p.version, p.when, [*p.targets, *extra], p.priority_change)
    assert ps.fallback is not None
    return PolicySet([more(p) for p in ps.policies], fallback=more(ps.fallback))


@settings(max_examples=150, deadline=None)
@given(streams(), st.sampled_from(MODES))
def test_the_policy_after_any_facts_change_is_the_one_chosen_for_the_final_facts(
    events: list[Event], mode: str
) -> None:
    eng = SlaEngine(with_urgent(payment_set(mode)))
    ticket, sla = eng.apply_all(events)
    facts = TicketFacts.of(ticket)
    assert sla.facts == facts
    assert sla.choice == eng.policies.select(facts)
    assert dict(sla.rules) == applicable_rules(sla.choice.policy, facts)
    # Every open cycle is judged by the chosen policy at the ticket's final priority, unless
    # stricter kept the earlier deadline (and with it the policy that set it).
    for clock in sla.clocks:
        cur = clock.current
        if cur is not None and cur.is_open and not (cur.changes and cur.changes[-1].kept == "old"):
            assert (cur.policy, cur.priority) == (sla.choice.policy.name,  # type: ignore[union-attr]
                                                   ticket.priority)


@settings(max_examples=150, deadline=None)
@given(streams(), st.integers(1, 3 * 24 * 60))
def test_from_creation_equals_a_ticket_opened_with_the_final_facts(
    events: list[Event], minutes: int
) -> None:
    # One facts change right after opening, then the rest of the stream without facts or
    # priority changes: under from_creation every clock equals the from-scratch fold.
    first = events[0]
    assert isinstance(first, TicketOpened)
    rest = [e for e in events[1:] if e.event_type not in ("facts_changed", "priority_changed")]
    opened_plain = attrs.evolve(first, channel="chat", category=None)
    change = FactsChanged(ticket="T-1", at=first.at + M, event_id="fc",
                          set={"category": "payment"})
    opened_final = attrs.evolve(first, channel="chat", category="payment")
    eng = SlaEngine(payment_set("from_creation"))
    later = [e for e in rest if e.at >= first.at + M]
    try:
        _, changed = eng.apply_all([opened_plain, change, *later])
        _, scratch = eng.apply_all([opened_final, *later])
    except ValueError:
        return  # the remaining stream is not valid without the dropped events
    now = max(e.at for e in [change, *later]) + minutes * M
    assert changed.at(now) == scratch.at(now)


def test_an_expected_resolution_fact_chooses_a_tighter_update_clock() -> None:
    # Seed 000: faults an engineer expects to take over 2 h get a 30-minute update clock.
    # The expected resolution (预计解决时间) is a custom number field set by facts_changed.
    long_fault = SlaPolicy("long-fault", "1", fact("expected_hours").gt(2), [
        *targets("normal", C247, periodic_update=30 * M, resolution=8 * H)])
    default = SlaPolicy("default", "1", targets=targets(
        "normal", C247, periodic_update=2 * H, resolution=8 * H))
    ps = PolicySet([long_fault], fallback=default, fields={"expected_hours": "number"})
    ev = Events()
    events = [ev.opened(sh(3, 3, 9)), ev.reply(sh(3, 3, 9, 5)),
              ev.facts(sh(3, 3, 9, 10), expected_hours=3)]
    _, sla = SlaEngine(ps).apply_all(events)
    assert sla.choice.describe() == "policy 'long-fault' v1 (matched)"
    (update,) = [r for r in sla.at(sh(3, 3, 9, 10)) if r.metric == "periodic_update"]
    assert (update.target, update.due_at) == (30 * M, sh(3, 3, 9, 35))
    _, sla2 = SlaEngine(ps).apply_all([*events, ev.facts(sh(3, 3, 9, 20), expected_hours=1.5)])
    assert sla2.choice.describe() == "policy 'default' v1 (fallback)"


# ---- one rules view per set of rules (the wake-up memo survives a change that keeps them) ----

HOTLINE_HALF = EscalationRule("half", "resolution", at_fraction(0.5), [notify("lead")],
                              when=channel_is("hotline"))
L3_HOURLY = EscalationRule("hourly", "resolution", every(H), [notify("lead")],
                           when=fact("group").eq("l3"))
ALWAYS_LATE = EscalationRule("late", "first_response", after_breach(timedelta(0)), [notify("lead")])


def ruled_engine(office: bool) -> SlaEngine:
    policy = SlaPolicy("standard", "1", targets=targets(
        "normal", OFFICE if office else C247, first_response=H, resolution=4 * H),
        escalations=[HOTLINE_HALF, L3_HOURLY, ALWAYS_LATE])
    return SlaEngine(PolicySet([], fallback=policy, priorities=("normal",)))


def test_an_assignment_that_keeps_the_rules_keeps_their_view_and_the_wake_up_memo() -> None:
    ev = Events()
    eng = ruled_engine(office=False)
    opened = ev.opened(sh(3, 3, 9), channel="web")
    state = eng.advance(None, opened, apply(None, opened))
    assert next_wake_at(state, opened.at) == sh(3, 3, 10)  # first response due
    memo = state._wake_memo
    assigned = TicketAssigned(ticket="T-1", at=sh(3, 3, 9, 5), event_id="a", assignee="ana",
                              group="l2")
    ticket = apply(apply(None, opened), assigned)
    after = eng.advance(state, assigned, ticket)
    # The facts moved (the group), the rules did not: the same view, so the memo goes along.
    assert after.facts != state.facts
    assert after.rules is state.rules
    assert after._wake_memo is memo
    assert next_wake_at(after, assigned.at) == sh(3, 3, 10)
    # A group the rules name changes them: another view, with the hourly rule.
    to_l3 = TicketAssigned(ticket="T-1", at=sh(3, 3, 9, 10), event_id="b", assignee="bo",
                           group="l3")
    moved = eng.advance(after, to_l3, apply(ticket, to_l3))
    assert moved.rules is not after.rules
    assert [r.name for r in moved.rules["resolution"]] == ["hourly"]


GROUPS = st.sampled_from(["l2", "l3", None])


@st.composite
def ruled_streams(draw: st.DrawFn) -> list[Event]:
    ev = Events()
    t = sh(3, 3, 8) + draw(st.integers(0, 24 * 60)) * M
    events: list[Event] = [ev.opened(t, channel=draw(st.sampled_from(["hotline", "web"])))]
    ticket = apply(None, events[0])
    for i in range(draw(st.integers(0, 10))):
        t += draw(st.sampled_from([0, 1, 20, 61, 300])) * M
        action = draw(st.sampled_from(["assign", "assign", "facts", "reply", "wait", "back",
                                       "customer", "resolve", "reopen"]))
        e: Event
        if action == "assign":
            e = TicketAssigned(ticket="T-1", at=t, event_id=f"a{i}", assignee="ana",
                               group=draw(GROUPS))
        elif action == "facts":
            e = ev.facts(t, channel=draw(st.sampled_from(["hotline", "web"])))
        else:
            e = plain_event(ev, action, t)
        if can_apply(ticket, e):
            ticket = apply(ticket, e)
            events.append(e)
    return events


@settings(max_examples=150, deadline=None)
@given(ruled_streams(), st.booleans(), st.lists(st.integers(0, 600), max_size=3))
def test_memoised_wake_ups_and_escalations_equal_fresh_ones_through_facts_changes(
    events: list[Event], office: bool, offsets: list[int]
) -> None:
    # The memo carried from state to state (kept when the rules' view is the same object)
    # must answer as a computation from scratch: next_wake_at with already_fired computes
    # every clock afresh, and due_escalations without since reads no memo.
    eng = ruled_engine(office)
    ticket: TicketState | None = None
    state = None
    since = None
    for e in events:
        ticket = apply(ticket, e)
        state = eng.advance(state, e, ticket)
        for now in [e.at, *(e.at + k * M for k in sorted(offsets))]:
            assert next_wake_at(state, now) == next_wake_at(state, now, already_fired={"-"})
            if since is not None and since <= now:
                assert due_escalations(state, now, since=since) == tuple(
                    d for d in due_escalations(state, now) if d.fire_at > since)
            since = now


@given(st.builds(TicketFacts, st.sampled_from(["high", "low"]), st.none() | st.just("c"),
                 tags=st.frozensets(st.sampled_from("ab")),
                 custom=st.dictionaries(st.just("n"), st.integers(0, 1) | st.booleans())),
       st.builds(TicketFacts, st.sampled_from(["high", "low"]), st.none() | st.just("c"),
                 tags=st.frozensets(st.sampled_from("ab")),
                 custom=st.dictionaries(st.just("n"), st.integers(0, 1) | st.booleans())))
def test_the_choice_cache_key_holds_every_fact(a: TicketFacts, b: TicketFacts) -> None:
    """The engine keys its choices by the facts' values as a tuple: equal exactly when the
    facts are, and every field is in it."""
    assert (_fact_values(a) == _fact_values(b)) == (a == b)
    assert len(_fact_values(a)) == len(attrs.fields(TicketFacts))
