"""Triage rules as plain data: the stored form a desk keeps in TOML or JSON, next to its SLA policies.

The form (every key documented in ``docs/triage.md``)::

    {"format": "slakit.triage-rules/1",
     "version": "2025-11",                  # optional: recorded in every decision
     "priorities": ["urgent", "important", "normal", "suggestion"],   # highest first
     "mode": "first",                       # or "score"
     "fallback_priority": "normal",
     "fallback_category": "other",          # optional
     "max_raise": 1,                        # optional
     "rules": [                             # in order
       {"kind": "keyword", "name": "payment-down", "keywords": ["支付接口", "checkout down"],
        "fields": ["subject", "body"],      # optional, this is the default
        "priority": "urgent", "category": "payment"},
       {"kind": "channel", "name": "hotline", "channels": ["hotline"], "priority": "urgent"},
       {"kind": "customer_tier", "name": "vip", "tiers": ["vip"], "raise_by": 1},
       {"kind": "category", "name": "billing", "categories": ["billing"], "category": "payment"},
       {"kind": "amount", "name": "large-order", "at_least": "10000", "raise_by": 1},
       {"kind": "impact_urgency", "name": "matrix", "weight": 1.0,
        "table": [{"impact": 1, "urgency": 1, "priority": "critical"}, ...]},
       {"kind": "peak", "name": "double-11", "first_day": "2025-11-10",
        "last_day": "2025-11-12", "raise_by": 1, "timezone": "Asia/Shanghai"}]}

The five "effect" keys (``priority``, ``category``, ``root_cause``, ``raise_by``, ``weight``)
are those of :class:`RuleEffects`. Amounts are decimal strings (integers are read too), days
ISO 8601 dates (TOML dates are read too). ``None`` and default values are not written, so the
same form is valid TOML. Loading refuses unknown keys and lists every problem with its path.

A :class:`ModelRule` wraps code, not data: it cannot be dumped, and is added to a loaded
classifier in code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._problems import said
from slakit._zone import read_zone
from slakit.i18n._translator import N_
from slakit.text._normalise import keyword_problem, normalise_text
from slakit.triage._classifier import MatchMode, RuleClassifier
from slakit.triage._errors import TriageConfigError
from slakit.triage._input import shown
from slakit.triage._itil_matrix import ImpactUrgencyMatrix
from slakit.triage._model import ModelRule
from slakit.triage._peak import PeakRaise
from slakit.triage._priority import PriorityScale
from slakit.triage._rule_base import RuleEffects, TriageRule, is_weight
from slakit.triage._rules import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    KeywordRule,
)

FORMAT = "slakit.triage-rules/1"

_LOAD_ERROR = Message("triage rules data")
_DUMP_ERROR = Message("classifier to store as data")
_TOP_KEYS = (
    "format", "version", "priorities", "mode", "fallback_priority", "fallback_category",
    "max_raise", "rules",
)
_EFFECT_KEYS = ("priority", "category", "root_cause", "raise_by", "weight")
_MODEL_HINT = (
    "add the model in code after loading, e.g. "
    "attrs.evolve(loaded, rules=[*loaded.rules, ModelRule(...)])"
)

# kind -> (what it is called in messages, its own keys besides kind and name, required keys)
_KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "keyword": (N_("a keyword rule"), ("keywords", "fields", *_EFFECT_KEYS), ("name", "keywords")),
    "channel": (N_("a channel rule"), ("channels", *_EFFECT_KEYS), ("name", "channels")),
    "customer_tier": (N_("a customer tier rule"), ("tiers", *_EFFECT_KEYS), ("name", "tiers")),
    "category": (N_("a category rule"), ("categories", *_EFFECT_KEYS), ("name", "categories")),
    "amount": (N_("an amount rule"), ("at_least", *_EFFECT_KEYS), ("name", "at_least")),
    "impact_urgency": (N_("an impact x urgency matrix"), ("table", "weight"), ("table",)),
    "peak": (
        N_("a peak raise"),
        ("first_day", "last_day", "raise_by", "timezone"),
        ("name", "first_day", "last_day"),
    ),
}
_KIND_OF: dict[type, str] = {
    KeywordRule: "keyword",
    ChannelRule: "channel",
    CustomerTierRule: "customer_tier",
    CategoryRule: "category",
    AmountRule: "amount",
    ImpactUrgencyMatrix: "impact_urgency",
    PeakRaise: "peak",
}
# The list field of each rule that matches on a set of values.
_VALUES_KEY = {"keyword": "keywords", "channel": "channels", "customer_tier": "tiers",
               "category": "categories"}  # fmt: skip


def _described(value: object) -> str:
    return f"{type(value).__name__} {shown(value)}"


# ------------------------------------------------------------------------------------- dumping


def dump_triage_rules(classifier: RuleClassifier) -> dict[str, Any]:
    """The classifier as plain JSON/TOML-able data; :func:`load_triage_rules` reads it back.

    Only what differs from a default is written for each rule (``raise_by = 0``,
    ``weight = 1.0`` and both text ``fields`` are left out), so a stored file reads like the
    policy it holds.

    Args:
        classifier: the classifier to store.

    Returns:
        A dict of str, int, float, bool, lists and dicts, with a ``"format"`` marker.

    Raises:
        WrongTypeError: ``classifier`` is not a :class:`RuleClassifier`.
        TriageConfigError: some rules are not data (a :class:`ModelRule`, a host's own rule
            class); every one is named, with its place in ``rules``.
    """
    if not isinstance(classifier, RuleClassifier):
        raise WrongTypeError(
            Message("dump_triage_rules() takes a RuleClassifier, got {described}",
                    described=_described(classifier))
        )
    problems: list[str] = []
    rules: list[dict[str, Any]] = []
    for place, rule in enumerate(classifier.rules):
        kind = _KIND_OF.get(type(rule))
        if kind is None:
            problems.append(_not_data(f"rules[{place}]", rule))
            continue
        if isinstance(rule, PeakRaise) and rule.timezone is not None and not rule.timezone.key:
            problems.append(
                Message("rules[{place}]: peak {name!r} has a time zone without an IANA name (built from a "
                        "file?); use ZoneInfo('Area/City')", place=place, name=rule.name)
            )
            continue
        rules.append(_dump_rule(kind, rule))
    if problems:
        raise TriageConfigError(_DUMP_ERROR, problems)
    data: dict[str, Any] = {"format": FORMAT}
    if classifier.version is not None:
        data["version"] = classifier.version
    data |= {
        "priorities": list(classifier.scale.levels),
        "mode": classifier.mode.value,
        "fallback_priority": classifier.fallback_priority,
    }
    if classifier.fallback_category is not None:
        data["fallback_category"] = classifier.fallback_category
    if classifier.max_raise is not None:
        data["max_raise"] = classifier.max_raise
    data["rules"] = rules
    return data


def _not_data(path: str, rule: object) -> str:
    name = getattr(rule, "name", None)
    called = f"{type(rule).__name__} {name!r}" if isinstance(name, str) else shown(rule)
    if isinstance(rule, ModelRule):
        return (
            f"{path}: {called} wraps a model, which is code and cannot be stored as data; "
            f"dump a classifier without it, then {_MODEL_HINT}"
        )
    known = ", ".join(cls.__name__ for cls in _KIND_OF)
    return (
        f"{path}: {called} is not a rule type stored as data (exactly one of {known}; a "
        "subclass may match differently); dump a classifier without it and add it in code "
        "after loading"
    )


def _dump_rule(kind: str, rule: TriageRule) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind, "name": rule.name}
    if isinstance(rule, ImpactUrgencyMatrix):
        data["table"] = [
            {"impact": impact, "urgency": urgency, "priority": priority}
            for (impact, urgency), priority in rule.table
        ]
        if rule.weight != 1.0:
            data["weight"] = rule.weight
    elif isinstance(rule, PeakRaise):
        data["first_day"] = rule.first_day.isoformat()
        data["last_day"] = rule.last_day.isoformat()
        data["raise_by"] = rule.raise_by
        if rule.timezone is not None:
            data["timezone"] = rule.timezone.key
    elif isinstance(rule, AmountRule):
        data["at_least"] = str(rule.at_least)
        data.update(_dump_effects(rule))
    elif isinstance(rule, KeywordRule | ChannelRule | CustomerTierRule | CategoryRule):
        values: tuple[str, ...] = getattr(rule, _VALUES_KEY[kind])
        data[_VALUES_KEY[kind]] = list(values)
        if isinstance(rule, KeywordRule) and rule.fields != ("subject", "body"):
            data["fields"] = list(rule.fields)
        data.update(_dump_effects(rule))
    return data


def _dump_effects(rule: RuleEffects) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("priority", "category", "root_cause"):
        value = getattr(rule, key)
        if value is not None:
            data[key] = value
    if rule.raise_by != 0:
        data["raise_by"] = rule.raise_by
    if rule.weight != 1.0:
        data["weight"] = rule.weight
    return data


# ------------------------------------------------------------------------------------- loading


def load_triage_rules(data: object) -> RuleClassifier:
    """Build a :class:`RuleClassifier` from :func:`dump_triage_rules` output (parsed TOML or JSON).

    Everything is checked before anything is built, and every problem is reported at once
    with its path in the data (``rules[3].keywords[1]: ...``). Unknown keys are problems
    too: a misspelt key never silently drops part of a rule.

    Args:
        data: the parsed data, e.g. ``tomllib.load(f)`` or ``json.load(f)``.

    Returns:
        The classifier, equal to the one that was dumped.

    Raises:
        WrongTypeError: ``data`` is not a mapping.
        TriageConfigError: listing every problem found, each with its path.
    """
    if not isinstance(data, Mapping):
        raise WrongTypeError(
            Message("triage rules data must be a mapping (what tomllib.load or json.load gives), got "
                    "{described}", described=_described(data))
        )
    if "format" in data and data["format"] != FORMAT:
        raise TriageConfigError(
            _LOAD_ERROR, [Message("format: expected {format!r}, got {data}", format=FORMAT,
                                  data=shown(data['format']))]
        )
    problems: list[str] = []
    top = _Reader(data, "", problems)
    top.no_unknown_keys(_TOP_KEYS, "the top level")
    scale = _load_scale(top)
    mode = top.choice("mode", {m.value: m for m in MatchMode}, MatchMode.FIRST)
    fallback_priority = top.priority("fallback_priority", scale, default="normal")
    fallback_category = top.text("fallback_category")
    max_raise = top.integer("max_raise", minimum=0)
    version = top.text("version")
    rules: list[TriageRule] = []
    raw_rules = data.get("rules")
    if "rules" not in data:
        problems.append(Message("rules: missing; give a list of rules (at least one)"))
    elif not isinstance(raw_rules, list | tuple):
        problems.append(Message("rules: expected a list of rules, got {described}",
                                described=_described(raw_rules)))
    elif not raw_rules:
        problems.append(Message("rules: empty; every ticket would fall back; give at least one rule"))
    else:
        named: dict[str, str] = {}
        for place, raw in enumerate(raw_rules):
            path = f"rules[{place}]"
            rule = _load_rule(raw, path, scale, problems)
            name = _raw_name(raw)
            if name is not None and name in named:
                problems.append(
                    Message("{path}.name: {name!r} is also the name of {named}; names must be unique",
                            path=path, name=name, named=named[name])
                )
            elif name is not None:
                named[name] = path
            if rule is not None:
                rules.append(rule)
    if problems:
        raise TriageConfigError(_LOAD_ERROR, problems)
    assert scale is not None
    assert fallback_priority is not None
    assert mode is not None
    try:
        return RuleClassifier(
            rules,
            scale=scale,
            mode=mode,
            fallback_priority=fallback_priority,
            fallback_category=fallback_category,
            max_raise=max_raise,
            version=version,
        )
    except TriageConfigError as error:  # a check above missed something: still one error
        raise TriageConfigError(_LOAD_ERROR, error.problems) from None


class _Reader:
    """Reads one table of the data, recording problems with their paths."""

    def __init__(self, raw: Mapping[Any, Any], path: str, problems: list[str]) -> None:
        self.raw = raw
        self.path = path
        self.problems = problems
        self.before = len(problems)

    @property
    def failed(self) -> bool:
        """Whether this table added a problem."""
        return len(self.problems) > self.before

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def bad(self, key: str, message: str) -> None:
        self.problems.append(f"{self.at(key)}: {message}")

    def no_unknown_keys(self, known: tuple[str, ...], what: str) -> None:
        for key in self.raw:
            if key not in known:
                self.bad(str(key), Message("unknown key; {what} takes {items}", what=said(what),
                                           items=', '.join(known)))

    def require(self, keys: tuple[str, ...], what: str) -> None:
        for key in keys:
            if key not in self.raw:
                self.bad(key, Message("missing; {what} needs {items}", what=said(what),
                                      items=', '.join(keys)))

    def text(self, key: str, *, default: str | None = None) -> str | None:
        """A non-empty string, or ``default`` when absent (``None`` when invalid)."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        if not isinstance(value, str) or not value.strip():
            self.bad(key, Message("expected a non-empty string, got {described}",
                                  described=_described(value)))
            return None
        return value

    def texts(self, key: str, check: Callable[[str], str | None] | None = None) -> tuple[str, ...]:
        """A non-empty list of strings, each passing ``check`` (which returns a problem)."""
        value = self.raw.get(key, [])
        if not isinstance(value, list | tuple):
            self.bad(key, Message("expected a list of strings, got {described}",
                                  described=_described(value)))
            return ()
        if not value and key in self.raw:
            self.bad(key, Message("empty; give at least one"))
        for place, item in enumerate(value):
            if not isinstance(item, str):
                self.bad(f"{key}[{place}]", Message("expected a string, got {described}",
                                                    described=_described(item)))
            elif check is not None and (problem := check(item)) is not None:
                self.bad(f"{key}[{place}]", problem)
        return tuple(value)

    def integer(self, key: str, *, minimum: int | None = None) -> int | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.bad(key, Message("expected an integer, got {described}", described=_described(value)))
            return None
        if minimum is not None and value < minimum:
            self.bad(key, Message("must be {minimum} or more, got {value}", minimum=minimum, value=value))
            return None
        return value

    def weight(self) -> float | None:
        if "weight" not in self.raw:
            return None
        value = self.raw["weight"]
        if not is_weight(value):
            self.bad("weight", Message("expected a finite number above 0, got {described}",
                                       described=_described(value)))
            return None
        return value

    def priority(
        self, key: str, scale: PriorityScale | None, *, default: str | None = None
    ) -> str | None:
        value = self.text(key, default=default)
        if key in self.raw and value is not None and scale is not None and value not in scale:
            self.bad(key, Message("{value!r} is not a priority; {on_scale}", value=value,
                                  on_scale=_on_scale(scale)))
            return None
        return value

    def choice(self, key: str, options: Mapping[str, Any], default: Any) -> Any:
        if key not in self.raw:
            return default
        value = self.raw[key]
        if not isinstance(value, str) or value not in options:
            self.bad(key, Message("expected one of {items}, got {value}",
                                  items=', '.join(map(repr, options)), value=shown(value)))
            return None
        return options[value]

    def day(self, key: str) -> date | None:
        value = self.raw.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if key in self.raw:
            self.bad(key, Message("expected an ISO 8601 date such as '2025-11-11', got {described}",
                                  described=_described(value)))
        return None


