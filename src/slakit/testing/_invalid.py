"""``invalid_event_logs()``: logs with exactly one defect, each saying which.

Every example is a valid log (from :func:`~slakit.testing.event_logs`) with one offending
event inserted at ``index``; removing it gives the valid log back, so a host can check both
that its ingestion refuses the defect and that it keeps the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Literal, get_args

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from slakit._message import Message
from slakit.testing._errors import TestingArgumentError
from slakit.testing._events import TicketVocabulary, event_fields, event_logs, make_event, states_of
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    EVENT_TYPES,
    Event,
    InvalidTransition,
    LateEventError,
    TicketState,
    Workflow,
    WrongTicketError,
)

Defect = Literal[
    "illegal_transition", "late_event", "duplicate_opening", "before_opening", "wrong_ticket",
    "unknown_stage",
]
DEFECTS: tuple[Defect, ...] = get_args(Defect)
"""Every defect :func:`invalid_event_logs` can insert."""

_EXPECTED: dict[str, type[Exception]] = {
    "illegal_transition": InvalidTransition,
    "late_event": LateEventError,
    "duplicate_opening": InvalidTransition,
    "before_opening": InvalidTransition,
    "wrong_ticket": WrongTicketError,
    "unknown_stage": InvalidTransition,
}


@attrs.frozen
class InvalidEventLog:
    """An event log with one deliberate defect.

    Attributes:
        events: the log, the offending event included.
        defect: which defect it carries (one of :data:`DEFECTS`).
        index: the position of the offending event in ``events``.
        expected_error: what :func:`slakit.workflow.apply` raises on it.
        description: a sentence naming the offending event and why it is refused.
    """

    events: tuple[Event, ...]
    defect: Defect
    index: int
    expected_error: type[Exception]
    description: str

    @property
    def offending_event(self) -> Event:
        """The event that makes the log invalid."""
        return self.events[self.index]

    def without_defect(self) -> tuple[Event, ...]:
        """The log minus the offending event: a valid log."""
        return self.events[: self.index] + self.events[self.index + 1 :]


def _applicable(defect: str, states: Sequence[TicketState], workflow: Workflow) -> list[int]:
    """Insertion points (index in the final log) where ``defect`` can be inserted."""
    if defect == "before_opening":
        return [0]
    if defect == "unknown_stage":
        return [k for k, s in enumerate(states, 1) if "stage_changed" in workflow.allowed_events(s.status)]
    return list(range(1, len(states) + 1))


@st.composite
def _invalid(
    draw: st.DrawFn, logs: st.SearchStrategy[list[Event]], workflow: Workflow,
    defects: tuple[Defect, ...], vocabulary: TicketVocabulary,
) -> InvalidEventLog:
    valid = draw(logs)
    states = list(states_of(valid, workflow))
    choices = {d: _applicable(d, states, workflow) for d in defects}
    possible = [d for d in defects if choices[d]]
    if not possible:
        reject()  # e.g. only unknown_stage asked for, and no status here accepts a stage
    defect = draw(st.sampled_from(possible))
    k = draw(st.sampled_from(choices[defect]))
    ticket = valid[0].ticket
    before = valid[k - 1] if k else valid[0]
    status = states[k - 1].status if k else workflow.initial
    allowed = workflow.allowed_events(status)
    at, event_type, tid = before.at, draw(st.sampled_from(allowed or ("customer_replied",))), ticket
    fields = None
    if defect == "illegal_transition":
        history = {"escalated", "deadline_overridden"}  # accepted in every status
        refused = sorted(set(EVENT_TYPES) - {"opened", "status_changed", *history, *allowed})
        targets = sorted(set(workflow.status_names) - workflow.status_change_targets(status))
        event_type = draw(st.sampled_from([*refused, "status_changed"]))
        if event_type == "status_changed":
            fields = {"to": draw(st.sampled_from(targets))}  # its own status is never a target
        why = f"{event_type!r} is not allowed in status {status!r}"
    elif defect == "late_event":
        at = before.at - draw(st.sampled_from([timedelta(microseconds=1), timedelta(minutes=1),
                                               timedelta(days=1)]))
        why = f"it is older than the event before it ({before.at.isoformat()})"
    elif defect == "duplicate_opening":
        event_type, why = "opened", f"the ticket is already open (status {status!r})"
    elif defect == "before_opening":
        event_type = draw(st.sampled_from(sorted(set(EVENT_TYPES) - {"opened"})))
        why = "it comes before the ticket's opening"
    elif defect == "wrong_ticket":
        tid, why = f"{ticket}-other", f"it belongs to ticket {ticket + '-other'!r}"
    else:
        event_type, fields = "stage_changed", {"stage": "no-such-stage"}
        why = f"{workflow.name!r} has no stage 'no-such-stage'"
    if fields is None:
        fields = event_fields(draw, event_type, status, workflow, vocabulary)
    bad = make_event(event_type, ticket=tid, at=at, event_id=f"{ticket}-bad", fields=fields)
    return InvalidEventLog(
        (*valid[:k], bad, *valid[k:]), defect, k, _EXPECTED[defect],
        f"event {k} ({event_type!r}, id {bad.event_id!r}) is refused: {why}",
    )


def invalid_event_logs(
    workflow: Workflow = DEFAULT_WORKFLOW,
    *,
    defects: Sequence[Defect] = DEFECTS,
    vocabulary: TicketVocabulary | None = None,
    ticket: str = "T-1",
    max_events: int = 10,
) -> st.SearchStrategy[InvalidEventLog]:
    """Logs with one deliberate defect, for testing how a host handles bad input.

    Defects: ``illegal_transition`` (an event the status does not accept, or a status change
    to a status not allowed from it), ``late_event`` (older than the event before it),
    ``duplicate_opening`` (a second ``opened``), ``before_opening`` (an event before the
    ticket exists), ``wrong_ticket`` (another ticket's event) and ``unknown_stage`` (a stage
    the workflow does not declare). Each example names its defect, the offending event's
    position and the error :func:`slakit.workflow.apply` raises.

    Args:
        workflow: the workflow the valid part of the log follows.
        defects: the defects to draw from (those impossible in a log are skipped).
        vocabulary: the values ticket facts are drawn from.
        ticket: the ticket id.
        max_events: the most events of the valid part.

    Example:
        >>> import pytest
        >>> from hypothesis import given, settings
        >>> from slakit.workflow import apply_all
        >>> @settings(max_examples=20, database=None)
        ... @given(invalid_event_logs())
        ... def test_refused_at_the_defect_only(bad):
        ...     with pytest.raises(bad.expected_error):
        ...         apply_all(bad.events)
        ...     assert apply_all(bad.without_defect()).version == len(bad.events) - 1
        >>> test_refused_at_the_defect_only()
    """
    unknown = sorted(set(defects) - set(DEFECTS))
    if unknown or not defects:
        raise TestingArgumentError(
            Message("unknown defects {unknown}; choose from {items}", unknown=unknown,
                    items=', '.join(DEFECTS)))
    if set(defects) == {"unknown_stage"} and not any(
            t.event == "stage_changed" for t in workflow.transitions):
        raise TestingArgumentError(Message("workflow {name!r} accepts no stage_changed event, so it "
                                           "cannot carry an unknown stage; ask for other defects",
                                           name=workflow.name))
    vocab = vocabulary or TicketVocabulary()
    logs = event_logs(workflow, vocabulary=vocab, ticket=ticket, max_events=max_events)
    return _invalid(logs, workflow, tuple(defects), vocab)
