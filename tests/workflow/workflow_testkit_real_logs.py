"""Replay the status histories of three real service-desk logs through the default workflow.

Each log gets a documented mapping from its own statuses to the default workflow's; a
status history becomes workflow events, and the replay says whether the desk's real history is
legal in our workflow. Used by test_real_logs.py on the slices in tests/data/workflow/ and,
as a script, on the full logs to produce docs/replay-status-histories.md:

    .venv/bin/python tests/workflow/workflow_testkit_real_logs.py /work/shared/data
"""

from __future__ import annotations

import collections
import csv
import gzip
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import attrs

from slakit.workflow import (
    Event,
    InvalidTransition,
    LateEventError,
    StatusChanged,
    TicketAssigned,
    TicketCancelled,
    TicketClosed,
    TicketOpened,
    TicketReopened,
    TicketResolved,
    TicketState,
    apply,
)

JUNK = "<junk>"

# ---- mappings (documented in docs/replay-status-histories.md) ---------------------------------

UCI_STATUS = {
    "New": "new",
    "Active": "in_progress",
    "Awaiting User Info": "waiting_on_customer",
    "Awaiting Evidence": "waiting_on_customer",
    "Awaiting Vendor": "waiting_on_third_party",
    "Awaiting Problem": "waiting_on_third_party",
    "Resolved": "resolved",
    "Closed": "closed",
}
HELPDESK_STATUS: dict[str, str | None] = {
    "Assign seriousness": "new",
    "Insert ticket": "new",
    "Take in charge ticket": "in_progress",
    "Wait": "waiting_on_customer",
    "Require upgrade": "waiting_on_customer",
    "Create SW anomaly": "waiting_on_third_party",
    "Resolve SW anomaly": "in_progress",
    "Resolve ticket": "resolved",
    "Closed": "closed",
    "Schedule intervention": None,  # an activity, not a status change
    # Upper-case activities are the linked defect record's states, not the ticket's (see
    # docs/replay-status-histories.md): no status change.
    "RESOLVED": None,
    "INVALID": None,
    "DUPLICATE": None,
    "VERIFIED": None,
}
BPIC_STATUS = {
    ("Queued", "Awaiting Assignment"): "new",
    ("Accepted", "Assigned"): "assigned",
    ("Accepted", "In Progress"): "in_progress",
    ("Accepted", "Wait"): "waiting_on_third_party",
    ("Accepted", "Wait - User"): "waiting_on_customer",
    ("Accepted", "Wait - Customer"): "waiting_on_customer",
    ("Accepted", "Wait - Vendor"): "waiting_on_third_party",
    ("Accepted", "Wait - Implementation"): "waiting_on_third_party",
    ("Completed", "Resolved"): "resolved",
    ("Completed", "In Call"): "resolved",
    ("Completed", "Closed"): "closed",
    ("Completed", "Cancelled"): "cancelled",
}


@attrs.frozen
class Step:
    """One row of a status history: when, the desk's raw status, our status (or JUNK/None)."""

    case: str
    at: datetime
    raw: str
    status: str | None
    priority: str | None = None


def _open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def read_uci(path: Path) -> Iterator[Step]:
    """UCI incident log: naive d/m/YYYY HH:MM times, read as UTC (the zone is unknown)."""
    with _open_text(path) as f:
        for row in csv.DictReader(f):
            at = datetime.strptime(row["sys_updated_at"], "%d/%m/%Y %H:%M")
            raw = row["incident_state"]
            priority = row["priority"].split(" - ")[-1].lower()
            yield Step(row["number"], at.replace(tzinfo=timezone.utc), raw,
                       UCI_STATUS.get(raw, JUNK), priority)


ROME = ZoneInfo("Europe/Rome")


def read_helpdesk(path: Path) -> Iterator[Step]:
    """4TU helpdesk log: naive local times, read as Europe/Rome."""
    with _open_text(path) as f:
        for row in csv.DictReader(f):
            at = datetime.strptime(row["Complete Timestamp"], "%Y/%m/%d %H:%M:%S.%f")
            raw = row["Activity"]
            status = HELPDESK_STATUS.get(raw, JUNK)
            yield Step(row["Case ID"], at.replace(tzinfo=ROME), raw, status)


def read_bpic(path: Path) -> Iterator[Step]:
    """BPIC 2013 incidents: aware times; status and sub-status together make our status."""
    with _open_text(path) as f:
        for row in csv.DictReader(f):
            key = (row["concept:name"], row["lifecycle:transition"])
            yield Step(row["case:concept:name"], datetime.fromisoformat(row["time:timestamp"]),
                       "/".join(key), BPIC_STATUS.get(key, JUNK), row["impact"].lower())


