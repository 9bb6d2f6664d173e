"""Reports over per-ticket outcomes: groups, compliance, durations, CSAT, breaches, faults."""

from slakit.reports._build import DIMENSIONS, PERIODS, ReportBuilder, build_report, period_label
from slakit.reports._errors import MissingExtraError, ReportInputError
from slakit.reports._outcome import ClockOutcome, TicketOutcome
from slakit.reports._stats import Stats
from slakit.reports._values import Breach, MetricSummary, MonthTop, Report, ReportRow

__all__ = [
    "DIMENSIONS",
    "PERIODS",
    "Breach",
    "ClockOutcome",
    "MetricSummary",
    "MissingExtraError",
    "MonthTop",
    "Report",
    "ReportBuilder",
    "ReportInputError",
    "ReportRow",
    "Stats",
    "TicketOutcome",
    "build_report",
    "period_label",
]
