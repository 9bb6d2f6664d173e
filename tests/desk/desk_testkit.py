"""Shared set-up for the desk tests and benchmarks: a policy with a three-level ladder,
ticket builders, and worker functions for multi-process runs (importable by children)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from slakit import AlwaysOpen
from slakit.desk import Decision, Desk, Notifier
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    at_fraction,
    breach_ladder,
    notify,
)
from slakit.storage import DeskStore, SQLiteStore, TicketAppend
from slakit.workflow import DEFAULT_WORKFLOW, AgentReplied, TicketOpened, TicketState

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)
C247 = NamedCalendar("24x7", AlwaysOpen("UTC"))


def ladder_policies() -> PolicySet:
    """First response in 30 min (urgent) or 2 h (normal); a reminder at half, then a
    three-level ladder at breach, +30 min and +60 min: four escalations per late ticket."""
    policy = SlaPolicy(
        "chat", "1",
        targets=[MetricTarget("first_response", "urgent", timedelta(minutes=30), C247),
                 MetricTarget("first_response", "normal", timedelta(hours=2), C247),
                 MetricTarget("resolution", "urgent", timedelta(hours=4), C247),
                 MetricTarget("resolution", "normal", timedelta(hours=8), C247)],
        escalations=[
            EscalationRule("half", "first_response", at_fraction(0.5), [notify("team_lead")]),
            *breach_ladder("late", "first_response", [
                (timedelta(0), [notify("duty_manager")]),
                (timedelta(minutes=30), [notify("head_of_support")]),
                (timedelta(minutes=60), [notify("director")])]),
        ])
    return PolicySet([], fallback=policy, priorities=("urgent", "normal"))


POLICIES = ladder_policies()


def make_desk(store: DeskStore, notifier: Notifier | None = None, **options: object) -> Desk:
    return Desk(DEFAULT_WORKFLOW, POLICIES, store, notifier, **options)  # type: ignore[arg-type]


def opened(ticket: str, at: datetime = T0, priority: str = "urgent") -> TicketOpened:
    return TicketOpened(ticket=ticket, at=at, event_id=f"{ticket}-open", priority=priority,
                        category=None, channel="chat", customer="c-1", customer_tier=None)


def replied(ticket: str, at: datetime, event_id: str = "reply") -> AgentReplied:
    return AgentReplied(ticket=ticket, at=at, event_id=event_id)


class FileNotifier:
    """Appends each delivered key to a file, one line per delivery (O_APPEND: atomic lines),
    so several processes can be counted."""

    def __init__(self, path: str) -> None:
        self.path = path

    def deliver(self, decision: Decision) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{decision.tenant}/{decision.key}\n".encode())
        finally:
            os.close(fd)


@contextmanager
def open_store(where: str, timeout: float = 60) -> Iterator[DeskStore]:
    """A SQLiteStore on the file ``where``, or a SQLAlchemyStore when it is a database URL.

    Opened in the process that uses it (a forked worker must not share its parent's pool).
    """
    if "://" not in where:
        with SQLiteStore(Path(where), synchronous="NORMAL", timeout=timeout) as store:
            yield store
        return
    from sqlalchemy import create_engine

    from slakit.storage import SQLAlchemyStore, sqlalchemy_metadata

    engine = create_engine(where, pool_size=1)
    try:
        sqlalchemy_metadata.create_all(engine)
        yield SQLAlchemyStore(engine)
    finally:
        engine.dispose()


def seed(where: str, tickets: int, tenants: int = 2) -> None:
    """Open ``tickets`` urgent tickets at T0, spread over ``tenants``.

    The first ticket is recorded by a desk, which computes its wake-up; the others, alike
    but for their id, are appended with the same wake-up, a thousand per transaction
    (a seed of 10,000 tickets one transaction each took longer than the race it prepares).
    """
    with open_store(where) as store:
        first = make_desk(store, FileNotifier(os.devnull)).record("shop-0", [opened("T-0")], T0)
        assert first.decisions == ()
        rest = [TicketAppend(f"shop-{i % tenants}", f"T-{i}", [opened(f"T-{i}")], 0,
                             first.wake_at) for i in range(1, tickets)]
        for start in range(0, len(rest), 1000):
            done = store.append_batch(rest[start:start + 1000])
            assert all(isinstance(state, TicketState) for state in done), done


def wake_worker(where: str, deliveries: str, now: datetime, batch: int = 50) -> None:
    """Run ``wake`` until nothing is left to claim or deliver."""
    with open_store(where) as store:
        desk = make_desk(store, FileNotifier(deliveries), lease=timedelta(minutes=5))
        while True:
            report = desk.wake(now, limit=batch)
            if report.claimed == 0 and report.delivered == 0 and report.failed == 0:
                return


def run_processes(target: Callable[..., None], args: tuple[object, ...], workers: int,
                  kill: int = 0, seed_of_kills: int = 13,
                  first_kill_after: tuple[float, float] = (0.2, 0.6)) -> int:
    """Run ``workers`` forked processes of ``target(*args)``; SIGKILL ``kill`` of them.

    The kills come at random (from ``seed_of_kills``) instants a little after the start
    and apart, so they land mid-claim, mid-commit or mid-delivery. Returns how many were
    really killed (a worker that already finished is not).
    """
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=target, args=args) for _ in range(workers)]
    for p in procs:
        p.start()
    killed = 0
    if kill:
        rng = random.Random(seed_of_kills)
        time.sleep(rng.uniform(*first_kill_after))
        for p in rng.sample(procs, kill):
            if p.pid is not None and p.is_alive():
                os.kill(p.pid, signal.SIGKILL)
                killed += 1
            time.sleep(rng.uniform(0.0, 0.2))
    for p in procs:
        p.join(timeout=300)
        assert not p.is_alive()
    return killed
