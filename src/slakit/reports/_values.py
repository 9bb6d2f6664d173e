"""The report as frozen values, and its JSON, CSV and pandas forms.

Design rules:

* A :class:`Report` is plain data: every figure a page or a spreadsheet shows is a field.
* The flat form (:meth:`Report.records`) has one row per group with fixed columns; CSV and
  the DataFrame are that form, so the three outputs agree by construction.
* Durations are seconds; instants are ISO 8601 in the desk's zone.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import attrs

from slakit._errors import NotFoundError
from slakit._message import Message
from slakit.reports._errors import MissingExtraError
from slakit.reports._outcome import SATISFACTION_DIMENSIONS
from slakit.reports._stats import Stats

ALL = "all"
"""The key shown for the total row."""


@attrs.frozen
class MetricSummary:
    """One metric over a group: outcomes, compliance and the time finished cycles took.

    ``compliance`` is ``met / (met + breached)``; ``running`` and ``cancelled`` cycles are
    counted apart. ``business`` and ``wall`` are over finished cycles.
    """

    metric: str
    met: int
    breached: int
    running: int
    cancelled: int
    compliance: float | None
    business: Stats
    wall: Stats


@attrs.frozen
class ReportRow:
    """The figures of one group (``key`` holds one value per grouping dimension)."""

    key: tuple[str | None, ...]
    tickets: int
    resolved: int
    reopened: int
    escalated: int
    backlog: int | None
    ratings: int
    satisfied: int
    satisfaction: tuple[tuple[str, float], ...]
    metrics: tuple[MetricSummary, ...]

    @property
    def resolution_rate(self) -> float | None:
        """Share of the group's tickets resolved (or closed)."""
        return self.resolved / self.tickets if self.tickets else None

    @property
    def reopen_rate(self) -> float | None:
        """Share of the group's tickets reopened at least once."""
        return self.reopened / self.tickets if self.tickets else None

    @property
    def csat(self) -> float | None:
        """Share of ratings (every dimension of every survey) that are 4 or 5."""
        return self.satisfied / self.ratings if self.ratings else None

    def metric(self, name: str) -> MetricSummary:
        """The summary of metric ``name``."""
        for m in self.metrics:
            if m.metric == name:
                return m
        known = ", ".join(m.metric for m in self.metrics)
        raise NotFoundError(Message("metric {name!r} is not in this report; it has {value} (name it in "
                                    "the report's metrics)", name=name, value=known or 'none'))


@attrs.frozen
class Breach:
    """A breached cycle and how late it was: business time over target, wall time past due."""

    ticket: str
    metric: str
    cycle: int
    priority: str | None
    target_s: float | None
    business_s: float
    late_business_s: float
    due_at: datetime | None
    ended_at: datetime | None
    late_wall_s: float | None


@attrs.frozen
class MonthTop:
    """The most frequent categories and keywords of the tickets opened in one month."""

    month: str
    tickets: int
    categories: tuple[tuple[str, int], ...]
    keywords: tuple[tuple[str, int], ...]


