"""Replaying a log too big for one machine's patience: Dask tasks over streamed partitions.

Design rules:

* The driver never holds the log: it reads tickets (their raw rows, for a mapped log) into
  partitions of ``partition_size`` tickets, a round of ``workers`` partitions at a time, and
  holds at most two rounds (the one being judged and the one read ahead), so its memory is
  bounded by ``2 * workers * partition_size`` tickets and their records, whatever the size
  of the log.
* Workers do the expensive part: converting rows to events and judging each ticket with the
  same per-ticket functions as ``slakit replay`` (:func:`convert_ticket`,
  :func:`judge_or_reject`). The policy travels as a file path and is loaded once per worker
  process, never pickled.
* Partitions are folded in log order into the same report, so the records and the report
  equal a sequential replay's, byte for byte. While workers judge one round, the driver
  reads the next (a thread waits on Dask), so reading overlaps judging.

Dask is an optional dependency (``pip install slakit[dask]``); importing this module
without it raises.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from slakit._message import Message
from slakit.cli._run import (
    InputError,
    Source,
    fold_report,
    judge_or_reject,
    load_checked_policy,
    without_states,
)
from slakit.replay import Rejected, TicketLog, TicketRows, convert_ticket
from slakit.replay._sources import SourceRow
from slakit.sla import SlaEngine

try:
    import dask
except ImportError as exc:  # pragma: no cover - exercised only without dask
    raise ImportError(Message("the Dask path needs dask: pip install 'slakit[dask]'")) from exc

Item = TicketRows | TicketLog | Rejected
Result = dict[str, Any] | Rejected
Packed = tuple[str, list[int], list[tuple[Any, ...]], tuple[Rejected, ...]]
"""A ticket's rows as plain tuples: pickling attrs rows cost twice as much as judging them."""

_ENGINES: dict[tuple[str, datetime], SlaEngine] = {}
"""The engine of each (policy file, now) in this worker process, loaded once."""


def _pack(item: Item, columns: tuple[str, ...]) -> Item | Packed:
    if not isinstance(item, TicketRows):
        return without_states(item)
    if not columns:
        return item
    return (item.ticket, [r.line for r in item.rows],
            [tuple(r.data[c] for c in columns) for r in item.rows], item.problems)


def _unpack(item: Item | Packed, columns: tuple[str, ...]) -> Item:
    if not isinstance(item, tuple):
        return item
    ticket, lines, values, problems = item
    rows = tuple(SourceRow(n, dict(zip(columns, v, strict=True)))
                 for n, v in zip(lines, values, strict=True))
    return TicketRows(ticket, rows, problems)


def _judge_partition(items: list[Item | Packed], source: Source, policy_path: str,
                     now: datetime) -> list[Result]:
    """Convert and judge one partition (runs in a worker)."""
    key = (policy_path, now)
    engine = _ENGINES.get(key)
    if engine is None:
        _ENGINES.clear()
        engine = _ENGINES[key] = SlaEngine(load_checked_policy(Path(policy_path), True))
    columns = _columns(source)
    out: list[Result] = []
    for packed in items:
        item = _unpack(packed, columns)
        if isinstance(item, TicketRows):
            assert source.mapping is not None
            item = convert_ticket(item, source.mapping, str(source.path), source.zone)
        out.append(item if isinstance(item, Rejected) else judge_or_reject(item, engine, now))
    return out


def _columns(source: Source) -> tuple[str, ...]:
    """The columns every row holds (a CSV mapping's); () when rows travel as they are."""
    m = source.mapping
    return tuple(sorted(m.columns)) if m is not None and m.format == "csv" else ()


def _partitions(source: Source, size: int) -> Iterator[list[Item | Packed]]:
    items: Iterator[Item] = source.tickets() if source.mapping is None else source.groups()
    columns = _columns(source)
    while chunk := [_pack(i, columns) for i in islice(items, size)]:
        yield chunk


def _judged(source: Source, policy_path: Path, now: datetime, workers: int,
            partition_size: int, scheduler: str) -> Iterator[Result]:
    """Per-ticket results in log order, ``workers`` partitions at a time."""
    task = dask.delayed(_judge_partition, pure=False)  # type: ignore[attr-defined]
    options: dict[str, Any] = {"scheduler": scheduler, "num_workers": workers}

    def run(round_: list[list[Item | Packed]]) -> tuple[list[Result], ...]:
        parts = [task(p, source, str(policy_path), now) for p in round_]
        compute = dask.compute  # type: ignore[attr-defined]
        done: tuple[list[Result], ...] = compute(*parts, **options)  # type: ignore[no-untyped-call]
        return done

    parts = _partitions(source, partition_size)
    with ExitStack() as stack:
        if scheduler == "processes":
            # One pool for the whole run (Dask would start one per compute): workers keep
            # their loaded policy and imports from one round to the next.
            options["pool"] = stack.enter_context(ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn")))
        waiter = stack.enter_context(ThreadPoolExecutor(1))
        pending: Future[tuple[list[Result], ...]] | None = None
        while True:
            round_ = list(islice(parts, workers))  # read while the previous round is judged
            if pending is not None:
                for results in pending.result():
                    yield from results
            if not round_:
                return
            pending = waiter.submit(run, round_)


def replay_with_dask(
    source: Source,
    policy_path: Path,
    now: datetime,
    *,
    workers: int = 2,
    partition_size: int = 2000,
    scheduler: str = "processes",
    strict: bool = False,
    allow_fast_repeats: bool = False,
    on_record: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """The report of ``source`` under the policy, judged by ``workers`` Dask workers.

    Args:
        source: the log and how to read it.
        policy_path: the policy file (loaded by each worker).
        now: the instant clocks are evaluated at.
        workers: Dask workers (processes with the default scheduler).
        partition_size: tickets per task; the driver holds at most ``2 * workers`` partitions.
        scheduler: a Dask scheduler name (``processes``, ``threads``, ``synchronous``).
        strict: stop at the first rejected ticket or ticket without a clock.
        allow_fast_repeats: accept escalation rules repeating more often than every minute.
        on_record: sees each ticket record, in log order.

    Raises:
        InputError: ``workers`` or ``partition_size`` below 1, or the policy cannot be used.
    """
    if workers < 1 or partition_size < 1:
        raise InputError(Message("workers ({workers}) and partition_size ({partition_size}) must be at "
                                 "least 1", workers=workers, partition_size=partition_size))
    load_checked_policy(policy_path, allow_fast_repeats)  # fail here, not in a worker
    results = _judged(source, policy_path, now, workers, partition_size, scheduler)
    return fold_report(results, source, policy_path, now, strict=strict, on_record=on_record)
