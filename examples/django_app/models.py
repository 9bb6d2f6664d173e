"""The tables: an append-only event log, one row per ticket, and the outbox of decisions.

The ``Ticket`` row is a cache of the events (status, version and a state snapshot), kept in
the same transaction as the events it summarises; ``version`` is the number of events and
the optimistic-concurrency token. ``wake_at`` is when ``run_escalations`` should look at the
ticket next (slakit's ``next_wake_at``), indexed so the command finds due tickets cheaply;
``lease_until`` keeps other workers off a ticket while one runs it. The escalations fired are
``escalated`` events in the log (their key makes each one once); ``Delivery`` holds each
decision until a notifier delivered it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models


class Ticket(models.Model):
    tenant: models.CharField[str, str] = models.CharField(max_length=255)
    key: models.CharField[str, str] = models.CharField(max_length=255)  # the id slakit events carry
    version: models.PositiveIntegerField[int, int] = models.PositiveIntegerField()
    status: models.CharField[str, str] = models.CharField(max_length=64)
    snapshot = models.JSONField()  # slakit.workflow.state_to_dict(state)
    wake_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True
    )
    # Set while a worker runs the ticket's wake-up; another worker may take it once passed.
    lease_until: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["tenant", "key"], name="slakit_desk_one_ticket_per_key"),
        )
        indexes = (
            models.Index(fields=["tenant", "status", "key"], name="slakit_desk_by_status"),
            models.Index(fields=["wake_at"], name="slakit_desk_by_wake"),
        )

    def __str__(self) -> str:
        return f"{self.tenant}/{self.key} v{self.version} {self.status}"


class TicketEvent(models.Model):
    ticket: models.ForeignKey[Ticket, Ticket] = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events"
    )
    ticket_id: int
    # 1, 2, ... in the ticket's order
    seq: models.PositiveIntegerField[int, int] = models.PositiveIntegerField()
    event_id: models.CharField[str, str] = models.CharField(max_length=255)
    type: models.CharField[str, str] = models.CharField(max_length=64)
    at: models.DateTimeField[datetime, datetime] = models.DateTimeField()
    body = models.JSONField()  # slakit.workflow.event_to_dict(event)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["ticket", "seq"], name="slakit_desk_one_event_per_seq"),
        )

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.seq} {self.type}"


class Delivery(models.Model):
    """A decision to deliver, stored with the ``escalated`` events that fired it.

    Its delivery state lives here, so a notifier that fails leaves it pending and retried.
    """

    tenant: models.CharField[str, str] = models.CharField(max_length=255)
    # slakit's idempotency key, "ticket/metric/cycle/rule/occurrence": one entry per key
    key: models.CharField[str, str] = models.CharField(max_length=255)
    ticket: models.CharField[str, str] = models.CharField(max_length=255)
    body: models.TextField[str, str] = models.TextField()  # slakit.desk.Decision.to_json()
    state: models.CharField[str, str] = models.CharField(max_length=16, default="pending")
    attempts: models.PositiveIntegerField[int, int] = models.PositiveIntegerField(default=0)
    next_attempt_at: models.DateTimeField[datetime | None, datetime | None] = (
        models.DateTimeField(null=True))
    lease_until: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True)
    last_error: models.TextField[str | None, str | None] = models.TextField(null=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["tenant", "key"], name="slakit_desk_deliver_once"),
        )
        indexes = (
            models.Index(fields=["state", "next_attempt_at"], name="slakit_desk_pending"),
        )

    def __str__(self) -> str:
        return f"{self.tenant}/{self.key} {self.state}"
