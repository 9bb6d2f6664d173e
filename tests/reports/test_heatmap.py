"""Breaches by weekday and hour in the desk's zone: exact cells, totals and refusals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit._errors import SlakitError
from slakit.reports import ClockOutcome, HeatmapBuilder, TicketOutcome, breach_heatmaps

UTC = timezone.utc
START = datetime(2025, 11, 10, tzinfo=UTC)  # a Monday


def ticket(*clocks: ClockOutcome) -> TicketOutcome:
    return TicketOutcome("T", "new", "high", START, clocks=clocks)


def clock(state: str, at: datetime | None, metric: str = "resolution",
          due: datetime | None = None) -> ClockOutcome:
    return ClockOutcome(metric, 1, state, 3600.0, 7200.0, None, due_at=due, breached_at=at)


def test_cells_are_local_weekday_and_hour() -> None:
    # Sunday 23:30 UTC is Monday 07:30 in Shanghai; Friday 16:00 UTC is Saturday 00:00.
    (heat,) = breach_heatmaps([
        ticket(clock("breached", datetime(2025, 11, 16, 23, 30, tzinfo=UTC))),
        ticket(clock("breached_then_met", datetime(2025, 11, 14, 16, tzinfo=UTC))),
        ticket(clock("met", datetime(2025, 11, 14, 16, tzinfo=UTC))),
    ], "Asia/Shanghai", ["resolution"])
    assert heat.cells[0][7] == 1
    assert heat.cells[5][0] == 1
    assert (heat.total, heat.peak, heat.unplaced, heat.zone) == (2, 1, 0, "Asia/Shanghai")
    assert heat.to_mapping()["cells"] == [list(row) for row in heat.cells]


def test_due_instant_stands_in_and_unplaced_breaches_are_counted() -> None:
    due = datetime(2025, 11, 11, 1, tzinfo=UTC)
    first, second = breach_heatmaps(
        [ticket(clock("breached", None, due=due), clock("breached", None, "first_response"))],
        "UTC", ["resolution", "first_response"])
    assert first.cells[1][1] == 1
    assert (second.total, second.unplaced, second.peak) == (1, 1, 0)


@given(st.lists(st.tuples(st.integers(0, 60 * 24 * 28), st.sampled_from(
    ["met", "breached", "breached_then_met", "running", "cancelled"])), max_size=40))
def test_total_is_every_breached_cycle(items: list[tuple[int, str]]) -> None:
    outcomes = [ticket(clock(s, START + timedelta(minutes=m))) for m, s in items]
    (heat,) = breach_heatmaps(outcomes, "Europe/Rome", ["resolution"])
    assert heat.total == sum(s in ("breached", "breached_then_met") for _, s in items)


def test_bad_zone_and_bad_input_are_refused() -> None:
    with pytest.raises(SlakitError, match="unknown zone 'Mars/Base'") as info:
        HeatmapBuilder("Mars/Base", ["resolution"])
    assert isinstance(info.value, ValueError)
    builder = HeatmapBuilder("UTC", ["resolution"])
    with pytest.raises(TypeError, match="expects a TicketOutcome"):
        builder.add({"ticket": "T"})  # type: ignore[arg-type]
    assert builder.build()[0].total == 0
