r"""Text from a log, made safe to print on a terminal.

Ticket ids, priorities and reasons come from files anyone can write. Printed raw, an escape
sequence in a ticket id can rewrite the terminal (move the cursor, hide lines, change the
title) and a bidi override can make one id read as another. Every character that is not
printable (controls, format characters such as bidi overrides, line and paragraph
separators) is shown as its ``\uXXXX`` escape instead; ordinary text, CJK included, is
unchanged.
"""

from __future__ import annotations


def printable(text: str) -> str:
    r"""``text`` with every non-printable character written as an escape.

    >>> printable("INC1\x1b[2J")
    'INC1\\u001b[2J'
    >>> printable("工单 42")
    '工单 42'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def printable_lines(text: str) -> str:
    """:func:`printable` applied to each line, keeping the line breaks."""
    return "\n".join(printable(line) for line in text.split("\n"))
