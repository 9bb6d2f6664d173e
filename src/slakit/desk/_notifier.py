"""Where decisions go: the Notifier port and three notifiers (memory, logging, webhook).

Design rules:

- A notifier has one method, ``deliver(decision) -> None``. Returning means delivered;
  raising means not delivered: the desk keeps the decision pending in the store's outbox
  and tries again later with backoff. So a notifier never swallows its own failures.
- Delivery is at least once per successful attempt: a process killed after ``deliver``
  returned but before the outbox row was marked delivered delivers again on the retry.
  Receivers deduplicate on ``decision.key`` (the webhook sends ``tenant/key``, percent-encoded,
  as ``Idempotency-Key``).
- The webhook notifier uses only the standard library (``urllib``); it retries a few times
  within one call for transient failures (connection errors, 5xx, 429), then raises.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

from slakit._errors import InvalidValueError, SlakitError
from slakit._message import Message
from slakit.desk._decision import Decision


@runtime_checkable
class Notifier(Protocol):
    """Delivers a decision, or raises to have it retried later."""

    def deliver(self, decision: Decision) -> None:
        """Deliver ``decision``; raise on failure (the desk retries with backoff)."""
        ...


class InMemoryNotifier:
    """Keeps delivered decisions in a list, for tests and examples (thread-safe).

    Attributes:
        delivered: Every decision delivered, in order.
    """

    def __init__(self) -> None:
        self.delivered: list[Decision] = []
        self._lock = threading.Lock()

    def deliver(self, decision: Decision) -> None:
        """Append ``decision`` to :attr:`delivered`."""
        with self._lock:
            self.delivered.append(decision)

    def __repr__(self) -> str:
        return f"InMemoryNotifier(delivered={len(self.delivered)})"


class LoggingNotifier:
    """Logs each decision's sentence (with its key and tenant as ``extra``) on a logger."""

    def __init__(self, logger: logging.Logger | None = None, level: int = logging.WARNING) -> None:
        self.logger = logger or logging.getLogger("slakit.desk")
        self.level = level

    def deliver(self, decision: Decision) -> None:
        """Log ``decision.text``."""
        self.logger.log(self.level, "%s", decision.text, extra={
            "slakit_key": decision.key, "slakit_tenant": decision.tenant})

    def __repr__(self) -> str:
        return f"LoggingNotifier({self.logger.name!r})"


class WebhookError(SlakitError, ValueError):
    """The webhook did not accept a decision after the notifier's attempts (it stays pending)."""


class WebhookNotifier:
    """POSTs each decision as JSON (:meth:`Decision.to_dict`) to a URL.

    Args:
        url: ``http`` or ``https`` URL.
        timeout: Seconds per request.
        attempts: Tries per delivery before raising :class:`WebhookError`.
        headers: Extra headers (e.g. an authorization token).
        pause: Seconds to wait before retry number ``n`` (1, 2, ...).
        sleep: How to wait (replace it in tests).

    Any 2xx status is success; 4xx except 429 fails at once (retrying would not help).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        attempts: int = 3,
        headers: Mapping[str, str] | None = None,
        pause: Callable[[int], float] = lambda n: 0.2 * 2 ** (n - 1),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise InvalidValueError(Message("webhook url must start with http:// or https://, got {url!r}",
                                            url=url))
        if attempts < 1 or timeout <= 0:
            raise InvalidValueError(
                Message("attempts must be >= 1 and timeout > 0, got {attempts!r} and {timeout!r}",
                        attempts=attempts, timeout=timeout))
        self.url = url
        self.timeout = timeout
        self.attempts = attempts
        self.headers = dict(headers or {})
        self.pause = pause
        self.sleep = sleep

    def deliver(self, decision: Decision) -> None:
        """POST ``decision``; raise :class:`WebhookError` when every attempt failed."""
        body = json.dumps(decision.to_dict(), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   # Header values are Latin-1: tenant and key are percent-encoded (UTF-8).
                   "Idempotency-Key": urllib.parse.quote(f"{decision.tenant}/{decision.key}",
                                                         safe="/"),
                   **self.headers}
        last = ""
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(self.url, body, headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                    return
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code} {exc.reason}"
                if 400 <= exc.code < 500 and exc.code != 429:
                    break
            except (urllib.error.URLError, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            if attempt < self.attempts:
                self.sleep(self.pause(attempt))
        raise WebhookError(
            Message("webhook {url} did not accept decision {key!r} of tenant {tenant!r}: {last}; the desk "
                    "keeps it pending and retries later", url=self.url, key=decision.key,
                    tenant=decision.tenant, last=last)
        )

    def __repr__(self) -> str:
        return f"WebhookNotifier({self.url!r}, timeout={self.timeout}, attempts={self.attempts})"
