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
                   "escalations": [<rule>, ...],
                   "effective_from": "2025-01-01T00:00:00+08:00"}],  # and effective_until
     "fallback": <policy>,            # optional
     "fields": {"order_value": "number"},  # optional: custom fields conditions test
     "metrics": [<metric>, ...]}      # optional; the built-in metrics when absent

Targets are ISO 8601 (``PT30M``, ``P3D``), shorthand (``30m``, ``4h``) or working days
(``3wd``, ``1wd@16:00``). ``None`` values are never written, so the same
form is valid TOML (read it with ``tomllib`` and pass the dict to :func:`load_policies`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from slakit._errors import SlakitError
from slakit._message import Message
from slakit._problems import (
    Problems,
    Table,
    depth_problem,
    described,
    did_you_mean,
    join,
    shown,
)
from slakit._zone import read_zone
from slakit.i18n._translator import N_
from slakit.policies._condition_data import condition_from_data
from slakit.policies._conditions import always
from slakit.policies._errors import PolicyDataError
from slakit.policies._escalation_rules import EscalationRule
from slakit.policies._metric_settings import MetricSettings
from slakit.policies._metrics import DEFAULT_METRICS, MetricDefinition
from slakit.policies._policy import PolicySet, SlaPolicy
from slakit.policies._priority_change import PriorityChangeSettings
from slakit.policies._recurring_peaks import RecurringPeak
from slakit.policies._targets import MetricTarget, NamedCalendar, PeakWindow
from slakit.policies._validity import VALIDITY_KEYS, dump_validity, read_instant
from slakit.policies._working_days import format_target, parse_target

FORMAT = "slakit.sla-policies/1"
_T = TypeVar("_T")


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
                    [Message("two different calendars are both named {name!r}; rename one",
                             name=t.calendar.name)]
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
            w.to_data(_dump_targets(w.targets)) if isinstance(w, RecurringPeak) else
            {"name": w.name, "first_day": w.first_day.isoformat(),
             "last_day": w.last_day.isoformat(), "timezone": w.timezone.key,
             "targets": _dump_targets(w.targets)}
            for w in policy.peaks
        ]
    if policy.escalations:
        data["escalations"] = [r.to_data() for r in policy.escalations]
    if policy.metric_settings:
        data["metric_settings"] = [m.to_data() for m in policy.metric_settings]
    data.update(dump_validity(policy.effective_from, policy.effective_until))
    return data


# Keys each table of the form takes: a new key is added here and read in its table's reader.
_TOP_KEYS = ("format", "version", "priorities", "calendars", "policies", "fallback", "metrics",
             "fields")
_POLICY_KEYS = ("name", "version", "when", "targets", "priority_change", "peaks", "escalations",
                "metric_settings", *VALIDITY_KEYS)
_TARGET_KEYS = ("metric", "priority", "within", "calendar")
_PEAK_KEYS = ("name", "first_day", "last_day", "timezone", "targets")
_RECURRING_KEYS = ("name", "rule", "days", "timezone", "targets")
_DEFAULT_PRIORITIES = ("urgent", "high", "normal", "low")


