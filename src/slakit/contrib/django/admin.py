"""Admin: the desk's tickets, ordered by next deadline, with their breach state."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from slakit.contrib.django.models import TicketIndex


@admin.register(TicketIndex)
class TicketIndexAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only list: the figures come from the desk's store, not from edits here."""

    list_display = ("ticket", "tenant", "status", "priority", "next_deadline", "breached",
                    "breached_metrics", "wake_at", "updated_at")
    list_filter = ("tenant", "breached", "status", "priority")
    search_fields = ("ticket",)
    # ordering: the model's (next deadline first, tickets without one last)

    def has_add_permission(self, request: HttpRequest) -> bool:  # noqa: D102
        return False

    def has_change_permission(self, request: HttpRequest, obj: TicketIndex | None = None) -> bool:  # noqa: D102
        return False
