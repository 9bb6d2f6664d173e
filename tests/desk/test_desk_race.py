"""Many worker processes running ``wake`` on one SQLite file: every escalation recorded
exactly once, handed to the notifier once (or, for a worker killed mid-delivery, again on
the retry), nothing lost after SIGKILL and a restart, and the file intact."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from slakit.storage import SQLiteStore
from slakit.workflow import Escalated
from tests.desk.desk_testkit import T0, run_processes, seed, wake_worker

LADDER = ("half/1", "late/1/1", "late/2/1", "late/3/1")  # four escalations per ticket
NOW = T0 + timedelta(hours=2)  # every rung of every ticket is due


def expected_keys(tickets: int, tenants: int = 2) -> set[str]:
    return {f"shop-{i % tenants}/T-{i}/first_response/1/{rung}"
            for i in range(tickets) for rung in LADDER}


def recorded(path: Path) -> Counter[str]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT tenant, body FROM events WHERE type = 'escalated'").fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
    from slakit.workflow import event_from_json

    keys: Counter[str] = Counter()
    for tenant, body in rows:
        event = event_from_json(body)
        assert isinstance(event, Escalated)
        keys[f"{tenant}/{event.key}"] += 1
    return keys


def run_workers(where: Path | str, deliveries: Path, workers: int, now: object,
                kill: int = 0) -> int:
    return run_processes(wake_worker, (str(where), str(deliveries), now), workers, kill)


def run(tmp_path: Path, tickets: int, workers: int, kill: int) -> None:
    path, deliveries = tmp_path / "desk.db", tmp_path / "deliveries.txt"
    seed(str(path), tickets)
    killed = run_workers(path, deliveries, workers, NOW, kill)
    assert killed == kill  # the workers were still running when killed
    if killed:
        # Restart after the dead workers' leases (5 minutes) expired.
        run_workers(path, deliveries, 2, NOW + timedelta(minutes=6))
    keys = recorded(path)
    want = expected_keys(tickets)
    assert set(keys) == want  # nothing lost
    assert max(keys.values()) == 1  # nothing recorded twice
    lines = Counter(deliveries.read_text().split())
    assert set(lines) == want  # every decision delivered
    doubled = sum(n - 1 for n in lines.values())
    assert doubled <= killed  # only a delivery cut short by SIGKILL is repeated
    with SQLiteStore(path) as store:
        for tenant in ("shop-0", "shop-1"):
            assert store.list_outbox(tenant, state="pending") == ()


def test_four_workers_two_thousand_tickets(tmp_path: Path) -> None:
    run(tmp_path, tickets=2_000, workers=4, kill=0)


def test_sigkilled_workers_lose_nothing_after_a_restart(tmp_path: Path) -> None:
    run(tmp_path, tickets=2_000, workers=4, kill=2)


@pytest.mark.slow  # marked, and run by default (CI too): about 30 s on two idle cores
def test_eight_workers_ten_thousand_tickets_with_kills(tmp_path: Path) -> None:
    run(tmp_path, tickets=10_000, workers=8, kill=3)
