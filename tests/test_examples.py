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
