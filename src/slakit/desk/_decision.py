"""What the desk hands a notifier: one fired escalation, with the tenant and a sentence.

Design rules:

- A :class:`Decision` is the delivery form of an :class:`~slakit.sla.EscalationDecision`:
  the same key, plus the tenant, the clock's deadline, how late the clock was when the rule
  fired, and a human sentence in the desk's language (``"en"`` or ``"zh-CN"``, ``"zh"`` for
  short), from the gettext catalogues of :mod:`slakit.i18n`.
- Its JSON form (:meth:`Decision.to_dict`) is what the outbox stores and the webhook posts;
  :func:`slakit.desk.decision_json_schema` describes it, and :meth:`Decision.from_dict`
  reads it back strictly (unknown or missing keys raise).
- Times are kept with the offset they were given in (the clock calendar's zone).
"""

from __future__ import annotations

import contextlib
import functools
import json
import string
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

import attrs

from slakit._errors import InvalidValueError
from slakit._message import Message
from slakit.i18n import Translator, metric_label, translator
from slakit.i18n._translator import N_
from slakit.policies import EscalationAction, PolicyDataError
from slakit.sla import ClockResult, EscalationDecision

Language = Literal["en", "zh", "zh-CN"]
LANGUAGES: tuple[Language, ...] = ("en", "zh", "zh-CN")

DECISION_SCHEMA_VERSION = 1
"""Version of the decision JSON form."""

_ACTIONS = {"notify": N_("notify"), "reassign": N_("reassign"),
            "raise_priority": N_("raise priority")}


class DecisionDecodeError(InvalidValueError):
    """A decision document is not what :meth:`Decision.to_dict` writes."""


