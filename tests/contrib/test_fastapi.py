"""The FastAPI recipe: the record endpoint (JSON Schema at the edge) and the wake loop."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="FastAPI is not installed (extra: fastapi)")

from fastapi.testclient import TestClient

from slakit._errors import InvalidValueError
from slakit.contrib.fastapi import WakeLoop, create_app, events_request_schema
from slakit.workflow import AgentReplied, event_to_dict
from tests.contrib.recipes_testkit import T0, at, make_desk, opened


def wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_record_endpoint_stores_events_and_returns_the_wake_up() -> None:
    desk, _ = make_desk()
    app = create_app(desk, clock=lambda: at(0), max_sleep=60)
    with TestClient(app) as client:
        reply = client.post("/tenants/shop-a/events", json=[event_to_dict(opened("T-1"))])
        assert reply.status_code == 200
        assert reply.json() == {"ticket": "T-1", "status": "new", "version": 1, "applied": 1,
                                "wake_at": "2025-06-02T01:15:00+00:00", "decisions": []}
        again = client.post("/tenants/shop-a/events", json=[event_to_dict(opened("T-1"))])
        assert again.json()["applied"] == 0  # a retried request is a redelivery
    assert [e.event_id for e in desk.store.load_events("shop-a", "T-1")] == ["T-1-open"]


def test_bodies_are_checked_against_the_event_schema_and_refusals_are_http_errors() -> None:
    desk, _ = make_desk()
    app = create_app(desk, clock=lambda: at(5), max_sleep=60)
    with TestClient(app) as client:
        bad = {**event_to_dict(opened("T-1")), "colour": "red"}
        del bad["priority"]
        reply = client.post("/tenants/shop-a/events", json=[bad])
        assert reply.status_code == 422
        assert [p["loc"] for p in reply.json()["detail"]] == [["body", 0]]
        assert "is not valid under any of the given schemas" in reply.json()["detail"][0]["msg"]
        for body in ([], {"type": "opened"}, [{"type": "escalated"}]):
            assert client.post("/tenants/shop-a/events", json=body).status_code == 422
        # A reply to a ticket that was never opened: the workflow refuses it.
        reply_doc = event_to_dict(AgentReplied(ticket="T-9", at=at(1), event_id="r"))
        refused = client.post("/tenants/shop-a/events", json=[reply_doc])
        assert refused.status_code == 409
        # An event after the request's now.
        late = client.post("/tenants/shop-a/events",
                           json=[event_to_dict(opened("T-2", when=at(10)))])
        assert late.status_code == 422
    assert desk.store.load_events("shop-a", "T-1") == ()
    assert desk.store.load_events("shop-a", "T-2") == ()


def test_the_schema_is_in_the_openapi_document() -> None:
    app = create_app(make_desk()[0], clock=lambda: at(0))
    body = app.openapi()["paths"]["/tenants/{tenant}/events"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == events_request_schema()
    types = [o["properties"]["type"]["const"]
             for o in events_request_schema()["items"]["oneOf"]]
    assert "opened" in types
    assert "escalated" not in types


def test_the_loop_sleeps_until_each_wake_up_instead_of_polling() -> None:
    desk, notifier = make_desk()
    desk.record("shop-a", [opened("T-1")], at(0))
    now = [at(0)]
    sleeps: list[float] = []

    async def simulated(seconds: float, nudged: asyncio.Event) -> None:
        sleeps.append(seconds)
        now[0] += timedelta(seconds=seconds)  # simulated time passes, nothing real
        if len(sleeps) == 4:
            loop.stop()

    loop = WakeLoop(desk, lambda: now[0], max_sleep=3600.0, min_sleep=1.0, wait=simulated)
    asyncio.run(loop.run())
    # Wakes at 09:00 (nothing), 09:15 (reminder), 09:30 (breach), then nothing is left:
    # the longest sleep.
    assert sleeps == [900.0, 900.0, 3600.0, 3600.0]
    assert [(d.rule, d.recorded_at) for d in notifier.delivered] == [("half", at(15)),
                                                                     ("late", at(30))]
    assert loop.runs == 4


def test_the_lifespan_loop_is_nudged_by_a_record_and_stops_with_the_app() -> None:
    desk, notifier = make_desk()
    app = create_app(desk, clock=lambda: at(31), max_sleep=60)
    with TestClient(app) as client:
        loop: WakeLoop = app.state.wake_loop
        wait_for(lambda: loop.runs >= 1)
        assert loop.planned == at(31) + timedelta(seconds=60)  # nothing to do: max_sleep
        # Opened at 09:00, recorded at 09:31: both escalations are due at once; the record
        # nudges the loop, which delivers them well before its planned wake-up.
        decisions = client.post("/tenants/shop-a/events",
                                json=[event_to_dict(opened("T-1"))]).json()["decisions"]
        assert [d["rule"] for d in decisions] == ["half", "late"]
        wait_for(lambda: len(notifier.delivered) == 2)
    assert [d.key for d in notifier.delivered] == ["T-1/first_response/1/half/1",
                                                   "T-1/first_response/1/late/1"]


def test_bad_loop_bounds_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="need 0 < min_sleep <= max_sleep"):
        WakeLoop(make_desk()[0], min_sleep=5.0, max_sleep=1.0)


def test_the_demo_app_for_uvicorn_factory_serves() -> None:
    from examples.fastapi_desk import demo_app

    # Opened long ago by the wall clock the demo runs on: both escalations are due at once.
    doc = event_to_dict(opened("T-1", when=datetime(2025, 6, 3, 10, tzinfo=T0.tzinfo)))
    with TestClient(demo_app()) as client:
        reply = client.post("/tenants/shop-a/events", json=[doc])
        assert reply.status_code == 200
        assert [d["rule"] for d in reply.json()["decisions"]] == ["half", "late"]
        assert reply.json()["decisions"][0]["text"].startswith("工单 T-1（shop-a）")
