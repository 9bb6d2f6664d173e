"""Ticket state: the frozen value a fold of events produces."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from datetime import date, datetime
from typing import Any

import attrs

from slakit._fast import derive
from slakit._instants import instant_key
from slakit._message import Message


class FactMap(Mapping[str, Any]):
    """A read-only, hashable, picklable mapping of fact name -> value (sorted by name).

    >>> FactMap({"sev": 2, "due": date(2025, 10, 1)})
    FactMap({'due': datetime.date(2025, 10, 1), 'sev': 2})

    Reading it costs what reading a dict does: ``items``, ``keys``, ``values``, ``get``,
    ``in`` and ``==`` go to the dict inside (the views are read-only) rather than through
    ``collections.abc``'s generic ones, which call ``__getitem__`` once per name.
    """

    __slots__ = ("_data",)
    _data: dict[str, Any]

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        derive(self, "_data", dict(sorted((data or {}).items())))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        """The value of fact ``key``, or ``default`` when it is not set."""
        return self._data.get(key, default)

    def items(self) -> ItemsView[str, Any]:
        """``(name, value)`` pairs, sorted by name."""
        return self._data.items()

    def keys(self) -> KeysView[str]:
        """The names, sorted."""
        return self._data.keys()

    def values(self) -> ValuesView[Any]:
        """The values, in the order of their names."""
        return self._data.values()

    def __eq__(self, other: object) -> bool:
        if type(other) is FactMap:
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(Message("FactMap is read-only"))

    def __reduce__(self) -> tuple[type[FactMap], tuple[dict[str, Any]]]:
        return (FactMap, (self._data,))

    def __repr__(self) -> str:
        return f"FactMap({self._data!r})"


NO_FACTS = FactMap()
"""The empty :class:`FactMap`, shared (it is read-only): a ticket's ``custom`` at opening."""


@attrs.frozen
class Satisfaction:
    """A customer's rating of the service, 1 (worst) to 5 (best); None when not answered."""

    response_speed: int | None
    resolution: int | None
    attitude: int | None


# slots=False on purpose: the fold copies a state by copying its __dict__, several times faster
# than attrs.evolve or a full __init__ (see benchmarks/bench_workflow.py). The class is still
# frozen: attribute assignment raises.
@attrs.frozen(kw_only=True, slots=False)
class TicketState:
    """Everything the workflow knows about one ticket after folding its events.

    Build it with :func:`slakit.workflow.apply` or :func:`slakit.workflow.apply_all`, not by hand.
    Timestamps are the ``at`` of the events that set them, in the zone the host gave.

    Attributes:
        ticket: Ticket id.
        status: Current workflow status.
        stage: Work stage (``investigating``, ``planning``, ``fixing``) or None; cleared when
            the ticket enters a status that does not keep stages.
        priority: Current priority.
        category: Category given when opened or by a later ``facts_changed``.
        channel: Channel the ticket came in through (email, phone, chat, ...).
        customer: Customer id.
        customer_tier: Customer tier (e.g. gold), used by SLA policies.
        subject: Subject given when opened.
        tags: Tags given when opened, as changed by ``facts_changed`` since.
        organisation: The customer's organisation, if a ``facts_changed`` event gave it.
        custom: Host-defined custom fields set by ``facts_changed`` (name -> string, number,
            bool or date).
        assignee: Engineer owning the ticket, if any.
        group: Group owning the ticket, if any.
        opened_at: When the ticket was opened.
        status_since: When the ticket entered its current status.
        first_response_at: First public agent reply.
        last_agent_reply_at: Latest public agent reply.
        last_customer_reply_at: Latest customer reply.
        first_resolved_at: First resolution (kept across reopens).
        resolved_at: Current resolution; None while the ticket is not resolved or closed.
        resolution_code: Code of the current resolution.
        closed_at: When the ticket was closed; None unless closed.
        auto_closed: Whether the current closure was automatic.
        cancelled_at: When the ticket was cancelled.
        reopen_count: How many times the ticket was reopened.
        satisfaction: The latest rating, if any.
        version: Number of events applied (duplicates excluded).
        last_event_at: Time of the latest applied event; later events may not be older.
        event_ids: Ids of every applied event, to make redelivery a no-op.

    Times compare as instants (see :func:`slakit._instants.instant_key`), so a state equals
    its snapshot round trip even at an ambiguous wall time of a named zone.
    """

    ticket: str
    status: str
    stage: str | None = None
    priority: str
    category: str | None = None
    channel: str | None = None
    customer: str | None = None
    customer_tier: str | None = None
    subject: str = ""
    tags: frozenset[str] = frozenset()
    organisation: str | None = None
    custom: Mapping[str, str | int | float | bool | date] = attrs.field(
        default=NO_FACTS, repr=lambda v: repr(dict(v))
    )
    assignee: str | None = None
    group: str | None = None
    opened_at: datetime = attrs.field(eq=instant_key)
    status_since: datetime = attrs.field(eq=instant_key)
    first_response_at: datetime | None = attrs.field(default=None, eq=instant_key)
    last_agent_reply_at: datetime | None = attrs.field(default=None, eq=instant_key)
    last_customer_reply_at: datetime | None = attrs.field(default=None, eq=instant_key)
    first_resolved_at: datetime | None = attrs.field(default=None, eq=instant_key)
    resolved_at: datetime | None = attrs.field(default=None, eq=instant_key)
    resolution_code: str | None = None
    closed_at: datetime | None = attrs.field(default=None, eq=instant_key)
    auto_closed: bool = False
    cancelled_at: datetime | None = attrs.field(default=None, eq=instant_key)
    reopen_count: int = 0
    satisfaction: Satisfaction | None = None
    version: int = 1
    last_event_at: datetime = attrs.field(eq=instant_key)
    event_ids: frozenset[str] = attrs.field(factory=frozenset, repr=False)
