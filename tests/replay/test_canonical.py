"""Reading slakit's own event lines: a ticket with any bad line is rejected whole."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from slakit import AgentReplied, TicketOpened, TicketResolved, event_to_json
from slakit.replay import Rejected, TicketLog, read_canonical

UTC = timezone.utc


def _lines() -> list[str]:
    def opened(ticket: str) -> TicketOpened:
        return TicketOpened(ticket=ticket, at=datetime(2025, 1, 6, 9, tzinfo=UTC),
                            event_id=f"{ticket}-0", priority="normal", category=None,
                            channel=None, customer=None, customer_tier=None)

    out = []
    for ticket in ("T1", "T2"):
        out.append(event_to_json(opened(ticket)))
        out.append(event_to_json(AgentReplied(ticket=ticket, at=datetime(2025, 1, 6, 10,
                                                                             tzinfo=UTC),
                                              event_id=f"{ticket}-1")))
        out.append(event_to_json(TicketResolved(ticket=ticket, at=datetime(2025, 1, 6, 11,
                                                                               tzinfo=UTC),
                                                event_id=f"{ticket}-2")))
    return out


def _with_unknown_field(line: str) -> str:
    data = json.loads(line)
    data["resolution_note"] = "fixed"  # not a field of the event
    return json.dumps(data)


def test_a_resolved_event_with_an_unknown_field_rejects_its_ticket_whole(tmp_path: Path) -> None:
    # The example: before, only line 3 was rejected and T1 was judged without its
    # resolution (a "breached" where the answer is met).
    lines = _lines()
    lines[2] = _with_unknown_field(lines[2])
    lines[1] = _with_unknown_field(lines[1])
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_canonical(path))
    assert len(results) == 2
    bad, good = results
    assert isinstance(bad, Rejected)
    assert (bad.ticket, bad.line, bad.lines) == ("T1", 2, (2, 3))
    assert bad.reason.startswith("2 bad lines: line 2: ")
    assert "; line 3: " in bad.reason
    assert "resolution_note" in bad.reason
    assert bad.describe().startswith(f"{path}:2 (lines 2, 3): ticket T1: 2 bad lines")
    assert isinstance(good, TicketLog)
    assert (good.ticket, len(good.events)) == ("T2", 3)


def test_a_line_naming_no_ticket_is_rejected_alone(tmp_path: Path) -> None:
    lines = _lines()
    lines.insert(3, "[1, 2]")
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_canonical(path))
    assert [(r.ticket, r.line) for r in results if isinstance(r, Rejected)] == [(None, 4)]
    assert [r.ticket for r in results if isinstance(r, TicketLog)] == ["T1", "T2"]
