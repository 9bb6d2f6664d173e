"""calendar_from_mapping on bad documents: every problem with its path; country validated.

A ``country`` used to be looked up on the holidays module, so ``"HolidayBase"`` gave a
calendar with no holidays at all (issue #12 item 10); an ``always_open`` calendar without a
zone was silently UTC (issue #14 item 6). A Hypothesis fuzz asserts that only slakit errors
escape and that whatever loads round trips.
"""

from __future__ import annotations

import copy
from typing import Any

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slakit import AlwaysOpen, BusinessCalendar, CalendarConfigError
from slakit.calendar import calendar_from_mapping, calendar_to_mapping
from tests.problems_testkit import documents, mutated, nested, only_slakit_errors

BUSINESS = ("a business calendar takes breaks, country, holiday_breaks, holidays, makeup_hours, "
            "makeup_workdays, overrides, subdivision, timezone, weekly")
NOT_UTC = ("timezone: missing; give an IANA zone name such as 'Asia/Shanghai' (a 24/7 calendar "
           "is never assumed to be UTC)")
HINT = ("use an ISO 3166 code from holidays.list_supported_countries() (e.g. 'DE', 'CN', "
        "'US') or list the dates in holidays")


def valid() -> dict[str, Any]:
    return {"kind": "difference", "timezone": "Asia/Shanghai", "parts": [
        {"kind": "business", "timezone": "Asia/Shanghai", "country": "CN",
         "weekly": {"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]]}},
        {"kind": "always_open", "timezone": "Asia/Shanghai"},
    ]}


CORPUS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "misspelt kind": ({"kind": "unoin", "parts": []}, [
        "kind: unknown calendar kind 'unoin' (did you mean 'union'?); use business, "
        "always_open, intersection, union, difference"]),
    "always_open without a zone": ({"kind": "always_open"}, [NOT_UTC]),
    "always_open with weekly hours": ({"kind": "always_open", "timezone": "UTC", "weekly": {}},
                                      ["weekly: unknown key; an always_open calendar takes "
                                       "kind, timezone"]),
    "every part's problem, with its path": (
        {"kind": "union", "parts": [5, {"kind": "always_open"},
                                    {"timezone": "UTC", "weekley": {}}]},
        ["parts[0]: expected a table (a calendar), got int 5",
         f"parts[1].{NOT_UTC}",
         f"parts[2].weekley: unknown key (did you mean 'weekly'?); {BUSINESS}"]),
    "misspelt parts": ({"kind": "union", "part": []}, [
        "part: unknown key (did you mean 'parts'?); a union calendar takes kind, timezone, parts",
        "parts: missing; give a list of calendars"]),
    "country in lower case": (
        {"timezone": "UTC", "country": "cn", "weekly": {"mon": [["9:00", "18:00"]]}},
        ["weekly['mon'][0]: cannot read time '9:00'; write it as 'HH:MM' (24-hour clock)",
         "country: 'cn' is not a country code the holidays package supports (did you mean "
         f"'CN'?); {HINT}"]),
    'country = "HolidayBase"': ({"timezone": "UTC", "country": "HolidayBase"}, [
        f"country: 'HolidayBase' is not a country code the holidays package supports; {HINT}"]),
    'country = "__class__"': ({"timezone": "UTC", "country": "__class__"}, [
        f"country: '__class__' is not a country code the holidays package supports; {HINT}"]),
    "country = 5": ({"timezone": "UTC", "country": 5}, [
        f"country: 5 is not a country code the holidays package supports; {HINT}"]),
    "subdivision as a list (found by the fuzz: a raw TypeError)": (
        {"timezone": "UTC", "country": "DE", "subdivision": [None]},
        ["subdivision: expected a subdivision code such as 'BY', got [None]"]),
    "composition of too few": (
        {"kind": "union", "parts": [{"kind": "union", "parts": [{"kind": "union",
                                                                  "parts": []}]}]},
        ["parts[0].parts[0]: union needs at least two calendars, got 0"]),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_calendar_mappings_list_every_problem(case: str) -> None:
    doc, expected = CORPUS[case]
    before = copy.deepcopy(doc)
    with pytest.raises(CalendarConfigError) as info:
        calendar_from_mapping(doc)
    assert isinstance(info.value, ValueError)
    assert list(info.value.problems) == expected
    assert doc == before


def test_the_valid_mapping_round_trips() -> None:
    cal = calendar_from_mapping(valid())
    assert calendar_from_mapping(calendar_to_mapping(cal)) == cal


def test_every_supported_country_code_is_accepted_and_has_holidays() -> None:
    codes = sorted(holidays.list_supported_countries())
    assert "CN" in codes
    assert "HolidayBase" not in codes
    for code in ("CN", "DE", "US", "CHN"):  # alpha-3 codes are in the package's list too
        cal = BusinessCalendar.from_mapping({"timezone": "UTC", "country": code})
        assert cal.to_mapping()["country"] == code


def test_always_open_still_defaults_to_utc_in_code() -> None:
    assert AlwaysOpen().zone.key == "UTC"  # only the data form must name its zone


def test_deep_nesting_is_a_problem_not_a_recursion_error() -> None:
    with pytest.raises(CalendarConfigError, match="nested deeper than 64 levels"):
        calendar_from_mapping({"kind": "union", "parts": nested(5000)})


KEYS = ("kind", "timezone", "parts", "weekly", "holidays", "country", "subdivision",
        "makeup_workdays", "makeup_hours", "overrides", "breaks", "mon", "business",
        "always_open", "union", "intersection", "difference")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(KEYS))
def test_fuzz_random_calendar_mappings_raise_only_slakit_errors(data: Any) -> None:
    loaded = only_slakit_errors(calendar_from_mapping, data)
    if loaded is not None:
        assert calendar_from_mapping(calendar_to_mapping(loaded)) == loaded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutations_of_a_valid_calendar_mapping(data: st.DataObject) -> None:
    loaded = only_slakit_errors(calendar_from_mapping, data.draw(mutated(valid(), KEYS)))
    if loaded is not None:
        assert calendar_from_mapping(calendar_to_mapping(loaded)) == loaded
