"""Words every text of slakit shares: metric names, clock statuses, weekdays.

The msgids are the identifiers themselves (``first_response``, ``breached``), so English
output keeps printing the identifier it always printed and Chinese prints 首次响应, 已超时.
An identifier slakit does not know (a host's own metric) is printed as it is.
"""

from __future__ import annotations

from datetime import datetime

from slakit.i18n._translator import N_, Translator

METRICS = (N_("first_response"), N_("next_response"), N_("periodic_update"),
           N_("resolution"), N_("solution_plan"), N_("engineer_assigned"))
STATUSES = (N_("pending"), N_("running"), N_("paused"), N_("met"), N_("breached"),
            N_("breached_then_met"), N_("cancelled"))
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def metric_label(tr: Translator, metric: str) -> str:
    """The name of an SLA metric in ``tr``'s language (unknown metrics unchanged).

    >>> from slakit.i18n import translator
    >>> metric_label(translator("zh-CN"), "first_response"), metric_label(translator(), "x")
    ('首次响应', 'x')
    """
    return tr.gettext(metric) if metric in METRICS else metric


def status_label(tr: Translator, status: str) -> str:
    """A clock status (``breached``...) in ``tr``'s language (unknown ones unchanged)."""
    return tr.gettext(status) if status in STATUSES else status


def weekday_time(tr: Translator, value: datetime) -> str:
    """``Mon 2025-06-02 09:15`` (English) or ``周一 2025-06-02 09:15``, on ``value``'s clock."""
    return f"{tr.gettext(WEEKDAYS[value.weekday()])} {value:%Y-%m-%d %H:%M}"
