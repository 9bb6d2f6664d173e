"""Policy validity dates in the SLA fold: judged when a clock starts (issue 14, item 5)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import PolicySet, SlaPolicy, TicketFacts, always, priority_is
from slakit.sla import SlaEngine
from slakit.workflow import Event, TicketState, apply
from tests.sla.sla_testkit import C247, OFFICE, Events, H, M, sh, targets
from tests.sla.test_properties import streams

START = sh(1, 24)


def _policy(name: str, when: object, start: datetime | None, end: datetime | None,
            hours: int) -> SlaPolicy:
    return SlaPolicy(name, "1", when, [  # type: ignore[arg-type]
        *targets("urgent", C247, first_response=30 * M, resolution=hours * H, next_response=H),
        *targets("normal", OFFICE, first_response=2 * H, resolution=hours * 2 * H)],
        effective_from=start, effective_until=end)


@st.composite
def policy_sets(draw: st.DrawFn) -> PolicySet:
    def instant() -> datetime:
        return START + draw(st.integers(0, 40 * 24 * 60)) * M
    x, y = instant(), instant()
    a, b = min(x, y), max(x, y) + M  # until after from (sorting x and y + M could tie)
    c = draw(st.none() | st.just(instant()))
    d = draw(st.none() | st.just(instant()))
    return PolicySet(
        [_policy("urgent-campaign", priority_is("urgent"), a, b, 2),
         _policy("new-terms", always(), c, None, 3)],
        fallback=_policy("old-terms", always(), None, d, 5),
        priorities=("urgent", "important", "normal", "low"))


@settings(max_examples=150, deadline=None)
@given(policy_sets(), streams())
def test_each_cycle_starts_under_the_policy_a_fresh_selection_picks_then(
    policies: PolicySet, events: list[Event]
) -> None:
    eng = SlaEngine(policies)
    for _ in range(2):  # the second pass runs on the engine's warm choice cache
        ticket: TicketState | None = None
        state = None
        started: dict[str, int] = {}
        for e in events:
            ticket = apply(ticket, e)
            state = eng.advance(state, e, ticket)
            assert state.facts == TicketFacts.of(ticket)
            assert state.choice == policies.select(state.facts, e.at)
            for clock in state.clocks:
                for c in clock.cycles[started.get(clock.metric, 0):]:
                    fresh = policies.select(state.facts, c.started_at).policy
                    assert c.started_at == e.at.astimezone(c.started_at.tzinfo)
                    assert c.policy == (None if fresh is None else fresh.name)
                started[clock.metric] = len(clock.cycles)


def test_a_clock_started_before_an_expiry_keeps_its_policy_and_later_cycles_take_the_new() -> None:
    # Holiday terms: first responses within 4 h around the clock until Jan 27 12:00.
    holiday = SlaPolicy("holiday", "1", always(), targets(
        "normal", C247, first_response=4 * H, next_response=4 * H),
        effective_until=sh(1, 27, 12))
    regular = SlaPolicy("regular", "1", always(), targets(
        "normal", C247, first_response=H, next_response=H))
    eng = SlaEngine(PolicySet([holiday], fallback=regular, priorities=("normal",)))
    ev = Events()
    _, st = eng.apply_all([ev.opened(sh(1, 27, 11)), ev.reply(sh(1, 27, 13)),
                           ev.customer(sh(1, 27, 14))])
    first = st.clock("first_response").cycles[0]
    nxt = st.clock("next_response").cycles[0]
    assert (first.policy, first.target) == ("holiday", 4 * H)   # started 11:00, before the end
    assert (nxt.policy, nxt.target) == ("regular", H)            # started 14:00, after it
    assert st.choice.describe() == "policy 'regular' v1 (fallback)"
    assert first.counted == 2 * H  # met by the reply at 13:00
