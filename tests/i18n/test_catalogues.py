"""Every sentence slakit marks is in both catalogues, translated, with the same placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

import slakit
from slakit.i18n._msgfmt import extract, parse_po, po_files

SRC = Path(slakit.__file__).parent
# Chinese reorders the decision sentence from its parts: the English names the engine's
# reason, the Chinese the metric, the state and the level (all passed to ``format``).
DECISION = "Ticket {ticket} ({tenant}): {reason} at {when}; {actions}."
EXTRA = {DECISION: {"metric", "state", "level"}}
DROPPED = {DECISION: {"reason"}}


def _marked() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        for _, line, ids in extract(path.read_text(encoding="utf-8"), where):
            for msgid in ids:
                found.setdefault(msgid, f"{where}:{line}")
    return found


def _catalogue(lang: str) -> dict[str, list[str]]:
    po = next(p for p in po_files() if p.parent.parent.name == lang)
    return {e[0]: e[2] for e in parse_po(po.read_text(encoding="utf-8"), str(po))
            if e[0] and not e[3]}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


MARKED = _marked()


def test_the_source_marks_the_sentence_families() -> None:
    files = {where.rpartition(":")[0] for where in MARKED.values()}
    assert {"cli/_explain.py", "cli/_report.py", "cli/_main.py", "cli/_timeline_svg.py",
            "desk/_decision.py", "reports/_fault_text.py", "i18n/_words.py",
            # errors, problems and rejection reasons, marked as Message(...)
            "_errors.py", "_problems.py", "cli/_parser.py", "cli/_run.py", "replay/_rows.py",
            "replay/_mapping.py", "policies/_data.py", "calendar/_config.py",
            "triage/_data.py", "workflow/_errors.py"} <= files
    assert len(MARKED) > 700


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_marked_sentence_has_a_translation(lang: str) -> None:
    catalogue = _catalogue(lang)
    missing = [f"{where}: {msgid!r}" for msgid, where in MARKED.items()
               if not any(catalogue.get(msgid, []))]
    assert missing == [], (f"add these to src/slakit/i18n/locale/{lang}/LC_MESSAGES/slakit.po "
                           "and run python3 dev.py catalogues")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_no_catalogue_entry_is_left_over(lang: str) -> None:
    assert sorted(set(_catalogue(lang)) - set(MARKED)) == []


def test_english_translations_are_the_msgids() -> None:
    assert {k: v for k, v in _catalogue("en").items() if v != [k]} == {}


def test_chinese_keeps_every_placeholder_and_invents_none() -> None:
    wrong = []
    for msgid, strs in _catalogue("zh_CN").items():
        for text in strs:
            allowed = _fields(msgid) | EXTRA.get(msgid, set())
            needed = _fields(msgid) - DROPPED.get(msgid, set())
            if not (needed <= _fields(text) <= allowed):
                wrong.append(f"{msgid!r} -> {text!r}")
    assert wrong == []


def test_chinese_translations_are_chinese() -> None:
    """Every Chinese entry differs from its msgid but the one that is only placeholders."""
    same = sorted(k for k, v in _catalogue("zh_CN").items() if v == [k])
    assert same == ["{action} {people}"]
