"""SLA policies, conditions, priority classification and escalation rules."""
