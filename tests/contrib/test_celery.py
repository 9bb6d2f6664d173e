"""The Celery recipe, in eager mode (tasks run in-process; no broker)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

celery = pytest.importorskip("celery", reason="Celery is not installed (extra: celery)")

from slakit._errors import InvalidValueError  # noqa: E402
from slakit.contrib.celery import beat_entry, register_wake_task  # noqa: E402
from slakit.desk import Desk  # noqa: E402
from tests.contrib.recipes_testkit import at, make_desk, opened  # noqa: E402


def eager_app() -> Any:
    app = celery.Celery("recipes-test", set_as_current=False)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    return app


def test_the_task_wakes_the_desk_and_returns_a_json_summary() -> None:
    desk, notifier = make_desk()
    desk.record("shop-a", [opened("T-1")], at(0))
    now = [at(10)]
    built: list[Desk] = []

    def factory() -> Desk:
        built.append(desk)
        return desk

    task = register_wake_task(eager_app(), factory, clock=lambda: now[0])
    assert task.name == "slakit.wake"  # each test's task has a name of its own from here on
    assert built == []  # the desk is built by the worker, on the first run
    assert task.delay().get() == {
        "now": "2025-06-02T01:10:00+00:00", "rounds": 1, "recorded": [], "delivered": 0,
        "failed": 0, "next_wake_at": "2025-06-02T01:15:00+00:00"}
    now[0] = at(31)
    assert task.delay().get()["recorded"] == ["T-1/first_response/1/half/1",
                                              "T-1/first_response/1/late/1"]
    assert task.delay().get()["recorded"] == []  # once
    assert [d.rule for d in notifier.delivered] == ["half", "late"]
    assert len(built) == 1


def test_the_tenant_argument_limits_the_run() -> None:
    desk, _ = make_desk()
    desk.record("shop-a", [opened("T-1")], at(0))
    desk.record("shop-b", [opened("T-2")], at(0))
    task = register_wake_task(eager_app(), lambda: desk, clock=lambda: at(20),
                              name="tests.wake.tenant")
    assert task.delay(tenant="shop-b").get()["recorded"] == ["T-2/first_response/1/half/1"]
    assert task.delay().get()["recorded"] == ["T-1/first_response/1/half/1"]


def test_celery_beat_runs_the_task_from_its_schedule_entry() -> None:
    from celery.beat import Scheduler

    desk, notifier = make_desk()
    desk.record("shop-a", [opened("T-1")], at(0))
    app = eager_app()
    register_wake_task(app, lambda: desk, clock=lambda: at(20), name="tests.wake.beat")
    app.conf.beat_schedule = {"slakit-wake": beat_entry("tests.wake.beat",
                                                        every=timedelta(seconds=15))}
    beat = Scheduler(app, lazy=True)
    beat.setup_schedule()
    entry = beat.schedule["slakit-wake"]
    assert entry.schedule.run_every == timedelta(seconds=15)
    beat.apply_entry(entry)  # what beat does when the entry is due
    assert [d.key for d in notifier.delivered] == ["T-1/first_response/1/half/1"]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="every must be positive"):
        beat_entry("slakit.wake", every=timedelta(0))
    with pytest.raises(InvalidValueError, match="limit must be at least 1"):
        register_wake_task(eager_app(), lambda: make_desk()[0], limit=0)
    assert beat_entry("t", tenant="shop-a")["kwargs"] == {"tenant": "shop-a"}
    assert isinstance(at(0), datetime)