def _raw_name(raw: object) -> str | None:
    # The name a rule will have, read before (and whether or not) the rule loads.
    if not isinstance(raw, Mapping):
        return None
    if "name" not in raw and raw.get("kind") == "impact_urgency":
        return str(attrs.fields(ImpactUrgencyMatrix).name.default)
    name = raw.get("name")
    return name if isinstance(name, str) else None


def _on_scale(scale: PriorityScale) -> str:
    return f"the priorities are {', '.join(map(repr, scale.levels))} (highest first)"


def _load_scale(top: _Reader) -> PriorityScale | None:
    if "priorities" not in top.raw:
        return PriorityScale.default()
    levels = top.raw["priorities"]
    if not isinstance(levels, list | tuple) or not levels:
        top.bad("priorities", Message("expected a non-empty list of names, highest first, got {described}",
                                      described=_described(levels)))
        return None
    before = len(top.problems)
    seen: set[str] = set()
    for place, level in enumerate(levels):
        if not isinstance(level, str) or not level.strip():
            top.bad(f"priorities[{place}]", Message("expected a non-empty string, got {described}",
                                                    described=_described(level)))
        elif level in seen:
            top.bad(f"priorities[{place}]", Message("{level!r} appears more than once", level=level))
        else:
            seen.add(level)
    if len(top.problems) > before:
        return None
    try:
        return PriorityScale(tuple(levels))
    except TriageConfigError as error:
        top.problems.extend(f"priorities: {p}" for p in error.problems)
        return None


