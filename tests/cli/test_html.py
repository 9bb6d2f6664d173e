"""The HTML page shows the report's figures as people read them, and fetches nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from slakit.cli._charts import FONTS, num, pct
from slakit.cli._html import render_report
from slakit.cli._labels import LABELS
from slakit.cli._report import ReportBuilder
from slakit.policies import load_policies
from tests.cli.test_report import POLICY, RECORDS


@pytest.fixture(scope="module")
def page() -> str:
    builder = ReportBuilder(load_policies(POLICY))
    for r in RECORDS:
        builder.add(r)
    data: dict[str, Any] = builder.build(log="desk.jsonl", mapping="canonical",
                                         policy="desk.toml", now="2026-01-01T00:00:00+00:00")
    return render_report(data)


def cells(page: str, first: str) -> list[str]:
    """The cells of the table row whose first cell is ``first``."""
    for row in re.findall(r"<tr>(.*?)</tr>", page):
        found = re.findall(r"<td>(.*?)</td>", row)
        if found and found[0] == first:
            return found
    raise AssertionError(f"no row {first!r}")


def test_numbers_and_shares() -> None:
    assert (num(1234567), num(0), num(None)) == ("1,234,567", "0", "-")
    assert (pct(0.5), pct(2 / 3), pct(None)) == ("50.0%", "66.7%", "-")


def test_header_period_and_thousands(page: str) -> None:
    assert "3 tickets replayed, 0 rejected, 2,500 events." in page
    assert "Tickets opened from 2025-11-10 09:00 to 2025-12-01 10:00; times in Asia/Shanghai." in page


def test_warning_names_the_tickets_without_a_clock(page: str) -> None:
    assert '<section class="warning"><h2>Warning: 1 of 3 tickets got no SLA clock</h2>' in page
    assert cells(page, "priority &#x27;vip&#x27; is not in the policy set&#x27;s priorities "
                       "(urgent, normal, low)")[1:] == ["1", "C"]


def test_targets_per_priority_in_ladder_order(page: str) -> None:
    assert cells(page, "desk")[1:] == ["", "urgent", "30 min (office, Asia/Shanghai)",
                                       "2 h (office, Asia/Shanghai)"]
    rows = [r for r in re.findall(r"<tr><td>desk</td>(.*?)</tr>", page)]
    assert [re.findall(r"<td>(.*?)</td>", r)[1] for r in rows] == ["urgent", "normal"]


def test_metric_table_with_readable_durations(page: str) -> None:
    # priority, met, breached, running, cancelled, compliance, mean, median, p90, median wall
    assert cells(page, "urgent")[:10] == ["urgent", "0", "1", "0", "0", "0.0%", "3 d 4 h",
                                          "3 d 4 h", "3 d 4 h", "4 d 4 h"]
    assert cells(page, "all")[:10] == ["all", "1", "1", "0", "0", "50.0%", "1 d 15 h",
                                       "1 d 15 h", "3 d 4 h", "2 d 4 h"]


def test_trend_teams_agents_breaches(page: str) -> None:
    assert "<h2>Trend per week</h2>" in page
    assert cells(page, "2025-W46")[:6] == ["2025-W46", "2", "100.0%", "0.0%", "66.7%", "0"]
    assert cells(page, "售后一组")[:2] == ["售后一组", "2"]
    assert cells(page, "li")[:5] == ["li", "1", "100.0%", "0.0%", "66.7%"]
    assert cells(page, "B") == ["B", "resolution #1", "urgent", "2 h", "3 d 4 h", "3 d 2 h",
                                "2025-11-11 10:30", "2025-11-14 12:30"]


def test_charts_are_inline_svg_with_the_cjk_font_list(page: str) -> None:
    # compliance (resolution), the weekly trend, the resolution heatmap
    assert page.count('class="chart"') == 3
    assert "Noto Sans CJK SC" in FONTS
    assert "Microsoft YaHei" in FONTS
    assert page.count("Noto Sans CJK SC") == 4  # the page's CSS and each chart
    assert "<script" not in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_every_label_is_used_or_a_unit() -> None:
    import inspect

    import slakit.cli._charts as charts
    import slakit.cli._html as html

    source = inspect.getsource(html) + inspect.getsource(charts)
    unused = [k for k in LABELS if f'"{k}"' not in source and f"'{k}'" not in source
              and not k.startswith("period_")]
    assert unused == []
