"""The HTML report and the SVG timeline, opened in a real browser (headless Chromium).

Runs ``benchmarks/screenshots.py`` (the script that makes docs/img/report.png and
docs/img/timeline.png) into a temporary folder: no console message, every chart draws a
picture, Chinese text is shaped by the page's font list, and both screenshots show a
picture. Skipped, with the reason shown, where Chromium is not installed (``.ci/chromium.sh``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "screenshots.py"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                "(apt-get install chromium) so the pictures are not checked")


def test_report_and_timeline_render(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-zh.png", "report.png", "timeline.png"]
    assert (tmp_path / "report.png").stat().st_size > 50_000
    assert (tmp_path / "report-zh.png").stat().st_size > 50_000
