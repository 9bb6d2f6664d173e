"""A small ticket service on FastAPI: open, reply, change status, and the SLA clocks explained.

    uvicorn --factory examples.fastapi_app:demo_app   # in-memory store, demo policies

Design rules:

- The app is built by :func:`create_app` from a slakit ``TicketStore``, a ``PolicySet`` and
  a clock, so tests (and hosts) choose all three; slakit itself never reads the clock.
- Every write is one slakit event carrying the client's ``event_id``: a retried request is a
  redelivery, answered with the current ticket and stored once.
- slakit's errors map to HTTP: unknown ticket 404, an event the ticket's status refuses (or
  an out-of-order one) 409 with slakit's message, a lost race 409 after the retries.
- Instants are ISO 8601 with their offset (clocks in their calendar's zone); durations are
  ISO 8601 (``PT1H30M``), negative ``remaining`` with a leading minus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from slakit.calendar import AlwaysOpen, BusinessCalendar, Period
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    at_fraction,
    format_duration,
    notify,
)
from slakit.sla import ClockResult, SlaEngine, TargetChange, next_wake_at
from slakit.storage import ConcurrencyError, InMemoryStore, TicketService, TicketStore
from slakit.workflow import (
    AgentReplied,
    CustomerReplied,
    Event,
    InvalidTransition,
    LateEventError,
    StatusChanged,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketResolved,
    TicketState,
)

NonEmpty = Annotated[str, Field(min_length=1, max_length=255)]


# -- requests -------------------------------------------------------------------------------


class OpenTicket(BaseModel):
    ticket: NonEmpty
    event_id: NonEmpty
    priority: NonEmpty
    channel: str | None = None
    customer: str | None = None
    subject: str = ""


class Reply(BaseModel):
    event_id: NonEmpty
    author: Literal["agent", "customer"]
    public: bool = True  # an agent's internal note is not a response to the customer


class ChangeStatus(BaseModel):
    event_id: NonEmpty
    to: NonEmpty
    resolution_code: str | None = None


# -- responses ------------------------------------------------------------------------------


class TicketOut(BaseModel):
    ticket: str
    status: str
    priority: str
    version: int
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None


class TargetChangeOut(BaseModel):
    at: datetime
    from_priority: str
    to_priority: str
    mode: str
    old_due: datetime | None
    new_due: datetime | None


class ExplanationOut(BaseModel):
    counted: list[tuple[datetime, datetime]]
    closed: list[tuple[datetime, datetime]]
    paused: list[tuple[datetime, datetime]]
    carried: str
    changes: list[TargetChangeOut]


class ClockOut(BaseModel):
    metric: str
    cycle: int
    status: str
    policy: str | None
    calendar: str | None
    target: str | None
    started_at: datetime | None
    due_at: datetime | None
    ended_at: datetime | None
    breached_at: datetime | None
    elapsed: str
    remaining: str | None
    paused_for: str
    explanation: ExplanationOut | None


class SlaOut(BaseModel):
    ticket: str
    now: datetime
    next_wake_at: datetime | None
    clocks: list[ClockOut]


# -- slakit values to JSON shapes -----------------------------------------------------------


def _duration(value: timedelta) -> str:
    return "-" + format_duration(-value) if value < timedelta(0) else format_duration(value)


def _periods(periods: Sequence[Period], zone: Callable[[datetime], datetime]) -> list[
    tuple[datetime, datetime]
]:
    return [(zone(p.start), zone(p.end)) for p in periods]


def _change(change: TargetChange, zone: Callable[[datetime], datetime]) -> TargetChangeOut:
    return TargetChangeOut(
        at=zone(change.at), from_priority=change.from_priority, to_priority=change.to_priority,
        mode=change.mode, old_due=change.old_due and zone(change.old_due),
        new_due=change.new_due and zone(change.new_due),
    )


def _clock(result: ClockResult) -> ClockOut:
    zone_of = result.started_at.tzinfo if result.started_at is not None else UTC

    def zone(value: datetime) -> datetime:
        return value.astimezone(zone_of)

    why = result.explanation
    return ClockOut(
        metric=result.metric, cycle=result.cycle, status=result.status, policy=result.policy,
        calendar=result.calendar, target=None if result.target is None else _duration(result.target),
        started_at=result.started_at, due_at=result.due_at, ended_at=result.ended_at,
        breached_at=result.breached_at, elapsed=_duration(result.elapsed),
        remaining=None if result.remaining is None else _duration(result.remaining),
        paused_for=_duration(result.paused_for),
        explanation=None if why is None else ExplanationOut(
            counted=_periods(why.counted, zone), closed=_periods(why.closed, zone),
            paused=_periods(why.paused, zone), carried=_duration(why.carried),
            changes=[_change(c, zone) for c in why.changes],
        ),
    )


def _ticket(state: TicketState) -> TicketOut:
    return TicketOut(
        ticket=state.ticket, status=state.status, priority=state.priority, version=state.version,
        opened_at=state.opened_at, first_response_at=state.first_response_at,
        resolved_at=state.resolved_at,
    )


def _status_event(ticket: str, body: ChangeStatus, now: datetime) -> Event:
    # The workflow has dedicated events for these statuses; any other is a plain move.
    if body.to == "resolved":
        return TicketResolved(ticket=ticket, at=now, event_id=body.event_id,
                              resolution_code=body.resolution_code)
    if body.to == "closed":
        return TicketClosed(ticket=ticket, at=now, event_id=body.event_id)
    if body.to == "cancelled":
        return TicketCancelled(ticket=ticket, at=now, event_id=body.event_id)
    return StatusChanged(ticket=ticket, at=now, event_id=body.event_id, to=body.to)


# -- the app --------------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    store: TicketStore, policies: PolicySet, *, clock: Callable[[], datetime] = _utc_now
) -> FastAPI:
    """The ticket service over ``store``, judged by ``policies``, at the times ``clock`` says."""
    app = FastAPI(title="slakit ticket service")
    service = TicketService(store)
    engine = SlaEngine(policies)

    def write(tenant: str, event: Event, *, must_exist: bool = True) -> TicketOut:
        if must_exist and store.load_state(tenant, event.ticket) is None:
            raise HTTPException(404, f"tenant {tenant!r} has no ticket {event.ticket!r}")
        try:
            return _ticket(service.handle(tenant, [event], event.at).state)
        except (InvalidTransition, LateEventError, ConcurrencyError) as refused:
            raise HTTPException(409, str(refused)) from refused

    @app.post("/tenants/{tenant}/tickets", status_code=201)
    def open_ticket(tenant: str, body: OpenTicket) -> TicketOut:
        event = TicketOpened(
            ticket=body.ticket, at=clock(), event_id=body.event_id, priority=body.priority,
            category=None, channel=body.channel, customer=body.customer, customer_tier=None,
            subject=body.subject,
        )
        return write(tenant, event, must_exist=False)

    @app.post("/tenants/{tenant}/tickets/{ticket}/replies")
    def reply(tenant: str, ticket: str, body: Reply) -> TicketOut:
        event: Event
        if body.author == "agent":
            event = AgentReplied(ticket=ticket, at=clock(), event_id=body.event_id,
                                 public=body.public)
        else:
            event = CustomerReplied(ticket=ticket, at=clock(), event_id=body.event_id)
        return write(tenant, event)

    @app.post("/tenants/{tenant}/tickets/{ticket}/status")
    def change_status(tenant: str, ticket: str, body: ChangeStatus) -> TicketOut:
        return write(tenant, _status_event(ticket, body, clock()))

    @app.get("/tenants/{tenant}/tickets/{ticket}")
    def show_ticket(tenant: str, ticket: str) -> TicketOut:
        state = store.load_state(tenant, ticket)
        if state is None:
            raise HTTPException(404, f"tenant {tenant!r} has no ticket {ticket!r}")
        return _ticket(state)

    @app.get("/tenants/{tenant}/tickets/{ticket}/sla")
    def show_sla(tenant: str, ticket: str, explain: Annotated[bool, Query()] = False) -> SlaOut:
        events = store.load_events(tenant, ticket)
        if not events:
            raise HTTPException(404, f"tenant {tenant!r} has no ticket {ticket!r}")
        # Compared in UTC: two datetimes sharing a zone compare by wall clock, wrong at DST.
        now = max(clock().astimezone(UTC), events[-1].at.astimezone(UTC))
        _, sla = engine.apply_all(events)
        return SlaOut(
            ticket=ticket, now=now, next_wake_at=next_wake_at(sla, now),
            clocks=[_clock(r) for r in sla.at(now, explain=explain)],
        )

    return app


def demo_policies() -> PolicySet:
    """Urgent: answer within 1 h, around the clock; normal: 4 office hours; a 75 % reminder."""
    always = NamedCalendar("24x7", AlwaysOpen("Europe/Berlin"))
    office = NamedCalendar("office", BusinessCalendar.weekdays(
        "09:00", "17:00", timezone="Europe/Berlin"), version="2025")
    standard = SlaPolicy("standard", "1", targets=[
        MetricTarget("first_response", "urgent", timedelta(hours=1), always),
        MetricTarget("resolution", "urgent", timedelta(hours=4), always),
        MetricTarget("first_response", "normal", timedelta(hours=4), office),
        MetricTarget("resolution", "normal", timedelta(hours=16), office),
    ], escalations=[
        EscalationRule("answer-soon", "first_response", at_fraction(0.75), [notify("team_lead")]),
    ])
    return PolicySet([], fallback=standard, priorities=("urgent", "normal"))


def demo_app() -> FastAPI:
    """The service on an in-memory store with :func:`demo_policies` (``uvicorn --factory``)."""
    return create_app(InMemoryStore(), demo_policies())
