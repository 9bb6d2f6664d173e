"""One SLA clock cycle as a report sees it, and the rating dimensions a report reads."""

from __future__ import annotations

from datetime import datetime

import attrs

SATISFACTION_DIMENSIONS = ("response_speed", "resolution", "attitude")
"""The rating dimensions of a ticket's satisfaction survey (1 to 5 each)."""


@attrs.frozen
class ClockOutcome:
    """One cycle of one SLA metric: its status, target and the time it took.

    ``business_s`` is the business time counted, ``wall_s`` the wall-clock time from start to
    end (or to the evaluation instant when still open).
    """

    metric: str
    cycle: int
    status: str
    target_s: float | None
    business_s: float
    wall_s: float | None
    started_at: datetime | None = None
    due_at: datetime | None = None
    ended_at: datetime | None = None
    breached_at: datetime | None = None
    priority: str | None = None
    """The priority the cycle was judged by (None: the ticket's, in records of older
    replays); a report groups the clock under it, not under the ticket's final priority."""