def _value_problem(value: str) -> str | None:
    return None if normalise_text(value) else f"{value!r} is empty once normalised"


def _load_rule(
    raw: object, path: str, scale: PriorityScale | None, problems: list[str]
) -> TriageRule | None:
    if not isinstance(raw, Mapping):
        problems.append(Message("{path}: expected a table with a 'kind' and a 'name', got {described}",
                                path=path, described=_described(raw)))
        return None
    kinds = ", ".join(map(repr, _KINDS))
    kind = raw.get("kind")
    if "kind" not in raw:
        problems.append(Message("{path}.kind: missing; one of {kinds}", path=path, kinds=kinds))
        return None
    if kind == "model":
        problems.append(
            Message("{path}.kind: a model rule wraps code and cannot be loaded from data; {model_hint}",
                    path=path, model_hint=_MODEL_HINT)
        )
        return None
    if not isinstance(kind, str) or kind not in _KINDS:
        problems.append(Message("{path}.kind: unknown rule kind {kind}; one of {kinds}", path=path,
                                kind=shown(kind), kinds=kinds))
        return None
    what, own_keys, required = _KINDS[kind]
    reader = _Reader(raw, path, problems)
    reader.no_unknown_keys(("kind", "name", *own_keys), what)
    reader.require(required, what)
    name = reader.text("name")
    try:
        if kind == "impact_urgency":
            return _load_matrix(reader, name, scale)
        if kind == "peak":
            return _load_peak(reader, name)
        return _load_effect_rule(reader, kind, name, scale)
    except TriageConfigError as error:  # a check here missed something: report it with the path
        problems.extend(f"{path}: {p}" for p in error.problems)
        return None


