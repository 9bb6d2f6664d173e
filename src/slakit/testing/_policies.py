"""``policies()``: random ``PolicySet`` values that survive ``dump_policies``/``load_policies``.

Only what the stored form can hold is drawn: ``AlwaysOpen`` and ``BusinessCalendar``
calendars with unique names, conditions built by the public factories (so they are in the
canonical form ``condition_from_data`` rebuilds), unique policy and rule names, and targets
only for declared metrics and priorities.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from hypothesis import strategies as st

from slakit.calendar import AlwaysOpen, Calendar
from slakit.policies import (
    CHANGE_MODES,
    DEFAULT_METRICS,
    Condition,
    EscalationAction,
    EscalationRule,
    MetricDefinition,
    MetricTarget,
    NamedCalendar,
    PeakWindow,
    PolicySet,
    PriorityChangeSettings,
    SlaPolicy,
    Trigger,
    after_breach,
    all_,
    always,
    any_,
    at_fraction,
    before_due,
    category_is,
    channel_is,
    customer_tier_is,
    every,
    fact,
    has_tag,
    never,
    not_,
    notify,
    on,
    priority_is,
    raise_priority,
    reassign,
)
from slakit.testing._calendars import calendars

PRIORITY_NAMES = ("urgent", "high", "important", "normal", "low")
_POLICY_NAMES = ("hotline", "vip", "suggestions", "enterprise", "night-desk")

TIER2_ASSIGNED = MetricDefinition(
    "tier2_assigned", starts=[on("opened")], stops=[on("assigned", group="tier2")], pausable=False
)
"""A host-defined metric some drawn policy sets add to the built-in ones."""


def _some(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)


CUSTOM_FIELDS: Mapping[str, str] = MappingProxyType({
    "order_value": "number", "region": "string", "is_vip": "bool", "promised_on": "date"})
"""The custom fields every drawn policy set declares (conditions on them are drawn too)."""


@functools.cache
def _fact_leaves() -> st.SearchStrategy[Condition]:
    """``fact(...)`` tests of every operator, on custom fields and built-in ones."""
    numbers = st.sampled_from([0, 100, 299.5, 300])
    days = st.sampled_from([date(2025, 1, 1), date(2025, 6, 18), date(2025, 11, 11)])
    regions = st.sampled_from(["north", "south"])
    any_field = st.sampled_from([*CUSTOM_FIELDS, "group", "organisation"])
    return st.one_of(
        st.builds(lambda op, v: getattr(fact("order_value"), op)(v),
                  st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]), numbers),
        st.builds(lambda op, v: getattr(fact("promised_on"), op)(v),
                  st.sampled_from(["eq", "lt", "ge"]), days),
        st.builds(lambda op, v: getattr(fact("region"), op)(*v),
                  st.sampled_from(["in_", "not_in"]), _some(("north", "south"))),
        regions.map(lambda v: fact("region").eq(v)),
        st.booleans().map(lambda v: fact("is_vip").eq(v)),
        _some(("l1", "tier2")).map(lambda v: fact("group").in_(*v)),
        st.just(fact("organisation").eq("acme")),
        st.just(fact("tags").contains("vip")),
        any_field.map(lambda f: fact(f).present()),
        any_field.map(lambda f: fact(f).absent()),
    )


@functools.cache
def conditions(priorities: tuple[str, ...]) -> st.SearchStrategy[Condition]:
    """Conditions over ticket facts, nested with ``&``, ``|`` and ``~``.

    Leaves test the built-in facts and, with :func:`~slakit.policies.fact`, the custom
    fields in :data:`CUSTOM_FIELDS` (a policy set using them must declare them).
    """
    leaves = st.one_of(
        _some(priorities).map(lambda v: priority_is(*v)),
        _some(("delivery", "refund", "suggestion")).map(lambda v: category_is(*v)),
        _some(("hotline", "email", "web")).map(lambda v: channel_is(*v)),
        _some(("gold", "enterprise")).map(lambda v: customer_tier_is(*v)),
        _some(("vip", "outage")).map(lambda v: has_tag(*v)),
        st.sampled_from([always(), never()]),
        _fact_leaves(),
    )
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: all_(*cs)),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: any_(*cs)),
        inner.map(not_),
    ), max_leaves=4)


@functools.cache
def durations(max_days: int = 3) -> st.SearchStrategy[timedelta]:
    """Positive durations: whole minutes mostly, sometimes seconds or microseconds."""
    return st.one_of(
        st.integers(1, max_days * 24 * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(1, max_days * 86_400).map(lambda s: timedelta(seconds=s)),
        st.integers(1, 10**9).map(lambda us: timedelta(microseconds=us)),
    )


@functools.cache
def triggers() -> st.SearchStrategy[Trigger]:
    """Every kind of escalation trigger."""
    return st.one_of(
        st.sampled_from([0.25, 0.5, 0.75, 0.9, 1.0, 1.5]).map(at_fraction),
        durations(1).map(before_due),
        st.one_of(st.just(timedelta(0)), durations(1)).map(after_breach),
        st.builds(lambda i, b, n: every(i, after_breach=b, limit=n),
                  st.integers(5, 600).map(lambda m: timedelta(minutes=m)), st.booleans(),
                  st.none() | st.integers(1, 5)),
    )


@functools.cache
def _actions(priorities: tuple[str, ...]) -> st.SearchStrategy[list[EscalationAction]]:
    return st.lists(st.one_of(
        _some(("assignee", "team_lead", "duty_manager")).map(lambda v: notify(*v)),
        st.sampled_from(["tier2", "l1"]).map(reassign),
        st.sampled_from(priorities).map(raise_priority),
    ), min_size=1, max_size=2)


@st.composite
def _targets(draw: st.DrawFn, metrics: list[str], priorities: tuple[str, ...],
             cals: list[NamedCalendar], max_size: int) -> list[MetricTarget]:
    keys = draw(st.lists(st.tuples(st.sampled_from(metrics), st.sampled_from(priorities)),
                         unique=True, max_size=max_size))
    return [MetricTarget(m, p, draw(durations()), draw(st.sampled_from(cals))) for m, p in keys]


@st.composite
def _policy(draw: st.DrawFn, name: str, metrics: list[str], priorities: tuple[str, ...],
            cals: list[NamedCalendar]) -> SlaPolicy:
    when = st.just(always()) | conditions(priorities)
    peaks = []
    for n in range(draw(st.integers(0, 2))):
        first = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
        peaks.append(PeakWindow(f"peak-{n}", first, first + timedelta(days=draw(st.integers(0, 20))),
                                draw(st.sampled_from([c.calendar.zone.key for c in cals])),
                                draw(_targets(metrics, priorities, cals, 3))))
    rules = [
        EscalationRule(f"rule-{n}", draw(st.sampled_from(metrics)), draw(triggers()),
                       draw(_actions(priorities)),
                       draw(when), draw(st.integers(0, 3)))
        for n in range(draw(st.integers(0, 4)))
    ]
    return SlaPolicy(
        name, draw(st.sampled_from(["1", "2", "2025-01"])),
        draw(when),
        draw(_targets(metrics, priorities, cals, 10)),
        PriorityChangeSettings(draw(st.sampled_from(CHANGE_MODES)),
                               draw(st.sampled_from(CHANGE_MODES))),
        peaks, rules,
    )


@functools.cache
def _calendar_choices() -> st.SearchStrategy[Calendar]:
    return st.one_of(st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "UTC"]).map(AlwaysOpen),
                     calendars(max_intervals_per_day=2))


@st.composite
def _policy_set(draw: st.DrawFn, fallback: bool | None) -> PolicySet:
    priorities = tuple(draw(st.lists(st.sampled_from(PRIORITY_NAMES), min_size=1, max_size=4,
                                     unique=True)))
    metric_defs = DEFAULT_METRICS + ((TIER2_ASSIGNED,) if draw(st.integers(0, 3)) == 0 else ())
    metrics = [m.name for m in metric_defs]
    cals = [
        NamedCalendar(name, draw(_calendar_choices()), draw(st.sampled_from(["1", "2025"])))
        for name in draw(st.lists(st.sampled_from(["24x7", "office", "7x12", "night"]),
                                  min_size=1, max_size=3, unique=True))
    ]
    names = draw(st.lists(st.sampled_from(_POLICY_NAMES), max_size=3, unique=True))
    ordered = [draw(_policy(n, metrics, priorities, cals)) for n in names]
    has_fallback = draw(st.booleans()) if fallback is None else fallback
    last = draw(_policy("standard", metrics, priorities, cals)) if has_fallback else None
    return PolicySet(ordered, last, priorities=priorities, metrics=metric_defs,
                     version=draw(st.sampled_from(["1", "2025-01"])), fields=CUSTOM_FIELDS)


def policies(*, fallback: bool | None = None) -> st.SearchStrategy[PolicySet]:
    """Random policy sets that round-trip through ``dump_policies`` and ``load_policies``.

    Each has one to four priorities, one to three named calendars (24x7 or drawn by
    :func:`calendars`), up to three ordered policies and maybe a fallback, with nested
    conditions (on built-in facts and on the custom fields of :data:`CUSTOM_FIELDS`, which
    every set declares), targets for the built-in metrics (and sometimes a host-defined one), every
    priority-change mode, peak windows and escalation rules of every trigger kind.

    Args:
        fallback: ``True`` or ``False`` to force whether the set has a fallback policy.

    Example:
        >>> import json
        >>> from hypothesis import find
        >>> from slakit.policies import dump_policies, load_policies
        >>> ps = find(policies(), lambda ps: len(ps.policies) >= 2)
        >>> load_policies(json.loads(json.dumps(dump_policies(ps)))) == ps
        True
    """
    return _policy_set(fallback)
