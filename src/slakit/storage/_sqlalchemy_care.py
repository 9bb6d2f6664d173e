"""The care store through SQLAlchemy Core: plans, schedules, follow-ups, fired keys, wake-ups.

Design rules (the contract is :class:`slakit.care.CareStore`; tests/care/test_store.py runs
it on every store):

- :class:`SQLAlchemyCare` is mixed into :class:`~slakit.storage.SQLAlchemyStore`, so one
  store object in the host's database is both the desk store and the care store. Its five
  tables (``slakit_care_*``, in :mod:`slakit.storage._sqlalchemy_tables`) are created with
  the desk tables by ``sqlalchemy_metadata.create_all(engine)``.
- Every statement names the tenant; instants are integer microseconds since the epoch (UTC).
- Plan and care events are kept in their JSON form and folded again on load, and on append
  before anything is written, so an illegal event stores nothing. Log slots are taken
  with the primary key ``(tenant, subject, seq)``: two writers racing on one subject
  (PostgreSQL) make the second one's insert fail, and it folds again from the log and
  retries, so a redelivered event is skipped and none is lost or stored twice.
- Fired keys are inserted ``ON CONFLICT DO NOTHING``, in key order (no deadlock between two
  workers marking overlapping keys); the rows inserted (``RETURNING`` on PostgreSQL, each
  statement's row count on SQLite) say which keys this call recorded, so of two racing
  workers one acts.
- Queueing a care decision for delivery (:meth:`SQLAlchemyCare.enqueue`) uses the desk's
  outbox table, so its delivery is retried with backoff exactly as an escalation's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from slakit._message import Message
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
    PlanInputError,
    PlanState,
    apply_plan_event,
    plan_event_from_json,
    plan_event_to_json,
)
from slakit.storage import _sqlalchemy_desk as desk
from slakit.storage._desk_port import OutboxEntry
from slakit.storage._sqlalchemy_tables import (
    care_events,
    care_fired,
    care_plan_events,
    care_schedules,
    care_wake,
)

_T = TypeVar("_T")
_RACE_ROUNDS = 50


def _of_subject(table: Any) -> Any:
    return (table.c.tenant == bindparam("tenant"), table.c.subject == bindparam("subject"))


# Built once: a statement built per call costs more than its execution (SQLAlchemy's
# expression coercions), and the compiled form is cached by the engine either way.
_LOGS = {t.name: select(t.c.body).where(*_of_subject(t)).order_by(t.c.seq)
         for t in (care_plan_events, care_events)}
_EVENT_IDS = select(care_events.c.event_id).where(*_of_subject(care_events))
_SCHEDULES = (select(care_schedules.c.name, care_schedules.c.body)
              .where(*_of_subject(care_schedules)).order_by(care_schedules.c.seq))
_DROP_SCHEDULES = delete(care_schedules).where(*_of_subject(care_schedules))
_FIRED = select(care_fired.c.key).where(care_fired.c.tenant == bindparam("tenant"),
                                        care_fired.c.key.in_(bindparam("keys", expanding=True)))
_DROP_WAKE = delete(care_wake).where(*_of_subject(care_wake))
_DUE = (select(care_wake.c.subject).where(care_wake.c.tenant == bindparam("tenant"),
                                          care_wake.c.wake_us <= bindparam("before"))
        .order_by(care_wake.c.wake_us, care_wake.c.subject))
_NEXT = select(func.min(care_wake.c.wake_us)).where(care_wake.c.tenant == bindparam("tenant"))


class CareRaceError(PlanInputError):
    """Other writers kept taking a subject's log slots; nothing of the call was stored."""