# ---- history -> events -> replay ---------------------------------------------------------------


def events_for_history(case: str, steps: list[Step]) -> list[Event]:
    """Workflow events that walk a ticket through ``steps`` (JUNK steps must be removed)."""
    first = steps[0]
    events: list[Event] = [TicketOpened(
        ticket=case, at=first.at, event_id=f"{case}#0", priority=first.priority or "normal",
        category=None, channel=None, customer=None, customer_tier=None,
    )]
    status = "new"
    for n, step in enumerate(steps, start=1):
        target = step.status
        if target is None or target == status:
            continue
        common: dict[str, Any] = {"ticket": case, "at": step.at, "event_id": f"{case}#{n}"}
        if status in ("resolved", "closed") and target not in ("resolved", "closed"):
            events.append(TicketReopened(**common))
            status = "in_progress"
            common = {**common, "event_id": f"{case}#{n}b"}
            if target == status:
                continue
        if target == "assigned" and status == "new":
            events.append(TicketAssigned(**common, assignee=None, group=None))
        elif target == "resolved":
            events.append(TicketResolved(**common))
        elif target == "closed":
            events.append(TicketClosed(**common))
        elif target == "cancelled":
            events.append(TicketCancelled(**common))
        else:
            events.append(StatusChanged(**common, to=target))
        status = target
    return events


@attrs.frozen
class Outcome:
    """How one ticket's history replayed."""

    case: str
    kind: str  # clean | clean_mid_life | illegal | junk | out_of_order
    detail: str = ""
    state: TicketState | None = None


def replay_case(case: str, steps: list[Step]) -> Outcome:
    """Replay one ticket's history and classify it."""
    junk = sorted({s.raw for s in steps if s.status == JUNK})
    if junk:
        return Outcome(case, "junk", ", ".join(junk))
    kept = [s for s in steps if s.status is not None]
    if not kept:
        return Outcome(case, "junk", "no status rows")
    state: TicketState | None = None
    try:
        for event in events_for_history(case, kept):
            state = apply(state, event)
    except InvalidTransition as exc:
        target = f" -> {getattr(event, 'to', '')}" if isinstance(event, StatusChanged) else ""
        return Outcome(case, "illegal", f"{exc.status}: {exc.event_type}{target}", state)
    except LateEventError:
        return Outcome(case, "out_of_order", "", state)
    kind = "clean" if kept[0].status == "new" else "clean_mid_life"
    detail = "" if kind == "clean" else f"starts {kept[0].raw}"
    return Outcome(case, kind, detail, state)


def group_cases(steps: Iterable[Step]) -> dict[str, list[Step]]:
    """Steps per case, in file order (the logs list each case's rows in order)."""
    cases: dict[str, list[Step]] = collections.defaultdict(list)
    for step in steps:
        cases[step.case].append(step)
    return dict(cases)


def replay_log(steps: Iterable[Step]) -> list[Outcome]:
    """Replay every case of a log."""
    return [replay_case(case, rows) for case, rows in group_cases(steps).items()]


READERS: dict[str, tuple[str, Callable[[Path], Iterator[Step]]]] = {
    "uci": ("uci_incident_event_log/incident_event_log.csv.gz", read_uci),
    "bpic2013": ("bpic2013_incidents/bpic2013_incidents_flat.csv.gz", read_bpic),
    "helpdesk": ("helpdesk_4tu/finale.csv.gz", read_helpdesk),
}


def summary(outcomes: list[Outcome]) -> tuple[collections.Counter[str], collections.Counter[str]]:
    """Counts per kind, and per detail of the non-clean outcomes."""
    kinds = collections.Counter(o.kind for o in outcomes)
    details = collections.Counter(f"{o.kind}: {o.detail}" for o in outcomes if o.kind != "clean")
    return kinds, details


def main(root: str) -> None:
    """Print the replay report of the three full logs under ``root``."""
    for name, (relative, reader) in READERS.items():
        outcomes = replay_log(reader(Path(root) / relative))
        kinds, details = summary(outcomes)
        print(f"## {name}: {len(outcomes)} tickets")
        for kind, count in kinds.most_common():
            print(f"- {kind}: {count} ({100 * count / len(outcomes):.1f}%)")
        for detail, count in details.most_common(12):
            print(f"    {count:6d}  {detail}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
