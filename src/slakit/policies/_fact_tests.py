"""Conditions on any ticket fact: built-in or custom, typed, checked when the set is built.

Design rules:

* ``fact("order_value").gt(300)`` builds a :class:`~slakit.policies.Condition` like the
  others (combinable with ``&``, ``|``, ``~``; its repr is the code that built it; it
  round-trips through data as ``{"fact": "order_value", "gt": 300}``).
* Every fact has a type. Built-in facts: ``priority``, ``category``, ``channel``,
  ``customer_tier``, ``group`` and ``organisation`` are strings, ``tags`` a tag set. Custom
  fields are declared on the :class:`~slakit.policies.PolicySet` (``fields={"order_value":
  "number"}``) as ``string``, ``number``, ``bool`` or ``date``. Which operators a type takes
  is fixed (:data:`OPERATORS`); a condition naming an undeclared field, comparing a number with
  a string, or ordering strings is a listed problem when the set is built (:func:`fact_problems`).
* An absent fact (never set, or cleared) satisfies ``absent``, ``ne`` and ``not_in`` and
  nothing else: "category is not payment" holds for an uncategorised ticket, "order value
  over 300" does not hold for a ticket without one.
* Numbers compare as numbers (``1 == 1.0``); a bool is never a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final, Literal

import attrs

from slakit._message import Message
from slakit.policies._conditions import Condition, FactsLike, _All, _Any, _Not
from slakit.policies._errors import PolicyDataError

FieldType = Literal["string", "number", "bool", "date", "tags"]
FIELD_TYPES: Final = ("string", "number", "bool", "date")
"""The types a custom field may be declared with."""

BUILTIN_FIELDS: Final[Mapping[str, FieldType]] = {
    "priority": "string", "category": "string", "channel": "string",
    "customer_tier": "string", "group": "string", "organisation": "string", "tags": "tags",
}
"""The built-in facts and their types."""

OPERATORS: Final[Mapping[str, frozenset[FieldType]]] = {
    "eq": frozenset({"string", "number", "bool", "date"}),
    "ne": frozenset({"string", "number", "bool", "date"}),
    "in": frozenset({"string", "number", "date"}),
    "not_in": frozenset({"string", "number", "date"}),
    "contains": frozenset({"tags"}),
    "lt": frozenset({"number", "date"}),
    "le": frozenset({"number", "date"}),
    "gt": frozenset({"number", "date"}),
    "ge": frozenset({"number", "date"}),
    "present": frozenset({"string", "number", "bool", "date", "tags"}),
    "absent": frozenset({"string", "number", "bool", "date", "tags"}),
}
"""Each operator and the field types it applies to."""

_UNARY = ("present", "absent")
_SETS = ("in", "not_in")


def value_type(value: object) -> FieldType | None:
    """The field type a literal value belongs to (None for anything else)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, date) and not isinstance(value, datetime):
        return "date"
    return None


def read_fact(facts: FactsLike, name: str) -> object:
    """The value of fact ``name`` on ``facts`` (None when absent)."""
    if name in BUILTIN_FIELDS:
        return getattr(facts, name, None)
    custom = getattr(facts, "custom", ())
    if isinstance(custom, Mapping):
        return custom.get(name)
    for key, value in custom:
        if key == name:
            return value
    return None


def _same_kind(a: object, b: object) -> bool:
    return value_type(a) == value_type(b)


@attrs.frozen(repr=False)
class FactTest(Condition):
    """``fact(name).op(value)``: one test of one fact (build it with :func:`fact`)."""

    field: str
    op: str
    value: Any = None

    def __call__(self, facts: FactsLike) -> bool:
        v = read_fact(facts, self.field)
        op = self.op
        if op == "absent":
            return v is None or v == frozenset()
        if op == "present":
            return not (v is None or v == frozenset())
        if v is None:
            return op in ("ne", "not_in")
        if op == "contains":
            return isinstance(v, frozenset) and self.value in v
        if op in _SETS:
            found = any(_same_kind(v, x) and v == x for x in self.value)
            return found if op == "in" else not found
        if not _same_kind(v, self.value):
            # A value of another type than the field's (a host bug the engine reports):
            # it is not equal, and it is not ordered.
            return op == "ne"
        if op == "eq":
            return bool(v == self.value)
        if op == "ne":
            return bool(v != self.value)
        if op == "lt":
            return bool(v < self.value)
        if op == "le":
            return bool(v <= self.value)
        if op == "gt":
            return bool(v > self.value)
        return bool(v >= self.value)

    def __repr__(self) -> str:
        name = "in_" if self.op == "in" else self.op
        if self.op in _UNARY:
            args = ""
        elif self.op in _SETS:
            args = ", ".join(_literal(x) for x in self.value)
        else:
            args = _literal(self.value)
        return f'fact("{self.field}").{name}({args})'

    def to_data(self) -> dict[str, Any]:
        if self.op in _UNARY:
            return {"fact": self.field, self.op: True}
        if self.op in _SETS:
            return {"fact": self.field, self.op: [_to_data(x) for x in self.value]}
        return {"fact": self.field, self.op: _to_data(self.value)}