def _effects(reader: _Reader, scale: PriorityScale | None) -> dict[str, Any]:
    effects: dict[str, Any] = {
        "priority": reader.priority("priority", scale),
        "category": reader.text("category"),
        "root_cause": reader.text("root_cause"),
        "raise_by": reader.integer("raise_by"),
        "weight": reader.weight(),
    }
    given = {k: v for k, v in effects.items() if v is not None}
    if not any(k in reader.raw for k in ("priority", "category", "root_cause")) and not reader.raw.get(
        "raise_by"
    ):
        reader.problems.append(
            Message("{path}: has no effect; give it a priority, category, root_cause or a raise_by other "
                    "than 0", path=reader.path)
        )
    return given


def _load_effect_rule(
    reader: _Reader, kind: str, name: str | None, scale: PriorityScale | None
) -> TriageRule | None:
    effects = _effects(reader, scale)
    if kind == "amount":
        at_least = _amount(reader)
        if reader.failed or name is None or at_least is None:
            return None
        return AmountRule(name, at_least, **effects)
    key = _VALUES_KEY[kind]
    values = reader.texts(key, keyword_problem if kind == "keyword" else _value_problem)
    if kind == "keyword":
        fields = reader.texts("fields", _field_problem)
        if reader.failed or name is None:
            return None
        if "fields" in reader.raw:
            return KeywordRule(name, values, fields, **effects)
        return KeywordRule(name, values, **effects)
    if reader.failed or name is None:
        return None
    if kind == "channel":
        return ChannelRule(name, values, **effects)
    if kind == "customer_tier":
        return CustomerTierRule(name, values, **effects)
    return CategoryRule(name, values, **effects)


