"""Old names that still resolve, with a ``DeprecationWarning`` saying where they went.

Design rules:

* Only names that were documented get an alias (each is listed in ``CHANGELOG.md``); the old
  name is never in any ``__all__``, so the facade and the reference show the new one only.
* A moved name is resolved lazily by the old module's ``__getattr__`` (PEP 562): the new home
  may sit *above* the old one in the package map (assignment above triage), and a lazy
  look-up by module name keeps the import graph one-way.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping


def moved_names(old_module: str, moves: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` resolving ``moves`` (old name -> ``"new.module:new_name"``).

    Args:
        old_module: the module the names used to live in, for messages.
        moves: each old name and where it is now.

    Returns:
        The function to assign to the old module's ``__getattr__``.
    """

    def __getattr__(name: str) -> object:
        target = moves.get(name)
        if target is None:
            raise AttributeError(f"module {old_module!r} has no attribute {name!r}")
        module, _, new_name = target.partition(":")
        warnings.warn(
            f"{old_module}.{name} is now {module}.{new_name}; import that instead "
            "(see CHANGELOG.md)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(module), new_name)

    return __getattr__
