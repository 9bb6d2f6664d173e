"""The desk's record of an escalation (issue 13): the ``escalated`` event and its fast path.

Design rules: those of :mod:`slakit.workflow._events` (the vocabulary, which re-exports
this class). An ``escalated`` event is history the workflow accepts in every status and
that moves no status. The desk records thousands per wake-up, so :meth:`Escalated.for_key`
builds the usual one without attrs' validating ``__init__`` (through
:func:`slakit._fast.build_slotted`), after cheap checks that accept only what every field
validator accepts; anything else goes through the constructor, which raises as always.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

import attrs

from slakit._errors import InvalidValueError, WrongTypeError
from slakit._fast import build_slotted
from slakit._message import Message
from slakit.workflow._event_base import _BaseEvent, _check_aware, _check_non_empty


def _to_actions(value: Iterable[Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if isinstance(value, str):
        raise WrongTypeError(Message("actions must be a list of (kind, targets) pairs, got {value!r}",
                                     value=value))
    out = []
    for item in value:
        kind, targets = item
        if isinstance(targets, str):
            raise WrongTypeError(
                Message("the targets of action {kind!r} must be a list of strings, got {targets!r}",
                        kind=kind, targets=targets)
            )
        out.append((kind, tuple(targets)))
    return tuple(out)


def _check_actions(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    assert isinstance(value, tuple)
    for kind, targets in value:
        if kind not in ESCALATION_ACTION_KINDS:
            raise InvalidValueError(
                Message("unknown escalation action {kind!r}; use one of: {items}", kind=kind,
                        items=', '.join(ESCALATION_ACTION_KINDS))
            )
        if not targets or not all(isinstance(t, str) and t for t in targets):
            raise InvalidValueError(
                Message("action {kind!r} needs one or more non-empty target names, got {targets!r}",
                        kind=kind, targets=targets)
            )


def _check_level(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(Message("{name} must be an int >= 0, got {value!r}", name=attribute.name,
                                        value=value))


ESCALATION_ACTION_KINDS = ("notify", "reassign", "raise_priority")
"""The action kinds an :class:`Escalated` event may carry (as in slakit.policies)."""


@attrs.frozen(kw_only=True)
class Escalated(_BaseEvent):
    """The desk fired an escalation rule for this ticket (recorded once, by its ``key``).

    It changes no status and no field of the ticket: it is the ticket's history of what the
    desk escalated. It is accepted in every status of every workflow, the final ones
    included, because a wake-up that runs late records, after the close, an escalation that
    fell due before it. ``due_at`` is when it fell due; the desk dates the event ``at`` the
    same instant, or at the ticket's last event when it found it later than that.
    Its ``event_id`` is ``"escalated/" + key`` (see :meth:`for_key`), so recording the same
    escalation twice is a redelivery, a no-op.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2025, 3, 3, 9, 30, tzinfo=timezone.utc)
        >>> e = Escalated.for_key(ticket="T-1", at=t, key="T-1/first_response/1/late/1/1",
        ...     metric="first_response", rule="late/1", level=1, due_at=t,
        ...     actions=[("notify", ["duty_manager"])])
        >>> e.event_id, e.actions
        ('escalated/T-1/first_response/1/late/1/1', (('notify', ('duty_manager',)),))
    """

    event_type: ClassVar[str] = "escalated"

    key: str = attrs.field(validator=_check_non_empty)
    metric: str = attrs.field(validator=_check_non_empty)
    rule: str = attrs.field(validator=_check_non_empty)
    level: int = attrs.field(validator=_check_level)
    due_at: datetime = attrs.field(validator=_check_aware)
    actions: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(
        converter=_to_actions, validator=_check_actions
    )

    @classmethod
    def for_key(
        cls,
        *,
        ticket: str,
        at: datetime,
        key: str,
        metric: str,
        rule: str,
        level: int,
        due_at: datetime,
        actions: Iterable[Any],
        actor: str | None = None,
    ) -> Escalated:
        """The event recording escalation ``key``, with the event id derived from the key.

        Raises what the constructor raises, for the same values. ``actions`` given as a
        tuple of ``(kind, targets)`` tuples takes the fast path: see :func:`_usual`.
        """
        checked = _checked_actions(actions) if type(actions) is tuple else None
        if checked is not None and _usual(ticket, at, key, metric, rule, level, due_at, actor):
            return build_slotted(cls, {
                "ticket": ticket, "at": at, "event_id": ESCALATED_ID_PREFIX + key,
                "actor": actor, "key": key, "metric": metric, "rule": rule, "level": level,
                "due_at": due_at, "actions": checked})
        return cls(ticket=ticket, at=at, event_id=ESCALATED_ID_PREFIX + key, actor=actor,
                   key=key, metric=metric, rule=rule, level=level, due_at=due_at,
                   actions=actions)


# The desk records thousands of escalations per wake-up, and attrs' validating __init__
# costs several times the event itself. for_key builds the usual event (ASCII names, times
# in years 3..9997, actions a policy already had) without it: _usual and _checked_actions
# accept only values every field validator accepts, and anything else goes through the
# constructor, which raises as always (tests/workflow/test_events_escalated.py compares
# the two on random values, bad ones included).


def _usual(ticket: object, at: object, key: object, metric: object, rule: object,
           level: object, due_at: object, actor: object) -> bool:
    """Whether every field validator would accept these values, judged cheaply."""
    for text in (ticket, key, metric, rule):
        if type(text) is not str or not text or not text.isascii():  # no lone surrogate
            return False
    if actor is not None and (type(actor) is not str or not actor.isascii()):
        return False
    if type(level) is not int or level < 0:
        return False
    # check_instant's tests, as it makes them (once when the escalation is dated when due)
    return _usual_time(at) and (due_at is at or _usual_time(due_at))


def _usual_time(t: object) -> bool:
    return (isinstance(t, datetime) and t.tzinfo is not None and t.utcoffset() is not None
            and 2 < t.year < 9998)


def _checked_actions(actions: tuple[Any, ...]) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """``actions`` as the field's converter makes them, if its validator accepts them."""
    try:
        return _checked_actions_memo(actions)
    except TypeError:  # unhashable (a list of targets): the constructor judges
        return None


@functools.lru_cache(maxsize=1024)
def _checked_actions_memo(
    actions: tuple[Any, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    # A pure function of an immutable value: a policy has few distinct action lists.
    try:
        value = _to_actions(actions)
        _check_actions(None, attrs.fields(Escalated).actions, value)
    except (TypeError, ValueError):
        return None
    return value


ESCALATED_ID_PREFIX = "escalated/"
"""Prefix of the event id of an :class:`Escalated` event (the rest is its key)."""
