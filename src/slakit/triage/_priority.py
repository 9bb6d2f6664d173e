"""Priority ladders: ordered priority names, highest first.

Priorities are plain strings so they travel through JSON, databases and logs unchanged; the
order lives in one :class:`PriorityScale` value that every rule and classifier shares. "Raise
one level" moves towards the top and stops there (it never wraps or raises).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from slakit._fast import derive
from slakit._message import Message
from slakit.triage._errors import TriageConfigError, UnknownPriorityError


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _check_levels(_instance: object, _attribute: object, levels: tuple[str, ...]) -> None:
    problems: list[str] = []
    if not levels:
        problems.append(Message("a priority scale needs at least one level"))
    for level in levels:
        if not isinstance(level, str) or not level.strip():
            problems.append(Message("level {level!r} is not a non-empty string", level=level))
    duplicates = sorted({lv for lv in levels if levels.count(lv) > 1}, key=str)
    if duplicates:
        problems.append(Message("levels {duplicates!r} appear more than once; each level must be unique",
                                duplicates=duplicates))
    if problems:
        raise TriageConfigError(Message("priority scale"), problems)


@attrs.frozen
class PriorityScale:
    """An ordered ladder of priority names, highest first.

    Args:
        levels: the priority names from most to least urgent.

    >>> scale = PriorityScale(("urgent", "important", "normal", "suggestion"))
    >>> scale.raise_by("normal", 1)
    'important'
    >>> scale.raise_by("important", 5)   # capped at the top
    'urgent'
    >>> scale.highest(["normal", "important"])
    'important'
    """

    levels: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_check_levels)
    _index: dict[str, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        derive(self, "_index", {lv: i for i, lv in enumerate(self.levels)})

    @classmethod
    def default(cls) -> PriorityScale:
        """The shop desk ladder: ``urgent > important > normal > suggestion``."""
        return cls(("urgent", "important", "normal", "suggestion"))

    @classmethod
    def itil(cls) -> PriorityScale:
        """The ITIL ladder: ``critical > high > moderate > low`` (numbers 1 to 4)."""
        return cls(("critical", "high", "moderate", "low"))

    def __contains__(self, priority: object) -> bool:
        return priority in self._index

    def __len__(self) -> int:
        return len(self.levels)

    @property
    def top(self) -> str:
        """The most urgent level."""
        return self.levels[0]

    @property
    def bottom(self) -> str:
        """The least urgent level."""
        return self.levels[-1]

    def rank(self, priority: str) -> int:
        """Position of ``priority`` on the ladder, 0 for the top.

        Raises:
            UnknownPriorityError: ``priority`` is not on this scale.
        """
        try:
            return self._index[priority]
        except (KeyError, TypeError):
            raise UnknownPriorityError(priority, self.levels) from None

    def number(self, priority: str) -> int:
        """ITIL-style number of ``priority``: 1 for the top, ``len(scale)`` for the bottom."""
        return self.rank(priority) + 1

    def at_number(self, number: int) -> str:
        """The level with ITIL-style ``number`` (1 is the top).

        Raises:
            UnknownPriorityError: no level has that number.
        """
        if isinstance(number, int) and 1 <= number <= len(self.levels):
            return self.levels[number - 1]
        raise UnknownPriorityError(number, self.levels)

    def raise_by(self, priority: str, steps: int) -> str:
        """``priority`` moved ``steps`` levels up (negative: down), capped at both ends."""
        position = self.rank(priority) - steps
        return self.levels[min(max(position, 0), len(self.levels) - 1)]

    def is_higher(self, a: str, b: str) -> bool:
        """Whether ``a`` is strictly more urgent than ``b``."""
        return self.rank(a) < self.rank(b)

    def highest(self, priorities: Iterable[str]) -> str:
        """The most urgent of ``priorities`` (at least one).

        Raises:
            ValueError: ``priorities`` is empty.
        """
        return min(priorities, key=self.rank)

    def sort_key(self, priority: str) -> int:
        """A key that sorts the most urgent first: ``sorted(ps, key=scale.sort_key)``."""
        return self.rank(priority)