def _field_problem(field: str) -> str | None:
    return None if field in ("subject", "body") else f"{field!r} is not 'subject' or 'body'"


def _amount(reader: _Reader) -> Decimal | None:
    if "at_least" not in reader.raw:
        return None
    value = reader.raw["at_least"]
    amount: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = None
    elif isinstance(value, float):
        reader.bad("at_least", Message("write the amount as a string, e.g. {value!r}, so it stays exact",
                                       value=str(value)))
        return None
    if amount is None or not amount.is_finite():
        reader.bad("at_least", Message("expected a decimal amount such as '10000', got {described}",
                                       described=_described(value)))
        return None
    return amount


def _load_matrix(
    reader: _Reader, name: str | None, scale: PriorityScale | None
) -> ImpactUrgencyMatrix | None:
    weight = reader.weight()
    table: dict[tuple[int, int], str] = {}
    raw_table = reader.raw.get("table", [])
    if not isinstance(raw_table, list | tuple) or (not raw_table and "table" in reader.raw):
        reader.bad(
            "table",
            Message("expected a non-empty list of cells such as {{impact = 1, urgency = 1, priority = "
                    "'critical'}}, got {described}", described=_described(raw_table)),
        )
        raw_table = []
    for place, raw_cell in enumerate(raw_table):
        path = reader.at(f"table[{place}]")
        if not isinstance(raw_cell, Mapping):
            reader.problems.append(
                Message("{path}: expected a table with impact, urgency and priority, got {described}",
                        path=path, described=_described(raw_cell))
            )
            continue
        cell = _Reader(raw_cell, path, reader.problems)
        keys = ("impact", "urgency", "priority")
        cell.no_unknown_keys(keys, "a matrix cell")
        cell.require(keys, N_("a matrix cell"))
        impact = cell.integer("impact", minimum=1)
        urgency = cell.integer("urgency", minimum=1)
        priority = cell.priority("priority", scale)
        if impact is None or urgency is None or priority is None:
            continue
        if (impact, urgency) in table:
            cell.problems.append(
                Message("{path}: impact {impact} x urgency {urgency} is already in the table; each pair "
                        "appears once", path=path, impact=impact, urgency=urgency)
            )
        table[impact, urgency] = priority
    if reader.failed:
        return None
    options: dict[str, Any] = {}
    if name is not None:
        options["name"] = name
    if weight is not None:
        options["weight"] = weight
    return ImpactUrgencyMatrix(table, **options)


def _load_peak(reader: _Reader, name: str | None) -> PeakRaise | None:
    first_day = reader.day("first_day")
    last_day = reader.day("last_day")
    raise_by = reader.integer("raise_by")
    if raise_by == 0:
        reader.bad("raise_by", Message("0 has no effect; give the number of levels to raise by"))
    if first_day is not None and last_day is not None and last_day < first_day:
        reader.bad("last_day", Message("{last_day} is before first_day {first_day}", last_day=last_day,
                                       first_day=first_day))
    raw_zone = reader.raw.get("timezone")
    zone = read_zone(raw_zone) if isinstance(raw_zone, str) else None
    if "timezone" in reader.raw and zone is None:
        reader.bad(
            "timezone", Message("expected an IANA time zone such as 'Asia/Shanghai', got {raw_zone}",
                                raw_zone=shown(raw_zone))
        )
    if reader.failed or name is None or first_day is None or last_day is None:
        return None
    return PeakRaise(name, first_day, last_day, 1 if raise_by is None else raise_by, zone)
