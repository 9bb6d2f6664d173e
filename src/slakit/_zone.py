"""The one reader of time-zone names: every zone a user gives slakit passes through here.

Design rules:

* :func:`read_zone` answers a ``ZoneInfo`` or ``None``, never an exception: ``ZoneInfo``
  raises four different built-ins for a bad name (``ZoneInfoNotFoundError``, ``ValueError``
  for an empty or path-like name, ``TypeError`` for a non-string, ``OSError`` for some
  file-system names), and a caller that forgot one leaked a raw traceback. The caller reports
  ``None`` in its own error, with the path of the setting and an example zone name.
* No implicit zone: nothing here reads the machine's local zone.
* ``tests/test_architecture.py`` fails on a ``ZoneInfo(...)`` call with a computed argument
  anywhere else in the library.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def read_zone(value: object) -> ZoneInfo | None:
    """``value`` as a zone (a ``ZoneInfo``, or the IANA name of one), else ``None``."""
    if isinstance(value, ZoneInfo):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return None