class SQLAlchemyCare:
    """The :class:`~slakit.care.CareStore` methods of :class:`~slakit.storage.SQLAlchemyStore`."""

    engine: Engine

    @contextmanager
    def _care_write(self) -> Iterator[Connection]:
        with self.engine.begin() as db:
            yield db

    def _raced(self, tenant: str, subject: str, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in a transaction, again (re-reading) when a racing writer took a slot."""
        for _ in range(_RACE_ROUNDS):
            try:
                with self._care_write() as db:
                    return work(db)
            except IntegrityError:
                continue
        raise CareRaceError(Message(
            "care data of {subject!r} (tenant {tenant!r}): still racing other writers after "
            "{rounds} rounds; nothing of this call was stored; retry it", subject=subject,
            tenant=tenant, rounds=_RACE_ROUNDS))

    # -- plans -------------------------------------------------------------------------------

    def append_plan_events(
        self, tenant: str, subject: str, events: Sequence[PlanEvent]
    ) -> PlanState:
        """Fold and store ``events``; return the new state (PlanInputError stores nothing)."""
        check_key(tenant, subject)
        new = tuple(events)

        def work(db: Connection) -> PlanState:
            log = _log(db, care_plan_events, tenant, subject)
            state = PlanState(tenant, subject)
            for body in log:
                state = apply_plan_event(state, plan_event_from_json(body))
            fresh: list[PlanEvent] = []
            for e in new:
                after = apply_plan_event(state, e)
                if after is not state:
                    fresh.append(e)
                state = after
            _add_log(db, care_plan_events, tenant, subject, len(log),
                     [(e.event_id, plan_event_to_json(e)) for e in fresh])
            return state

        return self._raced(tenant, subject, work)

    def load_plan(self, tenant: str, subject: str) -> PlanState | None:
        """The subject's plan state, or None when it has no plan events."""
        check_key(tenant, subject)
        with self.engine.connect() as db:
            log = _log(db, care_plan_events, tenant, subject)
        if not log:
            return None
        state = PlanState(tenant, subject)
        for body in log:
            state = apply_plan_event(state, plan_event_from_json(body))
        return state

    # -- schedules ---------------------------------------------------------------------------

    def put_schedules(self, tenant: str, subject: str, schedules: Sequence[CareSchedule]) -> None:
        """Replace the subject's care schedules (an empty sequence removes them)."""
        check_key(tenant, subject)
        kept = check_schedules(subject, schedules)
        rows = [{"tenant": tenant, "subject": subject, "seq": i, "name": s.name,
                 "body": json.dumps(schedule_to_mapping(s))} for i, s in enumerate(kept)]

        def work(db: Connection) -> None:
            db.execute(_DROP_SCHEDULES, {"tenant": tenant, "subject": subject})
            if rows:
                db.execute(insert(care_schedules), rows)

        self._raced(tenant, subject, work)

    def load_schedules(self, tenant: str, subject: str) -> tuple[CareSchedule, ...]:
        """The subject's care schedules, in the order put."""
        check_key(tenant, subject)
        with self.engine.connect() as db:
            rows = db.execute(_SCHEDULES, {"tenant": tenant, "subject": subject}).all()
        return schedules_from_mapping({name: json.loads(body) for name, body in rows})

    # -- follow-ups --------------------------------------------------------------------------

    def append_care_events(
        self, tenant: str, subject: str, events: Sequence[FollowUpCompleted]
    ) -> tuple[FollowUpCompleted, ...]:
        """Store ``events`` (redeliveries skipped); return those newly stored."""
        check_key(tenant, subject)
        new = check_subject_events(subject, events)

        def work(db: Connection) -> tuple[FollowUpCompleted, ...]:
            seen = set(db.scalars(_EVENT_IDS, {"tenant": tenant, "subject": subject}))
            start = len(seen)
            fresh: list[FollowUpCompleted] = []
            for e in new:
                if e.event_id not in seen:
                    seen.add(e.event_id)
                    fresh.append(e)
            _add_log(db, care_events, tenant, subject, start,
                     [(e.event_id, care_event_to_json(e)) for e in fresh])
            return tuple(fresh)

        return self._raced(tenant, subject, work)

    def load_care_events(self, tenant: str, subject: str) -> tuple[FollowUpCompleted, ...]:
        """The subject's care events in the order stored."""
        check_key(tenant, subject)
        with self.engine.connect() as db:
            return tuple(care_event_from_json(body)
                         for body in _log(db, care_events, tenant, subject))

    # -- fired keys --------------------------------------------------------------------------

    def mark_fired(self, tenant: str, keys: Iterable[str]) -> tuple[str, ...]:
        """Record ``keys`` as fired; return the ones not recorded before, in the order given."""
        check_key(tenant, "-")
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return ()
        # Inserted in key order: two workers marking overlapping keys lock them in the same
        # order, so neither waits on the other in a cycle (a deadlock on PostgreSQL).
        rows = [{"tenant": tenant, "key": key} for key in sorted(wanted)]
        with self._care_write() as db:
            if db.dialect.name == "postgresql":
                new = set(db.scalars(postgresql.insert(care_fired).values(rows)
                                     .on_conflict_do_nothing(index_elements=["tenant", "key"])
                                     .returning(care_fired.c.key)))
            else:
                new = {row["key"] for row in rows if _insert_new(db, care_fired, row)}
        return tuple(key for key in wanted if key in new)

    def fired(self, tenant: str, keys: Iterable[str]) -> frozenset[str]:
        """Which of ``keys`` are recorded as fired."""
        check_key(tenant, "-")
        wanted = sorted(set(keys))
        have: set[str] = set()
        if wanted:
            with self.engine.connect() as db:
                for i in range(0, len(wanted), 500):  # bounded IN lists
                    have |= set(db.scalars(_FIRED, {"tenant": tenant,
                                                    "keys": wanted[i:i + 500]}))
        return frozenset(have)

    # -- wake-ups ----------------------------------------------------------------------------

    def set_wake(self, tenant: str, subject: str, wake_at: datetime | None) -> None:
        """Set (or clear, with None) the subject's next wake-up instant."""
        check_key(tenant, subject)
        if wake_at is not None:
            check_aware("wake_at", wake_at)
        def work(db: Connection) -> None:
            db.execute(_DROP_WAKE, {"tenant": tenant, "subject": subject})
            if wake_at is not None:
                db.execute(insert(care_wake).values(tenant=tenant, subject=subject,
                                                    wake_us=to_micros(wake_at)))

        self._raced(tenant, subject, work)

    def due_subjects(self, tenant: str, before: datetime) -> tuple[str, ...]:
        """Subjects whose wake-up is at or before ``before``, earliest first."""
        check_key(tenant, "-")
        check_aware("before", before)
        with self.engine.connect() as db:
            return tuple(db.scalars(_DUE, {"tenant": tenant, "before": to_micros(before)}))

    def next_wake(self, tenant: str) -> datetime | None:
        """The tenant's earliest subject wake-up (in UTC), or None when nothing is set."""
        check_key(tenant, "-")
        with self.engine.connect() as db:
            micros = db.scalar(_NEXT, {"tenant": tenant})
        return None if micros is None else from_micros(micros)

    # -- delivery ----------------------------------------------------------------------------

    def enqueue(self, tenant: str, entries: Sequence[OutboxEntry]) -> None:
        """Add outbox entries outside a ticket append; keys the tenant has are skipped."""
        check_key(tenant, "-")
        if entries:
            with self._care_write() as db:
                desk.add_outbox(db, tenant, entries)


def _log(db: Connection, table: Any, tenant: str, subject: str) -> list[str]:
    return list(db.scalars(_LOGS[table.name], {"tenant": tenant, "subject": subject}))


def _add_log(db: Connection, table: Any, tenant: str, subject: str, start: int,
             rows: list[tuple[str, str]]) -> None:
    if rows:
        db.execute(insert(table), [
            {"tenant": tenant, "subject": subject, "seq": start + i, "event_id": event_id,
             "body": body} for i, (event_id, body) in enumerate(rows)])


def _insert_new(db: Connection, table: Any, row: dict[str, str]) -> bool:
    """Insert ``row`` unless its primary key exists; whether this call inserted it."""
    keys = [c.name for c in table.primary_key.columns]
    if db.dialect.name == "sqlite":
        return bool(db.execute(sqlite.insert(table).values(row).on_conflict_do_nothing(
            index_elements=keys)).rowcount == 1)
    try:
        with db.begin_nested():  # elsewhere: a savepoint that a duplicate key rolls back
            db.execute(insert(table).values(row))
    except IntegrityError:
        return False
    return True
