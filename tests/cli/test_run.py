"""End to end: the ``slakit`` command as a subprocess, on small logs with hand-computed outcomes.

The policy (tests/data/cli/office_policy.toml): office hours Mon-Fri 09:00-17:00 UTC with
24-26 December 2025 closed; normal: first response 1 h, resolution 8 h; urgent: 30 min / 2 h;
a priority change keeps the business time already counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from slakit import (
    AgentReplied,
    CustomerReplied,
    Event,
    PriorityChanged,
    StatusChanged,
    TicketOpened,
    TicketReopened,
    TicketResolved,
    event_to_json,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "cli"
POLICY = DATA / "office_policy.toml"
POLICY_10H = DATA / "office_policy_10h.toml"
UTC = timezone.utc
NOW = "2026-01-31T00:00:00+00:00"


def t(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[arg-type,misc]


def opened(ticket: str, at: datetime, priority: str = "normal") -> TicketOpened:
    return TicketOpened(ticket=ticket, at=at, event_id=f"{ticket}-0", priority=priority,
                        category=None, channel="email", customer="c-1", customer_tier=None)


def story() -> list[Event]:
    """Six tickets; T6 has an event older than its opening (rejected)."""
    return [
        # T1: paused over the weekend while waiting on the customer.
        opened("T1", t(2025, 1, 3, 16)),
        AgentReplied(ticket="T1", at=t(2025, 1, 3, 16, 30), event_id="T1-1"),
        StatusChanged(ticket="T1", at=t(2025, 1, 3, 16, 45), event_id="T1-2",
                      to="waiting_on_customer"),
        CustomerReplied(ticket="T1", at=t(2025, 1, 6, 10), event_id="T1-3"),
        TicketResolved(ticket="T1", at=t(2025, 1, 6, 15), event_id="T1-4"),
        # T2: opened before Christmas; 2 h on Tuesday, then nothing until Monday 29th.
        opened("T2", t(2025, 12, 23, 15)),
        TicketResolved(ticket="T2", at=t(2025, 12, 29, 16), event_id="T2-1"),
        # T3: resolved, reopened next day, resolved again: the clock resumes.
        opened("T3", t(2025, 1, 8, 9)),
        TicketResolved(ticket="T3", at=t(2025, 1, 8, 10), event_id="T3-1"),
        TicketReopened(ticket="T3", at=t(2025, 1, 9, 9), event_id="T3-2"),
        TicketResolved(ticket="T3", at=t(2025, 1, 9, 12), event_id="T3-3"),
        # T4: upgraded to urgent after 1 h: 1 h carried, 1 h left, due 11:00.
        opened("T4", t(2025, 1, 13, 9)),
        PriorityChanged(ticket="T4", at=t(2025, 1, 13, 10), event_id="T4-1", priority="urgent"),
        TicketResolved(ticket="T4", at=t(2025, 1, 13, 11, 30), event_id="T4-2"),
        # T5: three events in the same minute.
        opened("T5", t(2025, 1, 14, 9)),
        AgentReplied(ticket="T5", at=t(2025, 1, 14, 9), event_id="T5-1"),
        TicketResolved(ticket="T5", at=t(2025, 1, 14, 9), event_id="T5-2"),
        # T6: an event before the ticket's previous one.
        opened("T6", t(2025, 1, 15, 10)),
        TicketResolved(ticket="T6", at=t(2025, 1, 15, 9), event_id="T6-1"),
    ]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    lines = [event_to_json(e) for e in story()]
    lines.insert(5, "{not json")  # line 6 is malformed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def slakit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "slakit", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def records(path: Path) -> dict[str, dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {r["ticket"]: r for r in map(json.loads, lines)}


def test_replay_gives_the_hand_computed_outcomes(log: Path, tmp_path: Path) -> None:
    out, report_path = tmp_path / "tickets.jsonl", tmp_path / "report.json"
    done = slakit("replay", log, "--policy", POLICY, "--now", NOW, "--out", out,
                  "--report", report_path)
    assert done.returncode == 0, done.stderr
    by_ticket = records(out)
    assert sorted(by_ticket) == ["T1", "T2", "T3", "T4", "T5"]

    (r1,) = by_ticket["T1"]["metrics"]["resolution"]
    assert (r1["status"], r1["business_s"], r1["paused_s"]) == ("met", 5.75 * 3600, 65.25 * 3600)
    (f1,) = by_ticket["T1"]["metrics"]["first_response"]
    assert (f1["status"], f1["business_s"]) == ("met", 1800.0)

    (r2,) = by_ticket["T2"]["metrics"]["resolution"]
    assert r2["status"] == "breached_then_met"
    assert r2["due_at"] == r2["breached_at"] == "2025-12-29T15:00:00+00:00"
    assert r2["business_s"] == 9 * 3600

    (r3,) = by_ticket["T3"]["metrics"]["resolution"]
    assert (r3["status"], r3["business_s"]) == ("met", 4 * 3600)
    assert by_ticket["T3"]["reopens"] == 1

    (r4,) = by_ticket["T4"]["metrics"]["resolution"]
    assert (r4["status"], r4["due_at"], r4["target_s"]) == (
        "breached_then_met", "2025-01-13T11:00:00+00:00", 7200.0)
    assert by_ticket["T4"]["priority"] == "urgent"

    assert {m: c[0]["status"] for m, c in by_ticket["T5"]["metrics"].items()} == {
        "first_response": "met", "resolution": "met"}

    report = json.loads(report_path.read_text(encoding="utf-8"))
    normal = report["metrics"]["resolution"]["normal"]
    assert (normal["met"], normal["breached"], normal["running"]) == (3, 1, 0)
    assert normal["compliance"] == 0.75
    assert report["metrics"]["resolution"]["urgent"]["breached"] == 1
    assert report["tickets"]["replayed"] == 5
    rejected = {(i["ticket"], i["line"]) for i in report["rejected"]["items"]}
    assert rejected == {(None, 6), ("T6", 20)}
    assert report["rejected"]["count"] == 2


def test_report_figures_equal_the_ticket_lines(log: Path, tmp_path: Path) -> None:
    out, report_path = tmp_path / "t.jsonl", tmp_path / "r.json"
    assert slakit("replay", log, "--policy", POLICY, "--now", NOW, "--out", out,
                  "--report", report_path, "--quiet").returncode == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    for metric, rows in report["metrics"].items():
        for priority, row in rows.items():
            cycles = [c for r in records(out).values() if priority in ("all", r["priority"])
                      for c in r["metrics"].get(metric, [])]
            met = sum(c["status"] == "met" for c in cycles)
            breached = sum(c["status"] in ("breached", "breached_then_met") for c in cycles)
            assert (row["met"], row["breached"]) == (met, breached), (metric, priority)


def test_strict_stops_at_the_first_rejection(log: Path) -> None:
    done = slakit("replay", log, "--policy", POLICY, "--now", NOW, "--strict", "--quiet")
    assert done.returncode == 3
    assert f"{log}:6: malformed JSON line" in done.stderr


def test_jobs_give_identical_results(log: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for path, jobs in ((one, "1"), (two, "2")):
        done = slakit("replay", log, "--policy", POLICY, "--now", NOW, "--out", path,
                      "--jobs", jobs, "--quiet")
        assert done.returncode == 0, done.stderr
    assert one.read_bytes() == two.read_bytes()


def test_compare_names_the_ticket_that_flips(log: Path, tmp_path: Path) -> None:
    out = tmp_path / "compare.json"
    done = slakit("compare", log, "--policy", POLICY, "--policy", POLICY_10H, "--now", NOW,
                  "--out", out)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [(f["ticket"], f["metric"], f["a"], f["b"]) for f in result["flips"]] == [
        ("T2", "resolution", "breached", "met")]
    assert "target 8 h on office, due 2025-12-29T15:00:00+00:00" in result["flips"][0]["reason"]
    assert "1 clock outcomes flip" in done.stdout


def test_explain_in_words_and_as_a_timeline(log: Path, tmp_path: Path) -> None:
    svg = tmp_path / "t2.svg"
    done = slakit("explain", log, "T2", "--policy", POLICY, "--now", NOW, "--svg", svg)
    assert done.returncode == 0, done.stderr
    assert "resolution #1: BREACHED_THEN_MET" in done.stdout
    assert "breached at Mon 2025-12-29 15:00" in done.stdout
    # Christmas and the weekend: one closed stretch, not counted.
    assert "Tue 2025-12-23 17:00 -> Mon 2025-12-29 09:00  (136:00)" in done.stdout
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg")
    assert "breached 2025-12-29T15:00:00+00:00" in text


def test_html_report_is_self_contained(log: Path, tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    assert slakit("replay", log, "--policy", POLICY, "--now", NOW, "--html", html,
                  "--quiet").returncode == 0
    page = html.read_text(encoding="utf-8")
    # compliance for two metrics, the monthly trend, a breach heatmap for each metric
    assert page.count("<svg") == 5
    assert "<script" not in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["replay", "missing.jsonl", "--policy", str(POLICY)], 4, "does not exist"),
    (["replay", "{log}", "--policy", "nope.toml"], 4, "cannot read policy file"),
    (["replay", "{log}", "--policy", str(POLICY), "--now", "2025-01-01T00:00"], 4,
     "has no UTC offset"),
    (["replay", "{log}", "--policy", str(POLICY), "--timezone", "Mars/Base"], 4, "unknown zone"),
    (["explain", "{log}", "T9", "--policy", str(POLICY)], 4, "ticket 'T9' is not in"),
    (["replay", "{log}"], 2, "--policy"),
])
def test_bad_input_exits_with_a_documented_code(
    log: Path, args: list[str], code: int, message: str
) -> None:
    done = slakit(*(a.replace("{log}", str(log)) for a in args))
    assert done.returncode == code
    assert message in done.stderr


def test_a_naive_time_without_timezone_skips_the_ticket_and_counts_it(tmp_path: Path) -> None:
    csv = tmp_path / "desk.csv"
    csv.write_text("id,at,state,prio\nA,2025-01-06 09:00,New,2\nA,2025-01-06 10:00,Done,2\n",
                   encoding="utf-8")
    mapping = tmp_path / "desk.toml"
    mapping.write_text('ticket = "id"\n[time]\ncolumn = "at"\nformat = "%Y-%m-%d %H:%M"\n'
                       '[status]\ncolumns = ["state"]\n[status.map]\nNew = "new"\n'
                       'Done = "resolved"\n[fields.priority]\ncolumn = "prio"\n'
                       'map = { "2" = "normal" }\n', encoding="utf-8")
    report = tmp_path / "r.json"
    done = slakit("replay", csv, "--mapping", mapping, "--policy", POLICY, "--now", NOW,
                  "--report", report, "--quiet")
    assert done.returncode == 0, done.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["tickets"]["replayed"] == 0
    (item,) = data["rejected"]["items"]
    assert (item["ticket"], item["line"]) == ("A", 2)
    assert "pass --timezone" in item["reason"]
    with_zone = slakit("replay", csv, "--mapping", mapping, "--policy", POLICY, "--now", NOW,
                       "--timezone", "Europe/London", "--report", report, "--quiet")
    assert with_zone.returncode == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["tickets"]["replayed"] == 1
    assert data["metrics"]["resolution"]["normal"]["business_s"]["median"] == 3600.0


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_deeply_nested_policy_file_is_an_input_error(tmp_path: Path, suffix: str) -> None:
    from slakit.cli._run import InputError, load_policy_file

    path = tmp_path / f"deep{suffix}"
    nested = "[" * 100_000 + "]" * 100_000
    path.write_text(f"priorities = {nested}" if suffix == ".toml" else nested, encoding="utf-8")
    with pytest.raises(InputError, match="nested deeper than the parser can follow"):
        load_policy_file(path)
