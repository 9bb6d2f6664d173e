"""``event_logs()``: event sequences a workflow accepts, derived from its transition table.

Design rules:

* The next event is drawn from ``workflow.allowed_events(status)`` (and a ``status_changed``
  goes to one of ``workflow.status_change_targets(status)``), so a host's own workflow gets
  logs for its own table; every drawn log replays without error, which the strategy checks.
* Times never go back (equal times are frequent: logs with minute precision have them);
  gaps range from zero to days, and with a calendar some events land exactly on its next
  opening or closing. Event ids are unique within the log.
* Ticket facts (priority, category, channel, tier, tags) come from a small vocabulary, or
  from the values a policy set's conditions mention, so policies are actually exercised.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import strategies as st

from slakit._errors import SlakitError
from slakit._message import Message
from slakit.calendar import Calendar
from slakit.policies import PolicySet
from slakit.policies._fact_tests import fact_tests
from slakit.testing._errors import TestingArgumentError
from slakit.testing._instants import aware_datetimes
from slakit.workflow import (
    DEFAULT_WORKFLOW,
    EVENT_TYPES,
    Event,
    FactValue,
    TicketState,
    Workflow,
    apply,
)

UTC = timezone.utc
_OTHER = "other"  # a value no condition mentions


@attrs.frozen
class TicketVocabulary:
    """The values ticket facts are drawn from (``None`` means "not set")."""

    priorities: tuple[str, ...] = ("urgent", "high", "normal", "low")
    categories: tuple[str | None, ...] = (None, "delivery", "refund")
    channels: tuple[str | None, ...] = (None, "email", "web", "hotline")
    customer_tiers: tuple[str | None, ...] = (None, "gold")
    tags: tuple[str, ...] = ("vip",)
    organisations: tuple[str | None, ...] = (None, "acme")
    custom: tuple[tuple[str, tuple[FactValue, ...]], ...] = ()
    """Per declared custom field, the values a ``facts_changed`` event may set it to."""

    @classmethod
    def of_policies(cls, policies: PolicySet) -> TicketVocabulary:
        """Values the conditions of ``policies`` mention, plus one they do not."""
        found: dict[str, set[str]] = {k: set() for k in _CONDITION_KEYS.values()}
        todo: list[Any] = []
        for policy in policies.all_policies():
            todo.append(policy.when.to_data())
            todo += [rule.when.to_data() for rule in policy.escalations]
        while todo:
            data = todo.pop()
            for key, value in data.items():
                if key in ("all", "any"):
                    todo += value
                elif key == "not":
                    todo.append(value)
                elif key in _CONDITION_KEYS:
                    found[_CONDITION_KEYS[key]].update([value] if isinstance(value, str) else value)

        def values(name: str) -> tuple[str | None, ...]:
            return (None, *sorted(found[name]), _OTHER)

        mentioned: dict[str, list[object]] = {}
        for policy in policies.all_policies():
            for condition in (policy.when, *(rule.when for rule in policy.escalations)):
                for test in fact_tests(condition):
                    value = test.value
                    mentioned.setdefault(test.field, []).extend(
                        value if isinstance(value, tuple) else [value])
        custom = tuple((name, _custom_values(kind, mentioned.get(name, ())))
                       for name, kind in sorted(policies.fields.items()))
        orgs = sorted({v for v in mentioned.get("organisation", ()) if isinstance(v, str)})
        return cls(policies.priorities, values("category"), values("channel"),
                   values("customer_tier"), (*sorted(found["tags"]), _OTHER),
                   (None, *orgs, _OTHER), custom)


def _custom_values(kind: str, mentioned: Iterable[object]) -> tuple[FactValue, ...]:
    """Values of a custom field of type ``kind`` for events to set.

    Those the conditions mention and their neighbours (so ``lt`` / ``le`` boundaries are
    crossed both ways), or defaults when none is mentioned.
    """
    if kind == "bool":
        return (True, False)
    if kind == "number":
        nums = {v for v in mentioned if isinstance(v, int | float) and not isinstance(v, bool)}
        return tuple(sorted({n + d for n in nums or {0} for d in (-1, 0, 1)}))
    if kind == "date":
        days = {v for v in mentioned if isinstance(v, date)} or {date(2025, 1, 1)}
        return tuple(sorted({d + timedelta(days=n) for d in days for n in (-1, 0, 1)}))
    texts = {v for v in mentioned if isinstance(v, str)}
    return (*sorted(texts), _OTHER)


_CONDITION_KEYS = {"priority_is": "priority", "category_is": "category", "channel_is": "channel",
                   "customer_tier_is": "customer_tier", "has_tag": "tags"}

GAPS: tuple[timedelta, ...] = (
    timedelta(0), timedelta(microseconds=1), timedelta(seconds=1), timedelta(minutes=1),
    timedelta(minutes=7), timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2, minutes=59),
    timedelta(hours=9), timedelta(days=1), timedelta(days=2, hours=13), timedelta(days=6),
)
"""Typical gaps between events; others are drawn in between."""


_GAP = st.one_of(st.sampled_from(GAPS),
                 st.integers(0, 3 * 24 * 60).map(lambda m: timedelta(minutes=m)))


def _next_time(draw: st.DrawFn, at: datetime, calendar: Calendar | None) -> datetime:
    if calendar is not None and draw(st.integers(0, 3)) == 0:
        try:
            if draw(st.booleans()):
                return calendar.next_opening(at).astimezone(at.tzinfo)
            return calendar.next_closing(at).astimezone(at.tzinfo)
        except SlakitError:  # a calendar that never closes (or never opens again)
            pass
    return (at.astimezone(UTC) + draw(_GAP)).astimezone(at.tzinfo)


_NAMES = st.sampled_from(["ana", "bo", "chen", None])
_GROUPS = st.sampled_from(["l1", "l2", "tier2", None])
_SCORES = st.sampled_from([None, 1, 3, 5])


class _Same:
    """A workflow as a cache key by identity: hashing a workflow hashes its whole table."""

    __slots__ = ("workflow",)

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.workflow is self.workflow

    def __hash__(self) -> int:
        return id(self.workflow)


@functools.lru_cache(maxsize=1024)
def _fields(
    event_type: str, status: str, same: _Same, vocabulary: TicketVocabulary
) -> st.SearchStrategy[dict[str, Any]]:
    """The strategy of an event type's own fields (built once: building is the slow part)."""
    workflow = same.workflow
    if event_type == "opened":
        return st.fixed_dictionaries({
            "priority": st.sampled_from(vocabulary.priorities),
            "category": st.sampled_from(vocabulary.categories),
            "channel": st.sampled_from(vocabulary.channels),
            "customer": st.sampled_from(["c-1", None]),
            "customer_tier": st.sampled_from(vocabulary.customer_tiers),
            "tags": st.frozensets(st.sampled_from(vocabulary.tags), max_size=2),
        })
    if event_type == "assigned":
        return st.fixed_dictionaries({"assignee": _NAMES, "group": _GROUPS})
    if event_type == "stage_changed":
        return st.fixed_dictionaries({"stage": st.sampled_from(workflow.stages or ("investigating",))})
    if event_type == "agent_replied":
        return st.fixed_dictionaries({"public": st.sampled_from([True, True, False])})
    if event_type == "status_changed":
        targets = sorted(workflow.status_change_targets(status)) or [status]
        return st.fixed_dictionaries({"to": st.sampled_from(targets)})
    if event_type == "priority_changed":
        return st.fixed_dictionaries({"priority": st.sampled_from(vocabulary.priorities)})
    if event_type == "resolved":
        return st.fixed_dictionaries({"resolution_code": st.sampled_from([None, "fixed"])})
    if event_type == "closed":
        return st.fixed_dictionaries({"auto": st.booleans()})
    if event_type == "facts_changed":
        return st.builds(
            _facts_change,
            st.sampled_from((*vocabulary.categories, "")),
            st.sampled_from((*vocabulary.channels, "")),
            st.sampled_from((*vocabulary.customer_tiers, "")),
            st.frozensets(st.sampled_from(vocabulary.tags), max_size=2),
            st.frozensets(st.sampled_from(vocabulary.tags), max_size=2),
            st.sampled_from((*vocabulary.organisations, "")),
            st.fixed_dictionaries({}, optional={
                name: st.sampled_from((*values, None)) for name, values in vocabulary.custom}),
        )
    if event_type == "deadline_overridden":
        return st.fixed_dictionaries({
            "metric": st.sampled_from(["first_response", "resolution"]),
            "due_at": st.sampled_from([datetime(2025, 1, 1, tzinfo=UTC),
                                       datetime(2030, 6, 1, 9, tzinfo=UTC)]),
            "reason": st.just("agreed with the customer"),
        })
    if event_type == "rated":
        return st.fixed_dictionaries(
            {"response_speed": _SCORES, "resolution": _SCORES, "attitude": _SCORES})
    if event_type == "escalated":
        return st.fixed_dictionaries({
            "key": st.sampled_from(["k1", "k2"]), "metric": st.just("resolution"),
            "rule": st.just("late"), "level": st.integers(0, 3),
            "due_at": st.just(datetime(2025, 1, 1, tzinfo=UTC)),
            "actions": st.just((("notify", ("team_lead",)),)),
        })
    return st.just({})


