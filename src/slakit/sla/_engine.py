"""The SLA fold: workflow events in, frozen clock state out (sans I/O, no system clock).

Design rules:

* ``SlaEngine.advance(state, event, ticket)`` takes the ticket state *after* the workflow
  applied ``event`` (so pauses follow the workflow's own statuses) and returns a new
  :class:`SlaState`; nothing is mutated. A redelivered event (the ticket's version did not
  move) is a no-op; an event for another ticket or older than the last one raises and
  changes nothing.
* Per event, in order: (1) if the priority changed, or a ``facts_changed`` (or ``assigned``:
  the group) event changed the facts, the policy is chosen again; open cycles are re-targeted
  with the new policy's upgrade/downgrade mode when the priority moved, with its
  ``policy_change`` mode when only the policy did (the same policy at the same priority
  leaves running targets alone; a deadline set by hand stands, see
  :mod:`slakit.sla._override`); a ``deadline_overridden`` event sets or clears one clock's
  deadline by hand; (2) metric signals (cancel, stop, resume, start) from the
  metric definitions; (3) pausable open cycles pause or resume when the ticket enters or
  leaves a pausing status: the engine's, or per metric when a metric definition or the
  chosen policy names its own (see :mod:`slakit.policies._metric_settings`).
* Targets are looked up at the instant of the event that sets them (peak windows included),
  never at "now". Each cycle keeps the policy name and version it was judged by.
* The state holds everything evaluation needs, so ``state.at(now)`` (see
  :mod:`slakit.sla._results`) gives the same answer however the events were folded.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from slakit._errors import NotFoundError
from slakit._fast import build, derive
from slakit._message import Message
from slakit.policies import (
    EscalationRule,
    EventMatch,
    MetricDefinition,
    NamedCalendar,
    PolicyChoice,
    PolicySet,
    SlaPolicy,
    TicketFacts,
    ZoneChain,
)
from slakit.policies._field_checks import custom_value_problems
from slakit.policies._validity import boundaries, epoch
from slakit.policies._working_days import WorkingDays
from slakit.sla._cycle import (
    UTC,
    CycleState,
    close_span,
    new_cycle,
    reopen,
    resume,
    retarget,
)
from slakit.sla._errors import SlaInputError
from slakit.sla._override import clear_override, keep_override, override_of, set_override
from slakit.sla._results import ClockResult, evaluate_clocks
from slakit.sla._rules_in_force import RulesInForce, changed_rules
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    DeadlineOverridden,
    Event,
    TicketState,
    Workflow,
    apply,
)

_OPS = ("cancel", "stop", "resume", "start")
_MEMOS = ("_wake_memo", "_event_at", "_thresholds")
"""SlaState's private memos (see slakit._fast.remember)."""


# slots=False here and on SlaState: attrs' frozen __init__ is about twice as fast without
# slots (one __dict__ instead of a guarded setattr per field), and the fold builds one
# SlaState and a few ClockStates per event.
@attrs.frozen(slots=False)
class ClockState:
    """Every cycle so far of one metric's clock for one ticket."""

    metric: str
    cycles: tuple[CycleState, ...] = ()

    @property
    def current(self) -> CycleState | None:
        """The latest cycle, if any."""
        return self.cycles[-1] if self.cycles else None


ThresholdCache = dict[tuple[int, timedelta], tuple[
    tuple[EscalationRule, ...], tuple[timedelta, ...], tuple[str | None, ...],
    tuple[EscalationRule, ...]]]
"""An engine's thresholds by (id of a metric's rules, target) (see ``_fixed_thresholds``)."""


class WakeMemo:
    """Each clock's next instant as found at ``at`` (see :func:`slakit.sla.next_wake_at`).

    A private cache an :class:`SlaState` carries; :meth:`SlaEngine.advance` hands the
    previous state's memo to the next state, which recomputes only the clocks it replaced.
    ``soonest`` is the earliest of ``fires`` (UTC), ``answer`` the same instant as returned.
    """

    __slots__ = ("answer", "at", "clocks", "fires", "rules", "soonest")

    def __init__(
        self,
        clocks: tuple[ClockState, ...],
        rules: Mapping[str, tuple[EscalationRule, ...]],
        at: datetime,
        fires: list[datetime | None],
        soonest: datetime | None,
        answer: datetime | None,
    ) -> None:
        self.clocks = clocks
        self.rules = rules
        self.at = at
        self.fires = fires
        self.soonest = soonest
        self.answer = answer


