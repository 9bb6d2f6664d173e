"""Clock checks: pausing never moves a due time earlier; any fold equals the from-scratch one.

Both run a host's policy set (or engine) over :func:`policy_event_logs`. The reference for
"from scratch" is a stock :class:`~slakit.sla.SlaEngine` over the same policy set, so an
engine subclass or wrapper that drifts from it is caught, not just a fold that is
inconsistent with itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import attrs
from hypothesis import settings
from hypothesis import strategies as st

from slakit._message import Message
from slakit.policies import PolicySet
from slakit.sla import ClockResult, SlaEngine, evaluate_sla
from slakit.testing._errors import (
    FoldInvariantError,
    PausingInvariantError,
    TestingArgumentError,
)
from slakit.testing._runner import run_check
from slakit.testing._sla_subject import Draw, engine_of, policy_event_logs, probes, reference_of
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    Event,
    StatusChanged,
    TicketState,
    Workflow,
    apply,
)

UTC = timezone.utc
Example = tuple[list[Event], st.DataObject]


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def _between(draw: Draw, lo: datetime, hi: datetime | None) -> datetime:
    """An instant in ``[lo, hi]`` (UTC), often one of the ends; days after ``lo`` if open."""
    if hi is None:
        return lo + timedelta(minutes=draw(st.sampled_from([0, 0, 1, 30, 90, 600, 1440, 4000])))
    span = int((hi - lo) / timedelta(microseconds=1))
    return lo + timedelta(microseconds=draw(st.sampled_from([0, span, draw(st.integers(0, span))])))


def _differences(got: ClockResult, want: ClockResult) -> dict[str, object]:
    return {
        f"{f.name} (incremental / from scratch)": (getattr(got, f.name), getattr(want, f.name))
        for f in attrs.fields(ClockResult)
        if getattr(got, f.name) != getattr(want, f.name)
    }


def check_incremental_fold(
    policies: PolicySet | SlaEngine,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    max_examples: int = 50,
    seed: int | None = None,
    hypothesis_settings: settings | None = None,
    max_events: int = 12,
) -> None:
    """Check that folding events one by one gives the figures of evaluating from scratch.

    The host's way: each event goes through :func:`~slakit.workflow.apply` and
    ``engine.advance``, some are delivered twice, and ``state.at(now, explain=True)`` is read
    at awkward instants between events (due times, a microsecond either side). Every reading
    must equal :func:`~slakit.sla.evaluate_sla` over the whole log at that ``now`` with a
    stock engine over the same policy set.

    Args:
        policies: the policy set, or an engine over it (a subclass or wrapper under test).
        workflow: the workflow of the logs.
        max_examples: how many logs Hypothesis tries.
        seed: fix the random seed (reproducible runs).
        hypothesis_settings: other Hypothesis settings to run with (e.g.
            ``settings(phases=[Phase.generate])`` to fail fast without shrinking).
        max_events: the most events in one log.

    Raises:
        FoldInvariantError: with the log, ``now`` and the fields that differ.
    """
    engine = engine_of(policies, workflow)
    reference = reference_of(engine)
    examples = st.tuples(policy_event_logs(engine, workflow, max_events), st.data())

    def body(example: Example) -> None:
        log, data = example
        ticket: TicketState | None = None
        state = None
        for i, event in enumerate(log):
            ticket = apply(ticket, event, workflow)
            state = engine.advance(state, event, ticket)
            if data.draw(st.integers(0, 4)) == 0:  # delivered twice: must change nothing
                state = engine.advance(state, event, apply(ticket, event, workflow))
            nxt = log[i + 1].at if i + 1 < len(log) else None
            if nxt is not None and _utc(nxt) == _utc(event.at):
                continue  # a host reads the clocks once every event of an instant is in
            dues = [r.due_at for r in state.at(event.at) if r.due_at is not None]
            for now in [_utc(event.at), *probes(data.draw, event.at, nxt, dues)]:
                got = state.at(now, explain=True)
                want = evaluate_sla(log, reference, now, workflow=workflow, explain=True)
                if got == want:
                    continue
                pairs = list(zip(got, want, strict=False))
                diff = next((_differences(g, w) | {"metric": g.metric, "cycle": g.cycle}
                             for g, w in pairs if g != w), {})
                raise FoldInvariantError(
                    Message("incremental fold equals from-scratch evaluation"),
                    Message("after event {i} ({event_type!r}), state.at(now) differs from "
                            "evaluate_sla(events, policies, now)", i=i, event_type=event.event_type),
                    {"events": log, "now": now, "results (incremental / from scratch)":
                     (len(got), len(want)), **diff},
                )

    run_check("check_incremental_fold", examples, body, max_examples=max_examples, seed=seed,
              base=hypothesis_settings)


def _pause_pairs(workflow: Workflow, pausing: frozenset[str]) -> dict[str, list[str]]:
    """Non-pausing status -> pausing statuses a status change enters and leaves back."""
    pairs: dict[str, list[str]] = {}
    for status in workflow.status_names:
        if status in pausing:
            continue
        for target in sorted(workflow.status_change_targets(status) & pausing):
            if status in workflow.status_change_targets(target):
                pairs.setdefault(status, []).append(target)
    return pairs


def _watched_metrics(engine: SlaEngine) -> set[str]:
    """Metrics whose cycles a status change neither starts nor ends (so a pause only pauses)."""
    return {
        m.name for m in engine.policies.metrics
        if not any(match.event_type == "status_changed"
                   for match in (*m.starts, *m.stops, *m.resumes, *m.cancels))
    }


def check_pausing(
    policies: PolicySet | SlaEngine,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    max_examples: int = 50,
    seed: int | None = None,
    hypothesis_settings: settings | None = None,
    max_events: int = 12,
) -> None:
    """Check that pausing a ticket never moves a due time (or a breach) earlier.

    A pause (a status change into a pausing status and back, at awkward instants between
    two events of a log) is inserted; every clock's due time and breach at ``now`` must be
    the same or later than without it. Metrics that a status change starts or ends are left
    out, since the pause changes their cycles rather than pausing them.

    Args:
        policies: the policy set, or an engine over it (a subclass or wrapper under test).
        workflow: the workflow of the logs.
        max_examples: how many logs Hypothesis tries.
        seed: fix the random seed (reproducible runs).
        hypothesis_settings: other Hypothesis settings to run with (e.g.
            ``settings(phases=[Phase.generate])`` to fail fast without shrinking).
        max_events: the most events in one log.

    Raises:
        PausingInvariantError: with both logs, ``now`` and the two due times.
        ValueError: the workflow has no status change into a pausing status and back.
    """
    engine = engine_of(policies, workflow)
    pairs = _pause_pairs(workflow, engine.pausing_statuses)
    if not pairs:
        raise TestingArgumentError(
            Message("workflow {name!r} has no status change into a pausing status ({value}) and back; "
                    "nothing pauses", name=workflow.name,
                    value=', '.join(sorted(engine.pausing_statuses)) or 'none')
        )
    watched = _watched_metrics(engine)
    examples = st.tuples(policy_event_logs(engine, workflow, max_events), st.data())

    def body(example: Example) -> None:
        log, data = example
        draw = data.draw
        states = [apply(None, log[0], workflow)]
        for event in log[1:]:
            states.append(apply(states[-1], event, workflow))
        spots = [k for k in range(1, len(log) + 1) if states[k - 1].status in pairs]
        if not spots:
            return
        k = draw(st.sampled_from(spots))
        status = states[k - 1].status
        nxt = _utc(log[k].at) if k < len(log) else None
        p = _between(draw, _utc(log[k - 1].at), nxt)
        r = _between(draw, p, nxt)
        zone = log[k - 1].at.tzinfo
        ticket = log[0].ticket
        pause = StatusChanged(ticket=ticket, at=p.astimezone(zone), event_id="check-pause",
                              to=draw(st.sampled_from(pairs[status])))
        resume = StatusChanged(ticket=ticket, at=r.astimezone(zone), event_id="check-resume",
                               to=status)
        paused_log = [*log[:k], pause, resume, *log[k:]]
        now = _between(draw, max(r, _utc(log[-1].at)), None)
        _compare_pause(engine, workflow, log, paused_log, now, watched)

    run_check("check_pausing", examples, body, max_examples=max_examples, seed=seed,
              base=hypothesis_settings)


def _compare_pause(engine: SlaEngine, workflow: Workflow, log: Sequence[Event],
                   paused_log: Sequence[Event], now: datetime, watched: set[str]) -> None:
    plain = {(r.metric, r.cycle): r for r in engine.apply_all(log, workflow)[1].at(now)}
    paused = {(r.metric, r.cycle): r for r in engine.apply_all(paused_log, workflow)[1].at(now)}
    for key, before in plain.items():
        after = paused.get(key)
        if after is None or key[0] not in watched:
            continue
        earlier_due = (before.due_at is not None and after.due_at is not None
                       and _utc(after.due_at) < _utc(before.due_at))
        earlier_breach = after.breached_at is not None and (
            before.breached_at is None or _utc(after.breached_at) < _utc(before.breached_at))
        if earlier_due or earlier_breach:
            raise PausingInvariantError(
                Message("pausing never moves a due time earlier"),
                Message("inserting a pause made {key} (cycle {key2}) due or breached earlier", key=key[0],
                        key2=key[1]),
                {"events with the pause": paused_log, "now": now,
                 "due_at (without / with the pause)": (before.due_at, after.due_at),
                 "breached_at (without / with the pause)": (before.breached_at, after.breached_at)},
            )
