"""Run every ``benchmarks/bench_*.py`` script in turn and print what each prints.

Usage: ``python benchmarks/run.py [NAME ...] [-- SCRIPT_ARGS ...]``. ``NAME`` picks the
scripts whose file name contains it (``calendar`` runs ``bench_calendar.py``); with no
name, all run. Arguments after ``--`` go to every script (``-- --quick`` for a smoke
test). Each script runs in its own interpreter (this one's), so one cannot warm up or
slow down the next; the exit status is non-zero if any script failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: Sequence[str]) -> int:
    argv = list(argv)
    script_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, script_args = argv[:cut], argv[cut + 1:]
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(name in s.stem for name in argv)]
    if not scripts:
        names = ", ".join(s.name for s in sorted(HERE.glob("bench_*.py"))) or "none"
        print(f"run.py: no benchmark matches {argv}; available: {names}", file=sys.stderr)
        return 2
    failed = []
    for script in scripts:
        print(f"# {script.name}\n", flush=True)
        began = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *script_args], cwd=HERE.parent)
        took = time.perf_counter() - began
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"\n[{script.name}: {status} in {took:.1f} s]\n", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"run.py: {len(failed)} of {len(scripts)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
