"""Durations in stored policy data: a strict subset of ISO 8601 (``P3D``, ``PT30M``, ``PT1H30M``).

Only days, hours, minutes and (fractional) seconds are accepted: months and years have no
fixed length and would make a target ambiguous.
"""

from __future__ import annotations

import re
from datetime import timedelta

from slakit._message import Message
from slakit._problems import shown
from slakit.policies._errors import PolicyDataError

_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d{1,6})?)S)?)?$"
)


def parse_duration(text: object, path: str = "duration") -> timedelta:
    """Parse an ISO 8601 duration of days, hours, minutes and seconds.

    >>> parse_duration("PT1H30M")
    datetime.timedelta(seconds=5400)
    """
    match = _ISO_DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in ("P", "PT") or (isinstance(text, str) and text.endswith("T")):
        raise PolicyDataError(
            [Message("{path}: expected an ISO 8601 duration such as 'PT30M' or 'P3D', got {text}",
                     path=path, text=shown(text))]
        )
    parts = {k: v or "0" for k, v in match.groupdict().items()}
    try:
        return timedelta(
            days=int(parts["d"]),
            hours=int(parts["h"]),
            minutes=int(parts["m"]),
            seconds=float(parts["s"]) if "." in parts["s"] else int(parts["s"]),
        )
    except (OverflowError, ValueError):  # beyond timedelta's 999,999,999 days
        raise PolicyDataError(
            [Message("{path}: {text} is longer than any target can be (at most 999999999 days)", path=path,
                     text=shown(text))]
        ) from None


def format_duration(value: timedelta) -> str:
    """Format a non-negative duration canonically (whole days as ``D``, the rest in ``T``).

    >>> format_duration(timedelta(hours=26, minutes=5))
    'P1DT2H5M'
    >>> format_duration(timedelta(0))
    'PT0S'
    """
    if value < timedelta(0):
        raise PolicyDataError([Message("durations in policy data are never negative, got {value}",
                                       value=value)])
    days, rest = value.days, value - timedelta(days=value.days)
    hours, rem = divmod(rest.seconds, 3600)
    minutes, seconds = divmod(rem, 60)
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if seconds or rest.microseconds:
        frac = f".{rest.microseconds:06d}".rstrip("0") if rest.microseconds else ""
        time += f"{seconds}{frac}S"
    out = "P" + (f"{days}D" if days else "")
    if time:
        out += "T" + time
    return out if out != "P" else "PT0S"