def _literal(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _to_data(value: object) -> object:
    return {"date": value.isoformat()} if isinstance(value, date) else value


def _check_literal(field: str, op: str, value: object) -> object:
    if value_type(value) is None:
        raise PolicyDataError(
            [Message("fact(\"{field}\").{op}(): compare with a string, number, bool or date, got {kind} "
                     "{value!r}", field=field, op=op, kind=type(value).__name__, value=value)]
        )
    if isinstance(value, float) and value != value:
        raise PolicyDataError([Message("fact(\"{field}\").{op}(): NaN compares with nothing", field=field,
                                       op=op)])
    return value


@attrs.frozen
class FactRef:
    """A named fact to build tests on (see :func:`fact`)."""

    name: str

    def _test(self, op: str, value: object) -> FactTest:
        return FactTest(self.name, op, _check_literal(self.name, op, value))

    def eq(self, value: object) -> Condition:
        """The fact equals ``value``."""
        return self._test("eq", value)

    def ne(self, value: object) -> Condition:
        """The fact is absent or differs from ``value``."""
        return self._test("ne", value)

    def in_(self, *values: object) -> Condition:
        """The fact is one of ``values``."""
        return self._set("in", values)

    def not_in(self, *values: object) -> Condition:
        """The fact is absent or none of ``values``."""
        return self._set("not_in", values)

    def _set(self, op: str, values: tuple[object, ...]) -> Condition:
        if not values:
            raise PolicyDataError([Message("fact(\"{name}\").{op}() needs one or more values",
                                           name=self.name, op=op)])
        return FactTest(self.name, op, tuple(_check_literal(self.name, op, v) for v in values))

    def contains(self, tag: str) -> Condition:
        """The tag set contains ``tag``."""
        if not isinstance(tag, str) or not tag:
            raise PolicyDataError([Message("fact(\"{name}\").contains() takes a tag, got {tag!r}",
                                           name=self.name, tag=tag)])
        return FactTest(self.name, "contains", tag)

    def lt(self, value: object) -> Condition:
        """The fact is below ``value`` (numbers and dates)."""
        return self._test("lt", value)

    def le(self, value: object) -> Condition:
        """The fact is at most ``value`` (numbers and dates)."""
        return self._test("le", value)

    def gt(self, value: object) -> Condition:
        """The fact is above ``value`` (numbers and dates)."""
        return self._test("gt", value)

    def ge(self, value: object) -> Condition:
        """The fact is at least ``value`` (numbers and dates)."""
        return self._test("ge", value)

    def present(self) -> Condition:
        """The fact is set (a tag set: not empty)."""
        return FactTest(self.name, "present")

    def absent(self) -> Condition:
        """The fact is not set (a tag set: empty)."""
        return FactTest(self.name, "absent")


def fact(name: str) -> FactRef:
    """The fact ``name``, built-in or custom, to test in a condition.

    >>> fact("order_value").gt(300) & fact("tags").contains("vip")
    fact("order_value").gt(300) & fact("tags").contains("vip")
    >>> fact("category").not_in("spam", "test")
    fact("category").not_in("spam", "test")
    """
    if not isinstance(name, str) or not name:
        raise PolicyDataError([Message("fact() needs a field name, got {name!r}", name=name)])
    return FactRef(name)


def fact_test_from_data(data: Mapping[str, Any], path: str) -> Condition:
    """Rebuild a :class:`FactTest` from ``{"fact": name, op: value}``."""
    ops = [k for k in data if k != "fact"]
    name = data.get("fact")
    if not isinstance(name, str) or not name or len(ops) != 1 or ops[0] not in OPERATORS:
        raise PolicyDataError(
            [Message("{path}: a fact test is {{'fact': name, <operator>: value}} with one operator of "
                     "{items}; got {dict!r}", path=path, items=', '.join(OPERATORS), dict=dict(data))]
        )
    op = ops[0]
    raw = data[op]
    if op in _UNARY:
        if raw is not True:
            raise PolicyDataError([Message("{path}.{op}: write {op} = true", path=path, op=op)])
        return FactTest(name, op)
    if op in _SETS:
        if not isinstance(raw, list) or not raw:
            raise PolicyDataError([Message("{path}.{op}: expected a non-empty list of values", path=path,
                                           op=op)])
        return FactTest(name, op, tuple(_from_data(v, f"{path}.{op}[{i}]")
                                        for i, v in enumerate(raw)))
    if op == "contains":
        if not isinstance(raw, str) or not raw:
            raise PolicyDataError([Message("{path}.contains: expected a tag, got {raw!r}", path=path,
                                           raw=raw)])
        return FactTest(name, op, raw)
    return FactTest(name, op, _from_data(raw, f"{path}.{op}"))


def _from_data(value: object, path: str) -> object:
    if isinstance(value, dict) and set(value) == {"date"} and isinstance(value["date"], str):
        try:
            return date.fromisoformat(value["date"])
        except ValueError:
            pass
    if value_type(value) is None or (isinstance(value, float) and value != value):
        raise PolicyDataError(
            [Message("{path}: expected a string, number, bool or {{'date': 'YYYY-MM-DD'}}, got {value!r}",
                     path=path, value=value)]
        )
    return value


def fact_tests(condition: Condition) -> Iterable[FactTest]:
    """Every :class:`FactTest` inside ``condition``."""
    stack = [condition]
    while stack:
        c = stack.pop()
        if isinstance(c, FactTest):
            yield c
        elif isinstance(c, _Not):
            stack.append(c.condition)
        elif isinstance(c, _All | _Any):
            stack.extend(reversed(c.conditions))  # pop them in written order
