"""A reusable Django app running a :class:`~slakit.desk.Desk`: ``slakit.contrib.django``.

Add ``"slakit.contrib.django"`` to ``INSTALLED_APPS`` and name a desk factory in the
settings (``SLAKIT_DESK = "myshop.desk:build_desk"``, a zero-argument callable returning a
:class:`~slakit.desk.Desk`). Then :func:`record` stores events, ``manage.py slakit_wake``
runs :meth:`Desk.wake <slakit.desk.Desk.wake>` from cron or a worker, and the admin lists
the tickets by next deadline with their breach state.

Design rules:

- The desk's store is the source of truth (events, wake-ups, outbox; e.g. a ``SQLiteStore``
  file or any :class:`~slakit.storage.DeskStore`). The app does not re-implement it over the
  ORM: :class:`~slakit.contrib.django.models.TicketIndex` is a read model for the admin and
  for queries, rebuilt from the store after each :func:`record` and ``slakit_wake``, and
  rebuildable at any time (``slakit_wake --reindex --tenant T``).
- ``now`` comes from the caller (``--now``, or Django's ``timezone.now()`` at the edge);
  naive instants are refused with slakit's ``NaiveDatetimeError``.
"""

from __future__ import annotations

from slakit.contrib.django._desk import get_desk, record, reindex_tenant, reindex_ticket

__all__ = ["get_desk", "record", "reindex_tenant", "reindex_ticket"]
