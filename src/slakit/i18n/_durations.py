"""How a duration is said to a person: ``3 d 4 h`` in English, ``3 天 4 小时`` in Chinese.

Design rules:

* Two forms, one per use. :func:`readable_duration` rounds to the two largest units a
  reader needs in a table (``45 s``, ``12 min``, ``5 h 12 min``, ``3 d 4 h``; a day is
  24 h, as business durations are counted). :func:`exact_duration` keeps every second up
  to hours (``2 h 05 min 30 s``), for a fault report's timeline.
* The unit words are msgids of the catalogues, so the number is never put inside a
  translated sentence by hand; ``None`` is ``-`` and a negative duration has a minus sign,
  in every language.
* ``seconds`` is a finite number (or None); anything else, a bool included, is a slakit
  error naming it, never a number printed as something else. The language is a
  :class:`Translator` or any spelling :func:`slakit.i18n.translator` reads.
"""

from __future__ import annotations

import math

from slakit._errors import InvalidValueError, WrongTypeError
from slakit._message import Message
from slakit.i18n._translator import N_, Translator, translator

_SECONDS = N_("{n} s")
_MINUTES = N_("{n} min")
_HOURS = N_("{h} h")
_HOURS_MINUTES = N_("{h} h {m} min")
_DAYS = N_("{d} d")
_DAYS_HOURS = N_("{d} d {h} h")
_EXACT_HOURS = N_("{h} h {m:02d} min")
_EXACT_SECONDS = N_("{text} {s:02d} s")


def _say(tr: Translator | None, msgid: str, **values: object) -> str:
    return (msgid if tr is None else tr.gettext(msgid)).format(**values)


def _checked(seconds: object, lang: Translator | str | None) -> tuple[float, Translator | None]:
    """``seconds`` as a number and the language's translator (None: English as written)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise WrongTypeError(Message("a duration must be a number of seconds, got {value!r}",
                                     value=seconds))
    if not math.isfinite(seconds):
        raise InvalidValueError(Message("a duration must be a finite number of seconds, got "
                                        "{value!r}", value=seconds))
    return seconds, (None if lang is None else translator(lang))


def readable_duration(seconds: float | None, tr: Translator | str | None = None) -> str:
    """A duration as people read it in a table, in ``tr``'s language (English without one).

    >>> from slakit.i18n import translator
    >>> readable_duration(1_422_485 * 3600.0), readable_duration(5 * 3600 + 720)
    ('59,270 d 5 h', '5 h 12 min')
    >>> readable_duration(27 * 3600, translator("zh-CN")), readable_duration(90, "zh-CN")
    ('1 天 3 小时', '2 分钟')
    >>> readable_duration(None)
    '-'
    """
    if seconds is None:
        return "-"
    seconds, tr = _checked(seconds, tr)
    if seconds < 0:
        return "-" + readable_duration(-seconds, tr)
    whole = round(seconds)
    if whole < 60:
        return _say(tr, _SECONDS, n=whole)
    minutes = round(seconds / 60)
    if minutes < 60:
        return _say(tr, _MINUTES, n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return (_say(tr, _HOURS_MINUTES, h=hours, m=minutes) if minutes
                else _say(tr, _HOURS, h=hours))
    hours = round(seconds / 3600)
    days, hours = divmod(hours, 24)
    shown = f"{days:,}"
    return _say(tr, _DAYS_HOURS, d=shown, h=hours) if hours else _say(tr, _DAYS, d=shown)


def exact_duration(seconds: float | None, tr: Translator | str | None = None) -> str:
    """``2 h 05 min``, ``45 min``, ``1 h 00 min 30 s`` (to the second), in ``tr``'s language.

    >>> from slakit.i18n import translator
    >>> exact_duration(2 * 3600 + 300), exact_duration(-3630, translator("zh-CN"))
    ('2 h 05 min', '-1 小时 00 分钟 30 秒')
    """
    if seconds is None:
        return "-"
    seconds, tr = _checked(seconds, tr)
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = (_say(tr, _EXACT_HOURS, h=hours, m=minutes) if hours
            else _say(tr, _MINUTES, n=minutes))
    return sign + (_say(tr, _EXACT_SECONDS, text=text, s=secs) if secs else text)
