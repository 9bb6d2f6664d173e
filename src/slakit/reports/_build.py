"""Folding per-ticket outcomes into a report, one ticket at a time.

Design rules:

* One pass, no ticket kept: each outcome updates the accumulators of its group and is
  forgotten. Memory follows the groups (and, per group and metric, the distinct durations
  kept for the exact median and p90, see :mod:`slakit.reports._stats`), the months (for the
  top categories), and the ``worst`` breaches (a bounded heap), never the number of tickets.
* Groups are ordered: priorities in the ladder's order (unknown ones after, by name),
  periods in time order, other dimensions by name; a missing value sorts last.
* Periods (``day``, ``week`` = ISO week, ``month``) are read in the desk's zone, which the
  caller names: there is no implicit zone.
* Backlog at a period's end: tickets opened up to the end of the period minus tickets done
  (resolved, else closed or cancelled) up to then, among the report's tickets of the same
  other-dimension group. Only a report grouped by period has it.
* Grouped by priority, a ticket counts under its final priority and each clock cycle under
  the priority it was judged by (``ClockOutcome.priority``): a cycle met on an urgent
  target before a downgrade is urgent compliance (a group may then hold clocks, no ticket).
* Compliance is ``met / (met + breached)``; running (or paused, pending) and cancelled cycles
  are counted apart. Durations are over finished cycles (met, or met late).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._zone import read_zone
from slakit.reports._errors import ReportInputError
from slakit.reports._outcome import SATISFACTION_DIMENSIONS, ClockOutcome, TicketOutcome
from slakit.reports._stats import Durations
from slakit.reports._values import Breach, MetricSummary, MonthTop, Report, ReportRow

DIMENSIONS = ("priority", "category", "channel", "group", "assignee", "customer_tier", "plan",
              "root_cause", "period")
"""What a report can group by."""

PERIODS = ("day", "week", "month")
MET, BREACHED = frozenset({"met"}), frozenset({"breached", "breached_then_met"})
FINISHED = frozenset({"met", "breached_then_met"})
RESOLVED = frozenset({"resolved", "closed"})

Key = tuple[str | None, ...]


def period_label(at: datetime, zone: ZoneInfo, period: str) -> str:
    """``2025-01-28`` (day), ``2025-W05`` (ISO week) or ``2025-01`` (month) in ``zone``."""
    return _label(at.astimezone(zone).date(), period)


@lru_cache(maxsize=4096)
def _label(day: date, period: str) -> str:
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


class _Cell:
    __slots__ = ("business", "counts", "wall")

    def __init__(self, precision: float | None) -> None:
        self.counts: Counter[str] = Counter()
        self.business = Durations(precision)
        self.wall = Durations(precision)

    def add(self, c: ClockOutcome) -> None:
        kind = ("met" if c.status in MET else "breached" if c.status in BREACHED
                else "cancelled" if c.status == "cancelled" else "running")
        self.counts[kind] += 1
        if c.status in FINISHED:
            self.business.add(c.business_s)
            if c.wall_s is not None:
                self.wall.add(c.wall_s)

    def summary(self, metric: str) -> MetricSummary:
        met, late = self.counts["met"], self.counts["breached"]
        return MetricSummary(metric, met, late, self.counts["running"], self.counts["cancelled"],
                             met / (met + late) if met + late else None,
                             self.business.stats(), self.wall.stats())


class _Group:
    __slots__ = ("cells", "escalated", "ratings", "reopened", "resolved", "sat_n", "sat_sum",
                 "satisfied", "tickets")

    def __init__(self, metrics: Sequence[str], precision: float | None) -> None:
        self.tickets = self.resolved = self.reopened = self.escalated = 0
        self.ratings = self.satisfied = 0
        self.sat_sum: Counter[str] = Counter()
        self.sat_n: Counter[str] = Counter()
        self.cells = {m: _Cell(precision) for m in metrics}

    def add(self, o: TicketOutcome, clocks: Sequence[ClockOutcome]) -> None:
        self.tickets += 1
        self.resolved += o.status in RESOLVED
        self.reopened += o.reopens > 0
        self.escalated += o.escalations > 0
        for dim, score in o.satisfaction:
            self.ratings += 1
            self.satisfied += score >= 4
            self.sat_sum[dim] += score
            self.sat_n[dim] += 1
        for c in clocks:
            self.add_clock(c)

    def add_clock(self, c: ClockOutcome) -> None:
        cell = self.cells.get(c.metric)
        if cell is not None:
            cell.add(c)

    def row(self, key: Key, backlog: int | None) -> ReportRow:
        sat = tuple((d, self.sat_sum[d] / self.sat_n[d])
                    for d in SATISFACTION_DIMENSIONS if self.sat_n[d])
        return ReportRow(key, self.tickets, self.resolved, self.reopened, self.escalated, backlog,
                         self.ratings, self.satisfied, sat,
                         tuple(cell.summary(m) for m, cell in self.cells.items()))


class ReportBuilder:
    """Accumulates outcomes with :meth:`add`; :meth:`build` returns the :class:`Report`.

    Args:
        zone: the desk's IANA zone; periods and shown instants are read in it.
        by: dimensions to group by, from :data:`DIMENSIONS`.
        period: ``"day"``, ``"week"`` or ``"month"`` (used when ``by`` holds ``"period"``).
        metrics: SLA metric names to summarise.
        priorities: the priority ladder, highest first, for the order of rows.
        worst: how many worst breaches to keep.
        top: how many categories and keywords to list per month.
        precision: None for exact medians and p90s (memory follows the distinct durations
            of each group); a relative precision such as ``0.005`` keeps durations in
            logarithmic bins (medians and p90s within 0.5 %, means exact up to float
            rounding, memory flat in tickets).

    Raises:
        ReportInputError: listing every bad setting.
    """

    def __init__(self, zone: str | ZoneInfo, *, by: Sequence[str] = ("priority",),
                 period: str = "month", metrics: Sequence[str] = ("first_response", "resolution"),
                 priorities: Sequence[str] = (), worst: int = 10, top: int = 5,
                 precision: float | None = None) -> None:
        problems: list[str] = []
        self.zone = _zone(zone, problems)
        self.by = tuple(by) if not isinstance(by, str) else (by,)
        for d in self.by:
            if d not in DIMENSIONS:
                problems.append(Message("by: unknown dimension {d!r}; use any of {items}", d=d,
                                        items=', '.join(DIMENSIONS)))
        if len(set(self.by)) != len(self.by):
            problems.append(Message("by: {by!r} names a dimension twice; name each once", by=list(self.by)))
        if period not in PERIODS:
            problems.append(Message("period: expected one of {items}, got {period!r}",
                                    items=', '.join(PERIODS), period=period))
        for name, n in (("worst", worst), ("top", top)):
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                problems.append(Message("{name}: expected a whole number >= 0, got {n!r}", name=name, n=n))
        if precision is not None and (isinstance(precision, bool) or not isinstance(
                precision, int | float) or not 0 < precision < 1):
            problems.append(Message("precision: expected None (exact) or a fraction between 0 and 1 such "
                                    "as 0.005, got {precision!r}", precision=precision))
        if problems:
            raise ReportInputError(problems)
        self.precision = None if precision is None else float(precision)
        self.period, self.metrics, self.worst, self.top = period, tuple(metrics), worst, top
        self._ladder = {p: i for i, p in enumerate(priorities)}
        self._groups: dict[Key, _Group] = {}
        self._total = _Group(self.metrics, self.precision)
        self._flow: dict[Key, Counter[tuple[str, int]]] = {}
        self._months: dict[str, tuple[Counter[str], Counter[str], list[int]]] = {}
        self._heap: list[tuple[float, int, Breach]] = []
        self._seen = 0
        self._first: datetime | None = None
        self._last: datetime | None = None

    def _value(self, o: TicketOutcome, dim: str, day: date) -> str | None:
        if dim == "period":
            return _label(day, self.period)
        value: str | None = getattr(o, dim)
        return value

    def add(self, outcome: TicketOutcome) -> None:
        """Count one ticket."""
        if not isinstance(outcome, TicketOutcome):
            raise WrongTypeError(Message("add expects a TicketOutcome, got {kind}; read replay lines with "
                                         "TicketOutcome.from_record", kind=type(outcome).__name__))
        o = outcome
        self._seen += 1
        day = o.opened_at.astimezone(self.zone).date()
        key = tuple(self._value(o, d, day) for d in self.by)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(self.metrics, self.precision)
        self._total.add(o, o.clocks)
        if "priority" not in self.by or all(c.priority in (None, o.priority) for c in o.clocks):
            group.add(o, o.clocks)
        else:
            # A clock counts under the priority it was judged by; the ticket under its own.
            i = self.by.index("priority")
            group.add(o, [c for c in o.clocks if c.priority in (None, o.priority)])
            for c in o.clocks:
                if c.priority in (None, o.priority):
                    continue
                other = (*key[:i], c.priority, *key[i + 1:])
                judged = self._groups.get(other)
                if judged is None:
                    judged = self._groups[other] = _Group(self.metrics, self.precision)
                judged.add_clock(c)
        if self._first is None or o.opened_at < self._first:
            self._first = o.opened_at
        if self._last is None or o.opened_at > self._last:
            self._last = o.opened_at
        if "period" in self.by:
            i = self.by.index("period")
            rest = key[:i] + key[i + 1:]
            flow = self._flow.get(rest)
            if flow is None:
                flow = self._flow[rest] = Counter()
            flow[key[i] or "", 0] += 1
            done = o.done_at
            if done is not None:
                flow[period_label(done, self.zone, self.period), 1] += 1
        month = _label(day, "month")
        found = self._months.get(month)
        if found is None:
            found = self._months[month] = (Counter(), Counter(), [0])
        cats, words, count = found
        count[0] += 1
        if o.category is not None:
            cats[o.category] += 1
        words.update(o.keywords)
        self._breaches(o)

    def _breaches(self, o: TicketOutcome) -> None:
        if not self.worst:
            return
        for c in o.clocks:
            if c.status not in BREACHED or c.target_s is None:
                continue
            late = c.business_s - c.target_s
            full = len(self._heap) >= self.worst
            if full and (late, -self._seen) <= self._heap[0][:2]:
                continue
            wall = None
            if c.ended_at is not None and c.due_at is not None:
                wall = (c.ended_at - c.due_at).total_seconds()
            item = (late, -self._seen, Breach(
                o.ticket, c.metric, c.cycle, c.priority or o.priority, c.target_s, c.business_s, late,
                _local(c.due_at, self.zone), _local(c.ended_at, self.zone), wall))
            if full:
                heapq.heapreplace(self._heap, item)
            else:
                heapq.heappush(self._heap, item)

    def _order(self, key: Key) -> tuple[tuple[int, int, str], ...]:
        out = []
        for dim, value in zip(self.by, key, strict=True):
            rank = self._ladder.get(value, len(self._ladder)) if dim == "priority" and value else 0
            out.append((value is None, rank, value or ""))
        return tuple((int(a), b, c) for a, b, c in out)

    def _backlogs(self) -> dict[Key, int]:
        if "period" not in self.by:
            return {}
        i = self.by.index("period")
        out: dict[Key, int] = {}
        for rest, flow in self._flow.items():
            running = 0
            for label in sorted({label for label, _ in flow}):
                running += flow[label, 0] - flow[label, 1]
                out[(*rest[:i], label, *rest[i:])] = running
        return out

    def build(self) -> Report:
        """The report of every outcome added so far."""
        backlogs = self._backlogs()
        rows = tuple(self._groups[k].row(k, backlogs.get(k) if backlogs else None)
                     for k in sorted(self._groups, key=self._order))
        breaches = tuple(b for _, _, b in sorted(self._heap, key=lambda t: (-t[0], -t[1])))
        months = tuple(
            MonthTop(m, n[0], tuple(c.most_common(self.top)), tuple(w.most_common(self.top)))
            for m, (c, w, n) in sorted(self._months.items()))
        return Report(self.by, self.period, self.zone.key, self.metrics, rows,
                      self._total.row((), None), _local(self._first, self.zone),
                      _local(self._last, self.zone), breaches, months, self.precision)


def build_report(outcomes: Iterable[TicketOutcome], zone: str | ZoneInfo, **options: object) -> Report:
    """Fold ``outcomes`` into a report; ``options`` as for :class:`ReportBuilder`."""
    builder = ReportBuilder(zone, **options)  # type: ignore[arg-type]
    for outcome in outcomes:
        builder.add(outcome)
    return builder.build()


def _zone(raw: object, problems: list[str]) -> ZoneInfo:
    zone = read_zone(raw)
    if zone is not None:
        return zone
    problems.append(Message("zone: unknown zone {raw!r}; give the desk's IANA zone, e.g. 'Asia/Shanghai'",
                            raw=raw))
    return ZoneInfo("UTC")


def _local(t: datetime | None, zone: ZoneInfo) -> datetime | None:
    return None if t is None else t.astimezone(zone)
