"""When breaches happen: breached clock cycles counted by weekday and hour in the desk's zone.

Design rules:

* A fold over per-ticket outcomes like :class:`~slakit.reports.ReportBuilder`: memory is
  the 7 x 24 grid per metric, never the tickets.
* A cycle is placed at its breach instant (``breached_at``, else its due instant), read in
  the zone the caller names (there is no implicit zone). Cycles breached with no known
  instant are counted apart (``unplaced``), never dropped.
* Weekday 0 is Monday (ISO order), hour 0 is 00:00-00:59 local time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import attrs

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._zone import read_zone
from slakit.reports._errors import ReportInputError
from slakit.reports._outcome import TicketOutcome

BREACHED = frozenset({"breached", "breached_then_met"})


@attrs.frozen
class BreachHeatmap:
    """Breached cycles of one metric per weekday (0 = Monday) and hour, in ``zone``."""

    metric: str
    zone: str
    cells: tuple[tuple[int, ...], ...]
    unplaced: int

    @property
    def total(self) -> int:
        """Every breached cycle counted, placed or not."""
        return sum(map(sum, self.cells)) + self.unplaced

    @property
    def peak(self) -> int:
        """The largest count of one cell (0 when nothing breached)."""
        return max(max(row) for row in self.cells)

    def to_mapping(self) -> dict[str, object]:
        """JSON-able data: ``cells[weekday][hour]``."""
        return {"metric": self.metric, "zone": self.zone,
                "cells": [list(row) for row in self.cells], "unplaced": self.unplaced}


class HeatmapBuilder:
    """Accumulates outcomes with :meth:`add`; :meth:`build` gives one heatmap per metric.

    Args:
        zone: the desk's IANA zone.
        metrics: the SLA metric names to count, in the order of the result.

    Raises:
        ReportInputError: the zone is unknown.
    """

    def __init__(self, zone: str | ZoneInfo, metrics: Sequence[str]) -> None:
        found = read_zone(zone)
        if found is None:
            raise ReportInputError([Message("zone: unknown zone {zone!r}; give the desk's IANA zone, e.g. "
                                            "'Asia/Shanghai'", zone=zone)])
        self.zone = found
        self.metrics = tuple(metrics)
        self._grid = {m: [[0] * 24 for _ in range(7)] for m in self.metrics}
        self._unplaced = dict.fromkeys(self.metrics, 0)

    def add(self, outcome: TicketOutcome) -> None:
        """Count the breached cycles of one ticket."""
        if not isinstance(outcome, TicketOutcome):
            raise WrongTypeError(Message("add expects a TicketOutcome, got {kind}; read replay lines with "
                                         "TicketOutcome.from_record", kind=type(outcome).__name__))
        for c in outcome.clocks:
            grid = self._grid.get(c.metric)
            if grid is None or c.status not in BREACHED:
                continue
            at = c.breached_at or c.due_at
            if at is None:
                self._unplaced[c.metric] += 1
                continue
            local = at.astimezone(self.zone)
            grid[local.weekday()][local.hour] += 1

    def build(self) -> tuple[BreachHeatmap, ...]:
        """One heatmap per metric, in the order of ``metrics``."""
        return tuple(BreachHeatmap(m, self.zone.key, tuple(map(tuple, self._grid[m])),
                                   self._unplaced[m]) for m in self.metrics)


def breach_heatmaps(outcomes: Iterable[TicketOutcome], zone: str | ZoneInfo,
                    metrics: Sequence[str]) -> tuple[BreachHeatmap, ...]:
    """Fold ``outcomes`` into one :class:`BreachHeatmap` per metric.

    Example:
        >>> from datetime import datetime, timezone
        >>> from slakit.reports import ClockOutcome, TicketOutcome
        >>> late = datetime(2025, 11, 11, 2, 30, tzinfo=timezone.utc)  # Tue 10:30 in Shanghai
        >>> t = TicketOutcome("T1", "new", "high", late, clocks=(ClockOutcome(
        ...     "resolution", 1, "breached", 3600.0, 7200.0, None, breached_at=late),))
        >>> (m,) = breach_heatmaps([t], "Asia/Shanghai", ["resolution"])
        >>> m.cells[1][10], m.total
        (1, 1)
    """
    builder = HeatmapBuilder(zone, metrics)
    for outcome in outcomes:
        builder.add(outcome)
    return builder.build()
