"""Typed converters that freeze the iterables a policy is built from into tuples.

attrs types a field's ``__init__`` parameter from its converter, so each element type needs
its own converter for ``mypy --strict`` to check what hosts pass; they live here so the
policy module keeps to its rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from slakit.policies._escalation_rules import EscalationRule
from slakit.policies._metric_settings import MetricSettings
from slakit.policies._metrics import MetricDefinition
from slakit.policies._recurring_peaks import RecurringPeak
from slakit.policies._targets import MetricTarget, PeakWindow


def as_targets(items: Iterable[MetricTarget]) -> tuple[MetricTarget, ...]:
    return tuple(items)


def as_peaks(items: Iterable[PeakWindow | RecurringPeak]) -> tuple[PeakWindow | RecurringPeak, ...]:
    return tuple(items)


def as_rules(items: Iterable[EscalationRule]) -> tuple[EscalationRule, ...]:
    return tuple(items)


def as_settings(items: Iterable[MetricSettings]) -> tuple[MetricSettings, ...]:
    return tuple(items)


def as_strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def as_metrics(items: Iterable[MetricDefinition]) -> tuple[MetricDefinition, ...]:
    return tuple(items)
