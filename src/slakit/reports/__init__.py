"""Reports over per-ticket outcomes: groups, compliance, durations, CSAT, breaches, faults."""

from slakit.reports._build import DIMENSIONS, PERIODS, ReportBuilder, build_report, period_label
from slakit.reports._errors import MissingExtraError as MissingExtraError  # in slakit._errors
from slakit.reports._errors import ReportInputError
from slakit.reports._fault import (
    MILESTONES,
    BreachEntry,
    EscalationEntry,
    FaultReport,
    Milestone,
    StageSpan,
    TimelineEntry,
    fault_report,
)
from slakit.reports._heatmap import BreachHeatmap, HeatmapBuilder, breach_heatmaps
from slakit.reports._outcome import ClockOutcome, TicketOutcome
from slakit.reports._stats import Stats
from slakit.reports._values import Breach, MetricSummary, MonthTop, Report, ReportRow

__all__ = [
    "DIMENSIONS",
    "MILESTONES",
    "PERIODS",
    "Breach",
    "BreachEntry",
    "BreachHeatmap",
    "ClockOutcome",
    "EscalationEntry",
    "FaultReport",
    "HeatmapBuilder",
    "MetricSummary",
    "Milestone",
    "MonthTop",
    "Report",
    "ReportBuilder",
    "ReportInputError",
    "ReportRow",
    "StageSpan",
    "Stats",
    "TicketOutcome",
    "TimelineEntry",
    "breach_heatmaps",
    "build_report",
    "fault_report",
    "period_label",
]