@attrs.frozen
class Report:
    """A report over per-ticket outcomes: rows per group, a total, breaches and top topics.

    ``precision`` is None when medians and p90s are exact, else their relative precision.
    """

    by: tuple[str, ...]
    period: str
    zone: str
    metric_names: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    total: ReportRow
    first_opened: datetime | None
    last_opened: datetime | None
    worst_breaches: tuple[Breach, ...]
    top_by_month: tuple[MonthTop, ...]
    precision: float | None = None

    def row(self, *key: str | None) -> ReportRow:
        """The row whose key is ``key`` (one value per grouping dimension)."""
        for r in self.rows:
            if r.key == key:
                return r
        raise NotFoundError(Message("no row {key!r} in this report (grouped by {items}); give one value "
                                    "per grouping dimension", key=key, items=', '.join(self.by)))

    def columns(self) -> list[str]:
        """The column names of :meth:`records`, CSV and the DataFrame."""
        cols = [*self.by, "tickets", "resolved", "resolution_rate", "reopened", "reopen_rate",
                "escalated", "backlog", "ratings", "csat",
                *(f"satisfaction_{d}" for d in SATISFACTION_DIMENSIONS)]
        for m in self.metric_names:
            cols += [f"{m}_{k}" for k in ("met", "breached", "running", "cancelled", "compliance")]
            cols += [f"{m}_{t}_{s}_s" for t in ("business", "wall") for s in ("mean", "median", "p90")]
        return cols

    def records(self, *, total: bool = True) -> Iterator[dict[str, Any]]:
        """One flat dict per row (and the total, keyed ``"all"``), in :meth:`columns` order."""
        for r in self.rows:
            yield self._flat(r, r.key)
        if total:
            yield self._flat(self.total, (ALL,) * len(self.by))

    def _flat(self, r: ReportRow, key: tuple[str | None, ...]) -> dict[str, Any]:
        sat = dict(r.satisfaction)
        out: dict[str, Any] = dict(zip(self.by, key, strict=True))
        out.update(tickets=r.tickets, resolved=r.resolved, resolution_rate=r.resolution_rate,
                   reopened=r.reopened, reopen_rate=r.reopen_rate, escalated=r.escalated,
                   backlog=r.backlog, ratings=r.ratings, csat=r.csat)
        out.update({f"satisfaction_{d}": sat.get(d) for d in SATISFACTION_DIMENSIONS})
        for m in r.metrics:
            name = m.metric
            out.update({f"{name}_met": m.met, f"{name}_breached": m.breached,
                        f"{name}_running": m.running, f"{name}_cancelled": m.cancelled,
                        f"{name}_compliance": m.compliance})
            for kind, st in (("business", m.business), ("wall", m.wall)):
                out.update({f"{name}_{kind}_mean_s": st.mean, f"{name}_{kind}_median_s": st.median,
                            f"{name}_{kind}_p90_s": st.p90})
        return out

    def to_mapping(self) -> dict[str, Any]:
        """The whole report as JSON-able data."""
        def iso(t: datetime | None) -> str | None:
            return None if t is None else t.isoformat()

        return {
            "by": list(self.by), "period": self.period, "zone": self.zone,
            "metrics": list(self.metric_names), "precision": self.precision,
            "first_opened": iso(self.first_opened), "last_opened": iso(self.last_opened),
            "rows": list(self.records(total=False)),
            "total": self._flat(self.total, (ALL,) * len(self.by)),
            "worst_breaches": [
                {**attrs.asdict(b), "due_at": iso(b.due_at), "ended_at": iso(b.ended_at)}
                for b in self.worst_breaches],
            "top_by_month": [
                {"month": t.month, "tickets": t.tickets,
                 "categories": [list(c) for c in t.categories],
                 "keywords": [list(k) for k in t.keywords]} for t in self.top_by_month],
        }

    def to_json(self, **options: Any) -> str:
        """:meth:`to_mapping` as JSON text (``options`` go to ``json.dumps``)."""
        return json.dumps(self.to_mapping(), ensure_ascii=False, **options)

    def to_csv(self) -> str:
        """The rows and the total as CSV text, one line per group, :meth:`columns` header."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, self.columns(), lineterminator="\n")
        writer.writeheader()
        for rec in self.records():
            writer.writerow({k: "" if v is None else v for k, v in rec.items()})
        return buffer.getvalue()

    def to_dataframe(self, *, total: bool = False) -> Any:
        """The rows as a pandas DataFrame (install ``slakit[reports]``).

        Raises:
            MissingExtraError: pandas is not installed.
        """
        try:
            pandas = importlib.import_module("pandas")
        except ImportError:
            raise MissingExtraError(
                Message("to_dataframe needs pandas; install it with pip install 'slakit[reports]'")
            ) from None
        return pandas.DataFrame(list(self.records(total=total)), columns=self.columns())
