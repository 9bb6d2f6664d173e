"""A minimal Django app that keeps slakit tickets in the host's database.

- ``models``: the event log (``TicketEvent``), one row per ticket with its version, status,
  state snapshot and next wake-up (``Ticket``), and the escalations already acted on
  (``FiredEscalation``).
- ``store``: those models behind slakit's ``TicketStore`` port (optimistic concurrency).
- ``services``: record events (load -> apply -> append, retried on conflicts) and run the
  escalations that fell due, exactly once.
- ``management/commands/run_escalations.py``: the cron/worker entry point.

Add ``"examples.django_app"`` to ``INSTALLED_APPS`` and run ``migrate``. Settings read:
``SLAKIT_POLICIES`` (path of a policy TOML file; default: this app's ``policies.toml``).
"""
