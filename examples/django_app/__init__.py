"""A minimal Django app that keeps slakit tickets in the host's database and runs a Desk on them.

- ``models``: the event log (``TicketEvent``, fired escalations included as ``escalated``
  events), one row per ticket with its version, status, state snapshot, next wake-up and
  lease (``Ticket``), and the outbox of decisions to deliver (``Delivery``).
- ``store``: those models behind slakit's ``DeskStore`` port (optimistic concurrency,
  wake-up claims with a lease, the outbox, batches).
- ``services``: the app's ``slakit.desk.Desk``, and ``record_events`` (``Desk.record``).
- ``management/commands/run_escalations.py``: the cron/worker entry point, the loop of
  ``slakit.contrib.django``'s ``slakit_wake`` with the app's desk.

Add ``"examples.django_app"`` to ``INSTALLED_APPS`` and run ``migrate``. Settings read:
``SLAKIT_POLICIES`` (path of a policy TOML file; default: this app's ``policies.toml``).
"""
