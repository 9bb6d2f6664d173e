"""SLA policies and the ordered policy set that picks one per ticket.

Design rules:

* A :class:`SlaPolicy` is a versioned value: conditions, targets per (metric, priority),
  the priority-change settings, peak windows and escalation rules. Clocks record the
  ``name`` and ``version`` of the policy they were judged by.
* A :class:`PolicySet` is an ordered list, first match wins, with an explicit ``fallback``.
  When nothing matches and there is no fallback, :meth:`PolicySet.select` says so (a
  :class:`PolicyChoice` with ``policy=None``) instead of guessing.
* Hard errors (duplicate names, targets or rules for unknown metrics, priorities missing from
  the order) raise when the set is built; soft ones (no fallback, a policy no ticket can
  reach, a policy without a target for some priority) are listed by
  :meth:`PolicySet.problems`, like a linter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

import attrs

from slakit._errors import NotFoundError
from slakit._fast import derive
from slakit._message import Message
from slakit.i18n import translator
from slakit.policies._as_tuples import (
    as_metrics,
    as_peaks,
    as_rules,
    as_settings,
    as_strings,
    as_targets,
)
from slakit.policies._conditions import (
    Condition,
    FactsLike,
    TicketFacts,
    always,
)
from slakit.policies._errors import NoPolicyMatchedError, PolicyDataError
from slakit.policies._escalation_rules import EscalationRule
from slakit.policies._field_checks import fields_problems
from slakit.policies._metric_settings import MetricSettings
from slakit.policies._metrics import DEFAULT_METRICS, MetricDefinition
from slakit.policies._priority_change import PriorityChangeSettings
from slakit.policies._reachability import capped_domain, priorities_in
from slakit.policies._recurring_peaks import RecurringPeak
from slakit.policies._targets import MetricTarget, PeakWindow
from slakit.policies._validity import in_force, validity_problems
from slakit.workflow import FactMap


def _fields(value: Mapping[str, str]) -> Mapping[str, str]:
    return FactMap(value)


@attrs.frozen
class SlaPolicy:
    """One SLA: when it applies and what it promises.

    Example:
        >>> from datetime import timedelta
        >>> from slakit.calendar import AlwaysOpen
        >>> from slakit.policies import NamedCalendar, channel_is
        >>> cal = NamedCalendar("24x7", AlwaysOpen("Asia/Shanghai"))
        >>> hotline = SlaPolicy("hotline", "3", channel_is("hotline"), [
        ...     MetricTarget("first_response", "urgent", timedelta(minutes=3), cal)])
        >>> hotline.target_for("first_response", "urgent").within
        datetime.timedelta(seconds=180)
    """

    name: str
    version: str
    when: Condition = attrs.field(factory=always)
    targets: tuple[MetricTarget, ...] = attrs.field(factory=tuple, converter=as_targets)
    priority_change: PriorityChangeSettings = attrs.field(factory=PriorityChangeSettings)
    peaks: tuple[PeakWindow | RecurringPeak, ...] = attrs.field(factory=tuple, converter=as_peaks)
    escalations: tuple[EscalationRule, ...] = attrs.field(factory=tuple, converter=as_rules)
    metric_settings: tuple[MetricSettings, ...] = attrs.field(
        factory=tuple, converter=as_settings
    )
    """Per-metric pausing statuses and change modes (see :class:`MetricSettings`)."""
    effective_from: datetime | None = attrs.field(default=None, kw_only=True)
    effective_until: datetime | None = attrs.field(default=None, kw_only=True)
    """In force in ``[effective_from, effective_until)``, None an open end (see _validity)."""
    _index: Mapping[tuple[str, str], MetricTarget] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        index: dict[tuple[str, str], MetricTarget] = {}
        for t in self.targets:
            if t.key in index:
                problems.append(Message("policy {name!r}: two targets for {key}", name=self.name, key=t.key))
            index[t.key] = t
        for w in self.peaks:
            keys = [t.key for t in w.targets]
            if len(keys) != len(set(keys)):
                problems.append(Message("policy {name!r}, peak {name2!r}: duplicate targets",
                                        name=self.name, name2=w.name))
        problems += validity_problems(self.name, self.effective_from, self.effective_until)
        seen = [m.metric for m in self.metric_settings]
        for name in sorted({n for n in seen if seen.count(n) > 1}):
            problems.append(Message("policy {name!r}: two metric settings for {name2!r}; merge them",
                                    name=self.name, name2=name))
        if problems:
            raise PolicyDataError(problems)
        derive(self, "_index", index)

    def in_force(self, at: datetime | None) -> bool:
        """Whether the policy is in force at ``at`` (None: validity not judged)."""
        return at is None or in_force(self.effective_from, self.effective_until, at)

    def settings_for(self, metric: str) -> MetricSettings | None:
        """This policy's settings for ``metric``, if it has any."""
        for m in self.metric_settings:
            if m.metric == metric:
                return m
        return None

    def change_settings(self, metric: str) -> PriorityChangeSettings:
        """The change modes for ``metric``: its own setting, else the policy's."""
        own = self.settings_for(metric)
        if own is None or own.priority_change is None:
            return self.priority_change
        return own.priority_change

    def target_for(
        self, metric: str, priority: str, at: datetime | None = None
    ) -> MetricTarget | None:
        """The target for ``metric`` at ``priority``, from a peak window covering ``at``."""
        if at is not None:
            for window in self.peaks:
                if window.covers(at):
                    for t in window.targets:
                        if t.metric == metric and t.priority == priority:
                            return t
        return self._index.get((metric, priority))

    def metrics(self) -> frozenset[str]:
        """Every metric this policy sets a target for (normally or in a peak window)."""
        peak = {t.metric for w in self.peaks for t in w.targets}
        return frozenset({t.metric for t in self.targets} | peak)


