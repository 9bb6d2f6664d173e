"""The APScheduler recipe: a real BackgroundScheduler, a very short interval, a fake clock."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest

pytest.importorskip("apscheduler", reason="APScheduler is not installed (extra: apscheduler)")

from apscheduler.schedulers.background import BackgroundScheduler

from slakit._errors import InvalidValueError
from slakit.contrib import WakeSummary
from slakit.contrib.apscheduler import add_wake_job
from tests.contrib.recipes_testkit import at, make_desk, opened


def test_the_job_wakes_the_desk_on_its_interval_and_escalates_once() -> None:
    desk, notifier = make_desk()
    desk.record("shop-a", [opened("T-1")], at(0))
    # The fake clock moves five minutes a run: 09:05, 09:10, ... so the 09:15 reminder and
    # the 09:30 breach fall due on the third and the sixth run.
    lock = threading.Lock()
    runs: list[WakeSummary] = []
    done = threading.Event()

    def clock() -> datetime:
        with lock:
            return at(5 * (len(runs) + 1))

    def on_run(summary: WakeSummary) -> None:
        with lock:
            runs.append(summary)
            if len(runs) >= 8:
                done.set()

    scheduler = BackgroundScheduler(timezone="UTC")
    job = add_wake_job(scheduler, desk, every=timedelta(milliseconds=20), clock=clock,
                       on_run=on_run)
    assert (job.id, job.max_instances, job.coalesce) == ("slakit-wake", 1, True)
    scheduler.start()
    try:
        assert done.wait(timeout=8), f"only {len(runs)} runs in 8 s"
    finally:
        scheduler.shutdown(wait=True)
    fired = [(s.now, [d.rule for d in s.decisions]) for s in runs if s.decisions]
    assert fired == [(at(15), ["half"]), (at(30), ["late"])]
    assert [d.rule for d in notifier.delivered] == ["half", "late"]
    assert runs[-1].next_wake_at is None


def test_bad_arguments_are_refused_and_add_no_job() -> None:
    desk, _ = make_desk()
    scheduler = BackgroundScheduler(timezone="UTC")
    with pytest.raises(InvalidValueError, match="every must be positive"):
        add_wake_job(scheduler, desk, every=timedelta(seconds=-1))
    with pytest.raises(InvalidValueError, match="limit must be at least 1"):
        add_wake_job(scheduler, desk, limit=0)
    assert scheduler.get_jobs() == []
    time.sleep(0)
