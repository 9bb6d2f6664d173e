"""A sentence slakit shows a person: English text that remembers how to say itself again.

Design rules:

* A :class:`Message` *is* its English text (a ``str`` subclass), so everything that already
  holds English sentences keeps working unchanged: ``str(err)``, ``err.args``, the
  ``problems`` tuples of a definition error, a rejection's ``reason``, equality with plain
  strings, JSON, logs. Beside the text it keeps its template (the English msgid, with named
  ``{placeholders}``) and the values, so :meth:`Message.render` can say it in another
  language later, when the host chooses one. Errors stay English by default; nothing reads
  a process-wide language.
* Values that are themselves messages (a nested sentence, a phrase such as "a policy") are
  rendered in the same language; every other value (a key, a path, a number, text from the
  user's file) is shown exactly as in English: it is formatted once, when the message is
  built, with the English template's conversion and spec (``{value!r}``, ``{n:,}``), and
  only that text is kept (a message holds no reference to the caller's objects and always
  pickles). A translation keeps the placeholders' names; their specs are the English ones.
* ``Message("template", name=value)`` marks the template for the catalogue (the extractor in
  ``slakit/i18n/_msgfmt.py`` reads these calls), so a test fails when a sentence has no
  translation. A template made of placeholders and punctuation alone (joining a path to a
  problem) is not a sentence: it is passed as a module constant, never extracted, and the
  catalogue lookup returns it unchanged.
* Operations on a message that build another string (``+``, ``.strip()``, an f-string) give a
  plain ``str``: the English survives, the translation does not. :func:`render` of a plain
  string returns it unchanged, so such a spot shows English, never a wrong sentence.
* Templates are always formatted, so a literal brace is written ``{{`` even in a template
  without values.
* No slakit import: this is foundation code; the catalogue is passed in (anything with a
  ``gettext`` method, such as :class:`slakit.i18n.Translator`).
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Protocol


class Catalogue(Protocol):
    """What rendering needs of a language: the translation of an English msgid."""

    def gettext(self, message: str, /) -> str:
        """The translation of ``message`` (``message`` itself when there is none)."""
        ...


class Message(str):
    """English text that can be rendered again in another language.

    >>> m = Message("{what} must be at least {least}, got {value!r}", what="--jobs",
    ...             least=1, value=0)
    >>> m
    '--jobs must be at least 1, got 0'
    >>> m == "--jobs must be at least 1, got 0", m.template
    (True, '{what} must be at least {least}, got {value!r}')

    Args:
        template: the English sentence with named placeholders; it is the catalogue's msgid.
        **values: the placeholders' values; messages among them are rendered in the same
            language as the template.
    """

    _parts: tuple[str, Mapping[str, str]]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        text = super().__new__(cls, template.format(**values))
        shown: dict[str, str] = {}
        for _, name, spec, conversion in _parsed(template):
            if name is not None and name not in shown:
                value = values[name]
                shown[name] = value if isinstance(value, Message) else _formatted(
                    value, spec or "", conversion)
        text._parts = (template, MappingProxyType(shown))
        return text

    @property
    def template(self) -> str:
        """The English sentence with its named placeholders: the catalogue's msgid."""
        return self._parts[0]

    @property
    def values(self) -> Mapping[str, str]:
        """Each placeholder's value: its English text, or a :class:`Message` said in turn."""
        return self._parts[1]

    def render(self, catalogue: Catalogue | None = None) -> str:
        """The sentence in ``catalogue``'s language (English, the text itself, when ``None``)."""
        if catalogue is None:
            return str.__str__(self)
        parts = []
        for literal, name, spec, conversion in _parsed(catalogue.gettext(self.template)):
            parts.append(literal)
            if name is None:
                continue
            value = self.values.get(name, "{" + name + "}")
            parts.append(_formatted(value.render(catalogue), spec or "", conversion)
                         if isinstance(value, Message) else value)
        return "".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        # keep the template and values across pickling (worker processes send rejections back)
        return (_rebuilt, (str.__str__(self), self.template, tuple(self.values.items())))


_FORMATTER = string.Formatter()


@functools.lru_cache(maxsize=2048)
def _parsed(template: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    """The parts of a template (a bounded cache: templates are the source's few hundred)."""
    return tuple(_FORMATTER.parse(template))


def _formatted(value: object, spec: str, conversion: str | None) -> str:
    """``value`` as ``"{:spec}"`` with ``!conversion`` shows it."""
    return str(_FORMATTER.format_field(_FORMATTER.convert_field(value, conversion), spec))


def _rebuilt(text: str, template: str, values: tuple[tuple[str, str], ...]) -> Message:
    message = str.__new__(Message, text)
    message._parts = (template, MappingProxyType(dict(values)))
    return message


def render(text: str, catalogue: Catalogue | None = None) -> str:
    """``text`` in ``catalogue``'s language when it is a :class:`Message`, else unchanged.

    >>> render("plain text", None), render(Message("unknown key"), None)
    ('plain text', 'unknown key')
    """
    if isinstance(text, Message):
        return text.render(catalogue)
    return str(text)


def message_of(error: BaseException) -> str:
    """The message of ``error``: the :class:`Message` it was raised with, else ``str(error)``.

    Use it where an error's message is kept as text (a rejection's reason), so the text can
    still be rendered in another language.
    """
    text = str(error)
    first = error.args[0] if len(error.args) == 1 else None
    return first if isinstance(first, Message) and first == text else text


def joined(parts: Iterable[str], separator: str = ", ") -> str:
    """``separator.join(parts)`` that keeps every part's template (a message if one has one).

    >>> m = joined([Message("unknown key"), "x"], "; ")
    >>> m, m.template
    ('unknown key; x', '{p0}; {p1}')
    """
    items = list(parts)
    if not any(isinstance(p, Message) for p in items):
        return separator.join(items)
    glue = separator.replace("{", "{{").replace("}", "}}")
    return Message(glue.join(f"{{p{i}}}" for i in range(len(items))),
                   **{f"p{i}": p for i, p in enumerate(items)})
