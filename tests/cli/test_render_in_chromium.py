"""The HTML report and the SVG timeline, opened in a real browser (headless Chromium).

Skipped, with the reason shown, where Chromium is not installed (Debian package
``chromium``). The screenshots must show a picture: a PNG with many distinct pixel rows.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "slakit" / "replay" / "samples" / "uci_sample.csv.gz"
POLICY = ROOT / "examples" / "policies" / "uci_weekdays.toml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                "(apt-get install chromium) so the pictures are not checked")


def screenshot(target: Path, png: Path, size: str, profile: Path) -> None:
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", f"--window-size={size}",
                    f"--screenshot={png}", target.as_uri()],
                   capture_output=True, timeout=120, check=True)


def distinct_rows(png: Path) -> int:
    """How many different pixel rows the PNG has (a blank page has one)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, channels = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, _, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8, depth
            channels = {2: 3, 6: 4}[colour]  # RGB or RGBA
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * channels  # each row: a filter byte, then the pixels
    return len({raw[i + 1:i + stride] for i in range(0, len(raw), stride)})


def slakit(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "slakit", *map(str, args)], check=True,
                   capture_output=True, timeout=120)


def test_report_and_timeline_render(tmp_path: Path) -> None:
    html, svg = tmp_path / "report.html", tmp_path / "timeline.svg"
    common: list[str | Path] = ["--preset", "uci", "--timezone", "UTC", "--policy", POLICY,
              "--now", "2017-03-01T00:00:00+00:00"]
    slakit("replay", SAMPLE, *common, "--html", html, "--quiet")
    slakit("explain", SAMPLE, "INC0000715", *common, "--svg", svg)
    for target, size in ((html, "1200,1600"), (svg, "1000,200")):
        png = tmp_path / f"{target.stem}.png"
        screenshot(target, png, size, tmp_path / f"profile-{target.stem}")
        assert distinct_rows(png) > 40, target