def load_policies(data: object) -> PolicySet:
    """Build a :class:`PolicySet` from :func:`dump_policies` output (parsed JSON or TOML).

    The whole document is read before anything is raised, so every problem is listed at
    once, each with its path (``policies[1].targets[0].within: ...``). Unknown keys are
    problems too (with a "did you mean" suggestion): a misspelt key never silently drops
    part of a policy.

    Raises:
        PolicyDataError: listing every problem found, each with its path in the data.
    """
    if not isinstance(data, Mapping):
        raise PolicyDataError(
            [Message("expected a table at the top level (what tomllib.load or json.load gives), got {got}",
                     got=described(data))])
    deep = depth_problem(data)
    if deep is not None:
        raise PolicyDataError([deep])
    problems = Problems()
    top = Table(data, "", problems)
    Table({k: v for k, v in data.items() if k != "timers"}, "", problems).only(
        _TOP_KEYS, N_("the top level"))
    if "timers" in data:  # read by the care package, which sits above this one
        top.bad("timers", Message("ticket timers are read by slakit.care.load_policy_file, which reads "
                                  "the SLA policies too; call it instead of load_policies"))
    if data.get("format", FORMAT) != FORMAT:
        top.bad("format", Message("expected {format!r}, got {value}", format=FORMAT,
                                  value=shown(data.get('format'))))
    version = _version(top)
    priorities = top.texts("priorities", N_("priority names, most urgent first"))
    calendars, broken = _load_calendars(top)
    raw_policies = top.items("policies", N_("policies")) or []
    policies = [_load_policy(p, f"policies[{i}]", calendars, broken, problems)
                for i, p in enumerate(raw_policies)]
    fallback = (_load_policy(data["fallback"], "fallback", calendars, broken, problems)
                if "fallback" in data else None)
    metrics: tuple[MetricDefinition, ...] | None = DEFAULT_METRICS
    raw_metrics = top.items("metrics", N_("metric definitions"))
    if raw_metrics is not None:
        read = [_built(problems, f"metrics[{i}]",
                       partial(MetricDefinition.from_data, m, f"metrics[{i}]"))
                for i, m in enumerate(raw_metrics)]
        metrics = None if any(m is None for m in read) else tuple(m for m in read if m)
    elif "metrics" in data:
        metrics = None
    if "priorities" in data and priorities is None:
        metrics = None  # the set's own checks would only repeat the broken ladder
    built = None
    if metrics is not None:  # the set's own checks (unknown metric or priority) join the list
        ladder = _DEFAULT_PRIORITIES if priorities is None else priorities
        fields = top.get("fields", {})
        if not isinstance(fields, Mapping):
            top.bad("fields", Message("expected a table of custom field name -> type, got {got}",
                                      got=described(fields)))
        built = None if not isinstance(fields, Mapping) else _built(problems, "", lambda: PolicySet(
            [p for p in policies if p is not None], fallback, priorities=ladder,
            metrics=metrics, version=version, fields=fields))
    if problems.items or built is None:
        raise PolicyDataError(problems.items)
    return built


def _built(problems: Problems, path: str, build: Callable[[], _T]) -> _T | None:
    """``build()``, or None with its slakit error's problems recorded under ``path``."""
    try:
        return build()
    except SlakitError as error:
        found = getattr(error, "problems", None)
        problems.extend(path, found if isinstance(found, tuple) else [str(error)])
        return None


def _version(table: Table) -> str:
    value = table.get("version", "1")
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    table.bad("version", Message("expected a string such as '2025-01', got {got}", got=described(value)))
    return "1"


def _load_calendars(top: Table) -> tuple[dict[str, NamedCalendar], set[str]]:
    calendars: dict[str, NamedCalendar] = {}
    broken: set[str] = set()
    table = top.table("calendars", N_("calendar name -> calendar"))
    for name, raw in (table.raw.items() if table is not None else ()):
        where = table.at(name) if table is not None else name
        if not isinstance(name, str) or not name:
            top.problems.add(where, Message("a calendar name must be a non-empty string"))
            continue
        cal = _built(top.problems, where,
                     partial(NamedCalendar.from_data, name, raw))
        if cal is None:
            broken.add(name)
        else:
            calendars[name] = cal
    return calendars, broken


def _load_targets(raw: object, path: str, calendars: dict[str, NamedCalendar],
                  broken: set[str], problems: Problems) -> list[MetricTarget]:
    if not isinstance(raw, list | tuple):
        problems.add(path, Message("expected a list of targets, got {got}", got=described(raw)))
        return []
    out = []
    for i, item in enumerate(raw):
        t = Table.of(item, join(path, i), problems, N_("a target"))
        if t is None:
            continue
        t.only(_TARGET_KEYS, N_("a target"))
        t.require(_TARGET_KEYS, N_("a target"))
        metric = t.text("metric", what=N_("a metric name"))
        priority = t.text("priority", what=N_("a priority name"))
        within = (_built(problems, t.at("within"),
                         partial(parse_target, t.get("within"), t.at("within")))
                  if "within" in t else None)
        calendar = t.text("calendar", what=N_("the name of a calendar defined under 'calendars'"))
        if calendar is not None and calendar not in calendars and calendar not in broken:
            t.bad("calendar", Message("unknown calendar {calendar!r}{did_you_mean}; define it under "
                                      "'calendars' (known: {calendars})", calendar=calendar,
                                      did_you_mean=did_you_mean(calendar, calendars),
                                      calendars=sorted(calendars)))
        if t.failed or metric is None or priority is None or within is None:
            continue
        if calendar in calendars:
            target = _built(problems, t.path, partial(
                MetricTarget, metric, priority, within, calendars[calendar]))
            if target is not None:
                out.append(target)
    return out


