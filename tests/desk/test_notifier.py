"""The notifiers; the webhook against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import unquote

import pytest

from slakit import SlakitError
from slakit.desk import (
    Decision,
    InMemoryNotifier,
    LoggingNotifier,
    Notifier,
    WebhookError,
    WebhookNotifier,
)
from slakit.policies import notify
from slakit.storage import InMemoryStore
from tests.desk.desk_testkit import T0, make_desk, opened

DECISION = Decision(
    tenant="店铺A", ticket="T-1", key="T-1/first_response/1/late/1/1", metric="first_response",
    cycle=1, rule="late/1", level=1, due_at=T0, deadline=T0, late_by=timedelta(0),
    actions=(notify("duty_manager"),), priority="urgent", policy="chat",
    recorded_at=T0 + timedelta(minutes=1), text="工单 T-1 已超时")


class Server:
    """Answers POSTs with the next status of ``statuses`` (200 once they run out)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[dict[str, str], Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((dict(self.headers), json.loads(body)))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    s = Server(list(getattr(request, "param", [])))
    yield s
    s.close()


def no_sleep(seconds: float) -> None:
    pass


def test_the_webhook_posts_the_decision_as_json(server: Server) -> None:
    WebhookNotifier(server.url, headers={"Authorization": "Bearer x"}).deliver(DECISION)
    ((headers, body),) = server.requests
    assert body == DECISION.to_dict()
    assert Decision.from_dict(body) == DECISION
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert unquote(headers["Idempotency-Key"]) == "店铺A/T-1/first_response/1/late/1/1"
    assert headers["Authorization"] == "Bearer x"


@pytest.mark.parametrize("server", [[503, 429]], indirect=True)
def test_transient_failures_are_retried(server: Server) -> None:
    waits: list[float] = []
    WebhookNotifier(server.url, attempts=3, sleep=waits.append).deliver(DECISION)
    assert len(server.requests) == 3
    assert waits == [0.2, 0.4]


@pytest.mark.parametrize("server", [[500, 500, 500]], indirect=True)
def test_persistent_failure_raises_a_slakit_error(server: Server) -> None:
    with pytest.raises(WebhookError, match="HTTP 500") as info:
        WebhookNotifier(server.url, attempts=3, sleep=no_sleep).deliver(DECISION)
    assert isinstance(info.value, SlakitError)
    assert len(server.requests) == 3


@pytest.mark.parametrize("server", [[400]], indirect=True)
def test_a_client_error_is_not_retried(server: Server) -> None:
    with pytest.raises(WebhookError, match="HTTP 400"):
        WebhookNotifier(server.url, attempts=3, sleep=no_sleep).deliver(DECISION)
    assert len(server.requests) == 1


def test_an_unreachable_server_raises_after_the_attempts() -> None:
    s = Server([])
    url = s.url
    s.close()
    with pytest.raises(WebhookError, match="did not accept"):
        WebhookNotifier(url, attempts=2, timeout=1, sleep=no_sleep).deliver(DECISION)


@pytest.mark.parametrize("server", [[500, 500, 500]], indirect=True)
def test_the_desk_keeps_a_refused_decision_pending_then_delivers_it(server: Server) -> None:
    store = InMemoryStore()
    desk = make_desk(store, WebhookNotifier(server.url, attempts=3, sleep=no_sleep))
    desk.record("shop", [opened("T-1")], T0)
    now = T0 + timedelta(minutes=16)
    assert (desk.wake(now).failed, store.list_outbox("shop")[0].state) == (1, "pending")
    assert desk.wake(now + timedelta(seconds=30)).delivered == 1
    assert server.requests[-1][1]["key"] == "T-1/first_response/1/half/1"


def test_bad_webhook_settings_are_refused() -> None:
    with pytest.raises(SlakitError, match="http:// or https://"):
        WebhookNotifier("file:///etc/passwd")
    with pytest.raises(SlakitError, match="attempts must be >= 1"):
        WebhookNotifier("http://127.0.0.1:1/", attempts=0)


def test_memory_and_logging_notifiers(caplog: pytest.LogCaptureFixture) -> None:
    memory = InMemoryNotifier()
    memory.deliver(DECISION)
    assert memory.delivered == [DECISION]
    with caplog.at_level(logging.WARNING, logger="slakit.desk"):
        LoggingNotifier().deliver(DECISION)
    assert [(r.getMessage(), getattr(r, "slakit_key", None)) for r in caplog.records] == [
        ("工单 T-1 已超时", DECISION.key)]
    for n in (memory, LoggingNotifier(), WebhookNotifier("https://example.invalid/")):
        assert isinstance(n, Notifier)


def test_decision_json_round_trip_and_strict_reading() -> None:
    assert Decision.from_json(DECISION.to_json()) == DECISION
    data = DECISION.to_dict()
    with pytest.raises(SlakitError, match="unknown keys: x; missing keys: text"):
        Decision.from_dict({**{k: v for k, v in data.items() if k != "text"}, "x": 1})
    with pytest.raises(SlakitError, match="no UTC offset"):
        Decision.from_dict({**data, "due_at": "2025-06-02T09:00:00"})
    with pytest.raises(SlakitError, match="not JSON"):
        Decision.from_json("{")
    assert isinstance(datetime.fromisoformat(data["due_at"]).tzinfo, timezone)
