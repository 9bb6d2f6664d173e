"""How is a table of named entries read? The one shape of the ``schedules`` and ``timers`` tables.

Design rules: a table is a mapping of entry names to mappings. :func:`read_named_table`
does what every such table needs (the table and each entry must be mappings, unknown keys
are refused with the known ones named), and hands each entry to the table's own reader,
which records its problems and returns a builder; the builder runs only for an entry read
without problems, and a value it refuses (``PlanInputError``, ``WrongTypeError``) is one
more problem at the entry's path. Every problem of the whole table is raised at once, as
:class:`~slakit.plans.CareDataError`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from slakit._errors import WrongTypeError
from slakit._message import Message
from slakit._problems import unknown_key
from slakit.plans._errors import CareDataError, PlanInputError

T = TypeVar("T")

EntryReader = Callable[[str, Mapping[str, Any], str, list[str]], Callable[[], T] | None]
"""``(name, body, path, problems) -> builder``: reads one entry, appending its problems;
returns a function building the value, or None when there is nothing to build."""


def read_named_table(
    mapping: Any, path: str, what: str, keys: Collection[str], read: EntryReader[T]
) -> tuple[T, ...]:
    """Read a table of named ``what`` entries (``schedule``, ``timer``) at ``path``.

    >>> read_named_table({"a": {"n": 1}}, "t", "thing", ("n",),
    ...                  lambda name, body, where, problems: lambda: (name, body["n"]))
    (('a', 1),)

    Raises:
        CareDataError: every problem, each with its path (the error names the table).
    """
    table = f"{what}s"
    if not isinstance(mapping, Mapping):
        raise CareDataError(table, [Message("{path}: expected a mapping of {what} names, got {kind}",
                                            path=path, what=what, kind=type(mapping).__name__)])
    problems: list[str] = []
    out: list[T] = []
    for name, body in mapping.items():
        where = f"{path}.{name}"
        if not isinstance(body, Mapping):
            problems.append(Message("{where}: expected a mapping, got {kind}", where=where,
                                    kind=type(body).__name__))
            continue
        problems += [f"{where}.{k}: {unknown_key(k, keys, f'a {what}')}"
                     for k in body if k not in keys]
        before = len(problems)  # an unknown key does not hide the value's own problems
        build = read(name, body, where, problems)
        if len(problems) > before or build is None:
            continue
        try:
            out.append(build())
        except (PlanInputError, WrongTypeError) as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise CareDataError(table, problems)
    return tuple(out)
