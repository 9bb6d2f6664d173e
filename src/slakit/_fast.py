"""The one place where slakit writes into its frozen values, and why that is safe.

slakit's values are ``@attrs.frozen``: a host never sees one change. Four speed shortcuts
need to get past the frozen guard, and they all go through this module so the exception is
written (and searched for) once:

* :func:`build`: a value made from its complete field dictionary, skipping ``__init__``.
  The folds (workflow, SLA clocks) make one or more values per event, and attrs' frozen
  ``__init__`` costs about twice a dictionary. Only for a *fresh* object no one else holds
  yet, with exactly the class's fields (the callers' tests compare it with the constructor).
* :func:`build_slotted`: the same for a slotted attrs class (the events), one unguarded
  ``setattr`` per field; for a value whose every field was checked as ``__init__`` would
  (see :meth:`slakit.workflow.Escalated.for_key`).
* :func:`derive`: a private attribute computed from the fields (an index, a lookup table)
  stored in ``__attrs_post_init__``, before the value is handed out. It is declared with
  ``eq=False, repr=False`` (or ``init=False`` and derived from the fields alone), so it
  never changes what the value means.
* :func:`remember`: a memo written into a value already handed out (the SLA state's
  wake-up memo). Allowed only on an attribute declared with :func:`memo_field`: left out of
  ``==``, ``hash`` and ``repr``, dropped by pickling (the class's ``__getstate__`` leaves
  it behind), and a pure function of the value's fields and its argument, so two readers
  that each fill it see the same answers. A memo is replaced in one assignment, never
  edited in place, so a thread sees the old memo or the new one.

Caches that outlive one value belong to the object that owns their inputs (the
:class:`~slakit.sla.SlaEngine`, a rule set), never to a module: a module-wide cache would be
shared by every engine and every test in a process.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

T = TypeVar("T")

_new = object.__new__
_set = object.__setattr__


def build(cls: type[T], fields: dict[str, Any]) -> T:
    """A fresh ``cls`` whose attributes are ``fields`` (all of them), without ``__init__``.

    Only for attrs classes built without slots (``@attrs.frozen(slots=False)``).
    """
    new: T = _new(cls)
    _set(new, "__dict__", fields)
    return new


def build_slotted(cls: type[T], fields: dict[str, Any]) -> T:
    """A fresh slotted ``cls`` whose attributes are ``fields`` (all of them), without ``__init__``."""
    new: T = _new(cls)
    for name, value in fields.items():
        _set(new, name, value)
    return new


def derive(value: object, name: str, data: object) -> None:
    """Store ``data``, derived from ``value``'s fields, as ``value.<name>`` before publishing.

    Call it from ``__attrs_post_init__`` (or on a value no one else holds yet).
    """
    _set(value, name, data)


def remember(value: object, name: str, memo: object) -> None:
    """Replace the memo ``value.<name>``, an attribute declared with :func:`memo_field`."""
    _set(value, name, memo)


def memo_field() -> Any:
    """An attrs field for a memo: not in ``__init__``, ``==``, ``hash`` or ``repr``; None at first.

    The class's ``__getstate__`` must leave it out (see :class:`slakit.sla.SlaState`).
    """
    return attrs.field(init=False, default=None, eq=False, hash=False, repr=False)
