"""slakit/_zone.py: every bad zone name ends in a slakit error, from every entry point."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

import pytest

import slakit
from slakit._zone import read_zone

BAD = ["Nowhere/Zone", "", "Asia", "../etc/passwd", "/etc/localtime", "UTC\x00", 5, None]


@pytest.mark.parametrize("value", BAD)
def test_read_zone_answers_none_for_anything_but_a_zone(value: object) -> None:
    assert read_zone(value) is None


def test_read_zone_reads_names_and_keeps_zones() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert read_zone("Asia/Shanghai") == shanghai
    assert read_zone(shanghai) is shanghai


ENTRY_POINTS: dict[str, Callable[[object], object]] = {
    "PeakWindow": lambda z: slakit.PeakWindow("x", date(2025, 1, 1), date(2025, 1, 2), z, ()),  # type: ignore[arg-type]
    "AlwaysOpen": lambda z: slakit.AlwaysOpen(z),  # type: ignore[arg-type]
    "BusinessCalendar": lambda z: slakit.BusinessCalendar.every_day("09:00", "18:00", timezone=z),  # type: ignore[arg-type]
    "in_zone": lambda z: slakit.AlwaysOpen("UTC").in_zone(z),  # type: ignore[arg-type]
    "PeakRaise": lambda z: slakit.PeakRaise("p", date(2025, 1, 1), date(2025, 1, 2), timezone=z),  # type: ignore[arg-type]
    "ZoneChain": lambda z: slakit.ZoneChain(default=z),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("value", [v for v in BAD if v is not None])
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_an_unknown_zone_is_a_slakit_error_everywhere(entry: str, value: object) -> None:
    with pytest.raises(slakit.SlakitError) as caught:
        ENTRY_POINTS[entry](value)
    assert isinstance(caught.value, ValueError | TypeError)
