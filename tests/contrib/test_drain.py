from __future__ import annotations

from slakit.contrib import wake_until_drained
from slakit.desk import Decision
from tests.contrib.recipes_testkit import at, make_desk, opened


def test_a_backlog_larger_than_limit_is_drained_in_one_run() -> None:
    desk, notifier = make_desk()
    for n in range(7):
        desk.record("shop-a", [opened(f"T-{n}")], at(0))
    seen: list[Decision] = []
    summary = wake_until_drained(desk, at(31), limit=3, each=seen.append)
    # 7 tickets, 14 decisions, 3 of each a round: tickets 3 + 3 + 1, deliveries
    # 3 + 3 + 3 + 3 + 2, so five rounds, and nothing left waiting.
    assert summary.rounds == 5
    assert len(summary.decisions) == 14 == len(seen) == summary.delivered
    assert {d.key for d in summary.decisions} == {
        f"T-{n}/first_response/1/{rule}/1" for n in range(7) for rule in ("half", "late")}
    assert (summary.failed, summary.next_wake_at) == (0, None)
    assert summary.to_dict()["now"] == "2025-06-02T01:31:00+00:00"
    again = wake_until_drained(desk, at(31), limit=3)
    assert (again.rounds, again.decisions, again.delivered) == (1, (), 0)
    assert len(notifier.delivered) == 14


def test_max_rounds_bounds_a_run_and_the_next_run_continues() -> None:
    desk, _ = make_desk()
    for n in range(5):
        desk.record("shop-a", [opened(f"T-{n}")], at(0))
    first = wake_until_drained(desk, at(31), limit=2, max_rounds=1)
    assert (first.rounds, len(first.decisions), first.delivered) == (1, 4, 2)
    assert first.next_wake_at is not None
    assert first.next_wake_at <= at(31)  # work left now
    rest = wake_until_drained(desk, at(31), limit=2)
    assert (len(rest.decisions), rest.delivered) == (6, 8)
    assert rest.next_wake_at is None
