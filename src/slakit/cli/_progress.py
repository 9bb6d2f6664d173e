"""A one-line progress counter on stderr, for terminals only (silent when piped or --quiet)."""

from __future__ import annotations

import time
from typing import TextIO

from slakit.i18n import Translator, translator


class Progress:
    """Counts tickets; redraws at most ten times a second."""

    def __init__(self, stream: TextIO, *, enabled: bool, lang: str | Translator = "en") -> None:
        self._stream = stream
        self._line = translator(lang).gettext("{count:>9,} tickets  {rate:>9,.0f}/s")
        self._enabled = enabled
        self._began = time.monotonic()
        self._last = 0.0
        self._count = 0

    def update(self, count: int) -> None:
        """Record that ``count`` tickets are done."""
        self._count = count
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            rate = count / max(now - self._began, 1e-9)
            self._stream.write("\r" + self._line.format(count=count, rate=rate))
            self._stream.flush()

    def close(self) -> None:
        """Finish the line."""
        if self._enabled and self._count:
            self.update(self._count)
            self._stream.write("\n")
            self._stream.flush()
