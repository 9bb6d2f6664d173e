"""Counting due escalations without building them equals counting the built decisions."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit import PriorityChanged, StatusChanged, TicketOpened, TicketResolved
from slakit.cli._due_count import count_due, fast_repeats
from slakit.policies import load_policies
from slakit.sla import SlaEngine, due_escalations

UTC = timezone.utc
POLICY = Path(__file__).resolve().parent.parent / "data" / "cli" / "office_policy.toml"
RULES = """
[[fallback.escalations]]
name = "half"
metric = "resolution"
trigger = { fraction = 0.5 }
actions = [{ notify = ["lead"] }]

[[fallback.escalations]]
name = "soon"
metric = "resolution"
trigger = { before_due = "PT30M" }
actions = [{ notify = ["lead"] }]

[[fallback.escalations]]
name = "late"
metric = "first_response"
trigger = { after_breach = "PT10M" }
actions = [{ notify = ["lead"] }]

[[fallback.escalations]]
name = "nag"
metric = "resolution"
trigger = { every = "PT7M" }
actions = [{ notify = ["agent"] }]

[[fallback.escalations]]
name = "overdue"
metric = "resolution"
trigger = { every = "PT13M", after_breach = true, limit = 40 }
actions = [{ notify = ["manager"] }]
"""
ENGINE = SlaEngine(load_policies(tomllib.loads(POLICY.read_text(encoding="utf-8") + RULES)))
START = datetime(2025, 1, 6, 9, tzinfo=UTC)  # a Monday


def _events(steps: list[tuple[int, str]]) -> list[object]:
    out: list[object] = [TicketOpened(ticket="T", at=START, event_id="e0", priority="normal",
                                      category=None, channel=None, customer=None,
                                      customer_tier=None)]
    at, status = START, "new"
    for i, (minutes, kind) in enumerate(steps, start=1):
        at += timedelta(minutes=minutes)
        if kind in ("wait", "work"):
            to = "waiting_on_customer" if kind == "wait" else "in_progress"
            if to == status:
                continue
            status = to
        if kind == "urgent":
            out.append(PriorityChanged(ticket="T", at=at, event_id=f"e{i}", priority="urgent"))
        elif kind == "wait":
            out.append(StatusChanged(ticket="T", at=at, event_id=f"e{i}",
                                     to="waiting_on_customer"))
        elif kind == "work":
            out.append(StatusChanged(ticket="T", at=at, event_id=f"e{i}", to="in_progress"))
        else:
            out.append(TicketResolved(ticket="T", at=at, event_id=f"e{i}"))
            break
    return out


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(st.tuples(st.integers(1, 3000),
                                st.sampled_from(["urgent", "wait", "work", "resolve"])),
                      max_size=5),
       later=st.integers(0, 20_000))
def test_the_count_equals_the_built_decisions(steps: list[tuple[int, str]], later: int) -> None:
    events = _events(steps)
    _, sla = ENGINE.apply_all(events)  # type: ignore[arg-type]
    now = events[-1].at + timedelta(minutes=later)  # type: ignore[attr-defined]
    assert count_due(sla, now) == (len(due_escalations(sla, now)), False)


def test_a_cap_stops_the_count_and_says_so() -> None:
    _, sla = ENGINE.apply_all(_events([]))  # type: ignore[arg-type]
    now = START + timedelta(days=30)
    full = len(due_escalations(sla, now))
    assert full > 100
    assert count_due(sla, now, cap=100) == (100, True)
    assert count_due(sla, now, cap=full + 1) == (full, False)


@pytest.mark.parametrize(("every", "found"), [("PT59S", 1), ("PT1M", 0)])
def test_fast_repeats_are_found(every: str, found: int) -> None:
    text = POLICY.read_text(encoding="utf-8") + RULES.replace('"PT7M"', f'"{every}"')
    assert len(fast_repeats(load_policies(tomllib.loads(text)))) == found
