"""Escalation checks: each decision once, in order, never while paused; exact wake-ups.

A simulated host walks through a log: at every event and at awkward instants between them
(firing times, due times, a microsecond either side) it applies the events due by then and
asks for decisions, once by remembering the keys it acted on (``already_fired``) and once by
passing its previous evaluation time (``since``). Both are documented to give each decision
exactly once.

The functions under test are parameters (``due``, ``wake``), so a host that wraps them (a
scheduler, a deduplicating outbox) checks its wrapper with the same properties.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from slakit._message import Message
from slakit.policies import PolicySet
from slakit.sla import EscalationDecision, SlaEngine, SlaState, due_escalations, next_wake_at
from slakit.testing._errors import EscalationInvariantError, WakeUpInvariantError
from slakit.testing._runner import run_check
from slakit.testing._sla_subject import engine_of, policy_event_logs, probes
from slakit.workflow import DEFAULT_WORKFLOW, Event, TicketState, Workflow, apply

UTC = timezone.utc
Example = tuple[list[Event], st.DataObject]
DueEscalations = Callable[..., tuple[EscalationDecision, ...]]
NextWakeAt = Callable[..., datetime | None]
_QUIET_HORIZON = timedelta(days=7)  # with no wake-up, nothing may fire within this


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def _fail(invariant: str, why: str, log: list[Event], **values: Any) -> EscalationInvariantError:
    return EscalationInvariantError(invariant, why, {"events": log, **values})


def _check_batch(batch: tuple[EscalationDecision, ...], now: datetime, fired: dict[str, datetime],
                 mode: str, log: list[Event]) -> None:
    times = [_utc(d.fire_at) for d in batch]
    if times != sorted(times):
        raise _fail("escalations come in due order", f"due_escalations({mode}) must sort its "
                    "decisions by fire time", log, now=now, decisions=[d.key for d in batch],
                    fire_at=times)
    for d in batch:
        if _utc(d.fire_at) > now:
            raise _fail("nothing fires before its time", f"decision {d.key!r} fires after now",
                        log, now=now, fire_at=d.fire_at)
        if d.key in fired:
            raise _fail("each escalation fires exactly once", f"with {mode}, decision {d.key!r} "
                        "was returned again", log, now=now, fire_at=d.fire_at,
                        first_fire_at=fired[d.key])
        fired[d.key] = d.fire_at


def _check_final(state: SlaState, end: datetime, fired: dict[str, datetime], log: list[Event],
                 due: DueEscalations) -> None:
    """Without target changes, the decisions by ``end`` are exactly those handed out."""
    final = {d.key: _utc(d.fire_at) for d in due(state, end)}
    handed = {k: _utc(t) for k, t in fired.items()}
    if final != handed:
        raise _fail("fire times are never rewritten", "the decisions due by the end differ from "
                    "those handed out along the way", log, end=end,
                    missing=sorted(set(final) - set(handed)),
                    extra=sorted(set(handed) - set(final)),
                    moved=sorted(k for k in final.keys() & handed.keys() if final[k] != handed[k]))


def _check_running(state: SlaState, end: datetime, fired: dict[str, datetime],
                   log: list[Event]) -> None:
    """No decision fired while its clock was paused, or after it ended."""
    results = {(r.metric, r.cycle): r for r in state.at(end, explain=True)}
    for key, at in fired.items():
        _ticket, metric, cycle, *_ = key.split("/")
        r = results.get((metric, int(cycle)))
        if r is None or r.explanation is None:
            continue
        paused = [p for p in r.explanation.paused if p.contains(at)]
        if paused or (r.ended_at is not None and _utc(at) > _utc(r.ended_at)):
            raise _fail("nothing fires while paused or after the clock ended",
                        f"decision {key!r} fired outside its clock's running time", log,
                        fire_at=at, ended_at=r.ended_at, paused=paused)


def check_escalations(
    policies: PolicySet | SlaEngine,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    max_examples: int = 50,
    seed: int | None = None,
    hypothesis_settings: settings | None = None,
    max_events: int = 12,
    due: DueEscalations = due_escalations,
    since: bool = True,
) -> None:
    """Check that escalations fire exactly once per key, in due order, only while running.

    A host that remembers the keys it acted on (``already_fired``) and, with ``since``, one
    that passes its previous evaluation time instead (both are documented to get each
    decision once) must each be handed every key once, sorted, never before its fire time,
    and the same decisions; no decision
    fires while its clock is paused or after it ended; and, for logs where no clock's
    target changed (no priority or policy change reached a running clock), every decision
    is handed out at the first evaluation after it fires and the decisions due by the end
    are exactly those handed out, rules that came into or went out of force included.

    Args:
        policies: the policy set, or an engine over it.
        workflow: the workflow of the logs.
        max_examples: how many logs Hypothesis tries.
        seed: fix the random seed (reproducible runs).
        hypothesis_settings: other Hypothesis settings to run with (e.g.
            ``settings(phases=[Phase.generate])`` to fail fast without shrinking).
        max_events: the most events in one log.
        due: the function under test, called like :func:`~slakit.sla.due_escalations`.
        since: also check the host that passes ``since`` (not only ``already_fired``).

    Raises:
        EscalationInvariantError: with the log and the offending decision.
    """
    engine = engine_of(policies, workflow)
    examples = st.tuples(policy_event_logs(engine, workflow, max_events), st.data())

    def body(example: Example) -> None:
        log, data = example
        _, final_state = engine.apply_all(log, workflow)
        last = _utc(log[-1].at)
        end = last + timedelta(minutes=data.draw(st.sampled_from([0, 1, 60, 1440, 4000])))
        interesting = [d.fire_at for d in due(final_state, end)]
        times = sorted({_utc(e.at) for e in log} | {end}
                       | set(probes(data.draw, log[0].at, end, interesting)))
        ticket: TicketState | None = None
        state: SlaState | None = None
        fired_keys: dict[str, datetime] = {}
        fired_since: dict[str, datetime] = {}
        # A target change (a priority or policy change) may move thresholds into the past
        # (from_creation re-measures from the start), so order and finality hold without one.
        retargeted = any(c.changes for clock in final_state.clocks for c in clock.cycles)
        i, previous = 0, None
        for now in times:
            while i < len(log) and _utc(log[i].at) <= now:
                ticket = apply(ticket, log[i], workflow)
                state = engine.advance(state, log[i], ticket)
                i += 1
            assert state is not None
            by_keys = due(state, now, already_fired=set(fired_keys))
            _check_batch(by_keys, now, fired_keys, "already_fired", log)
            if since:
                by_since = due(state, now) if previous is None else due(state, now, since=previous)
                _check_batch(by_since, now, fired_since, "since", log)
            late = [d for d in by_keys if previous is not None and _utc(d.fire_at) <= previous]
            if late and not retargeted:
                raise _fail("escalations come in due order", "a decision that fired before the "
                            "previous evaluation was only handed out now", log, previous=previous,
                            now=now, decision=late[0].key, fire_at=late[0].fire_at)
            previous = now
        assert state is not None
        if since and set(fired_keys) != set(fired_since):
            raise _fail("each escalation fires exactly once", "already_fired and since hosts "
                        "were handed different decisions", log, end=end,
                        only_already_fired=sorted(set(fired_keys) - set(fired_since)),
                        only_since=sorted(set(fired_since) - set(fired_keys)))
        if not retargeted:
            _check_final(state, end, fired_keys, log, due)
        _check_running(state, end, fired_keys, log)

    run_check("check_escalations", examples, body, max_examples=max_examples, seed=seed,
              base=hypothesis_settings)


def check_next_wake_at(
    policies: PolicySet | SlaEngine,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    max_examples: int = 50,
    seed: int | None = None,
    hypothesis_settings: settings | None = None,
    max_events: int = 12,
    wake: NextWakeAt = next_wake_at,
    due: DueEscalations = due_escalations,
    exact: bool = True,
) -> None:
    """Check that ``next_wake_at`` is never later than the next firing or breach.

    At ``now`` (the last event, or an awkward instant after it: a firing, a due time, a
    microsecond either side), the wake-up must be after ``now``; no decision may fire and
    no running clock may fall due strictly between ``now`` and it (with no wake-up, nothing
    within seven days); and, with ``exact``, something must fire or fall due at it.

    Args:
        policies: the policy set, or an engine over it.
        workflow: the workflow of the logs.
        max_examples: how many logs Hypothesis tries.
        seed: fix the random seed (reproducible runs).
        hypothesis_settings: other Hypothesis settings to run with (e.g.
            ``settings(phases=[Phase.generate])`` to fail fast without shrinking).
        max_events: the most events in one log.
        wake: the function under test, called like :func:`~slakit.sla.next_wake_at`.
        due: the decisions oracle, called like :func:`~slakit.sla.due_escalations`.
        exact: also refuse wake-ups at which nothing happens.

    Raises:
        WakeUpInvariantError: with the log, ``now``, the wake-up and the missed event.
    """
    engine = engine_of(policies, workflow)
    examples = st.tuples(policy_event_logs(engine, workflow, max_events), st.data())

    def body(example: Example) -> None:
        log, data = example
        _, state = engine.apply_all(log, workflow)
        last = _utc(log[-1].at)
        soon = [d.fire_at for d in due(state, last + timedelta(days=3), since=last)]
        soon += [r.due_at for r in state.at(last) if r.due_at is not None]
        now = max([last, *probes(data.draw, last, None, soon)])
        woken = wake(state, now)
        until = now + _QUIET_HORIZON if woken is None else _utc(woken)
        dues = [(r.status, _utc(r.due_at)) for r in state.at(now) if r.due_at is not None]
        happening = [_utc(d.fire_at) for d in due(state, until, since=now)]
        happening += [t for kind, t in dues if kind == "running" and t > now]
        first = min(happening, default=None)
        # A clock already breached before a priority change has a new deadline too; waking
        # there is not required, but not spurious either.
        reasons = happening + [t for kind, t in dues if kind == "breached" and t > now]
        facts = {"events": log, "now": now, "next_wake_at(state, now)": woken,
                 "first firing or breach after now": first}
        if woken is not None and _utc(woken) <= now:
            raise WakeUpInvariantError(Message("the wake-up is after now"),
                                       Message("next_wake_at must be strictly after now"), facts)
        if first is not None and (woken is None or first < _utc(woken)):
            raise WakeUpInvariantError(Message("next_wake_at is never later than the next firing"),
                                       Message("something fires or falls due before the wake-up"), facts)
        if exact and woken is not None and min(reasons, default=None) != _utc(woken):
            raise WakeUpInvariantError(Message("next_wake_at is exact"),
                                       Message("nothing fires or falls due at the wake-up"), facts)

    run_check("check_next_wake_at", examples, body, max_examples=max_examples, seed=seed,
              base=hypothesis_settings)
