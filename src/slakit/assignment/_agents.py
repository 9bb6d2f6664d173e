"""Values assignment works on: a snapshot of agents, a request, and the decision.

The host owns agents, loads and rosters; slakit only reads a snapshot of them. Nothing here is
mutable and nothing reads a clock: the request carries its instant, and round robin's cursor
travels in the request and comes back in the decision.

Design rules:

* Every field is checked when the value is built, so a bad snapshot fails where the host made
  it, not deep inside ``assign``: wrong types raise :class:`slakit.WrongTypeError`, bad values
  (an empty id, a negative load) :class:`slakit.InvalidValueError`, a naive instant
  :class:`slakit.NaiveDatetimeError`.
* Skill, group and category names are compared the way triage compares reported categories:
  after :func:`normalise_text` (case, width, surrounding and repeated spaces, traditional
  Chinese). They are stored in that normalised form, so ``Agent("a", skills={"Payment"})``
  has ``skills == frozenset({"payment"})``. Agent ids are compared exactly.
* A lone string where a set of names is expected is one name: ``groups="tier1"`` is
  ``{"tier1"}``, never the set of its characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from slakit._errors import InvalidValueError, NaiveDatetimeError, WrongTypeError
from slakit._message import Message
from slakit.text._normalise import normalise_text


@runtime_checkable
class ShiftCalendar(Protocol):
    """What assignment asks of an agent's calendar: only whether it is open at an instant.

    Every :class:`slakit.Calendar` (``BusinessCalendar``, ``AlwaysOpen``, compositions)
    provides it; so may any host object with an ``is_open`` method.
    """

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` (timezone-aware, any zone) lies in the agent's working time."""
        ...


def name_key(what: str, value: object) -> str:
    """``value`` normalised as a skill, group or category name; raises for non-names.

    Args:
        what: the field, for the message (e.g. ``"AssignmentRequest.category"``).
        value: the name to check.

    Raises:
        WrongTypeError: ``value`` is not a str.
        InvalidValueError: ``value`` is blank.
    """
    if not isinstance(value, str):
        raise WrongTypeError(
            Message("{what} must be a str, got {kind} {value!r}; convert names with str() first", what=what,
                    kind=type(value).__name__, value=value)
        )
    key = normalise_text(value)
    if not key:
        raise InvalidValueError(Message("{what} must not be blank, got {value!r}; leave it out", what=what,
                                        value=value))
    return key


def name_set(what: str, value: object) -> frozenset[str]:
    """A set of normalised names from a str (one name) or an iterable of str.

    Args:
        what: the field, for the message (e.g. ``"Agent.skills"``).
        value: the names.

    Raises:
        WrongTypeError: ``value`` is neither a str nor an iterable of str.
        InvalidValueError: a name is blank.
    """
    if isinstance(value, str):
        return frozenset((name_key(what, value),))
    if not isinstance(value, Iterable) or isinstance(value, bytes | bytearray):
        raise WrongTypeError(
            Message("{what} must be a str (one name) or an iterable of str, got {kind} {value!r}; pass "
                    "e.g. {{'payment', 'zh'}}, or () for none", what=what, kind=type(value).__name__,
                    value=value)
        )
    return frozenset(name_key(f"every name in {what}", item) for item in value)


def _agent_skills(value: str | Iterable[str]) -> frozenset[str]:
    return name_set("Agent.skills", value)


def _agent_groups(value: str | Iterable[str]) -> frozenset[str]:
    return name_set("Agent.groups", value)


def _request_skills(value: str | Iterable[str]) -> frozenset[str]:
    return name_set("AssignmentRequest.skills", value)


def _request_category(value: str | None) -> str | None:
    return None if value is None else name_key("AssignmentRequest.category", value)


def _request_group(value: str | None) -> str | None:
    return None if value is None else name_key("AssignmentRequest.group", value)


def _agent_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise WrongTypeError(
            Message("Agent.{name} must be a str, got {kind} {value!r}; use the host's agent id as a string",
                    name=attribute.name, kind=type(value).__name__, value=value)
        )
    if not value.strip():
        raise InvalidValueError(
            Message("Agent.{name} must be a non-empty str, got {value!r}; give every agent a stable, "
                    "unique id", name=attribute.name, value=value)
        )


