"""``SQLiteCareStore``: the care store in SQLite, in tables of its own (``care_*``).

Plan and care events are kept in their JSON form (:func:`slakit.plans.plan_event_to_json`);
the plan state is folded again on load, and on append before anything is written, so an
illegal event stores nothing. Instants are integer microseconds since the epoch (UTC).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime

from slakit.care._followups import FollowUpCompleted, care_event_from_json, care_event_to_json
from slakit.care._schedule import CareSchedule
from slakit.care._schedule_data import schedule_to_mapping, schedules_from_mapping
from slakit.care._store_keys import (
    check_aware,
    check_key,
    check_schedules,
    check_subject_events,
    from_micros,
    to_micros,
)
from slakit.plans import (
    PlanEvent,
    PlanState,
    apply_plan_event,
    plan_event_from_json,
    plan_event_to_json,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS care_plan_events (
    tenant TEXT NOT NULL, subject TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (tenant, subject, seq), UNIQUE (tenant, subject, event_id));
CREATE TABLE IF NOT EXISTS care_events (
    tenant TEXT NOT NULL, subject TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (tenant, subject, seq), UNIQUE (tenant, subject, event_id));
CREATE TABLE IF NOT EXISTS care_schedules (
    tenant TEXT NOT NULL, subject TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (tenant, subject, seq));
CREATE TABLE IF NOT EXISTS care_fired (
    tenant TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tenant, key));
CREATE TABLE IF NOT EXISTS care_wake (
    tenant TEXT NOT NULL, subject TEXT NOT NULL, wake_us INTEGER NOT NULL,
    PRIMARY KEY (tenant, subject));
CREATE INDEX IF NOT EXISTS care_wake_due ON care_wake (tenant, wake_us);
"""


