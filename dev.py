#!/usr/bin/env python3
"""Developer entry point: `python3 dev.py demo` runs the main job, `python3 dev.py test` the tests.

`python3 dev.py catalogues` compiles the gettext catalogues (needs nothing installed).

Each command creates `.venv/` beside this file on first use and reinstalls the project into it
whenever `pyproject.toml` changes, so both work on a fresh clone with nothing but python3.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _bootstrap(extras: str) -> None:
    """Create the virtual environment and install the project with `extras`, once per change."""
    if not PY.exists():
        print(f"dev.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{extras}-{digest}"
    if stamp.exists():
        return
    print(f"dev.py: installing slakit[{extras}] into {VENV}", flush=True)
    _run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "-e", f".[{extras}]"])
    stamp.touch()


def _run(cmd: list[str]) -> None:
    code = subprocess.call(cmd, cwd=ROOT)
    if code:
        sys.exit(code)


def demo(args: list[str]) -> None:
    """Replay the bundled UCI sample through the example policy; write out/ reports.

    ``--shop`` runs the Chinese shop desk on generated data instead (examples/shop_demo/),
    writing out/shop/.
    """
    _bootstrap("demo")  # the base package only, not the test tools
    (ROOT / "out").mkdir(exist_ok=True)
    if "--shop" in args:
        rest = [a for a in args if a != "--shop"]
        _run([str(PY), "examples/shop_demo/run.py", "--out", "out/shop", *rest])
        return
    _run([str(PY), "-m", "slakit", "replay", "src/slakit/replay/samples/uci_sample.csv.gz",
          "--preset", "uci", "--timezone", "UTC",
          "--policy", "examples/policies/uci_weekdays.toml",
          "--now", "2017-03-01T00:00:00+00:00",
          "--out", "out/tickets.jsonl", "--report", "out/report.json",
          "--html", "out/report.html", *args])


def test(args: list[str]) -> None:
    _bootstrap("test")
    lint = [p for p in ("src", "tests", "benchmarks", "examples", "dev.py") if (ROOT / p).exists()]
    _run([str(BIN / "ruff"), "check", *lint])
    _run([str(BIN / "mypy")])
    # One pytest worker per core unless the caller chose (-n 0 runs in this process).
    chosen = any(a.startswith(("-n", "--numprocesses")) for a in args)
    workers = [] if chosen else ["-n", "auto"]
    _run([str(PY), "-m", "pytest", "-p", "no:cacheprovider", *workers, *args])


def screenshots(args: list[str]) -> None:
    """Screenshots of the HTML report and the explain SVG in headless Chromium, to docs/img/."""
    _bootstrap("demo")
    _run([str(PY), "benchmarks/screenshots.py", *args])


def bench(args: list[str]) -> None:
    _bootstrap("test,bench")
    _run([str(PY), "benchmarks/run.py", *args])


def catalogues(args: list[str]) -> None:
    """Compile src/slakit/i18n/locale/*/LC_MESSAGES/slakit.po to .mo (standard library only)."""
    _run([sys.executable, "src/slakit/i18n/_msgfmt.py", *args])


COMMANDS = {"demo": demo, "test": test, "bench": bench, "screenshots": screenshots,
            "catalogues": catalogues}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(COMMANDS)}}} [args...]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
