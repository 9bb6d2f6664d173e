"""Reading per-ticket outcomes: a replay's record, a ticket state with its clocks."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from slakit.cli._run import load_policy_file
from slakit.reports import ClockOutcome, ReportInputError, TicketOutcome
from slakit.reports._record import RECORD_KEYS, _checked_record, _fast_record
from slakit.sla import SlaEngine, evaluate_clocks
from slakit.workflow import TicketOpened, TicketRated, TicketResolved

UTC = timezone.utc
POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "uci_weekdays.toml"

RECORD: dict[str, Any] = {
    "ticket": "INC1", "status": "closed", "priority": "moderate", "policy": "weekdays",
    "policy_version": "1", "opened_at": "2016-02-29T01:16:00+00:00",
    "resolved_at": "2016-02-29T08:53:00+00:00", "closed_at": "2016-03-05T12:00:00+00:00",
    "cancelled_at": None, "category": "Category 55", "channel": "Phone", "group": "Group 56",
    "assignee": None, "customer_tier": None, "resolution_code": "Code 7", "tags": ["vpn"],
    "reopens": 1, "events": 4, "escalations": 2, "notes": [], "skipped_rows": 0,
    "source": "log.csv:2", "satisfaction": {"response_speed": 4, "resolution": None, "attitude": 5},
    "metrics": {"resolution": [{
        "cycle": 1, "status": "met", "target_s": 118800.0, "calendar": "weekdays",
        "started_at": "2016-02-29T01:16:00+00:00", "due_at": "2016-03-01T10:16:00+00:00",
        "ended_at": "2016-02-29T08:53:00+00:00", "breached_at": None, "business_s": 27420.0,
        "calendar_s": 27420.0, "paused_s": 0.0}]},
}


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_replay_record_reads_exactly() -> None:
    assert TicketOutcome.from_record(RECORD) == TicketOutcome(
        "INC1", "closed", "moderate", t("2016-02-29T01:16:00+00:00"),
        t("2016-02-29T08:53:00+00:00"), t("2016-03-05T12:00:00+00:00"), None, "Category 55",
        "Phone", "Group 56", None, None, None, "Code 7", ("vpn",), 1, 2,
        (("response_speed", 4), ("attitude", 5)),
        (ClockOutcome("resolution", 1, "met", 118800.0, 27420.0, 27420.0,
                      t("2016-02-29T01:16:00+00:00"), t("2016-03-01T10:16:00+00:00"),
                      t("2016-02-29T08:53:00+00:00"), None),))


def test_host_fields_beat_the_record() -> None:
    got = TicketOutcome.from_record(RECORD, plan="gold", root_cause="config",
                                    keywords=["登录", "VPN"])
    assert (got.plan, got.root_cause, got.keywords) == ("gold", "config", ("登录", "VPN"))


def test_every_problem_of_a_record_is_listed_with_its_path() -> None:
    bad = copy.deepcopy(RECORD)
    bad["colour"] = "red"
    bad["opened_at"] = "2016-02-29 01:16"
    bad["reopens"] = -1
    bad["satisfaction"]["attitude"] = 6
    cycle = bad["metrics"]["resolution"][0]
    cycle["business_s"] = "long"
    cycle["extra"] = 1
    del bad["status"]
    with pytest.raises(ReportInputError) as info:
        TicketOutcome.from_record(bad, tier="x")
    known = ", ".join(sorted(RECORD_KEYS))
    assert list(info.value.problems) == [
        f"record['INC1'].colour: unknown key; known keys: {known}",
        "record['INC1'].tier: unknown host field; known: keywords, plan, root_cause",
        "record['INC1'].status: missing; every record needs it",
        "record['INC1'].opened_at: instant '2016-02-29 01:16' has no offset; add one, e.g. '+08:00'",
        "record['INC1'].metrics.resolution[0].extra: unknown key; known keys: breached_at, "
        "business_s, calendar, calendar_s, cycle, due_at, ended_at, paused_s, priority, started_at, "
        "status, target_s",
        "record['INC1'].metrics.resolution[0].business_s: expected a number of seconds, got 'long'",
        "record['INC1'].satisfaction.attitude: expected a rating from 1 to 5, got 6",
        "record['INC1'].reopens: expected a count (a whole number >= 0), got -1",
    ]
    assert isinstance(info.value, ValueError)


def test_a_record_written_before_the_rename_still_reads() -> None:
    old = copy.deepcopy(RECORD)
    cycle = old["metrics"]["resolution"][0]
    cycle["state"] = cycle.pop("status")
    assert TicketOutcome.from_record(old) == TicketOutcome.from_record(RECORD)
    cycle["status"] = "met"
    with pytest.raises(ReportInputError) as info:
        TicketOutcome.from_record(old)
    assert list(info.value.problems) == [
        "record['INC1'].metrics.resolution[0].state: the older name of 'status'; give only "
        "'status'"]


def test_not_a_mapping() -> None:
    with pytest.raises(ReportInputError, match=r"record: expected a mapping \(one replay line\)"):
        TicketOutcome.from_record(["INC1"])  # type: ignore[arg-type]


def test_from_a_ticket_state_and_its_clocks() -> None:
    opened = datetime(2025, 3, 3, 9, tzinfo=UTC)  # a Monday
    engine = SlaEngine(load_policy_file(POLICY))
    state, sla = engine.apply_all([
        TicketOpened(ticket="T-1", at=opened, event_id="1", priority="moderate", category="vpn",
                     channel="chat", customer="c-1", customer_tier="gold"),
        TicketResolved(ticket="T-1", at=opened + timedelta(hours=3), event_id="2",
                       resolution_code="answered"),
        TicketRated(ticket="T-1", at=opened + timedelta(hours=4), event_id="3",
                    response_speed=5, resolution=4, attitude=None),
    ])
    now = opened + timedelta(days=1)
    got = TicketOutcome.from_ticket(state, evaluate_clocks(sla, now), plan="basic", now=now)
    assert (got.ticket, got.status, got.category, got.customer_tier, got.plan, got.root_cause) == (
        "T-1", "resolved", "vpn", "gold", "basic", "answered")
    assert got.satisfaction == (("response_speed", 5), ("resolution", 4))
    by_metric = {c.metric: c for c in got.clocks}
    assert (by_metric["resolution"].status, by_metric["resolution"].business_s,
            by_metric["resolution"].wall_s) == ("met", 3 * 3600.0, 3 * 3600.0)
    assert (by_metric["to_closure"].status, by_metric["to_closure"].business_s,
            by_metric["to_closure"].wall_s) == ("running", 24 * 3600.0, 24 * 3600.0)
    assert got.done_at == opened + timedelta(hours=3)


def test_the_fast_path_reads_what_the_checking_path_reads() -> None:
    host = {"plan": "gold", "keywords": ["a"]}
    assert _fast_record(RECORD, {}) == _checked_record(RECORD, {})
    assert _fast_record(RECORD, host) == _checked_record(RECORD, host)
    sparse = {k: RECORD[k] for k in ("ticket", "status", "opened_at")}
    assert TicketOutcome(*_fast_record(sparse, {})) == TicketOutcome(
        *_checked_record(sparse, {})) == TicketOutcome("INC1", "closed", None,
                                                       t("2016-02-29T01:16:00+00:00"))