@attrs.frozen
class PolicyChoice:
    """Which policy applies to a ticket and why (``via``: ``match``, ``fallback`` or ``none``)."""

    policy: SlaPolicy | None
    via: Literal["match", "fallback", "none"]

    def describe(self, lang: str = "en") -> str:
        """A sentence for logs and explanations, in ``lang`` (see :mod:`slakit.i18n`)."""
        _ = translator(lang).gettext
        if self.policy is None:
            return _("no SLA policy matches and the policy set has no fallback")
        text = _("policy {name} v{version} (matched)") if self.via == "match" else _(
            "policy {name} v{version} (fallback)")
        return text.format(name=repr(self.policy.name), version=self.policy.version)


def _policies(items: Iterable[SlaPolicy]) -> tuple[SlaPolicy, ...]:
    return tuple(items)


@attrs.frozen
class PolicySet:
    """An ordered list of policies (first match wins) plus an explicit fallback.

    Args:
        policies: tried in order.
        fallback: used when none matches; ``None`` means "report, do not guess".
        priorities: every priority, most urgent first; decides upgrade vs downgrade.
        metrics: the metric definitions clocks run by.
        version: the version of the set as a whole (recorded with each policy choice).
        fields: custom fields conditions may test, name -> ``string``, ``number``, ``bool``
            or ``date`` (see :func:`~slakit.policies.fact`).
    """

    policies: tuple[SlaPolicy, ...] = attrs.field(converter=_policies)
    fallback: SlaPolicy | None = None
    priorities: tuple[str, ...] = attrs.field(
        default=("urgent", "high", "normal", "low"), converter=as_strings
    )
    metrics: tuple[MetricDefinition, ...] = attrs.field(default=DEFAULT_METRICS, converter=as_metrics)
    version: str = "1"
    fields: Mapping[str, str] = attrs.field(
        factory=dict, converter=_fields, repr=lambda v: repr(dict(v))
    )

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        problems += fields_problems(self.fields, self.all_policies())
        names = [p.name for p in self.all_policies()]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(Message("policy name {name!r} is used twice; names identify policies", name=name))
        metric_names = [m.name for m in self.metrics]
        if len(set(metric_names)) != len(metric_names):
            problems.append(Message("metric names must be unique, got {names}", names=metric_names))
        if len(set(self.priorities)) != len(self.priorities) or not self.priorities:
            problems.append(Message("priorities must be distinct and non-empty: {p}", p=self.priorities))
        for policy in self.all_policies():
            targets = [*policy.targets, *(t for w in policy.peaks for t in w.targets)]
            for t in targets:
                if t.metric not in metric_names:
                    problems.append(
                        Message("policy {name!r}: target for unknown metric {metric!r}; known: "
                                "{metric_names}", name=policy.name, metric=t.metric,
                                metric_names=metric_names)
                    )
                if t.priority not in self.priorities:
                    problems.append(
                        Message("policy {name!r}: target for priority {priority!r}, which is not in "
                                "priorities {priorities}; add it there or fix the spelling",
                                name=policy.name, priority=t.priority, priorities=self.priorities)
                    )
            for ms in policy.metric_settings:
                if ms.metric not in metric_names:
                    problems.append(
                        Message("policy {name!r}: settings for unknown metric {metric!r}; known: "
                                "{metric_names}", name=policy.name, metric=ms.metric,
                                metric_names=metric_names)
                    )
            for r in policy.escalations:
                if r.metric not in metric_names:
                    problems.append(
                        Message("policy {name!r}: escalation {name2!r} on unknown metric {metric!r}",
                                name=policy.name, name2=r.name, metric=r.metric)
                    )
            problems.extend(self._unknown_priorities(policy))
        if problems:
            raise PolicyDataError(problems)

    def _unknown_priorities(self, policy: SlaPolicy) -> Iterable[str]:
        """Priorities outside the ladder in a condition or action, each a problem.

        Such a condition silently matches nothing, and such an action raises a ticket to a
        priority no target has.
        """
        ladder = Message("priorities {priorities}; add it there or fix the spelling",
                         priorities=self.priorities)
        wheres = [(Message("its condition"), policy.when),
                  *((Message("the condition of escalation {rule!r}", rule=r.name), r.when)
                    for r in policy.escalations)]
        for where, condition in wheres:
            for priority in sorted(priorities_in(condition) - set(self.priorities)):
                yield Message("policy {name!r}: {where} tests priority {priority!r}, not in "
                              "{ladder}", name=policy.name, where=where, priority=priority,
                              ladder=ladder)
        for r in policy.escalations:
            for action in r.actions:
                if action.kind == "raise_priority":
                    for priority in action.targets:
                        if priority not in self.priorities:
                            yield Message("policy {name!r}: escalation {rule!r} raises to priority "
                                          "{priority!r}, not in {ladder}", name=policy.name,
                                          rule=r.name, priority=priority, ladder=ladder)

    def all_policies(self) -> tuple[SlaPolicy, ...]:
        """The ordered policies followed by the fallback, if any."""
        return self.policies + (() if self.fallback is None else (self.fallback,))

    def metric(self, name: str) -> MetricDefinition:
        """The definition of metric ``name``."""
        for m in self.metrics:
            if m.name == name:
                return m
        raise NotFoundError(Message("unknown metric {name!r}; known: {value}", name=name,
                                    value=[m.name for m in self.metrics]))

    def rank(self, priority: str) -> int:
        """Position of ``priority`` in the order (0 most urgent; unknown ones rank last)."""
        try:
            return self.priorities.index(priority)
        except ValueError:
            return len(self.priorities)

    def select(self, facts: FactsLike, at: datetime | None = None) -> PolicyChoice:
        """The first policy whose conditions hold, else the fallback, else ``via="none"``.

        With ``at``, only policies in force then count (the fallback too; see _validity).

        >>> from slakit.policies import priority_is
        >>> ps = PolicySet([SlaPolicy("vip", "1", priority_is("urgent"))])
        >>> ps.select(TicketFacts(priority="low")).describe()
        'no SLA policy matches and the policy set has no fallback'
        """
        for policy in self.policies:
            if policy.when(facts) and policy.in_force(at):
                return PolicyChoice(policy, "match")
        if self.fallback is not None and self.fallback.in_force(at):
            return PolicyChoice(self.fallback, "fallback")
        return PolicyChoice(None, "none")

    def require(self, facts: FactsLike) -> SlaPolicy:
        """The policy :meth:`select` picks, for hosts that refuse tickets without one.

        Raises:
            NoPolicyMatchedError: no policy matches ``facts`` and there is no fallback.

        >>> from slakit.policies import priority_is
        >>> try:
        ...     PolicySet([SlaPolicy("vip", "1", priority_is("urgent"))]).require(
        ...         TicketFacts(priority="low"))
        ... except NoPolicyMatchedError as exc:
        ...     print(str(exc)[:26])
        no SLA policy matches Tick
        """
        choice = self.select(facts)
        if choice.policy is None:
            raise NoPolicyMatchedError(
                Message("no SLA policy matches {of!r} and the policy set has no fallback; add a policy "
                        "for it or a fallback", of=TicketFacts.of(facts))
            )
        return choice.policy

    def problems(self) -> tuple[str, ...]:
        """Soft problems of the set, for a policy author to fix: each a sentence.

        Policies are checked over every combination of the values their conditions mention
        (plus one unmentioned value per attribute; for numbers and dates, the values just
        below and above), which decides reachability exactly for the tests conditions are
        made of. Past a limit of combinations the check is skipped and says so.
        """
        found: list[str] = []
        domain, skipped = capped_domain(self.priorities, [p.when for p in self.policies])
        checked = skipped is None
        found += [] if skipped is None else [skipped]
        reached: set[str] = set()
        unmatched: list[TicketFacts] = []
        for facts in domain:
            choice = self.select(facts)
            if choice.policy is None:
                unmatched.append(facts)
            else:
                reached.add(choice.policy.name)
        for policy in self.policies if checked else ():
            if policy.name not in reached:
                found.append(
                    Message("policy {name!r} can never be chosen: its conditions {when!r} match nothing "
                            "not already matched by an earlier policy", name=policy.name, when=policy.when)
                )
        if self.fallback is None:
            example = Message(" (e.g. {facts!r})", facts=unmatched[0]) if unmatched else ""
            found.append(
                Message("the policy set has no fallback: tickets matching no policy get no SLA "
                        "clocks{example}; add fallback=SlaPolicy(...)", example=example)
            )
        for policy in self.all_policies():
            for priority in self.priorities:
                if not any(t.priority == priority for t in policy.targets):
                    found.append(Message("policy {name!r} has no target for priority {priority!r}",
                                         name=policy.name, priority=priority))
        return tuple(found)