@attrs.frozen(slots=False)
class SlaState:
    """The SLA side of one ticket: facts, chosen policy and one clock per metric.

    Build it with :meth:`SlaEngine.advance` or :meth:`SlaEngine.apply_all`; read it with
    :meth:`at`.
    """

    ticket: str
    facts: TicketFacts
    choice: PolicyChoice
    policy_set_version: str
    paused: bool
    clocks: tuple[ClockState, ...]
    last_event_at: datetime
    version: int
    rules: Mapping[str, tuple[EscalationRule, ...]] = attrs.field(
        factory=dict, eq=False, repr=False
    )
    """The chosen policy's escalation rules whose conditions the facts meet, by metric
    (derived from ``choice`` and ``facts``; kept so evaluations need not re-test them)."""
    rules_in_force: RulesInForce = attrs.field(factory=dict, hash=False, repr=False)
    """Every rule ever in force with the intervals it was, by metric, once a change of facts
    or policy changed ``rules`` (empty until then; see :mod:`slakit.sla._rules_in_force`)."""
    # Memos (see slakit._fast): not in __init__, ==, hash or repr, and left behind by pickle.
    _wake_memo: WakeMemo | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False)
    """Private cache of :func:`slakit.sla.next_wake_at` (see :class:`WakeMemo`)."""
    _event_at: datetime | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False)
    """The last event's ``at`` as the host passed it (``last_event_at`` is its UTC value):
    a host passing the same object as ``now`` skips the zone conversion."""
    _thresholds: ThresholdCache | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False)
    """The threshold cache of the engine that folded this state (shared, never copied)."""

    def __getstate__(self) -> dict[str, Any]:
        # The memos are caches, not state: a copy starts without them. The rules are a
        # read-only view, which pickle cannot store, so they travel as a plain dict.
        state = {k: v for k, v in self.__dict__.items() if k not in _MEMOS}
        state["rules"] = dict(self.rules)
        return state

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple):  # a slotted SlaState pickled by an earlier release
            state = {**(state[0] or {}), **state[1]}
        values = dict(state)
        values["rules"] = MappingProxyType(dict(values.get("rules", {})))
        values.update(dict.fromkeys(_MEMOS))
        derive(self, "__dict__", values)

    def clock(self, metric: str) -> ClockState:
        """The clock of ``metric``."""
        for c in self.clocks:
            if c.metric == metric:
                return c
        raise NotFoundError(Message("no clock for metric {metric!r}", metric=metric))

    def at(self, now: datetime, *, explain: bool = False) -> tuple[ClockResult, ...]:
        """Every clock's figures at ``now`` (see :func:`slakit.sla.evaluate_clocks`)."""
        return evaluate_clocks(self, now, explain=explain)


def applicable_rules(
    policy: SlaPolicy | None, facts: TicketFacts
) -> dict[str, tuple[EscalationRule, ...]]:
    """The escalation rules of ``policy`` whose conditions ``facts`` meet, by metric."""
    out: dict[str, tuple[EscalationRule, ...]] = {}
    for rule in () if policy is None else policy.escalations:
        if rule.when(facts):
            out[rule.metric] = (*out.get(rule.metric, ()), rule)
    return out


_fact_values = attrgetter(*(f.name for f in attrs.fields(TicketFacts)))
"""Every field of a :class:`TicketFacts`, as a tuple (the engine's choice cache key)."""
_CHOICES_LIMIT = 4096
"""Distinct facts remembered by :meth:`SlaEngine._choose`; past this (tags are free text, so
facts need not be few) the cache starts again rather than grow without bound."""
_Target = tuple[tuple[str, str] | None, timedelta | WorkingDays | None, NamedCalendar | None]
_END, _RESUME, _START = range(3)
_Step = tuple[int, int, int, MetricDefinition, Literal["met", "cancelled"]]
_Plan = tuple[tuple[tuple[EventMatch, ...], ...], tuple[_Step, ...]]


