"""Run ``layout_cpu.py`` over several checkouts, alternating, and print the best per row.

Usage: ``python benchmarks/bisect_cpu.py ROUNDS TICKETS REPEATS TREE [TREE ...]``. Each round
runs this directory's ``layout_cpu.py`` once per tree (tree after tree, with that tree's
``src`` first on the path), so a burst of load from other processes hits every version
alike; the order of the trees is reversed every other round. Prints a Markdown table: per
tree (named by its directory and its commit), the best CPU microseconds per event of each
row over the rounds, and how much above the first tree. Also prints the load average
before and after. To bisect: ``git worktree add --detach /tmp/bis/NAME COMMIT`` per commit.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^(.*): ([0-9.]+) us/event CPU")


def _commit(tree: Path) -> str:
    out = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip() or "?"


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__)
        return 2
    rounds, tickets, repeats = int(argv[0]), argv[1], argv[2]
    trees = [Path(t).resolve() for t in argv[3:]]
    best: dict[Path, dict[str, float]] = {t: {} for t in trees}
    rows: list[str] = []
    print(f"load average before: {os.getloadavg()}", file=sys.stderr, flush=True)
    for r in range(rounds):
        for tree in trees if r % 2 == 0 else trees[::-1]:
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            out = subprocess.run(
                [sys.executable, str(HERE / "layout_cpu.py"), str(tree), tickets, repeats],
                cwd=tree, env=env, capture_output=True, text=True, check=False)
            if out.returncode:
                print(f"{tree.name}: exit {out.returncode}\n{out.stderr[-2000:]}",
                      file=sys.stderr, flush=True)
                continue
            for line in out.stdout.splitlines():
                m = LINE.match(line)
                if m:
                    label, value = m.group(1), float(m.group(2))
                    if label not in rows:
                        rows.append(label)
                    best[tree][label] = min(best[tree].get(label, value), value)
        print(f"round {r} done, load average {os.getloadavg()}", file=sys.stderr, flush=True)
    base = best[trees[0]]
    print("| tree | commit | " + " | ".join(rows) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in rows) + " |")
    for tree in trees:
        cells = []
        for label in rows:
            value = best[tree].get(label)
            if value is None:
                cells.append("")
            elif label in base and tree != trees[0]:
                cells.append(f"{value:.2f} ({(value / base[label] - 1) * 100:+.1f}%)")
            else:
                cells.append(f"{value:.2f}")
        print(f"| {tree.name} | {_commit(tree)} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
