"""Chinese and English: gettext catalogues in the package, a language chosen by the host.

Every function of slakit that produces sentences takes ``lang`` (``"en"``, the default, or
``"zh-CN"``) or a :class:`Translator`; nothing reads a process-wide "current language".
Errors and problems are English (``str(err)``); :func:`localized` (or
``err.message(translator(lang))``) says them in ``lang``.
"""

from slakit.i18n._durations import exact_duration, readable_duration
from slakit.i18n._translator import (
    SUPPORTED_LANGUAGES,
    Translator,
    UnknownLanguageError,
    lang_from_environ,
    localized,
    normalize_lang,
    translator,
)
from slakit.i18n._words import metric_label, status_label

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Translator",
    "UnknownLanguageError",
    "exact_duration",
    "lang_from_environ",
    "localized",
    "metric_label",
    "normalize_lang",
    "readable_duration",
    "status_label",
    "translator",
]