@attrs.frozen
class Decision:
    """One escalation to deliver, exactly once per key and tenant.

    Attributes:
        tenant: Tenant owning the ticket.
        ticket: Ticket id.
        key: The escalation key (``ticket/metric/cycle/rule/occurrence``).
        metric: The clock's metric.
        cycle: The clock's cycle number.
        rule: The escalation rule's name.
        level: The rule's level (0 for rules outside a ladder).
        due_at: When the rule fired (the escalation fell due).
        deadline: The clock's deadline as it stood, or None (paused).
        late_by: How long past the deadline the clock was when the rule fired, or None when
            the clock had not breached (a reminder before the deadline).
        actions: What to do, as in the policy.
        priority: The ticket's priority when the rule fired.
        policy: The SLA policy's name, or None.
        recorded_at: When the desk recorded it (the ``now`` of that call).
        text: A sentence for people, in the desk's language.
    """

    tenant: str
    ticket: str
    key: str
    metric: str
    cycle: int
    rule: str
    level: int
    due_at: datetime
    deadline: datetime | None
    late_by: timedelta | None
    actions: tuple[EscalationAction, ...]
    priority: str
    policy: str | None
    recorded_at: datetime
    text: str

    @classmethod
    def of(cls, tenant: str, fired: EscalationDecision, clock: ClockResult | None,
           recorded_at: datetime, language: Language) -> Decision:
        """The delivery form of ``fired``, judged against its clock's ``clock`` result."""
        return judged(tenant, fired, None if clock is None else clock.due_at,
                      None if clock is None else clock.breached_at, recorded_at, language)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see :func:`slakit.desk.decision_json_schema`)."""
        return {
            "schema": DECISION_SCHEMA_VERSION, "tenant": self.tenant, "ticket": self.ticket,
            "key": self.key, "metric": self.metric, "cycle": self.cycle, "rule": self.rule,
            "level": self.level, "due_at": self.due_at.isoformat(),
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "late_by_seconds": None if self.late_by is None else self.late_by.total_seconds(),
            "actions": [a.to_data() for a in self.actions], "priority": self.priority,
            "policy": self.policy, "recorded_at": self.recorded_at.isoformat(),
            "text": self.text,
        }

    def to_json(self) -> str:
        """Compact JSON text of :meth:`to_dict` (UTF-8, non-ASCII kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """Read :meth:`to_dict` output back.

        Raises:
            DecisionDecodeError: naming every problem with the document.
        """
        if not isinstance(data, Mapping):
            raise DecisionDecodeError(Message("a decision must be a JSON object, got {data!r}", data=data))
        problems = []
        expected = set(_FIELDS) | {"schema"}
        unknown, missing = sorted(set(data) - expected), sorted(expected - set(data))
        if unknown:
            problems.append(Message("unknown keys: {items}", items=', '.join(unknown)))
        if missing:
            problems.append(Message("missing keys: {items}", items=', '.join(missing)))
        if not problems and data["schema"] != DECISION_SCHEMA_VERSION:
            problems.append(Message("schema {data!r} is not {decision_schema_version}", data=data['schema'],
                                    decision_schema_version=DECISION_SCHEMA_VERSION))
        if problems:
            raise DecisionDecodeError("decision document: " + "; ".join(problems))
        try:
            return cls(
                data["tenant"], data["ticket"], data["key"], data["metric"], data["cycle"],
                data["rule"], data["level"], _time(data["due_at"]),
                None if data["deadline"] is None else _time(data["deadline"]),
                None if data["late_by_seconds"] is None
                else timedelta(seconds=data["late_by_seconds"]),
                tuple(EscalationAction.from_data(a, f"actions[{i}]")
                      for i, a in enumerate(data["actions"])),
                data["priority"], data["policy"], _time(data["recorded_at"]), data["text"],
            )
        except (TypeError, ValueError, PolicyDataError) as exc:
            raise DecisionDecodeError(Message("decision document: {exc}", exc=exc)) from exc

    @classmethod
    def from_json(cls, text: str | bytes) -> Decision:
        """Read :meth:`to_json` output back (raises DecisionDecodeError)."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise DecisionDecodeError(Message("decision document is not JSON: {exc}", exc=exc)) from exc
        return cls.from_dict(data)


def judged(tenant: str, fired: EscalationDecision, deadline: datetime | None,
           breached: datetime | None, recorded_at: datetime, language: Language) -> Decision:
    """:meth:`Decision.of`, given the two figures it reads of the clock's result.

    ``deadline`` is the result's ``due_at`` and ``breached`` its ``breached_at``.
    """
    late_by = fired.fire_at - breached if breached is not None and breached <= fired.fire_at \
        else None
    return Decision(tenant, fired.ticket, fired.key, fired.metric, fired.cycle, fired.rule,
                    fired.level, fired.fire_at, deadline, late_by, fired.actions,
                    fired.priority, fired.policy, recorded_at,
                    _sentence(tenant, fired, deadline, late_by, language))


_FIELDS = (
    "tenant", "ticket", "key", "metric", "cycle", "rule", "level", "due_at", "deadline",
    "late_by_seconds", "actions", "priority", "policy", "recorded_at", "text",
)


def outbox_kind(body: str) -> str | None:
    """The ``kind`` of an outbox entry's JSON body (None for an escalation, which has none)."""
    with contextlib.suppress(ValueError):
        doc = json.loads(body)
        if isinstance(doc, dict) and isinstance(doc.get("kind"), str):
            return str(doc["kind"])
    return None


def _time(value: object) -> datetime:
    if not isinstance(value, str):
        raise DecisionDecodeError(Message("expected an ISO 8601 time, got {value!r}", value=value))
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise DecisionDecodeError(Message("time {value!r} has no UTC offset", value=value))
    return parsed


def _minutes(d: timedelta) -> str:
    total = int(d.total_seconds() // 60)
    hours, minutes = divmod(total, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


@functools.lru_cache(maxsize=16)
def _translator(language: Language) -> Translator:
    return translator(language)


@functools.lru_cache(maxsize=1024)
def _actions_text(language: Language, actions: tuple[EscalationAction, ...]) -> str:
    # A policy has few distinct action lists: each is worded once per language.
    _ = _translator(language).gettext
    # Translators: joins the people of one action ("notify a, b").
    people = _(", ")
    return _("; ").join(  # Translators: joins two actions
        _("{action} {people}").format(
            action=_(_ACTIONS[a.kind]) if a.kind in _ACTIONS else a.kind.replace("_", " "),
            people=people.join(a.targets))
        for a in actions)


@functools.lru_cache(maxsize=256)
def _metric(language: Language, metric: str) -> str:
    return metric_label(_translator(language), metric)


# Times are written as strftime's "%Y-%m-%d %H:%M" and "%m-%d %H:%M" write them (glibc's %Y
# does not pad a year before 1000 either), field by field: a wake-up words thousands of
# decisions, and strftime costs several times more.


class _Words:
    """One language's sentence pieces, looked up in the catalogue once (see :func:`_words`)."""

    __slots__ = ("due_at", "late", "late_by", "level", "reminder", "sentence", "uses")

    def __init__(self, language: Language) -> None:
        _ = _translator(language).gettext
        self.late_by = _("late by {late}")
        self.late = _("late")
        self.due_at = _("due at {deadline}")
        self.reminder = _("reminder")
        self.sentence = _("Ticket {ticket} ({tenant}): {reason} at {when}; {actions}.")
        self.level = _("(level {level})")
        # The English sentence reads the SLA's reason, the Chinese one the metric, the
        # clock's state and the level: only what the language's sentence reads is worded.
        self.uses = frozenset(
            name for _text, name, _spec, _conv in string.Formatter().parse(self.sentence) if name)


@functools.lru_cache(maxsize=16)
def _words(language: Language) -> _Words:
    # A wake-up words thousands of decisions: each catalogue lookup is made once per language.
    return _Words(language)


def _sentence(tenant: str, d: EscalationDecision, deadline: datetime | None,
              late_by: timedelta | None, language: Language) -> str:
    w = _words(language)
    uses = w.uses
    t = d.fire_at
    return w.sentence.format(
        ticket=d.ticket, tenant=tenant, reason=d.reason,
        when=f"{t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}",
        actions=_actions_text(language, d.actions),
        metric=_metric(language, d.metric) if "metric" in uses else "",
        state=_state(w, deadline, late_by) if "state" in uses else "",
        level=w.level.format(level=d.level) if d.level and "level" in uses else "")


def _state(w: _Words, deadline: datetime | None, late_by: timedelta | None) -> str:
    """How the clock stood: late (by how much), due at its deadline, or a reminder."""
    if late_by is not None:
        return w.late_by.format(late=_minutes(late_by)) if late_by else w.late
    if deadline is not None:
        d = deadline
        return w.due_at.format(deadline=f"{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}")
    return w.reminder