def _clock(metric: str, cycles: tuple[CycleState, ...]) -> ClockState:
    """``ClockState(metric, cycles)`` without __init__'s overhead (the fold makes many)."""
    return build(ClockState, {"metric": metric, "cycles": cycles})


def _any_match(tests: tuple[EventMatch, ...], event: Event) -> bool:
    # A plain loop: any() over a generator costs more, and this runs for every event.
    for m in tests:  # noqa: SIM110
        if m(event):
            return True
    return False


def pause_statuses(
    policy: SlaPolicy | None, metric: MetricDefinition, default: frozenset[str]
) -> frozenset[str]:
    """The statuses that pause ``metric`` under ``policy`` (see MetricSettings)."""
    if not metric.pausable:
        return frozenset()
    own = None if policy is None else policy.settings_for(metric.name)
    if own is not None and own.pauses_in is not None:
        return own.pauses_in
    return default if metric.pauses_in is None else metric.pauses_in


def _ref(policy: SlaPolicy | None) -> tuple[str, str] | None:
    return None if policy is None else (policy.name, policy.version)


def _target(
    policy: SlaPolicy | None, metric: str, priority: str, at: datetime | None,
    zone: ZoneInfo | None = None,
) -> _Target:
    if policy is None:
        return None, None, None
    t = policy.target_for(metric, priority, at)
    ref = (policy.name, policy.version)
    return (ref, None, None) if t is None else (ref, t.within, t.calendar.in_zone(zone))


