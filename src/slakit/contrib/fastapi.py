"""FastAPI: a record endpoint, and a lifespan loop that sleeps until the desk's next wake-up.

Design rules:

- :func:`create_app` (or :func:`desk_router` plus :func:`desk_lifespan` in a host's own app)
  takes the desk and a clock; nothing here reads the clock except through ``clock``.
- Request bodies are checked against the published event JSON Schema
  (:func:`slakit.workflow.event_json_schema`, ``escalated`` left out: the desk records
  those), which also documents them in OpenAPI; every violation is reported at once, with its
  path, as a 422. slakit's decoder then reads the document (strictly, as always).
- The loop does not poll: after each wake it sleeps until ``Desk.next_wake_at``, at most
  ``max_sleep`` (other processes may write to the same store) and at least ``min_sleep``
  (a wake-up in the past means another worker holds it). A ``record`` whose ticket needs
  waking earlier than the loop planned, or that queued decisions for delivery, nudges it.
- Desk calls run in a worker thread, so the event loop keeps serving requests.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import jsonschema
from fastapi import APIRouter, Body, FastAPI, HTTPException
from starlette.concurrency import run_in_threadpool

from slakit._errors import InvalidValueError, SlakitError
from slakit._message import Message
from slakit.contrib._drain import WakeSummary, utc_now, wake_until_drained
from slakit.desk import Desk
from slakit.storage import ConcurrencyError
from slakit.workflow import (
    EVENT_TYPES,
    Event,
    InvalidTransition,
    LateEventError,
    event_from_dict,
    event_json_schema,
)

__all__ = ["WakeLoop", "create_app", "desk_lifespan", "desk_router", "events_request_schema"]

Wait = Callable[[float, asyncio.Event], Awaitable[None]]


def events_request_schema() -> dict[str, Any]:
    """The JSON Schema of a record request: a non-empty list of one ticket's host events."""
    one_of = [{k: v for k, v in event_json_schema(name).items() if k != "$schema"}
              for name in EVENT_TYPES if name != "escalated"]
    return {"title": "events", "type": "array", "minItems": 1,
            "items": {"oneOf": one_of}}


async def _wait(seconds: float, nudged: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(nudged.wait(), timeout=seconds)


@attrs.define
class WakeLoop:
    """Runs ``Desk.wake`` whenever the desk next has work, until stopped.

    Attributes:
        desk: The desk.
        clock: The current instant (aware).
        max_sleep: The longest sleep, in seconds, between two wakes.
        min_sleep: The shortest one.
        limit: Tickets per ``wake`` round.
        wait: How to sleep ``seconds`` unless nudged (replace it in tests to simulate time).
        planned: When the loop next wakes the desk (None before it starts).
        last: The last run's summary.
        runs: Runs made.
    """

    desk: Desk
    clock: Callable[[], datetime] = utc_now
    max_sleep: float = attrs.field(default=300.0, converter=float)
    min_sleep: float = attrs.field(default=0.5, converter=float)
    limit: int = 100
    wait: Wait = _wait
    planned: datetime | None = None
    last: WakeSummary | None = None
    runs: int = 0
    _nudged: asyncio.Event = attrs.field(factory=asyncio.Event, init=False, repr=False)
    _stop: asyncio.Event = attrs.field(factory=asyncio.Event, init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not 0 < self.min_sleep <= self.max_sleep:
            raise InvalidValueError(
                Message("need 0 < min_sleep <= max_sleep, got {min_sleep} and {max_sleep}",
                        min_sleep=self.min_sleep, max_sleep=self.max_sleep))

    def nudge(self, wake_at: datetime | None) -> None:
        """Wake the loop now if ``wake_at`` comes before its planned wake-up."""
        if wake_at is not None and (self.planned is None or wake_at < self.planned):
            self._nudged.set()

    def stop(self) -> None:
        """Ask the loop to end (it returns after the run in progress)."""
        self._stop.set()
        self._nudged.set()

    async def run(self) -> None:
        """Wake, sleep until the next wake-up, repeat; until :meth:`stop`."""
        while not self._stop.is_set():
            self._nudged.clear()
            now = self.clock()
            self.last = await run_in_threadpool(
                wake_until_drained, self.desk, now, limit=self.limit)
            self.runs += 1
            upcoming = self.last.next_wake_at
            seconds = self.max_sleep if upcoming is None else min(
                self.max_sleep, max(self.min_sleep, (upcoming - now).total_seconds()))
            self.planned = now + timedelta(seconds=seconds)
            if self._stop.is_set():
                break
            await self.wait(seconds, self._nudged)


def desk_router(desk: Desk, clock: Callable[[], datetime] = utc_now,
                loop: WakeLoop | None = None) -> APIRouter:
    """``POST /tenants/{tenant}/events``: record one ticket's events on ``desk``.

    Args:
        desk: The desk.
        clock: The request's ``now``.
        loop: Nudged when the ticket's next wake-up comes before the loop's plan.
    """
    router = APIRouter()
    schema = events_request_schema()
    validator = jsonschema.Draft202012Validator(schema)

    @router.post("/tenants/{tenant}/events", openapi_extra={"requestBody": {
        "required": True, "content": {"application/json": {"schema": schema}}}})
    async def record(tenant: str, body: Any = Body(...)) -> dict[str, Any]:  # noqa: B008
        problems = [{"loc": ["body", *e.absolute_path], "msg": e.message}
                    for e in sorted(validator.iter_errors(body), key=lambda e: list(e.path))]
        if problems:
            raise HTTPException(422, problems)
        try:
            events: list[Event] = [event_from_dict(doc) for doc in body]
            done = await run_in_threadpool(desk.record, tenant, events, clock())
        except (InvalidTransition, LateEventError, ConcurrencyError) as refused:
            raise HTTPException(409, str(refused)) from refused
        except SlakitError as wrong:
            raise HTTPException(422, f"{type(wrong).__name__}: {wrong}") from wrong
        if loop is not None:  # decisions recorded now wait in the outbox: deliver them now
            loop.nudge(done.now if done.decisions else done.wake_at)
        return {
            "ticket": done.state.ticket, "status": done.state.status,
            "version": done.state.version, "applied": len(done.applied),
            "wake_at": None if done.wake_at is None else done.wake_at.astimezone(UTC).isoformat(),
            "decisions": [d.to_dict() for d in done.decisions],
        }

    return router


def desk_lifespan(loop: WakeLoop) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """A FastAPI ``lifespan`` running ``loop`` while the app serves."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(loop.run())
        try:
            yield
        finally:
            loop.stop()
            await task

    return lifespan


def create_app(desk: Desk, clock: Callable[[], datetime] = utc_now, *,
               max_sleep: float = 300.0, min_sleep: float = 0.5) -> FastAPI:
    """An app with the record endpoint and the wake loop (``app.state.wake_loop``)."""
    loop = WakeLoop(desk, clock, max_sleep=max_sleep, min_sleep=min_sleep)
    app = FastAPI(title="slakit desk", lifespan=desk_lifespan(loop))
    app.include_router(desk_router(desk, clock, loop))
    app.state.wake_loop = loop
    return app
