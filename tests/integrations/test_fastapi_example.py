"""The FastAPI example service, through its HTTP API (exact JSON), on two stores."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("fastapi", reason="FastAPI is not installed (extra: fastapi)")
pytest.importorskip("httpx", reason="httpx is not installed (extra: fastapi)")

with warnings.catch_warnings():
    # Recent Starlette suggests another HTTP client package for its TestClient; httpx is
    # what FastAPI documents and what the fastapi extra installs.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from examples.fastapi_app import create_app, demo_policies

from slakit.storage import InMemoryStore, TicketStore

BERLIN = ZoneInfo("Europe/Berlin")


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=BERLIN)  # a Monday

    def set(self, day: int, hour: int, minute: int = 0) -> None:
        self.now = datetime(2025, 3, day, hour, minute, tzinfo=BERLIN)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["memory", "sqlalchemy-sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TicketStore]:
    if request.param == "memory":
        yield InMemoryStore()
        return
    pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (extra: sqlalchemy)")
    from examples.sqlalchemy_store import SQLAlchemyStore, metadata, sqlite_engine

    engine = sqlite_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    metadata.create_all(engine)
    yield SQLAlchemyStore(engine)
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(store: TicketStore, clock: Clock) -> TestClient:
    return TestClient(create_app(store, demo_policies(), clock=clock))


def ticket_json(version: int, status: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ticket": "T-1", "status": status, "priority": "normal", "version": version,
        "opened_at": "2025-03-03T09:00:00+01:00", "first_response_at": None, "resolved_at": None,
    }
    return base | changes


def open_t1(client: TestClient, priority: str = "normal") -> None:
    response = client.post("/tenants/shop/tickets", json={
        "ticket": "T-1", "event_id": "open", "priority": priority, "channel": "web",
    })
    assert response.status_code == 201


def test_a_ticket_through_its_life_with_clocks_explained(client: TestClient, clock: Clock) -> None:
    response = client.post("/tenants/shop/tickets", json={
        "ticket": "T-1", "event_id": "open", "priority": "normal", "subject": "Parcel lost",
    })
    assert (response.status_code, response.json()) == (201, ticket_json(1, "new"))
    clock.set(3, 10)
    response = client.post("/tenants/shop/tickets/T-1/status",
                           json={"event_id": "wait", "to": "waiting_on_customer"})
    assert response.json() == ticket_json(2, "waiting_on_customer")
    clock.set(3, 16)
    response = client.post("/tenants/shop/tickets/T-1/replies",
                           json={"event_id": "c1", "author": "customer"})
    assert response.json() == ticket_json(3, "in_progress")

    clock.set(3, 17, 30)
    response = client.get("/tenants/shop/tickets/T-1/sla", params={"explain": "true"})
    # 09-10 counted, 10-16 paused (waiting on the customer), 16-17 counted, after 17 closed.
    explanation = {
        "counted": [["2025-03-03T09:00:00+01:00", "2025-03-03T10:00:00+01:00"],
                    ["2025-03-03T16:00:00+01:00", "2025-03-03T17:00:00+01:00"]],
        "closed": [["2025-03-03T17:00:00+01:00", "2025-03-03T17:30:00+01:00"]],
        "paused": [["2025-03-03T10:00:00+01:00", "2025-03-03T16:00:00+01:00"]],
        "carried": "PT0S",
        "changes": [],
    }
    running = {"cycle": 1, "status": "running", "policy": "standard", "calendar": "office",
               "started_at": "2025-03-03T09:00:00+01:00", "ended_at": None, "breached_at": None,
               "elapsed": "PT2H", "paused_for": "PT6H", "explanation": explanation}
    assert (response.status_code, response.json()) == (200, {
        "ticket": "T-1",
        "now": "2025-03-03T16:30:00Z",
        # The 75 % first-response reminder: 3 office hours used on Tuesday at 10:00.
        "next_wake_at": "2025-03-04T10:00:00+01:00",
        "clocks": [
            running | {"metric": "first_response", "target": "PT4H",
                       "due_at": "2025-03-04T11:00:00+01:00", "remaining": "PT2H"},
            running | {"metric": "resolution", "target": "PT16H",
                       "due_at": "2025-03-05T15:00:00+01:00", "remaining": "PT14H"},
        ],
    })

    clock.set(4, 9, 30)
    response = client.post("/tenants/shop/tickets/T-1/replies",
                           json={"event_id": "a1", "author": "agent"})
    assert response.json() == ticket_json(
        4, "in_progress", first_response_at="2025-03-04T09:30:00+01:00")
    clock.set(4, 11)
    response = client.post("/tenants/shop/tickets/T-1/status",
                           json={"event_id": "done", "to": "resolved", "resolution_code": "found"})
    assert response.json() == ticket_json(
        5, "resolved", first_response_at="2025-03-04T09:30:00+01:00",
        resolved_at="2025-03-04T11:00:00+01:00")
    clock.set(5, 12)
    response = client.get("/tenants/shop/tickets/T-1/sla")
    met = {"cycle": 1, "status": "met", "policy": "standard", "calendar": "office",
           "started_at": "2025-03-03T09:00:00+01:00", "breached_at": None,
           "paused_for": "PT6H", "explanation": None}
    assert response.json() == {
        "ticket": "T-1",
        "now": "2025-03-05T11:00:00Z",
        "next_wake_at": None,
        "clocks": [
            met | {"metric": "first_response", "target": "PT4H",
                   "due_at": "2025-03-04T11:00:00+01:00",
                   "ended_at": "2025-03-04T09:30:00+01:00",
                   "elapsed": "PT2H30M", "remaining": "PT1H30M"},
            met | {"metric": "resolution", "target": "PT16H",
                   "due_at": "2025-03-05T15:00:00+01:00",
                   "ended_at": "2025-03-04T11:00:00+01:00",
                   "elapsed": "PT4H", "remaining": "PT12H"},
        ],
    }


def test_a_breached_clock_shows_negative_time_left(client: TestClient, clock: Clock) -> None:
    open_t1(client, "urgent")
    clock.set(3, 10, 30)
    clocks = client.get("/tenants/shop/tickets/T-1/sla").json()["clocks"]
    assert [(c["metric"], c["status"], c["due_at"], c["breached_at"], c["remaining"])
            for c in clocks] == [
        ("first_response", "breached", "2025-03-03T10:00:00+01:00",
         "2025-03-03T10:00:00+01:00", "-PT30M"),
        ("resolution", "running", "2025-03-03T13:00:00+01:00", None, "PT2H30M"),
    ]


def test_a_retried_request_is_stored_once(client: TestClient, clock: Clock) -> None:
    open_t1(client)
    clock.set(3, 9, 10)
    first = client.post("/tenants/shop/tickets/T-1/replies",
                        json={"event_id": "a1", "author": "agent"})
    clock.set(3, 9, 20)  # the client retries ten minutes later with the same event id
    again = client.post("/tenants/shop/tickets/T-1/replies",
                        json={"event_id": "a1", "author": "agent"})
    expected = ticket_json(2, "new", first_response_at="2025-03-03T09:10:00+01:00")
    assert first.json() == again.json() == expected
    reopen = client.post("/tenants/shop/tickets", json={
        "ticket": "T-1", "event_id": "open", "priority": "normal",
    })
    assert (reopen.status_code, reopen.json()["version"]) == (201, 2)


def test_an_internal_note_is_not_a_first_response(client: TestClient) -> None:
    open_t1(client)
    response = client.post("/tenants/shop/tickets/T-1/replies",
                           json={"event_id": "n1", "author": "agent", "public": False})
    assert response.json() == ticket_json(2, "new")


def test_refusals_map_to_http_errors_and_change_nothing(client: TestClient) -> None:
    open_t1(client)
    response = client.post("/tenants/shop/tickets/T-1/status", json={"event_id": "x", "to": "closed"})
    assert (response.status_code, response.json()) == (409, {"detail": (
        "event 'closed' is not allowed in status 'new'; allowed here: agent_replied, assigned, "
        "cancelled, customer_replied, facts_changed, priority_changed, resolved, status_changed")})
    response = client.post("/tenants/shop/tickets/T-1/status", json={"event_id": "x", "to": "limbo"})
    assert (response.status_code, response.json()) == (409, {"detail": (
        "event 'status_changed' is not allowed in status 'new' (cannot change to 'limbo'; "
        "status_changed may go to: in_progress, waiting_on_customer, waiting_on_third_party); "
        "allowed here: agent_replied, assigned, cancelled, customer_replied, facts_changed, "
        "priority_changed, resolved, status_changed")})
    response = client.post("/tenants/shop/tickets", json={
        "ticket": "T-1", "event_id": "open-again", "priority": "normal",
    })
    assert response.status_code == 409
    assert client.get("/tenants/shop/tickets/T-1").json() == ticket_json(1, "new")


def test_tenants_do_not_see_each_other(client: TestClient) -> None:
    open_t1(client)
    missing = {"detail": "tenant 'other' has no ticket 'T-1'"}
    for response in (
        client.get("/tenants/other/tickets/T-1"),
        client.get("/tenants/other/tickets/T-1/sla"),
        client.post("/tenants/other/tickets/T-1/replies", json={"event_id": "a", "author": "agent"}),
        client.post("/tenants/other/tickets/T-1/status", json={"event_id": "s", "to": "resolved"}),
    ):
        assert (response.status_code, response.json()) == (404, missing)
    assert client.get("/tenants/shop/tickets/T-1").json() == ticket_json(1, "new")


def test_malformed_requests_are_rejected_before_slakit(client: TestClient) -> None:
    response = client.post("/tenants/shop/tickets", json={
        "ticket": "T-1", "event_id": "", "priority": "normal",
    })
    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
        (["body", "event_id"], "string_too_short"),
    ]
    open_t1(client)
    response = client.post("/tenants/shop/tickets/T-1/replies",
                           json={"event_id": "a", "author": "robot"})
    assert response.status_code == 422
    assert client.get("/tenants/shop/tickets/T-1").json()["version"] == 1
