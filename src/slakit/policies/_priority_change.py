"""What happens to a running clock when the ticket's priority changes.

Four modes, chosen separately for upgrades and downgrades (priority order comes from the
policy set, most urgent first):

* ``restart``: the new target counts from the change; time already counted is discarded.
* ``keep_elapsed``: the business time already counted is carried over as a number and the
  new target's calendar counts the rest from the change.
* ``from_creation``: the new target and calendar are applied as if they had been in force
  since the cycle started (pauses still excluded: a pause is a workflow fact, not a
  priority fact). Differs from ``keep_elapsed`` when the calendars differ, e.g. an
  office-hours ticket upgraded to a 24x7 target after a night.
* ``stricter``: the earlier of the old deadline and the ``keep_elapsed`` deadline, decided
  at the change instant (a paused clock compares the deadlines it would have if resumed
  at the change). An upgrade never loosens a deadline, a downgrade never tightens one, and
  neither breaches the past retroactively (use ``from_creation`` for that).

The same four modes apply when a ``facts_changed`` event makes the policy set choose another
policy at the same priority (``policy_change``; there is no direction to tell apart). The mode
is the *new* policy's. When the priority changes too, the upgrade or downgrade mode wins.

Under ``restart``, ``keep_elapsed`` and ``stricter`` a breach that already happened is never
undone by a later change: ``breached_at`` is kept. ``from_creation`` re-judges the cycle as a
whole under the new target, so its breach is whatever the new target says.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import attrs

from slakit._message import Message
from slakit._problems import Problems, Table, did_you_mean, shown
from slakit.policies._errors import PolicyDataError

ChangeMode = Literal["restart", "keep_elapsed", "from_creation", "stricter"]
CHANGE_MODES: tuple[str, ...] = get_args(ChangeMode)


def _mode(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in CHANGE_MODES:
        raise PolicyDataError(
            [Message("priority_change.{name}: unknown mode {value!r}; use one of {items}",
                     name=attribute.name, value=value, items=', '.join(CHANGE_MODES))]
        )


_KEYS = ("upgrade", "downgrade", "policy_change")


@attrs.frozen
class PriorityChangeSettings:
    """The modes applied to running clocks when the priority or the chosen policy changes.

    ``upgrade`` and ``downgrade`` apply to priority changes; ``policy_change`` to another
    policy being chosen after the ticket's facts changed (at the same priority).

    Example:
        >>> PriorityChangeSettings(upgrade="restart")
        PriorityChangeSettings(upgrade='restart', downgrade='keep_elapsed', policy_change='keep_elapsed')
    """

    upgrade: ChangeMode = attrs.field(default="stricter", validator=_mode)
    downgrade: ChangeMode = attrs.field(default="keep_elapsed", validator=_mode)
    policy_change: ChangeMode = attrs.field(default="keep_elapsed", validator=_mode)

    def to_data(self) -> dict[str, Any]:
        """Plain data: ``{"upgrade": mode, "downgrade": mode}`` (+ ``policy_change`` if set)."""
        data = {"upgrade": self.upgrade, "downgrade": self.downgrade}
        if self.policy_change != "keep_elapsed":
            data["policy_change"] = self.policy_change
        return data

    @classmethod
    def from_data(cls, data: object, path: str = "priority_change") -> PriorityChangeSettings:
        """Rebuild from :meth:`to_data` output (missing keys take the defaults)."""
        problems = Problems()
        table = Table.of(data, path, problems, "{'upgrade': mode, 'downgrade': mode, 'policy_change': mode}")
        if table is not None:
            table.only(_KEYS, "priority_change")
            for key in _KEYS:
                if key in table and table.get(key) not in CHANGE_MODES:
                    table.bad(key, Message("unknown mode {value}{did_you_mean}; use one of {items}",
                                           value=shown(table.get(key)),
                                           did_you_mean=did_you_mean(table.get(key), CHANGE_MODES),
                                           items=', '.join(CHANGE_MODES)))
        if problems.items or table is None:
            raise PolicyDataError(problems.items)
        return cls(**table.raw)
