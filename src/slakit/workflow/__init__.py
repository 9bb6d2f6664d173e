"""The ticket workflow: statuses, events, state and the fold that applies events."""
