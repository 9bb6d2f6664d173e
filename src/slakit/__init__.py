"""slakit: exact, explainable after-sales workflows for the backends that embed them.

Everything public is importable from here: ``from slakit import BusinessCalendar``. This
module is not a second copy of the API: it re-exports each subpackage's ``__all__`` (a test
holds ``slakit.__all__`` equal to that union), so a name is added in its own package only.
The packages and the one direction their imports run are in ``docs/architecture.md``;
:mod:`slakit.testing` and :mod:`slakit.cli` are not re-exported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slakit import (
    _errors,
    assignment,
    calendar,
    care,
    desk,
    i18n,
    plans,
    policies,
    replay,
    reports,
    sla,
    storage,
    text,
    triage,
    workflow,
)
from slakit._errors import *  # noqa: F403
from slakit._message import Message
from slakit.assignment import *  # noqa: F403
from slakit.calendar import *  # noqa: F403
from slakit.care import *  # noqa: F403
from slakit.desk import *  # noqa: F403
from slakit.i18n import *  # noqa: F403
from slakit.plans import *  # noqa: F403
from slakit.policies import *  # noqa: F403
from slakit.replay import *  # noqa: F403
from slakit.reports import *  # noqa: F403
from slakit.sla import *  # noqa: F403
from slakit.storage import *  # noqa: F403
from slakit.text import *  # noqa: F403
from slakit.triage import *  # noqa: F403
from slakit.workflow import *  # noqa: F403

if TYPE_CHECKING:
    from slakit.storage import SQLAlchemyStore as SQLAlchemyStore
    from slakit.storage import sqlalchemy_metadata as sqlalchemy_metadata
    from slakit.storage import sqlite_engine as sqlite_engine

__version__ = "0.1.0"

_SUBPACKAGES = (
    calendar, workflow, text, policies, triage, sla, assignment, plans, storage, replay, care,
    desk, reports, i18n,
)
"""The subpackages whose ``__all__`` make up this module's (lowest tier first)."""

__all__ = ["__version__"]
__all__ += _errors.__all__
__all__ += calendar.__all__
__all__ += workflow.__all__
__all__ += text.__all__
__all__ += policies.__all__
__all__ += triage.__all__
__all__ += sla.__all__
__all__ += assignment.__all__
__all__ += plans.__all__
__all__ += storage.__all__
__all__ += replay.__all__
__all__ += care.__all__
__all__ += desk.__all__
__all__ += reports.__all__
__all__ += i18n.__all__


def __getattr__(name: str) -> Any:
    """``slakit.SQLAlchemyStore`` and the other names needing an extra, on first use."""
    if name in storage._SQLALCHEMY_NAMES:
        return getattr(storage, name)
    raise AttributeError(Message("module 'slakit' has no attribute {name!r}", name=name))