def _load_peak(raw: object, path: str, calendars: dict[str, NamedCalendar],
               broken: set[str], problems: Problems) -> PeakWindow | RecurringPeak | None:
    w = Table.of(raw, path, problems, N_("a peak window"))
    if w is None:
        return None
    if "rule" in w:  # a window that recurs: {name, rule, days, timezone, targets}
        w.only(_RECURRING_KEYS, N_("a recurring peak window"))
        w.require(("name", "rule", "days", "timezone"), N_("a recurring peak window"))
        targets = _load_targets(w.get("targets", []), w.at("targets"), calendars, broken,
                                problems)
        return None if w.failed else _built(problems, path, partial(
            RecurringPeak, w.get("name"), w.get("rule"), w.get("days"), w.get("timezone"),
            targets))
    w.only(_PEAK_KEYS, N_("a peak window"))
    w.require(("name", "first_day", "last_day", "timezone"), N_("a peak window"))
    name = w.text("name")
    days = [_day(w, key) for key in ("first_day", "last_day")]
    zone = w.text("timezone", what=N_("an IANA zone name such as 'Asia/Shanghai'"))
    if zone is not None and read_zone(zone) is None:
        w.bad("timezone", Message("unknown zone {zone}; give an IANA name such as 'Asia/Shanghai'",
                                  zone=shown(zone)))
    targets = _load_targets(w.get("targets", []), w.at("targets"), calendars, broken, problems)
    first, last = days
    if w.failed or name is None or zone is None or first is None or last is None:
        return None
    return _built(problems, path, partial(PeakWindow, name, first, last, zone, targets))


def _day(table: Table, key: str) -> date | None:
    value = table.get(key)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if key in table:
        table.bad(key, Message("expected an ISO 8601 date such as '2025-11-11', got {got}",
                               got=described(value)))
    return None


def _load_policy(raw: object, path: str, calendars: dict[str, NamedCalendar],
                 broken: set[str], problems: Problems) -> SlaPolicy | None:
    p = Table.of(raw, path, problems, N_("a policy"))
    if p is None:
        return None
    p.only(_POLICY_KEYS, N_("a policy"))
    name = p.text("name", what=N_("the policy's name"), required=True)
    version = _version(p)
    when = (_built(problems, p.at("when"),
                   lambda: condition_from_data(p.get("when"), p.at("when")))
            if "when" in p else always())
    targets = _load_targets(p.get("targets", []), p.at("targets"), calendars, broken, problems)
    change = _built(problems, p.at("priority_change"), lambda: PriorityChangeSettings.from_data(
        p.get("priority_change", {}), p.at("priority_change")))
    peaks = [_load_peak(w, join(p.at("peaks"), i), calendars, broken, problems)
             for i, w in enumerate(p.items("peaks", N_("peak windows")) or [])]
    rules = [_built(problems, join(p.at("escalations"), i),
                    partial(EscalationRule.from_data, r, join(p.at("escalations"), i)))
             for i, r in enumerate(p.items("escalations", N_("escalation rules")) or [])]
    settings = [_built(problems, join(p.at("metric_settings"), i),
                       partial(MetricSettings.from_data, m, join(p.at("metric_settings"), i)))
                for i, m in enumerate(p.items("metric_settings", N_("metric settings")) or [])]
    start, end = read_instant(p, "effective_from"), read_instant(p, "effective_until")
    if p.failed or name is None or when is None or change is None:
        return None
    return _built(problems, path, lambda: SlaPolicy(
        name, version, when, targets, change, [w for w in peaks if w is not None],
        [r for r in rules if r is not None], [m for m in settings if m is not None],
        effective_from=start, effective_until=end))
