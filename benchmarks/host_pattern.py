"""The SLA host pattern the benchmarks time: what a host with one scheduled job per ticket does.

After each event the host reschedules the ticket's job with ``next_wake_at``; when the job's
instant passes (before the next event) it collects ``due_escalations`` since its previous
collection. One definition for ``bench_sla.py``, ``layout_cpu.py`` and
``layout_instructions.py``, which time it against older checkouts too: slakit is imported
when the pattern runs, so it is whichever slakit the process has on its path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any


def run_host_pattern(engine: Any, tickets: Sequence[Sequence[Any]]) -> None:
    """Fold every ticket's events as a host does (see the module docstring)."""
    from slakit.sla import due_escalations, next_wake_at
    from slakit.workflow import apply

    for evs in tickets:
        st = sla = None
        wake: datetime | None = None
        collected: datetime | None = None
        for e in evs:
            if sla is not None and wake is not None and wake <= e.at:
                due_escalations(sla, wake, since=collected)
                collected = wake
            st = apply(st, e)
            sla = engine.advance(sla, e, st)
            wake = next_wake_at(sla, e.at)
