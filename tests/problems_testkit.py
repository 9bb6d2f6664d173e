"""Helpers for the loader tests: random documents, mutations of valid ones, the escape check.

Every loader (policies, log mappings, workflows, calendars) is fuzzed the same way:

* ``documents(keys)``: random nested tables, lists and scalars (TOML/JSON values plus a few
  Python ones a host may pass), with keys drawn mostly from the loader's own vocabulary so
  the fuzz reaches deep into the reader instead of stopping at the first unknown key;
* ``mutated(valid, keys)``: a valid document with one value replaced, one key removed or one
  key added, anywhere in it;
* ``only_slakit_errors(load, data)``: the loader either returns or raises a slakit error that
  is also a ``ValueError``/``TypeError``/``LookupError``; anything else fails the test. The
  input is never modified.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from hypothesis import strategies as st

from slakit import SlakitError

T = TypeVar("T")

JUNK_KEYS = ("", "x", "__class__", "HolidayBase", "0", "kind", "name", "type")


def scalars() -> st.SearchStrategy[Any]:
    """Values a parsed TOML/JSON document (or a careless host) may hold."""
    return st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
        st.sampled_from(["PT30M", "P999999999999D", "P", "2025-11-11", "UTC", "Nowhere/Zone",
                         "09:00", "24:00", "keep", "new", "urgent", "CN", "__class__",
                         "first_response", "opened", "c24"]),
        st.dates(min_value=date(1, 1, 1)), st.times().map(lambda t: t.replace(tzinfo=None)),
    )


def documents(keys: Sequence[str], *, max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """Random nested tables and lists whose keys come mostly from ``keys``."""
    key = st.one_of(st.sampled_from(tuple(keys) + JUNK_KEYS), st.text(max_size=6))
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=5)
        ),
        max_leaves=max_leaves,
    )


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*here, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*here, i)))
    return out


@st.composite
def mutated(draw: st.DrawFn, valid: Any, keys: Sequence[str]) -> Any:
    """``valid`` (deep-copied) with one change somewhere: replace, delete or add."""
    doc = copy.deepcopy(valid)
    paths = _paths(doc)
    path = draw(st.sampled_from(paths))
    parent: Any = doc
    for step in path[:-1]:
        parent = parent[step]
    how = draw(st.sampled_from(["replace", "delete", "add"]))
    new = draw(documents(keys, max_leaves=6))
    if not path:
        return new if how == "replace" else doc
    last = path[-1]
    if how == "replace":
        parent[last] = new
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(tuple(keys) + JUNK_KEYS))] = new
    else:
        parent.insert(last, new)
    return doc


def only_slakit_errors(load: Callable[[Any], T], data: Any) -> T | None:
    """``load(data)``; a slakit error (of the right built-in kind) is fine and gives None."""
    before = copy.deepcopy(data)
    failure: SlakitError | None = None
    try:
        result: T | None = load(data)
    except SlakitError as error:
        failure, result = error, None
    if failure is not None:
        assert isinstance(failure, ValueError | TypeError | LookupError), type(failure)
        problems = getattr(failure, "problems", None)
        assert problems is None or len(problems) > 0
        assert all(isinstance(p, str) and p for p in problems or ()), problems
    assert same(data, before), "the loader changed its input"
    return result


def same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as equal to itself (a fuzzed input may hold NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def nested(depth: int, leaf: Any = 1) -> Any:
    """A document nested ``depth`` levels deep (alternating lists and ``{"all": ...}``)."""
    value = leaf
    for level in range(depth):
        value = {"all": value} if level % 2 else [value]
    return value