@attrs.frozen
class SlaEngine:
    """Runs the SLA clocks of a :class:`~slakit.policies.PolicySet` over workflow events.

    Args:
        policies: the policy set.
        pausing_statuses: statuses that pause pausable clocks; the default workflow's
            ``waiting_on_customer`` and ``waiting_on_third_party`` unless given
            (pass ``workflow.pausing_statuses`` for a custom workflow).
        zones: resolves each ticket's zone (customer, organisation, team, default) for the
            calendars that follow the ticket's zone; without it they keep their own zone.
    """

    policies: PolicySet
    pausing_statuses: frozenset[str] = DEFAULT_WORKFLOW.pausing_statuses
    zones: ZoneChain | None = None
    _plan: dict[str, _Plan] = attrs.field(init=False, eq=False, repr=False)
    _no_clocks: tuple[ClockState, ...] = attrs.field(init=False, eq=False, repr=False)
    _choices: dict[
        object, tuple[PolicyChoice, Mapping[str, tuple[EscalationRule, ...]]]
    ] = attrs.field(init=False, eq=False, repr=False, factory=dict)
    _views: dict[tuple[tuple[str, tuple[int, ...]], ...], Mapping[
        str, tuple[EscalationRule, ...]]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict)
    """One read-only rules view per distinct set of applicable rules (see ``_choose``)."""
    _targets: dict[tuple[int, str, str, ZoneInfo | None], _Target] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _own: dict[int, SlaPolicy] = attrs.field(init=False, eq=False, repr=False)
    _uniform: bool = attrs.field(init=False, eq=False, repr=False)
    """No metric or policy sets its own pausing statuses: one test per event suffices."""
    _pause_sets: dict[int, tuple[frozenset[str], ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict)
    _bounds: tuple[datetime, ...] = attrs.field(init=False, eq=False, repr=False, default=())
    """Every policy validity boundary, sorted (UTC): the choice cache keys on the interval."""
    """The engine's own policies by id: the target cache serves only these (a state folded
    elsewhere, or unpickled, carries copies whose ids may be reused by other objects)."""
    _thresholds: ThresholdCache = attrs.field(init=False, eq=False, repr=False, factory=dict)
    """Escalation thresholds by rules and target, shared by the states this engine folds."""

    def __attrs_post_init__(self) -> None:
        # event type -> (distinct field tests, steps): each step is (metric index, kind
        # (_END, _RESUME or _START), test index or -1 for "always", metric, the outcome an
        # _END gives) in metric then op order, so an event visits only the metrics it can
        # affect and a test shared by several metrics (a public agent reply stops three
        # clocks and starts one) is evaluated once.
        table: dict[str, dict[tuple[int, str], list[EventMatch] | None]] = {}
        for i, m in enumerate(self.policies.metrics):
            for op, matches in zip(_OPS, (m.cancels, m.stops, m.resumes, m.starts), strict=True):
                for match in matches:
                    rows = table.setdefault(match.event_type, {})
                    tests = rows.setdefault((i, op), [])
                    if tests is not None:
                        if match.equals or match.present:
                            tests.append(match)
                        else:
                            rows[i, op] = None  # an unconditional match wins
        plan: dict[str, _Plan] = {}
        for event_type, rows in table.items():
            groups: list[tuple[EventMatch, ...]] = []
            steps: list[_Step] = []
            for (i, op), tests in rows.items():
                g = -1
                if tests:
                    key = tuple(tests)
                    if key not in groups:
                        groups.append(key)
                    g = groups.index(key)
                kind = _END if op in ("cancel", "stop") else _RESUME if op == "resume" else _START
                outcome: Literal["met", "cancelled"] = "cancelled" if op == "cancel" else "met"
                steps.append((i, kind, g, self.policies.metrics[i], outcome))
            plan[event_type] = (tuple(groups), tuple(steps))
        derive(self, "_plan", plan)
        own = [*self.policies.policies, self.policies.fallback]
        derive(self, "_own", {id(p): p for p in own if p is not None})
        derive(self, "_bounds", boundaries(
            (p.effective_from, p.effective_until) for p in own if p is not None))
        derive(self, "_uniform", all(
            m.pauses_in is None for m in self.policies.metrics) and not any(
            ms.pauses_in is not None for p in own if p is not None for ms in p.metric_settings))
        derive(self, "_no_clocks",
                           tuple(ClockState(m.name) for m in self.policies.metrics))

    def _choose(
        self, facts: TicketFacts, at: datetime
    ) -> tuple[PolicyChoice, Mapping[str, tuple[EscalationRule, ...]]]:
        """The policy for ``facts`` at ``at`` and its escalation rules that apply to them."""
        # Both depend on the facts alone, which take few distinct values (priority, category,
        # channel, tier, tags); choosing means testing every policy's conditions.
        # Custom values keep their type in the key: True == 1 and 1 == 1.0 in Python, but
        # a condition may tell a bool from a number.
        # Policies with validity dates: the choice is the same between two boundaries, so
        # the interval holding ``at`` joins the key (no boundary: always interval 0).
        # The key is the facts' values as a plain tuple: hashed and compared in C (the
        # attrs-made __hash__ and __eq__ are Python), equal exactly when the facts are.
        values = _fact_values(facts)
        key: object = values if not facts.custom else (
            values, tuple(type(v) for _, v in facts.custom))
        if self._bounds:
            key = (key, epoch(self._bounds, at))
        found = self._choices.get(key)
        if found is None:
            if facts.custom and self.policies.fields:
                wrong = custom_value_problems(facts.custom, self.policies.fields)
                if wrong:
                    raise SlaInputError(Message(
                        "{problems}; send the declared type in facts_changed (the policy "
                        "set's fields say which)", problems="; ".join(wrong)))
            if len(self._choices) >= _CHOICES_LIMIT:
                self._choices.clear()
                self._views.clear()
            choice = self.policies.select(facts, at if self._bounds else None)
            # Shared by every ticket whose facts give the same rules (the same rule objects of
            # the engine's own policies, by id): read-only, so no host can change another
            # ticket's rules through its own state. One view per set of rules, not per facts:
            # next_wake_at's memo tells "same rules" by identity, so a facts change that
            # leaves the rules alone (an assignment setting the group) keeps it.
            applicable = applicable_rules(choice.policy, facts)
            view = tuple((metric, tuple(map(id, rs))) for metric, rs in applicable.items())
            rules = self._views.get(view)
            if rules is None:
                rules = self._views[view] = MappingProxyType(applicable)
            found = self._choices[key] = (choice, rules)
        return found

    def _target(
        self, policy: SlaPolicy | None, metric: str, priority: str, at: datetime,
        zone: ZoneInfo | None, since: datetime | None = None,
    ) -> tuple[tuple[str, str] | None, timedelta | None, NamedCalendar | None]:
        """``(policy ref, target, calendar)`` for a cycle whose target is set at ``at``.

        A working-day target becomes the calendar's open time from ``since`` (default
        ``at``) to its due instant (see :mod:`slakit.policies._working_days`).
        """
        if policy is None:
            return None, None, None
        for window in policy.peaks:
            if window.covers(at):
                found = _target(policy, metric, priority, at, zone)
                break
        else:
            if self._own.get(id(policy)) is policy:
                # Outside peak windows the answer depends on the policy, metric, priority and
                # zone only; the engine holds its own policies, so their ids are stable keys.
                key = (id(policy), metric, priority, zone)
                found = self._targets.get(key)  # type: ignore[assignment]
                if found is None:
                    found = self._targets[key] = _target(policy, metric, priority, None, zone)
            else:
                found = _target(policy, metric, priority, at, zone)
        within, cal = found[1], found[2]
        if type(within) is WorkingDays and cal is not None:
            return found[0], within.budget(cal.calendar, since or at), cal
        return found  # type: ignore[return-value]

    def _mode(self, policy: SlaPolicy | None, old: str, new: str, metric: str) -> str:
        """The mode for ``metric`` when the priority moves from ``old`` to ``new``.

        When it does not move, another policy was chosen: its ``policy_change`` mode.
        """
        if policy is None:
            return "keep_elapsed"
        settings = (policy.change_settings(metric) if policy.metric_settings
                    else policy.priority_change)
        rank_old, rank_new = self.policies.rank(old), self.policies.rank(new)
        if rank_new < rank_old:
            return settings.upgrade
        if rank_new > rank_old:
            return settings.downgrade
        return settings.policy_change if old == new else "keep_elapsed"

    def _pauses(self, policy: SlaPolicy | None) -> tuple[frozenset[str], ...]:
        """Per metric (in order), the statuses that pause it under ``policy``."""
        found = self._pause_sets.get(id(policy))
        if found is None or self._own.get(id(policy)) is not policy:
            found = tuple(pause_statuses(policy, m, self.pausing_statuses)
                          for m in self.policies.metrics)
            if policy is None or self._own.get(id(policy)) is policy:
                self._pause_sets[id(policy)] = found
        return found

    def _index(self, metric: str) -> int:
        """The position of ``metric`` in the policy set (its clock's index in a state)."""
        for i, m in enumerate(self.policies.metrics):
            if m.name == metric:
                return i
        raise SlaInputError(Message(
            "unknown metric {metric!r} in a deadline override; the policy set's metrics "
            "are: {metrics}", metric=metric,
            metrics=", ".join(m.name for m in self.policies.metrics)))

    def advance(self, state: SlaState | None, event: Event, ticket: TicketState) -> SlaState:
        """The SLA state after ``event``; ``ticket`` is the workflow state after it.

        Raises:
            SlaInputError: the event is for another ticket, older than the last event, or
                (with no state yet) not the ticket's opening.
        """
        at = event.at.astimezone(UTC)
        paused = ticket.status in self.pausing_statuses
        if state is None:
            if event.event_type != "opened":
                raise SlaInputError(Message(
                    "the SLA fold of ticket {ticket!r} must start with its 'opened' event, "
                    "got {event_type!r}; replay the ticket from its first event",
                    ticket=event.ticket, event_type=event.event_type))
            facts = TicketFacts.of(ticket)
            choice, rules = self._choose(facts, at)
            state = SlaState(ticket.ticket, facts, choice, self.policies.version, paused,
                             self._no_clocks, at, 0, rules)
        elif event.ticket != state.ticket:
            raise SlaInputError(Message(
                "event {event_id!r} is for ticket {ticket!r}, not {expected!r}",
                event_id=event.event_id, ticket=event.ticket, expected=state.ticket))
        elif ticket.version == state.version:
            return state  # redelivered event: the workflow ignored it, so do we
        elif at < state.last_event_at:
            raise SlaInputError(Message(
                "event {event_id!r} at {at} is older than the last event at {last}; events "
                "must come in time order", event_id=event.event_id, at=event.at.isoformat(),
                last=state.last_event_at.isoformat()))
        clocks = list(state.clocks)
        touched = False  # whether any clock changed: if not, the state keeps its tuple
        choice = state.choice
        facts = state.facts
        rules = state.rules
        zone = None if self.zones is None else self.zones.zone_of(ticket)
        # The facts after this event, read again only when they moved (a priority change, an
        # assignment to another group) or may have (facts_changed may set what was set).
        etype = event.event_type
        new_facts: TicketFacts | None = None
        if (ticket.priority != facts.priority
                or (etype == "assigned" and ticket.group != facts.group)):
            new_facts = TicketFacts.of(ticket)
        elif etype == "facts_changed":
            new_facts = TicketFacts.of(ticket)
            if _fact_values(new_facts) == _fact_values(facts):  # == in C (see _choose)
                new_facts = None
        if new_facts is not None:
            facts = new_facts
            choice, rules = self._choose(facts, at)
            # Same policy at the same priority: the running targets stand.
            moved = (facts.priority != state.facts.priority
                     or _ref(choice.policy) != _ref(state.choice.policy))
            for i, clock in enumerate(clocks if moved else ()):
                cur = clock.current
                if cur is not None and cur.is_open and override_of(cur) is not None:
                    new = keep_override(cur, at, facts.priority, _ref(choice.policy))
                    clocks[i] = _clock(clock.metric, (*clock.cycles[:-1], new))
                    touched = True
                elif cur is not None and cur.is_open:
                    mode = self._mode(choice.policy, state.facts.priority, facts.priority,
                                      clock.metric)
                    ref, within, cal = self._target(
                        choice.policy, clock.metric, facts.priority, at, zone,
                        cur.started_at if mode == "from_creation" else None)
                    new = retarget(cur, at, mode, facts.priority, ref, within, cal)
                    clocks[i] = _clock(clock.metric, (*clock.cycles[:-1], new))
                    touched = True
        elif self._bounds and epoch(self._bounds, at) != epoch(self._bounds, state.last_event_at):
            # A validity boundary passed: cycles that start from now on are judged by the
            # policy in force now; running ones keep theirs (see policies._validity).
            choice, rules = self._choose(facts, at)
        if type(event) is DeadlineOverridden:
            i = self._index(event.metric)
            cur = clocks[i].current
            if event.due_at is not None:
                new = set_override(cur, event.metric, at, event.due_at, event.reason)
            elif cur is None or not cur.is_open or override_of(cur) is None:
                raise SlaInputError(Message(
                    "event {event_id!r} clears the deadline override of {metric!r}, but its "
                    "clock has no open cycle with an override; send due_at to set one",
                    event_id=event.event_id, metric=event.metric))
            else:
                ref, within, cal = self._target(choice.policy, event.metric, facts.priority,
                                                at, zone)
                new = clear_override(cur, at, facts.priority, ref, within, cal, event.reason)
            clocks[i] = _clock(event.metric, (*clocks[i].cycles[:-1], new))
            touched = True
        # Per-metric pausing statuses, when some metric or policy sets its own (else the
        # one engine-wide test below, as fast as before).
        pz = None if self._uniform else self._pauses(choice.policy)
        status = ticket.status
        plan = self._plan.get(etype)
        if plan is not None:
            groups, steps = plan
            hits = [_any_match(g, event) for g in groups]
            for i, kind, g, metric, outcome in steps:
                if g >= 0 and not hits[g]:
                    continue
                clock = clocks[i]
                cycles = clock.cycles
                cur = cycles[-1] if cycles else None
                if kind == _END:
                    if cur is not None and cur.ended_at is None:
                        new = close_span(cur, at, ended_at=at, outcome=outcome)
                        clocks[i] = _clock(clock.metric, (*cycles[:-1], new))
                        touched = True
                elif kind == _RESUME:
                    if cur is not None and cur.outcome == "met":
                        new = reopen(cur, at, not (paused and metric.pausable) if pz is None
                                     else status not in pz[i])
                        moved = new.priority != facts.priority or new.policy != (
                            None if choice.policy is None else choice.policy.name)
                        if moved and override_of(new) is not None:
                            new = keep_override(new, at, facts.priority, _ref(choice.policy))
                        elif moved:
                            mode = self._mode(choice.policy, new.priority, facts.priority,
                                              metric.name)
                            ref, within, cal = self._target(
                                choice.policy, metric.name, facts.priority, at, zone,
                                new.started_at if mode == "from_creation" else None)
                            new = retarget(new, at, mode, facts.priority, ref, within, cal)
                        clocks[i] = _clock(clock.metric, (*cycles[:-1], new))
                        touched = True
                elif cur is None or (cur.ended_at is not None and metric.repeats):
                    ref, within, cal = self._target(choice.policy, metric.name, facts.priority,
                                                    at, zone)
                    running = (not (paused and metric.pausable) if pz is None
                               else status not in pz[i])
                    new = new_cycle(metric.name, len(cycles) + 1, at, running, facts.priority,
                                    ref, within, cal)
                    clocks[i] = _clock(clock.metric, (*cycles, new))
                    touched = True
        if pz is not None:
            for i, clock in enumerate(clocks):
                cycles = clock.cycles
                if not cycles or cycles[-1].ended_at is not None:
                    continue
                cur = cycles[-1]
                if status in pz[i]:
                    if cur.running_since is None:
                        continue
                    new = close_span(cur, at)
                elif cur.running_since is None:
                    new = resume(cur, at)
                else:
                    continue
                clocks[i] = _clock(clock.metric, (*cycles[:-1], new))
                touched = True
        elif paused != state.paused:
            for i, metric in enumerate(self.policies.metrics):
                clock = clocks[i]
                cycles = clock.cycles
                if not cycles or cycles[-1].ended_at is not None or not metric.pausable:
                    continue
                new = close_span(cycles[-1], at) if paused else resume(cycles[-1], at)
                clocks[i] = _clock(clock.metric, (*cycles[:-1], new))
                touched = True
        # Built from a dict rather than through __init__ (a test checks they agree): one
        # state per event. The previous state's wake-up memo goes along (see WakeMemo) if it
        # was found for that state, so a memo never keeps clocks older than one event, nor
        # rules that were in force at other times.
        memo = state._wake_memo
        in_force = state.rules_in_force
        if rules is not state.rules:
            in_force = changed_rules(state.rules, in_force, rules, at)
            memo = None
        if memo is not None and memo.clocks is not state.clocks:
            memo = None
        return build(SlaState, {
            "ticket": state.ticket, "facts": facts, "choice": choice,
            "policy_set_version": state.policy_set_version, "paused": paused,
            "clocks": tuple(clocks) if touched else state.clocks, "last_event_at": at,
            "version": ticket.version, "rules": rules, "rules_in_force": in_force,
            "_wake_memo": memo,
            "_event_at": event.at, "_thresholds": self._thresholds,
        })

    def apply_all(
        self, events: Iterable[Event], workflow: Workflow = DEFAULT_WORKFLOW
    ) -> tuple[TicketState, SlaState]:
        """Fold ``events`` through the workflow and the clocks, from the ticket's opening.

        Raises:
            SlaInputError: when there are no events.
        """
        ticket: TicketState | None = None
        sla: SlaState | None = None
        for event in events:
            ticket = apply(ticket, event, workflow)
            sla = self.advance(sla, event, ticket)
        if ticket is None or sla is None:
            raise SlaInputError(Message("apply_all needs at least the ticket's 'opened' event"))
        return ticket, sla

    def replay(
        self, events: Iterable[Event], workflow: Workflow = DEFAULT_WORKFLOW
    ) -> tuple[TicketState, SlaState]:
        """Deprecated name of :meth:`apply_all` (see ``CHANGELOG.md``)."""
        warnings.warn(
            "SlaEngine.replay is now SlaEngine.apply_all (see CHANGELOG.md)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.apply_all(events, workflow)
