"""Replaying a log too big for one machine: a Dask bag over ticket partitions.

The same per-ticket function as ``slakit replay`` (:func:`judge_or_reject`) runs on every
partition; the policy is loaded once per partition from its file (policies travel as file
paths, not as pickled objects). Records come back in log order and are folded into the same
report, so the result equals a sequential replay's, byte for byte. Dask is an optional
dependency (``pip install slakit[dask]``); importing this module without it raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from slakit.cli._run import Source, fold_report, judge_or_reject, load_policy_file
from slakit.replay import Rejected, TicketLog
from slakit.sla import SlaEngine

try:
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - exercised only without dask
    raise ImportError("the Dask path needs dask: pip install 'slakit[dask]'") from exc


def _judge_partition(policy_path: str, now: datetime) -> Callable[
    [Iterable[TicketLog | Rejected]], list[dict[str, Any] | Rejected]
]:
    def judge(items: Iterable[TicketLog | Rejected]) -> list[dict[str, Any] | Rejected]:
        engine = SlaEngine(load_policy_file(Path(policy_path)))
        return [i if isinstance(i, Rejected) else judge_or_reject(i, engine, now) for i in items]

    return judge


def replay_with_dask(
    source: Source,
    policy_path: Path,
    now: datetime,
    *,
    partitions: int = 4,
    scheduler: str = "processes",
    on_record: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """The report of ``source`` under the policy, judged by Dask over ``partitions``."""
    tickets = list(source.tickets())
    bag = db.from_sequence(  # type: ignore[no-untyped-call]
        tickets, npartitions=max(1, min(partitions, len(tickets) or 1)))
    judged = bag.map_partitions(_judge_partition(str(policy_path), now))
    return fold_report(judged.compute(scheduler=scheduler), source, policy_path, now,
                       on_record=on_record)
