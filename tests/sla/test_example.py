"""The worked example (examples/sla_spring_festival.py) runs and prints the exact figures."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from slakit.policies import dump_policies, load_policies

ROOT = Path(__file__).resolve().parents[2]


def test_the_spring_festival_example_prints_the_expected_figures() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "sla_spring_festival.py")],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    lines = [" ".join(line.split()) for line in out.splitlines()]
    expected = [
        # normal ticket on Friday night: Sunday 26 Jan is a makeup workday, then the holidays
        "first_response #1 running normal due Sun 01-26 11:00 elapsed 0:00:00 breached - "
        "[standard v5, office v2025]",
        "resolution #1 running normal due Wed 02-05 15:00 elapsed 0:00:00 breached - "
        "[standard v5, office v2025]",
        # the upgrade: 1 h 15 min of office time carried, 2 h 45 min left on 24x7
        "resolution #1 running urgent due Wed 02-05 13:15 elapsed 1:15:00 breached - "
        "[standard v5, 24x7 v1]",
        "solution_plan #1 running urgent due Wed 02-05 12:30 elapsed 0:00:00 breached - "
        "[standard v5, 24x7 v1]",
        "Wed 02-05 11:15 escalation half notify assignee resolution (cycle 1, target 4:00:00) "
        "reached 50% of its target",
        # the reopen resumes the clock with 3 h 35 min used: due 25 minutes later
        "resolution #1 running urgent due Thu 02-06 09:25 elapsed 3:35:00 breached - "
        "[standard v5, 24x7 v1]",
        "Thu 02-06 09:01 escalation ninety notify team_lead resolution (cycle 1, target 4:00:00) "
        "reached 90% of its target",
        "Thu 02-06 09:25 escalation ladder/1 notify team_lead resolution (cycle 1, target "
        "4:00:00) breached its target (level 1)",
        "resolution #1 breached_then_met urgent due Thu 02-06 09:25 elapsed 4:25:00 breached "
        "Thu 02-06 09:25 [standard v5, 24x7 v1]",
        "hotline urgent first response due Fri 01-24 20:33, engineer due Fri 01-24 20:45",
        "suggestion first response due Thu 02-06 09:00",
        "11.11 peak normal first response due Wed 11-12 09:30",
        "after the peak first response due Fri 11-21 11:00",
    ]
    for line in expected:
        assert line in lines, line
    # Nothing escalates while the ticket waits over the holidays, and no ladder step 2.
    assert not any("escalation" in line and "02-0" in line and "01-" in line for line in lines)
    assert not any("ladder/2" in line for line in lines)


def test_the_example_policies_round_trip_through_plain_data() -> None:
    data = tomllib.loads((ROOT / "examples" / "sla_policies.toml").read_text())
    policies = load_policies(data)
    assert load_policies(dump_policies(policies)) == policies
    assert policies.problems() == ()
