"""Errors raised by triage (and assignment) definitions.

Content never raises: odd ticket text, unknown channels or unparseable impact values end in a
decision with the fallback marked. These errors are for *definitions* (a rule naming a priority
the scale does not have) and for programming mistakes (asking a scale about an unknown level).
"""

from __future__ import annotations

from slakit._errors import DefinitionError, SlakitError


class TriageConfigError(DefinitionError):
    """A classifier, rule or assignment plan definition is invalid.

    :attr:`problems` lists every problem found, so one run fixes them all.
    """


class UnknownPriorityError(SlakitError, LookupError):
    """A priority name is not on the :class:`PriorityScale` it was looked up in."""

    def __init__(self, priority: object, levels: tuple[str, ...]) -> None:
        self.priority = priority
        super().__init__(
            f"unknown priority {priority!r}; this scale has {', '.join(map(repr, levels))} "
            "(highest first): use one of those or build a PriorityScale with your own levels"
        )

