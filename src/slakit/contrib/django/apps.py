"""Django app configuration of ``slakit.contrib.django``."""

from __future__ import annotations

from django.apps import AppConfig


class SlakitConfig(AppConfig):
    """The ``slakit`` app: ticket index, admin and the ``slakit_wake`` command."""

    name = "slakit.contrib.django"
    label = "slakit"
    verbose_name = "slakit help desk"
    default_auto_field = "django.db.models.BigAutoField"
