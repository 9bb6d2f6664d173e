"""Are the custom fields declared right, and do the fact tests fit their types?

Design rules:

* A policy set declares its custom fields with a type (:data:`FIELD_TYPES`); built-in fields
  keep theirs (:data:`BUILTIN_FIELDS`). Every fact test of every policy and escalation rule
  is checked against them when the set is built, and every problem is listed at once.
* A ticket's custom values are checked by the engine when it chooses a policy: a declared
  field with a value of another type is refused (:func:`custom_value_problems`), an
  undeclared field is the host's own business and ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from slakit._message import Message
from slakit.policies._conditions import Condition
from slakit.policies._fact_tests import (
    _SETS,
    _UNARY,
    BUILTIN_FIELDS,
    FIELD_TYPES,
    OPERATORS,
    FieldType,
    fact_tests,
    value_type,
)


def field_types(custom: Mapping[str, str]) -> dict[str, FieldType]:
    """Built-in and declared custom field types together."""
    return {**BUILTIN_FIELDS, **custom}  # type: ignore[dict-item]


def fact_problems(
    condition: Condition, fields: Mapping[str, FieldType], where: str
) -> list[str]:
    """Every problem of the fact tests in ``condition`` against the declared ``fields``."""
    problems: list[str] = []
    for t in fact_tests(condition):
        kind = fields.get(t.field)
        if kind is None:
            custom = sorted(set(fields) - set(BUILTIN_FIELDS))
            problems.append(
                Message("{where}: {t!r} names unknown field {field!r}; built-in fields are {items}; "
                        "declare custom ones in the policy set's fields (declared: {value})", where=where,
                        t=t, field=t.field, items=', '.join(BUILTIN_FIELDS), value=custom or 'none')
            )
            continue
        if kind not in OPERATORS[t.op]:
            fitting = [op for op, kinds in OPERATORS.items() if kind in kinds]
            problems.append(
                Message("{where}: {t!r}: {op} does not apply to {kind} field {field!r}; use one of {items}",
                        where=where, t=t, op=t.op, kind=kind, field=t.field, items=', '.join(fitting))
            )
            continue
        values = t.value if t.op in _SETS else () if t.op in _UNARY or t.op == "contains" else (
            t.value,)
        for v in values:
            if value_type(v) != kind:
                problems.append(
                    Message("{where}: {t!r} compares {kind} field {field!r} with {value_type} {v!r}; "
                            "write a {kind} value", where=where, t=t, kind=kind, field=t.field,
                            value_type=value_type(v), v=v)
                )
    return problems


def custom_value_problems(
    custom: Iterable[tuple[str, object]], fields: Mapping[str, str]
) -> list[str]:
    """Declared custom fields whose value on a ticket has another type than declared."""
    return [
        Message("custom field {name!r} is declared {declared} but the ticket has {kind} {value!r}",
                name=name, declared=fields[name], kind=value_type(value), value=value)
        for name, value in custom
        if name in fields and name not in BUILTIN_FIELDS and value_type(value) != fields[name]
    ]


def fields_problems(fields: Mapping[str, str], policies: Iterable[Any]) -> list[str]:
    """Problems of the custom field declarations and of every fact test of ``policies``."""
    problems: list[str] = []
    for name, kind in fields.items():
        if not isinstance(name, str) or not name or name in BUILTIN_FIELDS:
            problems.append(
                Message("fields: {name!r} cannot be a custom field name (built-in fields: {items})",
                        name=name, items=', '.join(BUILTIN_FIELDS))
            )
        if kind not in FIELD_TYPES:
            problems.append(
                Message("fields.{name}: unknown type {kind!r}; use one of {items}", name=name, kind=kind,
                        items=', '.join(FIELD_TYPES)))
    types = field_types(fields)
    for policy in policies:
        problems += fact_problems(policy.when, types, Message("policy {name!r}", name=policy.name))
        for r in policy.escalations:
            problems += fact_problems(
                r.when, types, Message("policy {name!r}, escalation {rule!r}", name=policy.name,
                                       rule=r.name))
    return problems
