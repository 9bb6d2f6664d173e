"""Errors raised by the SLA clocks."""

from __future__ import annotations

from slakit._errors import SlakitError


class SlaInputError(SlakitError, ValueError):
    """An SLA fold or evaluation got inconsistent input (wrong ticket, time going backwards)."""

