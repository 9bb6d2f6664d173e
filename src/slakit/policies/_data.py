"""Policies as plain data: the stored form hosts keep in JSON or TOML.

The form (every key documented in ``docs/sla.md``)::

    {"format": "slakit.sla-policies/1", "version": "2025-01",
     "priorities": ["urgent", "important", "normal", "low"],
     "calendars": {"24x7": {"version": "1", "always_open": true, "timezone": "Asia/Shanghai"},
                   "office": {"version": "2025", "timezone": "Asia/Shanghai",
                              "weekly": {"mon": [["09:00", "18:00"]], ...}, "country": "CN"}},
     "policies": [{"name": ..., "version": ..., "when": <condition>,
                   "targets": [{"metric": "first_response", "priority": "urgent",
                                "within": "PT30M", "calendar": "24x7"}],
                   "priority_change": {"upgrade": "stricter", "downgrade": "keep_elapsed"},
                   "peaks": [{"name": "11.11", "first_day": "2025-11-01",
                              "last_day": "2025-11-12", "timezone": "Asia/Shanghai",
                              "targets": [...]}],
                   "escalations": [<rule>, ...]}],
     "fallback": <policy>,            # optional
     "fields": {"order_value": "number"},  # optional: custom fields conditions test
     "metrics": [<metric>, ...]}      # optional; the built-in metrics when absent

Targets are ISO 8601 durations (``PT30M``, ``P3D``), shorthand (``30m``, ``4h``) or working
days (``3wd``, ``1wd@16:00``); see :mod:`slakit.policies._working_days`. ``None`` values are
never written, so the same form is valid TOML (read it with ``tomllib`` and pass the dict to
:func:`load_policies`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slakit.policies._condition_data import condition_from_data
from slakit.policies._conditions import always
from slakit.policies._errors import PolicyDataError
from slakit.policies._escalation_rules import EscalationRule
from slakit.policies._metric_settings import MetricSettings
from slakit.policies._metrics import DEFAULT_METRICS, MetricDefinition
from slakit.policies._policy import PolicySet, SlaPolicy
from slakit.policies._priority_change import PriorityChangeSettings
from slakit.policies._targets import MetricTarget, NamedCalendar, PeakWindow
from slakit.policies._working_days import format_target, parse_target

FORMAT = "slakit.sla-policies/1"


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def dump_policies(policy_set: PolicySet) -> dict[str, Any]:
    """The policy set as plain JSON/TOML-able data; :func:`load_policies` reads it back.

    Raises:
        PolicyDataError: two different calendars share a name, or a calendar cannot be
            stored as data.
    """
    calendars: dict[str, NamedCalendar] = {}
    for policy in policy_set.all_policies():
        for t in [*policy.targets, *(t for w in policy.peaks for t in w.targets)]:
            seen = calendars.setdefault(t.calendar.name, t.calendar)
            if seen.calendar != t.calendar.calendar or seen.version != t.calendar.version:
                raise PolicyDataError(
                    [f"two different calendars are both named {t.calendar.name!r}; rename one"]
                )
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": policy_set.version,
        "priorities": list(policy_set.priorities),
        "calendars": {name: _without_none(c.to_data()) for name, c in calendars.items()},
        "policies": [_dump_policy(p) for p in policy_set.policies],
    }
    if policy_set.fallback is not None:
        data["fallback"] = _dump_policy(policy_set.fallback)
    if policy_set.fields:
        data["fields"] = dict(policy_set.fields)
    if policy_set.metrics != DEFAULT_METRICS:
        data["metrics"] = [m.to_data() for m in policy_set.metrics]
    return data


def _dump_targets(targets: tuple[MetricTarget, ...]) -> list[dict[str, Any]]:
    return [
        {"metric": t.metric, "priority": t.priority, "within": format_target(t.within),
         "calendar": t.calendar.name}
        for t in targets
    ]


def _dump_policy(policy: SlaPolicy) -> dict[str, Any]:
    data: dict[str, Any] = {"name": policy.name, "version": policy.version}
    if policy.when != always():
        data["when"] = policy.when.to_data()
    data["targets"] = _dump_targets(policy.targets)
    data["priority_change"] = policy.priority_change.to_data()
    if policy.peaks:
        data["peaks"] = [
            {"name": w.name, "first_day": w.first_day.isoformat(),
             "last_day": w.last_day.isoformat(), "timezone": w.timezone.key,
             "targets": _dump_targets(w.targets)}
            for w in policy.peaks
        ]
    if policy.escalations:
        data["escalations"] = [r.to_data() for r in policy.escalations]
    if policy.metric_settings:
        data["metric_settings"] = [m.to_data() for m in policy.metric_settings]
    return data


def load_policies(data: object) -> PolicySet:
    """Build a :class:`PolicySet` from :func:`dump_policies` output (parsed JSON or TOML).

    Raises:
        PolicyDataError: listing the problems found, each with its path in the data.
    """
    if not isinstance(data, dict):
        raise PolicyDataError([f"expected a mapping at the top level, got {type(data).__name__}"])
    if data.get("format", FORMAT) != FORMAT:
        raise PolicyDataError([f"format: expected {FORMAT!r}, got {data.get('format')!r}"])
    raw_cals = data.get("calendars", {})
    if not isinstance(raw_cals, dict):
        raise PolicyDataError(["calendars: expected a mapping of name -> calendar"])
    calendars = {name: NamedCalendar.from_data(name, c) for name, c in raw_cals.items()}
    raw_policies = data.get("policies", [])
    if not isinstance(raw_policies, list):
        raise PolicyDataError(["policies: expected a list"])
    policies = [_load_policy(p, f"policies[{i}]", calendars) for i, p in enumerate(raw_policies)]
    fallback = (
        _load_policy(data["fallback"], "fallback", calendars) if "fallback" in data else None
    )
    metrics = (
        tuple(MetricDefinition.from_data(m, f"metrics[{i}]")
              for i, m in enumerate(data["metrics"]))
        if "metrics" in data else DEFAULT_METRICS
    )
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise PolicyDataError(
            [f"fields: expected a mapping of custom field name -> type, got {fields!r}"])
    return PolicySet(
        policies,
        fallback,
        fields=fields,
        priorities=data.get("priorities", ("urgent", "high", "normal", "low")),
        metrics=metrics,
        version=str(data.get("version", "1")),
    )


def _load_targets(
    raw: object, path: str, calendars: dict[str, NamedCalendar]
) -> list[MetricTarget]:
    if not isinstance(raw, list):
        raise PolicyDataError([f"{path}: expected a list of targets"])
    out = []
    for i, t in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(t, dict) or not {"metric", "priority", "within", "calendar"} <= set(t):
            raise PolicyDataError(
                [f"{where}: a target needs metric, priority, within and calendar, got {t!r}"]
            )
        if t["calendar"] not in calendars:
            raise PolicyDataError(
                [f"{where}.calendar: unknown calendar {t['calendar']!r}; define it under "
                 f"'calendars' (known: {sorted(calendars)})"]
            )
        out.append(MetricTarget(t["metric"], t["priority"],
                                parse_target(t["within"], f"{where}.within"),
                                calendars[t["calendar"]]))
    return out


def _load_policy(raw: object, path: str, calendars: dict[str, NamedCalendar]) -> SlaPolicy:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PolicyDataError([f"{path}: a policy needs a 'name', got {raw!r}"])
    peaks = []
    for i, w in enumerate(raw.get("peaks", [])):
        where = f"{path}.peaks[{i}]"
        try:
            peaks.append(PeakWindow(
                w["name"], date.fromisoformat(w["first_day"]), date.fromisoformat(w["last_day"]),
                w["timezone"], _load_targets(w.get("targets", []), f"{where}.targets", calendars),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, PolicyDataError):
                raise
            raise PolicyDataError([f"{where}: invalid peak window ({exc})"]) from exc
    return SlaPolicy(
        raw["name"],
        str(raw.get("version", "1")),
        condition_from_data(raw["when"], f"{path}.when") if "when" in raw else always(),
        _load_targets(raw.get("targets", []), f"{path}.targets", calendars),
        PriorityChangeSettings.from_data(raw.get("priority_change", {}),
                                         f"{path}.priority_change"),
        peaks,
        [EscalationRule.from_data(r, f"{path}.escalations[{i}]")
         for i, r in enumerate(raw.get("escalations", []))],
        [MetricSettings.from_data(m, f"{path}.metric_settings[{i}]")
         for i, m in enumerate(_list(raw.get("metric_settings", []),
                                     f"{path}.metric_settings"))],
    )


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise PolicyDataError([f"{path}: expected a list, got {value!r}"])
    return value
