"""Recipes that run a :class:`~slakit.desk.Desk` under the schedulers and frameworks people use.

Each submodule imports its framework lazily and is only importable with that framework
installed (the matching extra: ``slakit[django]``, ``slakit[celery]``,
``slakit[apscheduler]``, ``slakit[fastapi]``). The desk does the work; these modules only
decide *when* ``Desk.wake`` runs and what ``now`` is.
"""

from slakit.contrib._drain import WakeSummary, utc_now, wake_until_drained

__all__ = ["WakeSummary", "utc_now", "wake_until_drained"]
