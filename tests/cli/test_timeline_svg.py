"""The explain timeline: every time, the axis included, in the desk's zone; words in lang."""

from __future__ import annotations

import re
from datetime import timezone
from zoneinfo import ZoneInfo

from slakit.cli._timeline_svg import render_timeline
from slakit.sla import evaluate_clocks
from tests.i18n.test_zh_output import ENGINE, NOW, TICKET


def _svg(**options: object) -> str:
    ticket, sla = ENGINE.apply_all(TICKET)
    return render_timeline(ticket, evaluate_clocks(sla, NOW, explain=True), (), NOW,
                           **options)  # type: ignore[arg-type]


def _axis(svg: str) -> list[str]:
    return re.findall(r'font-size="10"(?: fill="#555")?>([^<]+)</text>', svg)


def test_the_axis_is_on_the_desk_zone_clock_not_utc() -> None:
    """Ticket opened Fri 17:00 Shanghai (09:00 UTC), evaluated Mon 11:00 (03:00 UTC)."""
    svg = _svg()
    assert _axis(svg) == ["06-07 00:00", "06-07 12:00", "06-08 00:00", "06-08 12:00",
                          "06-09 00:00", "06-09 12:00", "times in Asia/Shanghai"]
    titles = re.findall(r"<title>([^<]+)</title>", svg)
    assert "2025-06-06T17:00:00+08:00 - 2025-06-06T17:30:00+08:00" in titles
    assert "due 2025-06-09T09:00:00+08:00" in titles
    assert "+00:00" not in svg


def test_an_explicit_zone_moves_the_axis_and_every_title() -> None:
    svg = _svg(zone=timezone.utc)
    assert _axis(svg) == ["06-06 12:00", "06-07 00:00", "06-07 12:00", "06-08 00:00",
                          "06-08 12:00", "06-09 00:00", "times in UTC"]
    assert "due 2025-06-09T01:00:00+00:00" in svg
    assert "+08:00" not in svg
    svg = _svg(zone=ZoneInfo("Europe/Berlin"))
    assert _axis(svg)[-1] == "times in Europe/Berlin"


def test_the_words_in_chinese() -> None:
    svg = _svg(lang="zh-CN")
    assert "<title>工单 T-1 的 SLA 时间线</title>" in svg
    assert '<text x="10" y="81">首次响应 #1</text><text x="10" y="95" fill="#555">已达标</text>' \
        in svg
    assert ">非工作时间</text>" in svg
    assert "<title>到期 2025-06-09T09:00:00+08:00</title>" in svg
    assert _axis(svg)[-1] == "时间为 Asia/Shanghai 时区"
    assert _axis(svg)[:-1] == _axis(_svg())[:-1]
