"""The .po -> .mo compiler: shipped catalogues are fresh, output is exact and reproducible."""

from __future__ import annotations

import gettext
import io
import struct

import pytest

from slakit.i18n._msgfmt import LOCALE_DIR, PoSyntaxError, compile_po, extract, parse_po, po_files

PO = r'''# a comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "due at {deadline}"
msgstr "将于 {deadline} "
"到期"

#, fuzzy
msgid "fuzzy one"
msgstr "模糊"

msgid "untranslated"
msgstr ""

msgid "{n} file"
msgid_plural "{n} files"
msgstr[0] "{n} 个文件（单）"
msgstr[1] "{n} 个文件"

msgid "quote \" and \\ and\ttab"
msgstr "引号 \" 反斜杠 \\"
'''


def test_every_shipped_mo_is_what_its_po_compiles_to() -> None:
    """Edit a .po without `python3 dev.py catalogues` and this fails."""
    found = po_files()
    assert {p.parent.parent.name for p in found} == {"en", "zh_CN"}
    for po in found:
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} is missing: run python3 dev.py catalogues"
        assert mo.read_bytes() == compile_po(po.read_text(encoding="utf-8"), str(po)), (
            f"{mo} is stale: run python3 dev.py catalogues")


def test_compiled_catalogue_reads_back_through_gettext() -> None:
    t = gettext.GNUTranslations(io.BytesIO(compile_po(PO)))
    assert t.gettext("due at {deadline}") == "将于 {deadline} 到期"
    assert t.gettext("fuzzy one") == "fuzzy one"          # fuzzy entries are left out
    assert t.gettext("untranslated") == "untranslated"    # so are empty translations
    assert t.ngettext("{n} file", "{n} files", 1) == "{n} 个文件（单）"
    assert t.ngettext("{n} file", "{n} files", 5) == "{n} 个文件"
    assert t.gettext('quote " and \\ and\ttab') == '引号 " 反斜杠 \\'


def test_the_mo_layout_is_exact_and_reproducible() -> None:
    data = compile_po(PO)
    assert data == compile_po(PO)
    magic, revision, count, ids_at, strs_at, hash_size, _ = struct.unpack("<7I", data[:28])
    assert (magic, revision, count, ids_at, strs_at, hash_size) == (
        0x950412DE, 0, 4, 28, 28 + 8 * 4, 0)
    keys = []
    for i in range(count):
        length, offset = struct.unpack("<2I", data[ids_at + 8 * i: ids_at + 8 * i + 8])
        keys.append(data[offset:offset + length])
    assert keys == sorted(keys)
    assert keys[0] == b""   # the header entry sorts first


def test_entries_in_file_order_with_plurals() -> None:
    entries = parse_po(PO)
    assert [e[0] for e in entries] == ["", "due at {deadline}", "fuzzy one", "untranslated",
                                       "{n} file", 'quote " and \\ and\ttab']
    assert entries[2][3] is True
    assert entries[1][3] is False
    assert entries[4][1:3] == ("{n} files", ["{n} 个文件（单）", "{n} 个文件"])


@pytest.mark.parametrize(("text", "line"), [
    ('msgid "a"\nmsgstr "b"\nmsgctxt "c"\n', 3),
    ('"orphan"\n', 1),
    ('msgid "a"\nmsgstr b\n', 2),
    ('msgstr "b"\n', 1),
])
def test_a_po_it_cannot_read_names_file_and_line(text: str, line: int) -> None:
    with pytest.raises(PoSyntaxError, match=rf"^x\.po:{line}: "):
        compile_po(text, "x.po")


def test_extract_finds_every_marking_call_form() -> None:
    source = (
        'from slakit.i18n._translator import N_\n'
        'A = N_("table word")\n'
        'def f(tr, _):\n'
        '    _("plain")\n'
        '    tr.gettext("attribute")\n'
        '    tr.ngettext("one {n}", "many {n}", 3)\n'
        '    _(A)\n'                                 # not a literal: its N_ mark counts
        '    _("implicit " "concatenation")\n'
        '    raise E(Message("bad {x!r}", x=1))\n'     # an error sentence
        '    Message(TEMPLATE, path=p)\n'              # placeholders alone: not a literal
    )
    assert [ids for _, _, ids in extract(source)] == [
        ("table word",), ("plain",), ("attribute",), ("one {n}", "many {n}"),
        ("implicit concatenation",), ("bad {x!r}",)]


def test_locale_dir_is_inside_the_package() -> None:
    assert LOCALE_DIR.parts[-3:] == ("slakit", "i18n", "locale")
