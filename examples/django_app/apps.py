from __future__ import annotations

from django.apps import AppConfig


class SlakitDeskConfig(AppConfig):
    name = "examples.django_app"
    label = "slakit_desk"
    verbose_name = "slakit service desk"
    default_auto_field = "django.db.models.BigAutoField"
