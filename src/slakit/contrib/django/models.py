"""The app's one model: an index of the desk's tickets, for the admin and for queries."""

from __future__ import annotations

from datetime import datetime

from django.db import models


class TicketIndex(models.Model):
    """One ticket as the desk last saw it: status, next deadline, breach state, wake-up.

    A read model: rebuilt from the desk's store by :func:`slakit.contrib.django.record`,
    ``slakit_wake`` and :func:`slakit.contrib.django.reindex_ticket`.
    """

    tenant: models.CharField[str, str] = models.CharField(max_length=255)
    ticket: models.CharField[str, str] = models.CharField(max_length=255)
    status: models.CharField[str, str] = models.CharField(max_length=64)
    priority: models.CharField[str, str] = models.CharField(max_length=64)
    version: models.PositiveIntegerField[int, int] = models.PositiveIntegerField()
    next_deadline: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True, help_text="earliest due time of a clock still open")
    breached: models.BooleanField[bool, bool] = models.BooleanField(
        default=False, help_text="a clock is open and past its target")
    breached_metrics: models.CharField[str, str] = models.CharField(max_length=255, blank=True, default="")
    wake_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True, help_text="when the desk next has work on this ticket")
    updated_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        help_text="the instant these figures were computed at")

    class Meta:
        """Next deadline first (tickets without one last); one row per tenant and ticket."""

        ordering = (models.F("next_deadline").asc(nulls_last=True), "tenant", "ticket")
        constraints = (models.UniqueConstraint(fields=["tenant", "ticket"],
                                               name="slakit_ticketindex_unique"),)
        indexes = (models.Index(fields=["next_deadline"], name="slakit_ti_deadline"),
                   models.Index(fields=["wake_at"], name="slakit_ti_wake_at"))
        verbose_name = "ticket"

    def __str__(self) -> str:
        return f"{self.tenant}/{self.ticket}"
