"""Which language slakit speaks, chosen by the host: translators over gettext catalogues.

Design rules:

* No global "current language": every function that produces text takes ``lang`` (or a
  :class:`Translator`) and defaults to English, so two tenants of one process can be served
  in two languages at once. The only module state is a cache of the read-only catalogues
  (and of the translators over them, whose only state is the templates they made).
* Catalogues live in the package (``slakit/i18n/locale/<lang>/LC_MESSAGES/slakit.mo``),
  compiled from the ``.po`` beside them by ``python3 dev.py catalogues``. msgids are the
  English sentences; sentences with values use named placeholders
  (``_("due at {due}").format(due=...)``) so a translation may reorder them.
* A language is named the way hosts and locale variables name it (``zh-CN``, ``zh_CN.UTF-8``,
  ``zh``, ``en_US``); an unknown one is refused with the supported list, never silently
  answered in English. Only reading the environment (:func:`lang_from_environ`, for the
  command line) falls back to English, as gettext does.
* A translator keeps the templates it made with :meth:`Translator.cached` (an escalation
  reason's shape per trigger kind), so a sentence made for every decision costs one
  ``format``; the key says everything the template depends on besides the language.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable, Hashable, Mapping
from functools import cache, lru_cache
from importlib import resources

import attrs

from slakit._errors import InvalidValueError, SlakitError, WrongTypeError
from slakit._message import Message, render

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "zh-CN")
"""The languages slakit speaks, in their canonical spelling."""

_DIRS = {"en": "en", "zh-CN": "zh_CN"}
_ALIASES = {"en": "en", "zh": "zh-CN", "zh-cn": "zh-CN", "zh-hans": "zh-CN",
            "zh-hans-cn": "zh-CN", "zh-sg": "zh-CN", "c": "en", "posix": "en"}


class UnknownLanguageError(InvalidValueError):
    """A language slakit has no catalogue for was asked for."""


def _canonical(lang: str) -> str | None:
    if not isinstance(lang, str):
        return None
    base = lang.split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    if base in _ALIASES:
        return _ALIASES[base]
    if base.startswith("en-"):
        return "en"
    return None


def normalize_lang(lang: str) -> str:
    """The canonical name (``"en"`` or ``"zh-CN"``) of a language tag or locale name.

    >>> normalize_lang("zh_CN.UTF-8"), normalize_lang("en-GB"), normalize_lang("zh")
    ('zh-CN', 'en', 'zh-CN')

    Raises:
        UnknownLanguageError: slakit has no catalogue for ``lang``.
    """
    found = _canonical(lang)
    if found is None:
        raise UnknownLanguageError(
            Message("language {lang!r} is not supported; use one of {items} (locale spellings such as "
                    "'zh_CN.UTF-8' or 'en_US' work too)", lang=lang, items=', '.join(SUPPORTED_LANGUAGES)))
    return found


def lang_from_environ(environ: Mapping[str, str]) -> str:
    """The language the standard locale variables ask for, as gettext reads them.

    ``LANGUAGE`` (a colon-separated preference list) first, then ``LC_ALL``, ``LC_MESSAGES``
    and ``LANG``; the first variable that is set decides. English when none is set or the
    one that is names a language slakit does not speak (``C``, ``POSIX``, ``de_DE``).

    >>> lang_from_environ({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"})
    'zh-CN'
    >>> lang_from_environ({"LC_ALL": "de_DE.UTF-8"})
    'en'
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        for tag in value.split(":") if name == "LANGUAGE" else [value]:
            found = _canonical(tag) if tag else None
            if found is not None:
                return found
        if name != "LANGUAGE":
            return "en"
    return "en"


@cache
def _catalogue(lang: str) -> _gettext.GNUTranslations:
    path = resources.files("slakit.i18n").joinpath(
        "locale", _DIRS[lang], "LC_MESSAGES", "slakit.mo")
    with path.open("rb") as fp:
        return _gettext.GNUTranslations(fp)


_MADE_LIMIT = 1024
"""Texts a translator keeps (see :meth:`Translator.cached`); past this it starts again."""


@attrs.frozen(repr=False)
class Translator:
    """The sentences of one language: ``gettext`` / ``ngettext`` over its catalogue.

    >>> t = translator("zh-CN")
    >>> t.gettext("paused")
    '已暂停'
    >>> t.gettext("due at {deadline}").format(deadline="06-02 09:30")
    '将于 06-02 09:30 到期'

    A msgid the catalogue lacks comes back unchanged (the suite refuses such msgids in
    slakit's own source); ``ngettext`` picks by ``n`` under the catalogue's plural rule.
    """

    lang: str
    _catalogue: _gettext.GNUTranslations = attrs.field(eq=False)
    _made: dict[Hashable, str] = attrs.field(init=False, factory=dict, eq=False)

    def cached(self, key: Hashable, make: Callable[..., str], *args: object) -> str:
        """The text ``make(*args)`` gives in this language, made once per ``key``.

        For a template that depends on the language and a few settings alone (an escalation
        reason's shape per trigger kind): the caller fills in the values each time. ``key``
        must say everything ``make`` depends on besides the language.
        """
        try:
            found = self._made.get(key)
        except TypeError:  # an unhashable key (a list, a dict)
            raise WrongTypeError(Message(
                "the key of Translator.cached must be hashable, got {key!r}; pass a tuple of the "
                "settings the text depends on", key=key)) from None
        if found is None:
            if len(self._made) >= _MADE_LIMIT:
                self._made.clear()
            found = self._made[key] = make(*args)
        return found

    def gettext(self, message: str) -> str:
        """The translation of ``message`` (the English msgid itself when it has none)."""
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The translation of the form of ``singular``/``plural`` that ``n`` takes."""
        return self._catalogue.ngettext(singular, plural, n)

    def __repr__(self) -> str:
        return f"translator({self.lang!r})"


def translator(lang: str | Translator = "en") -> Translator:
    """The :class:`Translator` of ``lang`` (any spelling :func:`normalize_lang` reads).

    A :class:`Translator` given is returned as is, so functions may take either.

    Raises:
        UnknownLanguageError: slakit has no catalogue for ``lang``.
    """
    if isinstance(lang, Translator):
        return lang
    if isinstance(lang, str):
        return _translator_for(lang)
    return _translator_for_canonical(normalize_lang(lang))  # raises, naming the value


@lru_cache(maxsize=64)
def _translator_for(lang: str) -> Translator:
    # The tags hosts pass are few ("en" on every escalation evaluation by default): the
    # read-only Translator is kept with the catalogues rather than rebuilt per call.
    return _translator_for_canonical(normalize_lang(lang))


@cache
def _translator_for_canonical(canonical: str) -> Translator:
    return Translator(canonical, _catalogue(canonical))


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (tables built at import)."""
    return message


def localized(text: str | BaseException, lang: str | Translator = "en") -> str:
    """An error's message, or a sentence slakit produced, in ``lang``.

    A :class:`slakit.SlakitError` is said with :meth:`~slakit.SlakitError.message`, a
    sentence slakit built (a problem, a rejection's reason) with its template; any other
    text or exception comes back as it is (``str(exc)``). English gives exactly ``str(text)``.

    >>> from slakit._problems import Problems, Table
    >>> found = Problems()
    >>> Table({"flag": "no"}, "policies[0]", found).flag("flag", True)
    >>> found.items[0]
    "policies[0].flag: expected true or false, got str 'no'"
    >>> localized(found.items[0], "zh-CN")
    "policies[0].flag: 应为 true 或 false，实际是 str 'no'"

    Raises:
        UnknownLanguageError: slakit has no catalogue for ``lang``.
    """
    tr = translator(lang)
    if isinstance(text, SlakitError):
        return text.message(None if tr.lang == "en" else tr)
    if isinstance(text, BaseException):
        return str(text)
    return render(text, None if tr.lang == "en" else tr)
