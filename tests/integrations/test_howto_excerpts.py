"""The how-to guides quote the example files verbatim, and quote nothing else as code.

A ```python block after ``<!-- excerpt: path -->`` must appear in that file as is (possibly
indented, as a method body is). Other ```python blocks must be doctests (pytest runs those)
or Django settings snippets, which are marked as such.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ["embed-django.md", "embed-fastapi.md", "embed-sqlalchemy.md"]
BLOCK = re.compile(r"(?:<!-- excerpt: (?P<source>\S+) -->\n)?```(?P<lang>\w*)\n(?P<code>.*?)```",
                   re.DOTALL)


def blocks(guide: str) -> list[tuple[str | None, str, str]]:
    text = (ROOT / "docs" / "howto" / guide).read_text(encoding="utf-8")
    return [(m["source"], m["lang"], m["code"]) for m in BLOCK.finditer(text)]


@pytest.mark.parametrize("guide", GUIDES)
def test_excerpts_are_verbatim(guide: str) -> None:
    excerpts = [(source, code) for source, _, code in blocks(guide) if source is not None]
    assert excerpts, f"{guide} quotes no example code"
    for source, code in excerpts:
        text = (ROOT / source).read_text(encoding="utf-8")
        assert code.strip(), f"empty excerpt of {source} in {guide}"
        indents = ("", "    ", "        ", "            ")
        assert any(textwrap.indent(code, prefix) in text for prefix in indents), (
            f"{guide}: this excerpt is not in {source} any more:\n{code}"
        )


@pytest.mark.parametrize("guide", GUIDES)
def test_other_python_blocks_are_doctests(guide: str) -> None:
    for source, lang, code in blocks(guide):
        if source is None and lang == "python":
            assert code.startswith("INSTALLED_APPS"), f"{guide}: unchecked python block:\n{code}"
