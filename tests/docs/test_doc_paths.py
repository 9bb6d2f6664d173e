"""Every ``docs/....md`` path a page names in plain text exists (mkdocs checks only real links).

docs/sla.md once pointed readers to a docs/replay.md that was never written (issue #12).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
NAMED_PATH = re.compile(r"\bdocs/[\w./-]+?\.md\b")


def test_every_docs_path_named_in_the_pages_exists() -> None:
    assert len(PAGES) > 10
    missing = [
        f"{page.relative_to(ROOT)}: {name}"
        for page in PAGES
        for name in NAMED_PATH.findall(page.read_text(encoding="utf-8"))
        if not (ROOT / name).is_file()
    ]
    assert missing == []