def _count(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # bool is an int subclass, but True is not a number of tickets.
    if value is None and attribute.name == "capacity":
        return
    if isinstance(value, bool) or not isinstance(value, int):
        also = " or None (unlimited)" if attribute.name == "capacity" else ""
        raise WrongTypeError(
            Message("Agent.{name} must be an int{also}, got {kind} {value!r}; convert it with int() first",
                    name=attribute.name, also=also, kind=type(value).__name__, value=value)
        )
    if value < 0:
        raise InvalidValueError(
            Message("Agent.{name} must be 0 or more (a number of tickets), got {value!r}",
                    name=attribute.name, value=value)
        )


def _calendar(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not callable(getattr(value, "is_open", None)):
        raise WrongTypeError(
            Message("Agent.calendar must be None (always on shift) or a calendar with an "
                    "is_open(datetime) method, got {kind} {value!r}; build one, e.g. "
                    "BusinessCalendar.every_day('09:00', '18:00', timezone='Asia/Shanghai')",
                    kind=type(value).__name__, value=value)
        )


def _flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise WrongTypeError(
            Message("Agent.{name} must be True or False, got {kind} {value!r}; convert it with bool() "
                    "first", name=attribute.name, kind=type(value).__name__, value=value)
        )


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, datetime):
        raise WrongTypeError(
            Message("AssignmentRequest.{name} must be a timezone-aware datetime, got {kind} {value!r}; "
                    "parse strings with datetime.fromisoformat()", name=attribute.name,
                    kind=type(value).__name__, value=value)
        )
    if value.utcoffset() is None:
        raise NaiveDatetimeError(f"AssignmentRequest.{attribute.name}", value)


def _optional_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise WrongTypeError(
            Message("AssignmentRequest.{name} must be a str or None, got {kind} {value!r}; convert ids "
                    "with str() first", name=attribute.name, kind=type(value).__name__, value=value)
        )
    if not value.strip():
        raise InvalidValueError(
            Message("AssignmentRequest.{name} must not be blank, got {value!r}; pass None when there is "
                    "none", name=attribute.name, value=value)
        )


@attrs.frozen
class Agent:
    """One agent as the host sees them right now.

    Skills and groups are stored normalised (see :func:`slakit.text.normalise_text`), so
    they match requests and skill maps whatever their case or width. A lone string is one
    name: ``groups="tier1"`` means ``{"tier1"}``.

    Args:
        id: unique agent id (a non-empty str, compared exactly).
        skills: what the agent can handle, e.g. ``{"payment", "zh"}``.
        groups: teams the agent belongs to.
        load: tickets currently assigned (an int, 0 or more).
        capacity: most tickets the agent may hold (an int, 0 or more); ``None`` is unlimited.
        calendar: the agent's working calendar (any object with ``is_open(datetime)``, such as
            a :class:`slakit.BusinessCalendar`, in any zone); ``None`` means always on shift.
        available: ``False`` when the host marks the agent away (leave, sick) regardless of
            the calendar.

    Raises:
        WrongTypeError: a field has the wrong type (``load="3"``, ``skills=None``,
            ``calendar="9-5"``, a bool as a load).
        InvalidValueError: an empty id, a blank skill or group name, a negative load or
            capacity.
    """

    id: str = attrs.field(validator=_agent_id)
    skills: frozenset[str] = attrs.field(factory=frozenset, converter=_agent_skills)
    groups: frozenset[str] = attrs.field(factory=frozenset, converter=_agent_groups)
    load: int = attrs.field(default=0, validator=_count)
    capacity: int | None = attrs.field(default=None, validator=_count)
    calendar: ShiftCalendar | None = attrs.field(default=None, repr=False, validator=_calendar)
    available: bool = attrs.field(default=True, validator=_flag)

    def unavailable_because(self, at: datetime) -> str | None:
        """Why the agent cannot take a ticket at ``at``, or ``None`` if they can."""
        if not self.available:
            return "marked away"
        if self.calendar is not None and not self.calendar.is_open(at):
            return f"off shift at {at.isoformat()}"
        if self.capacity is not None and self.load >= self.capacity:
            return f"at capacity ({self.load}/{self.capacity})"
        return None


@attrs.frozen
class AssignmentRequest:
    """The ticket-side facts assignment needs.

    ``category``, ``skills`` and ``group`` are names, stored normalised like the agents'
    skills and groups (``category="Payment"`` is ``"payment"``); ids are kept as given.

    Args:
        at: when the assignment happens (timezone-aware); calendars are checked at it.
        customer_id: the customer, for dedicated-advisor look-ups.
        advisor_id: the customer's dedicated advisor, if the host stores it on the customer.
        category: the ticket's category (e.g. from triage), for skill look-ups.
        skills: skills the ticket needs in any case (a str is one skill).
        group: the team the ticket is routed to, if any.
        last_assigned: round robin's cursor: the agent the previous ticket went to.

    Raises:
        WrongTypeError: a field has the wrong type (``at`` not a datetime, an int id, ...).
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidValueError: a blank id, category, group or skill (pass ``None`` or leave it out).
    """

    at: datetime = attrs.field(validator=_aware)
    customer_id: str | None = attrs.field(default=None, validator=_optional_id)
    advisor_id: str | None = attrs.field(default=None, validator=_optional_id)
    category: str | None = attrs.field(default=None, converter=_request_category)
    skills: frozenset[str] = attrs.field(factory=frozenset, converter=_request_skills)
    group: str | None = attrs.field(default=None, converter=_request_group)
    last_assigned: str | None = attrs.field(default=None, validator=_optional_id)


@attrs.frozen
class AssignmentDecision:
    """Who gets the ticket, and why.

    Attributes:
        agent_id: the chosen agent, or ``None`` if nobody could take it.
        decided_by: the name of the step that picked the agent.
        reasons: what each step saw and did, in order; the last names the agent and why.
        skipped: ``(agent id, why)`` for every agent left out as unavailable.
        cursor: pass this as ``last_assigned`` next time (round robin); unchanged from the
            request when round robin did not pick.
    """

    agent_id: str | None
    decided_by: str | None
    reasons: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    cursor: str | None = None

    @property
    def assigned(self) -> bool:
        """Whether an agent was chosen."""
        return self.agent_id is not None

    def explain(self) -> str:
        """The reasons, one per line."""
        return "\n".join(self.reasons)
