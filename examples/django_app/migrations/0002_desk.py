# Written by hand in the form makemigrations gives, formatted for ruff and mypy --strict.
# The example now runs a slakit Desk: the fired escalations are ``escalated`` events in the
# log (FiredEscalation goes), tickets get a lease column, decisions wait in an outbox.

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("slakit_desk", "0001_initial"),)

    operations = (
        migrations.DeleteModel(name="FiredEscalation"),
        migrations.AddField(model_name="ticket", name="lease_until",
                            field=models.DateTimeField(null=True)),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("tenant", models.CharField(max_length=255)),
                ("key", models.CharField(max_length=255)),
                ("ticket", models.CharField(max_length=255)),
                ("body", models.TextField()),
                ("state", models.CharField(default="pending", max_length=16)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(null=True)),
                ("lease_until", models.DateTimeField(null=True)),
                ("last_error", models.TextField(null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["state", "next_attempt_at"],
                                         name="slakit_desk_pending")],
                "constraints": [models.UniqueConstraint(fields=("tenant", "key"),
                                                        name="slakit_desk_deliver_once")],
            },
        ),
    )
