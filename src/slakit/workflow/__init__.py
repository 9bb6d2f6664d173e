"""The ticket workflow: statuses, events, state and the fold that applies events.

The core is pure (events in, new state out; no I/O, no clock), in the spirit of h11:

>>> from datetime import datetime, timezone
>>> from slakit.workflow import TicketOpened, TicketResolved, apply_all
>>> t = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)
>>> state = apply_all([
...     TicketOpened(ticket="T-1", at=t, event_id="1", priority="normal", category=None,
...                  channel="chat", customer="c-1", customer_tier=None),
...     TicketResolved(ticket="T-1", at=t, event_id="2", resolution_code="answered"),
... ])
>>> state.status, state.resolution_code
('resolved', 'answered')
"""

from slakit._deprecated import moved_names
from slakit.workflow._codec import (
    EVENT_SCHEMA_VERSION,
    STATE_SCHEMA_VERSION,
    event_from_dict,
    event_from_json,
    event_to_dict,
    event_to_json,
    state_from_dict,
    state_to_dict,
    state_to_json,
    upgrade_event_dict,
)
from slakit.workflow._default import DEFAULT_WORKFLOW
from slakit.workflow._definition import Transition, Workflow, WorkflowStatus
from slakit.workflow._diagram import workflow_to_markdown, workflow_to_mermaid
from slakit.workflow._errors import (
    EventDecodeError,
    InvalidTransition,
    LateEventError,
    WorkflowDefinitionError,
    WrongTicketError,
)
from slakit.workflow._events import (
    BUILTIN_FACTS,
    ESCALATED_ID_PREFIX,
    EVENT_CLASSES,
    EVENT_TYPES,
    AgentReplied,
    CustomerReplied,
    DeadlineOverridden,
    Escalated,
    Event,
    FactsChanged,
    FactValue,
    PriorityChanged,
    StageChanged,
    StatusChanged,
    TicketAssigned,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketRated,
    TicketReopened,
    TicketResolved,
)
from slakit.workflow._fold import apply, apply_all, can_apply, refusal
from slakit.workflow._schema import event_json_schema
from slakit.workflow._state import FactMap, Satisfaction, TicketState

__all__ = [
    "BUILTIN_FACTS",
    "DEFAULT_WORKFLOW",
    "ESCALATED_ID_PREFIX",
    "EVENT_CLASSES",
    "EVENT_SCHEMA_VERSION",
    "EVENT_TYPES",
    "STATE_SCHEMA_VERSION",
    "AgentReplied",
    "CustomerReplied",
    "DeadlineOverridden",
    "Escalated",
    "Event",
    "EventDecodeError",
    "FactMap",
    "FactValue",
    "FactsChanged",
    "InvalidTransition",
    "LateEventError",
    "PriorityChanged",
    "Satisfaction",
    "StageChanged",
    "StatusChanged",
    "TicketAssigned",
    "TicketCancelled",
    "TicketClosed",
    "TicketOpened",
    "TicketRated",
    "TicketReopened",
    "TicketResolved",
    "TicketState",
    "Transition",
    "Workflow",
    "WorkflowDefinitionError",
    "WorkflowStatus",
    "WrongTicketError",
    "apply",
    "apply_all",
    "can_apply",
    "event_from_dict",
    "event_from_json",
    "event_json_schema",
    "event_to_dict",
    "event_to_json",
    "refusal",
    "state_from_dict",
    "state_to_dict",
    "state_to_json",
    "upgrade_event_dict",
    "workflow_to_markdown",
    "workflow_to_mermaid",
]

# Documented names that were renamed (see CHANGELOG.md).
__getattr__ = moved_names("slakit.workflow", {"replay": "slakit.workflow:apply_all"})
