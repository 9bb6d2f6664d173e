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