def _facts_change(category: str | None, channel: str | None, tier: str | None,
                  added: frozenset[str], removed: frozenset[str], organisation: str | None,
                  custom: dict[str, FactValue | None]) -> dict[str, Any]:
    """A ``facts_changed`` payload: "" (or a custom field left out) keeps, None clears."""
    values: dict[str, FactValue | None] = {
        "category": category, "channel": channel, "customer_tier": tier,
        "organisation": organisation, **custom}
    return {"set": {k: v for k, v in values.items() if v is not None and v != ""},
            "clear": frozenset(k for k, v in values.items() if v is None),
            "tags_added": added, "tags_removed": removed - added}


def event_fields(
    draw: st.DrawFn, event_type: str, status: str, workflow: Workflow, vocabulary: TicketVocabulary
) -> dict[str, Any]:
    """Type-specific fields of an event the workflow accepts in ``status``."""
    return dict(draw(_fields(event_type, status, _Same(workflow), vocabulary)))


@functools.lru_cache(maxsize=256)
def _next_events(same: _Same, status: str) -> st.SearchStrategy[str] | None:
    """The events allowed in ``status``, those that end the ticket's life less often.

    So logs live long enough to reach pauses, priority changes and reopens.
    """
    workflow = same.workflow
    terminal = workflow.terminal_statuses
    ending = {t.event for t in workflow.transitions
              if t.source == status and t.target in terminal and t.event != "status_changed"}
    allowed = workflow.allowed_events(status)
    if not allowed:
        return None
    weighted = [e for e in allowed for _ in range(1 if e in ending else 3)]
    return st.sampled_from(weighted)


