"""Render the HTML report and the explain SVG in headless Chromium and save screenshots.

Usage: ``python benchmarks/screenshots.py [--out DIR]`` (default ``docs/img``), or
``python3 dev.py screenshots``. The test suite runs it with ``--out`` in a temporary folder
(tests/cli/test_render_in_chromium.py), so the pictures in the docs come from the same code.

What it checks, and exits 1 with the reason when one fails:

* the page and the SVG print nothing to the browser console;
* every chart of the page (each inline ``<svg>``) draws a picture when rendered on its own
  (many distinct pixel rows, not a blank box);
* Chinese text is shaped by the page's font list: "售后服务报告" renders differently from
  private-use code points (which every font shows as the same empty boxes).

Inputs: the bundled UCI sample through ``examples/policies/uci_weekdays.toml`` (the report,
in English and with ``--lang zh-CN``), and ticket INC0000715 of it (the timeline).
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "src/slakit/replay/samples/uci_sample.csv.gz"  # relative to ROOT, as the page shows
POLICY = "examples/policies/uci_weekdays.toml"
COMMON = ["--preset", "uci", "--timezone", "UTC", "--policy", POLICY,
          "--now", "2017-03-01T00:00:00+00:00"]


def chromium() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(target: Path, png: Path, size: str, work: Path) -> list[str]:
    """Screenshot ``target`` into ``png``; returns the console messages the page printed."""
    browser = chromium()
    if browser is None:
        raise SystemExit("screenshots: headless Chromium is not installed (.ci/chromium.sh)")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--enable-logging=stderr", "--v=0",
         f"--user-data-dir={work / ('profile-' + png.stem)}", f"--window-size={size}",
         f"--screenshot={png}", target.as_uri()],
        capture_output=True, text=True, timeout=120, check=True)
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def distinct_rows(png: Path) -> int:
    """How many different pixel rows the PNG has (a blank picture has one)."""
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


def _slakit(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "slakit", *map(str, args)], check=True, cwd=ROOT,
                   capture_output=True, timeout=300)


def _charts(html: Path, work: Path) -> list[str]:
    """Render every chart of the page on its own; the problems found."""
    problems = []
    svgs = re.findall(r"<svg .*?</svg>", html.read_text(encoding="utf-8"), re.S)
    if not svgs:
        problems.append(f"{html.name}: no chart at all")
    for n, svg in enumerate(svgs):
        size = re.search(r'width="(\d+)" height="(\d+)"', svg)
        assert size is not None
        path = work / f"chart-{n}.svg"
        path.write_text(svg, encoding="utf-8")
        png = work / f"chart-{n}.png"
        console = screenshot(path, png, f"{size[1]},{size[2]}", work)
        title = re.search(r"<title>(.*?)</title>", svg)
        name = title[1] if title else f"chart {n}"
        if console:
            problems.append(f"{name}: console says {console}")
        if distinct_rows(png) < 15:
            problems.append(f"{name}: drew nothing ({distinct_rows(png)} distinct pixel rows)")
    return problems


def _cjk(work: Path) -> list[str]:
    from slakit.cli._charts import FONTS

    pngs = []
    for name, text in (("cjk", "售后服务报告"), ("tofu", "\ue000\ue001\ue002\ue003\ue004\ue005")):
        page = work / f"{name}.html"
        page.write_text(f'<!DOCTYPE html><meta charset="utf-8"><body style="margin:0;'
                        f'font: 40px {FONTS}">{text}</body>', encoding="utf-8")
        screenshot(page, work / f"{name}.png", "400,80", work)
        pngs.append((work / f"{name}.png").read_bytes())
    if pngs[0] == pngs[1]:
        return ["Chinese text is not shaped: no font of the list covers it (install "
                "fonts-noto-cjk; .ci/chromium.sh does)"]
    return []


def make(out: Path, work: Path) -> list[str]:
    """Write report.png, report-zh.png and timeline.png into ``out``; the problems found."""
    out.mkdir(parents=True, exist_ok=True)
    html, html_zh, svg = work / "report.html", work / "report-zh.html", work / "timeline.svg"
    _slakit("replay", SAMPLE, *COMMON, "--html", html, "--quiet")
    _slakit("replay", SAMPLE, *COMMON, "--html", html_zh, "--quiet", "--lang", "zh-CN")
    _slakit("explain", SAMPLE, "INC0000715", *COMMON, "--svg", svg)
    problems = []
    for target, png, size in ((html, out / "report.png", "1200,2600"),
                              (html_zh, out / "report-zh.png", "1200,2600"),
                              (svg, out / "timeline.png", "1000,200")):
        console = screenshot(target, png, size, work)
        if console:
            problems.append(f"{target.name}: console says {console}")
        if distinct_rows(png) < 40:
            problems.append(f"{target.name}: the screenshot is blank")
    return problems + _charts(html, work) + _cjk(work)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        problems = make(args.out, Path(work))
    for p in problems:
        print(f"screenshots: {p}", file=sys.stderr)
    if not problems:
        print(f"screenshots: report.png, report-zh.png and timeline.png written to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
