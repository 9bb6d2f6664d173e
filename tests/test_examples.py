"""The examples run and print what the docs promise."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_example(name: str) -> str:
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_quickstart_prints_the_three_service_levels() -> None:
    lines = run_example("quickstart.py").splitlines()
    levels = ("urgent", "important", "normal")
    rows = {line.split()[0]: line for line in lines if line.split()[:1] and line.split()[0] in levels}
    assert "Fri 2025-01-24 21:00" in rows["urgent"]
    assert "Sat 2025-01-25 00:30" in rows["urgent"]
    assert "Sat 2025-01-25 09:30" in rows["important"]
    assert "Sat 2025-01-25 16:30" in rows["important"]
    assert "Sun 2025-01-26 11:00" in rows["normal"]
    assert "Wed 2025-02-05 15:00" in rows["normal"]


def test_triage_to_sla_joins_triage_assignment_workflow_and_clocks() -> None:
    out = run_example("triage_to_sla.py")
    tickets = {block.split()[0]: block for block in out.strip().split("\n\n")}
    vip = tickets["T-1"]
    # Urgent by the payment rule; the VIP raise is capped at the top of the ladder.
    assert "triage  priority urgent: rule 'payment-interface-failure'" in vip
    assert "raised 0 level(s) (asked 1, capped) to urgent" in vip
    # The dedicated advisor is off shift at 20:30; of the payment agents on shift, the least loaded.
    assert "assign  least-loaded: cho has the lightest load (1)" in vip
    assert "sla     first_response  urgent    due Mon 06-02 21:00" in vip
    assert "wake    Mon 06-02 21:00" in vip
    # Triage's 'suggestion' is the SLA ladder's 'low'; the advisor is on the late shift.
    suggestion = tickets["T-3"]
    assert "triage  priority suggestion: rule 'feature-request'" in suggestion
    assert "assign  dedicated-advisor: dee is the customer's dedicated advisor" in suggestion
    assert "sla     resolution      low       due Tue 06-10 12:00" in suggestion
    assert "sla     first_response  normal    due Tue 06-03 09:30" in tickets["T-2"]


def test_shop_demo_runs_a_generated_chinese_desk_end_to_end(tmp_path: Path) -> None:
    import json

    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "shop_demo" / "run.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    assert out.startswith("GENERATED DATA (生成的演示数据)")
    assert "492 generated tickets, 2025-10-20 to 2025-11-30 (Asia/Shanghai)" in out
    lines = (tmp_path / "generated_shop_tickets.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["ticket"]: r for r in map(json.loads, lines)}
    report = json.loads((tmp_path / "generated_shop_report.json").read_text(encoding="utf-8"))
    t = report["tickets"]
    assert (t["replayed"], t["rejected"], t["no_clock"]) == (492, 0, 0)
    assert t["by_priority"] == {"urgent": 27, "important": 51, "normal": 392, "low": 22}
    assert report["policies"] == {"hotline": 57, "standard": 412, "suggestions": 23}
    # The 11.11 peak window tightens a normal ticket's first response: 1 h on the 7x12 desk
    # instead of 2 h in office hours (CN holidays).
    peak, before = records["SHOP-00313"], records["SHOP-00002"]
    assert peak["opened_at"] == "2025-11-11T23:40:00+08:00"
    assert [(c["target_s"], c["calendar"]) for c in peak["metrics"]["first_response"]] == [
        (3600.0, "7x12")]
    assert [(c["target_s"], c["calendar"]) for c in before["metrics"]["first_response"]] == [
        (7200.0, "office")]
    # Triage of the Chinese messages decided the categories; escalations fired.
    assert sum(r["category"] == "logistics" for r in records.values()) == 149
    assert sum(r["escalations"] for r in records.values()) == 1420
    assert [(r["period"], r["tickets"]) for r in report["trend"]["rows"]] == [
        ("2025-W43", 42), ("2025-W44", 78), ("2025-W45", 168), ("2025-W46", 120),
        ("2025-W47", 42), ("2025-W48", 42)]
    page = (tmp_path / "generated_shop_report.html").read_text(encoding="utf-8")
    assert "generated_shop_events.jsonl" in page
    assert "<td>售后一组</td>" in page
