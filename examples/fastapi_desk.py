"""A desk over HTTP: record events, escalations delivered by a background loop.

    pip install "slakit[fastapi]"
    uvicorn --factory examples.fastapi_desk:demo_app

``POST /tenants/{tenant}/events`` with a JSON list of one ticket's events (the body is
checked against slakit's event JSON Schema, shown at ``/docs``); the app's lifespan runs a
loop that sleeps until the desk's next wake-up, wakes it, and logs each escalation.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import FastAPI

from slakit.calendar import BusinessCalendar
from slakit.contrib.fastapi import create_app
from slakit.desk import Desk, LoggingNotifier
from slakit.policies import (
    EscalationRule,
    MetricTarget,
    NamedCalendar,
    PolicySet,
    SlaPolicy,
    at_fraction,
    notify,
    on_breach,
)
from slakit.storage import SQLiteStore
from slakit.workflow import DEFAULT_WORKFLOW


def demo_desk(path: str = ":memory:") -> Desk:
    """A 7x12 Shanghai desk (CN holidays): urgent first answer in 1 h, normal in 4 h."""
    desk_hours = NamedCalendar("7x12", BusinessCalendar.every_day(
        "09:00", "21:00", timezone="Asia/Shanghai", country="CN"))
    policy = SlaPolicy("shop", "1", targets=[
        MetricTarget("first_response", "urgent", timedelta(hours=1), desk_hours),
        MetricTarget("first_response", "normal", timedelta(hours=4), desk_hours),
    ], escalations=[
        EscalationRule("half", "first_response", at_fraction(0.5), [notify("team_lead")]),
        EscalationRule("late", "first_response", on_breach(), [notify("duty_manager")]),
    ])
    policies = PolicySet([], fallback=policy, priorities=("urgent", "normal"))
    return Desk(DEFAULT_WORKFLOW, policies, SQLiteStore(path),
                LoggingNotifier(logging.getLogger("slakit.desk")), language="zh")


def demo_app() -> FastAPI:
    """The ``uvicorn --factory`` entry point: the demo desk in memory, the wall clock."""
    logging.basicConfig(level=logging.INFO)
    return create_app(demo_desk())