def make_event(event_type: str, *, ticket: str, at: datetime, event_id: str,
               fields: dict[str, Any]) -> Event:
    """Build an event of ``event_type`` (its JSON name) with the common fields."""
    return EVENT_TYPES[event_type](ticket=ticket, at=at, event_id=event_id, **fields)


def states_of(events: Sequence[Event], workflow: Workflow) -> Iterator[TicketState]:
    """The ticket state after each event."""
    state: TicketState | None = None
    for event in events:
        state = apply(state, event, workflow)
        yield state


@st.composite
def _log(
    draw: st.DrawFn,
    workflow: Workflow,
    vocabulary: TicketVocabulary,
    ticket: str,
    start: st.SearchStrategy[datetime],
    calendar: Calendar | None,
    max_events: int,
) -> list[Event]:
    at = draw(start)
    opened = make_event("opened", ticket=ticket, at=at, event_id=f"{ticket}-e1",
                        fields=event_fields(draw, "opened", "", workflow, vocabulary))
    events: list[Event] = [opened]
    state = apply(None, opened, workflow)
    length = draw(st.integers(1, max_events))
    length = draw(st.sampled_from([length, max_events, max_events]))  # favour long logs
    for n in range(2, length + 1):
        choices = _next_events(_Same(workflow), state.status)
        if choices is None:
            break  # a terminal status nothing leaves
        event_type = draw(choices)
        at = _next_time(draw, at, calendar)
        event = make_event(event_type, ticket=ticket, at=at, event_id=f"{ticket}-e{n}",
                           fields=event_fields(draw, event_type, state.status, workflow, vocabulary))
        state = apply(state, event, workflow)  # raises if this module has a bug
        events.append(event)
    return events


def event_logs(
    workflow: Workflow = DEFAULT_WORKFLOW,
    *,
    policies: PolicySet | None = None,
    vocabulary: TicketVocabulary | None = None,
    ticket: str = "T-1",
    start: st.SearchStrategy[datetime] | None = None,
    calendar: Calendar | None = None,
    max_events: int = 15,
) -> st.SearchStrategy[list[Event]]:
    """Event logs of one ticket that ``workflow`` accepts from the first event to the last.

    The log opens the ticket, then each event is one the transition table allows in the
    ticket's status at that point, until ``max_events`` or a status nothing leaves. Times
    never go back (equal times are common); event ids are unique.

    Args:
        workflow: the workflow whose table the events follow.
        policies: draw ticket facts from the values its conditions mention (and its
            priorities), so every policy of the set gets tickets.
        vocabulary: the values ticket facts are drawn from (overrides ``policies``).
        ticket: the ticket id of every event.
        start: the opening instant; by default :func:`aware_datetimes` (of ``calendar``).
        calendar: favour its awkward instants, and land some events exactly on its next
            opening or closing.
        max_events: the most events in one log (the opening included).

    Example:
        >>> from hypothesis import given, settings
        >>> from slakit.workflow import apply_all
        >>> @settings(max_examples=20, database=None)
        ... @given(event_logs())
        ... def test_every_event_counts(log):
        ...     assert apply_all(log).version == len(log)
        >>> test_every_event_counts()
    """
    if max_events < 1:
        raise TestingArgumentError(Message("max_events must be at least 1, got {max_events}",
                                           max_events=max_events))
    vocab = vocabulary or (TicketVocabulary.of_policies(policies) if policies else TicketVocabulary())
    first = aware_datetimes(calendar) if start is None else start
    return _log(workflow, vocab, ticket, first, calendar, max_events)