class SQLiteCareStore:
    """A :class:`~slakit.care.CareStore` in an SQLite file (or ``":memory:"``).

    It may share the ticket store's database file: its tables are all named ``care_*``.
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, timeout: float = 30.0):
        self._db = sqlite3.connect(os.fspath(path), timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
        self._lock = threading.Lock()
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _plan_log(self, tenant: str, subject: str) -> list[PlanEvent]:
        rows = self._db.execute("SELECT body FROM care_plan_events WHERE tenant=? AND subject=? "
                                "ORDER BY seq", (tenant, subject)).fetchall()
        return [plan_event_from_json(body) for (body,) in rows]

    def append_plan_events(
        self, tenant: str, subject: str, events: Sequence[PlanEvent]
    ) -> PlanState:
        """Fold and store ``events``; return the new state (PlanInputError stores nothing)."""
        check_key(tenant, subject)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                log = self._plan_log(tenant, subject)
                state = PlanState(tenant, subject)
                for e in log:
                    state = apply_plan_event(state, e)
                fresh: list[PlanEvent] = []
                for e in events:
                    new = apply_plan_event(state, e)
                    if new is not state:
                        fresh.append(e)
                    state = new
                self._db.executemany(
                    "INSERT INTO care_plan_events VALUES (?, ?, ?, ?, ?)",
                    [(tenant, subject, len(log) + i, e.event_id, plan_event_to_json(e))
                     for i, e in enumerate(fresh)])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return state

    def load_plan(self, tenant: str, subject: str) -> PlanState | None:
        """The subject's plan state, or None when it has no plan events."""
        check_key(tenant, subject)
        with self._lock:
            log = self._plan_log(tenant, subject)
        if not log:
            return None
        state = PlanState(tenant, subject)
        for e in log:
            state = apply_plan_event(state, e)
        return state

    def put_schedules(self, tenant: str, subject: str, schedules: Sequence[CareSchedule]) -> None:
        """Replace the subject's care schedules (an empty sequence removes them)."""
        check_key(tenant, subject)
        rows = [(tenant, subject, i, s.name, json.dumps(schedule_to_mapping(s)))
                for i, s in enumerate(check_schedules(subject, schedules))]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM care_schedules WHERE tenant=? AND subject=?",
                                 (tenant, subject))
                self._db.executemany("INSERT INTO care_schedules VALUES (?, ?, ?, ?, ?)", rows)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def load_schedules(self, tenant: str, subject: str) -> tuple[CareSchedule, ...]:
        """The subject's care schedules, in the order put."""
        check_key(tenant, subject)
        with self._lock:
            rows = self._db.execute("SELECT name, body FROM care_schedules WHERE tenant=? AND "
                                    "subject=? ORDER BY seq", (tenant, subject)).fetchall()
        return schedules_from_mapping({name: json.loads(body) for name, body in rows})

    def append_care_events(
        self, tenant: str, subject: str, events: Sequence[FollowUpCompleted]
    ) -> tuple[FollowUpCompleted, ...]:
        """Store ``events`` (redeliveries skipped); return those newly stored."""
        check_key(tenant, subject)
        events = check_subject_events(subject, events)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                seen = {r[0] for r in self._db.execute(
                    "SELECT event_id FROM care_events WHERE tenant=? AND subject=?",
                    (tenant, subject))}
                fresh = []
                for e in events:
                    if e.event_id not in seen:
                        seen.add(e.event_id)
                        fresh.append(e)
                start = len(seen) - len(fresh)
                self._db.executemany("INSERT INTO care_events VALUES (?, ?, ?, ?, ?)", [
                    (tenant, subject, start + i, e.event_id, care_event_to_json(e))
                    for i, e in enumerate(fresh)])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return tuple(fresh)

    def load_care_events(self, tenant: str, subject: str) -> tuple[FollowUpCompleted, ...]:
        """The subject's care events in the order stored."""
        check_key(tenant, subject)
        with self._lock:
            rows = self._db.execute("SELECT body FROM care_events WHERE tenant=? AND subject=? "
                                    "ORDER BY seq", (tenant, subject)).fetchall()
        return tuple(care_event_from_json(body) for (body,) in rows)

    def mark_fired(self, tenant: str, keys: Iterable[str]) -> tuple[str, ...]:
        """Record ``keys`` as fired; return the ones not recorded before, in the order given."""
        check_key(tenant, "-")
        new = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for k in keys:
                    cur = self._db.execute("INSERT OR IGNORE INTO care_fired VALUES (?, ?)",
                                           (tenant, k))
                    if cur.rowcount:
                        new.append(k)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return tuple(new)

    def fired(self, tenant: str, keys: Iterable[str]) -> frozenset[str]:
        """Which of ``keys`` are recorded as fired."""
        check_key(tenant, "-")
        wanted = list(keys)
        with self._lock:
            return frozenset(k for k in wanted if self._db.execute(
                "SELECT 1 FROM care_fired WHERE tenant=? AND key=?", (tenant, k)).fetchone())

    def set_wake(self, tenant: str, subject: str, wake_at: datetime | None) -> None:
        """Set (or clear, with None) the subject's next wake-up instant."""
        check_key(tenant, subject)
        with self._lock:
            if wake_at is None:
                self._db.execute("DELETE FROM care_wake WHERE tenant=? AND subject=?",
                                 (tenant, subject))
            else:
                check_aware("wake_at", wake_at)
                self._db.execute("INSERT OR REPLACE INTO care_wake VALUES (?, ?, ?)",
                                 (tenant, subject, to_micros(wake_at)))

    def due_subjects(self, tenant: str, before: datetime) -> tuple[str, ...]:
        """Subjects whose wake-up is at or before ``before``, earliest first."""
        check_key(tenant, "-")
        check_aware("before", before)
        with self._lock:
            rows = self._db.execute(
                "SELECT subject FROM care_wake WHERE tenant=? AND wake_us<=? "
                "ORDER BY wake_us, subject", (tenant, to_micros(before))).fetchall()
        return tuple(s for (s,) in rows)

    def next_wake(self, tenant: str) -> datetime | None:
        """The tenant's earliest subject wake-up (in UTC), or None when nothing is set."""
        check_key(tenant, "-")
        with self._lock:
            (micros,) = self._db.execute("SELECT MIN(wake_us) FROM care_wake WHERE tenant=?",
                                         (tenant,)).fetchone()
        return None if micros is None else from_micros(micros)
