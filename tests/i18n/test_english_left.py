"""How many error and problem sentences are still English only: counted, and never more.

A sentence counts when slakit's source passes English text (a string or f-string holding
words) straight to an exception (``raise XError("...")``, ``Rejected(..., "...")``) or to a
problem collector (``.bad(key, "...")``, ``.add("...")``, ``problems.append("...")``)
instead of a :class:`slakit._message.Message` the catalogues translate. The test fails when
the count grows (a new sentence must be a Message with a zh-CN entry) and tells the lead to
lower :data:`CEILING` when it shrinks. Count by hand with::

    PYTHONPATH=src python tests/i18n/test_english_left.py
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "slakit"
CEILING = 8
"""English-only sentences left at the last count (see the module docstring)."""

_RAISING = re.compile(r"^[A-Z]\w*(Error|Reject|Rejected|Stop)$")
_COLLECTORS = re.compile(r"problem|found|errors")
_SENTENCE = re.compile(r"[A-Za-z]{3,}.* |.* [A-Za-z]{3,}")
_MARKED = {"Message", "N_", "_", "gettext", "ngettext"}


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _receiver(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Attribute):
        v = f.value
        return v.id if isinstance(v, ast.Name) else v.attr if isinstance(v, ast.Attribute) else ""
    return ""


def _text_args(call: ast.Call) -> list[ast.expr]:
    name, args = _name(call), list(call.args)
    if _RAISING.match(name):
        return args
    if name in ("bad", "add") and _receiver(call) != "seen":
        return args[1:] if len(args) >= 2 else args
    if name == "append" and _COLLECTORS.search(_receiver(call)):
        return args
    return []


def _sentences(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.List | ast.Tuple):
        return [s for e in node.elts for s in _sentences(e)]
    if isinstance(node, ast.IfExp):
        return _sentences(node.body) + _sentences(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return []
    return [node] if _SENTENCE.search(text) else []


def english_left(root: Path = SRC) -> Counter[str]:
    """English-only sentences per file (path relative to the package)."""
    found: Counter[str] = Counter()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) not in _MARKED:
                for arg in _text_args(node):
                    found[path.relative_to(root).as_posix()] += len(_sentences(arg))
    return +found


def test_the_counter_finds_english_and_skips_messages() -> None:
    source = (
        "raise InvalidValueError(f'bad value {x!r}; use one')\n"
        "raise InvalidValueError(Message('bad value {x!r}; use one', x=x))\n"
        "problems.append('two rules share a name')\n"
        "table.bad('key', 'expected a table here')\n"
        "table.bad('key', Message('expected a table here'))\n"
        "seen.add('not a sentence at all')\n"
        "raise PolicyDataError([f'{path}: unknown key'])\n"
    )
    counted = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node) not in _MARKED:
            counted += sum(len(_sentences(a)) for a in _text_args(node))
    assert counted == 4


def test_no_new_english_only_sentences() -> None:
    total = sum(english_left().values())
    assert total <= CEILING, (
        f"{total - CEILING} new English-only error or problem sentences: build them as "
        "slakit._message.Message and add zh-CN entries (see this module's docstring)")
    if total < CEILING:  # pragma: no cover - a reminder, not a failure
        print(f"english-left: {total} (CEILING {CEILING} can be lowered)")


if __name__ == "__main__":
    counts = english_left()
    for where, n in counts.most_common():
        print(f"{n:4} {where}")
    print(f"{sum(counts.values()):4} total")
    sys.exit(0)
