"""Compile the gettext catalogues: ``slakit.po`` -> ``slakit.mo``, byte for byte reproducible.

Design rules:

* Standard library only and no slakit import, so ``python3 dev.py catalogues`` runs it on a
  fresh clone (``python3 src/slakit/i18n/_msgfmt.py``) and the tests import it to prove that
  every shipped ``.mo`` is what its ``.po`` compiles to (a stale ``.mo`` fails the suite).
* The ``.mo`` is written without a hash table and with entries sorted by msgid, so the same
  ``.po`` always gives the same bytes. Fuzzy entries and empty translations are left out
  (gettext would fall back to the English msgid for them; the catalogue test refuses both).
* Only the PO subset slakit writes is read: ``#`` comments, ``#,`` flags, ``msgid``,
  ``msgid_plural``, ``msgstr`` and ``msgstr[n]``, each with continuation lines. Anything
  else is an error naming the file and line.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

Entry = tuple[str, str | None, list[str], bool]  # msgid, msgid_plural, msgstrs, fuzzy


class PoSyntaxError(ValueError):
    """A ``.po`` file holds something this reader does not understand (file and line named)."""


def parse_po(text: str, where: str = "<po>") -> list[Entry]:
    """The entries of a ``.po`` file, in file order."""
    entries: list[Entry] = []
    msgid: list[str] | None = None
    plural: list[str] | None = None
    strs: dict[int, list[str]] = {}
    fuzzy = next_fuzzy = False
    current: list[str] | None = None

    def flush() -> None:
        nonlocal msgid, plural, strs, fuzzy
        if msgid is not None:
            values = ["".join(strs[i]) for i in sorted(strs)]
            entries.append(("".join(msgid), None if plural is None else "".join(plural),
                            values, fuzzy))
        msgid, plural, strs, fuzzy = None, None, {}, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        try:
            if not line:
                continue
            if line.startswith("#"):
                if line.startswith("#,") and "fuzzy" in line:
                    next_fuzzy = True
                continue
            if line.startswith('"'):
                if current is None:
                    raise PoSyntaxError("a string continues nothing")
                current.append(_unquote(line))
                continue
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid":
                flush()
                fuzzy, next_fuzzy = next_fuzzy, False
                msgid = current = [_unquote(rest)]
            elif keyword == "msgid_plural" and msgid is not None:
                plural = current = [_unquote(rest)]
            elif keyword == "msgstr" and msgid is not None:
                strs[0] = current = [_unquote(rest)]
            elif keyword.startswith("msgstr[") and keyword.endswith("]") and msgid is not None:
                strs[int(keyword[7:-1])] = current = [_unquote(rest)]
            else:
                raise PoSyntaxError(f"unexpected {keyword!r}")
        except (PoSyntaxError, ValueError, SyntaxError) as exc:
            raise PoSyntaxError(f"{where}:{number}: {exc}; write PO entries as "
                                'msgid "..." / msgstr "..."') from None
    flush()
    return entries


def _unquote(token: str) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise PoSyntaxError(f"expected a quoted string, got {token!r}")
    value = ast.literal_eval(token)
    if not isinstance(value, str):
        raise PoSyntaxError(f"expected a string, got {token!r}")
    return value


def compile_po(text: str, where: str = "<po>") -> bytes:
    """The ``.mo`` bytes of a ``.po`` text (GNU format, little-endian, no hash table)."""
    pairs: dict[bytes, bytes] = {}
    for msgid, plural, strs, fuzzy in parse_po(text, where):
        if (fuzzy and msgid) or not any(strs):
            continue
        key = msgid if plural is None else f"{msgid}\0{plural}"
        pairs[key.encode("utf-8")] = "\0".join(strs).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    ids_at, strs_at = 28, 28 + 8 * count
    data_at = 28 + 16 * count
    blob = bytearray()
    id_table: list[int] = []
    for k in keys:
        id_table += [len(k), data_at + len(blob)]
        blob += k + b"\0"
    str_table: list[int] = []
    for k in keys:
        v = pairs[k]
        str_table += [len(v), data_at + len(blob)]
        blob += v + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, ids_at, strs_at, 0, data_at)
    return header + struct.pack(f"<{2 * count}I", *id_table) + \
        struct.pack(f"<{2 * count}I", *str_table) + bytes(blob)


MARKERS = {"_": 1, "gettext": 1, "N_": 1, "ngettext": 2, "Message": 1}
"""Names whose calls mark msgids, with how many leading string arguments are msgids."""


def extract(source: str, where: str = "<src>") -> list[tuple[str, int, tuple[str, ...]]]:
    """The msgids marked in Python ``source``: (file, line, msgids) for each marking call.

    A call marks when it is ``_(...)``, ``gettext(...)``, ``N_(...)``, ``ngettext(...)`` or
    ``Message(...)`` (also as an attribute, ``tr.gettext(...)``) with string literals as its
    msgids.
    """
    found = []
    for node in ast.walk(ast.parse(source, where)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else None)
        if name not in MARKERS or len(node.args) < MARKERS[name]:
            continue
        ids = [a.value for a in node.args[:MARKERS[name]]
               if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(ids) == MARKERS[name]:
            found.append((where, node.lineno, tuple(ids)))
    return found


def po_files(root: Path = LOCALE_DIR) -> list[Path]:
    """Every ``slakit.po`` under ``root``, sorted."""
    return sorted(root.glob("*/LC_MESSAGES/slakit.po"))


def main() -> int:
    """Write ``slakit.mo`` beside every ``slakit.po``; print what changed."""
    for po in po_files():
        mo = po.with_suffix(".mo")
        data = compile_po(po.read_text(encoding="utf-8"), str(po))
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
            print(f"compiled {mo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
