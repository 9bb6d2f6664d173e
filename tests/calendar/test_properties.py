"""Hypothesis properties of BusinessCalendar and AlwaysOpen over random calendars.

Derivations used below (``E`` = elapsed, ``A`` = add, ``S`` = subtract, d >= 0):

* ``A(s, d)`` is the LATEST r >= s with ``E(s, r) == d``: inside a period that r is unique; when
  the d-th unit ends on a close, E stays d over the closed gap, and the latest such r is the next
  opening (the documented "landing on a close returns the next opening"); for d == 0 it is s if
  open, else the next opening. Hence ``A(s, E(s, b)) == A(b, 0)`` for any s, b (also b < s).
* ``S(s, d)`` for d > 0 is the LATEST r <= s with ``E(r, s) == d`` ("landing on an opening stays
  there"); ``S(s, 0)`` is s if open else the previous closing. Hence ``S(A(s, d), d) == A(s, 0)``
  and ``A(S(s, d), d) == A(s, 0)`` for every s (for open s, A(s, 0) is s itself), and for
  b < s with ``E(b, s) > 0``: ``S(s, E(b, s)) == A(b, 0)``.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from slakit import NeverClosesError
from slakit.calendar import AlwaysOpen, BusinessCalendar, Period
from tests.calendar.calendar_testkit import (
    INPUT_ZONES,
    MICRO,
    UTC,
    Scenario,
    as_utc,
    assert_in_zone,
    assert_instant,
    dates_in,
    durations,
    instants,
    scenarios,
)

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def build(scn: Scenario) -> BusinessCalendar:
    return BusinessCalendar.from_mapping(scn.mapping)


def real_openings_and_closings(
    cal: BusinessCalendar, lo: datetime, hi: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Period starts/ends inside [lo, hi) that are true openings/closings (not clip edges)."""
    starts, ends = [], []
    for p in cal.periods(lo, hi):
        if not cal.is_open(as_utc(p.start) - MICRO):
            starts.append(as_utc(p.start))
        if not cal.is_open(p.end):
            ends.append(as_utc(p.end))
    return starts, ends


@PROPERTY_SETTINGS
@given(st.data())
def test_elapsed_is_additive_and_antisymmetric(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    a, b, c = (data.draw(instants(scn)) for _ in range(3))
    assert cal.elapsed(a, c) == cal.elapsed(a, b) + cal.elapsed(b, c)
    assert cal.elapsed(b, a) == -cal.elapsed(a, b)
    assert cal.elapsed(a, a) == timedelta(0)
    lo, hi = sorted((a, b), key=as_utc)
    assert timedelta(0) <= cal.elapsed(lo, hi) <= as_utc(hi) - as_utc(lo)


@PROPERTY_SETTINGS
@given(st.data())
def test_add_inverts_elapsed_and_subtract_undoes_add(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    s = data.draw(instants(scn))
    d = data.draw(durations())
    r = cal.add(s, d)
    assert_in_zone(r, cal.zone)
    assert as_utc(r) >= as_utc(s)
    assert cal.elapsed(s, r) == d
    assert cal.is_open(r), "add never answers a closed instant (a close becomes the next opening)"
    settled = cal.add(s, timedelta(0))
    assert_instant(settled, s if cal.is_open(s) else cal.next_opening(s), cal.zone)
    assert_instant(cal.subtract(r, d), settled, cal.zone)
    if d:  # -timedelta(0) is timedelta(0): the sign rule only speaks about d > 0
        assert_instant(cal.add(s, -d), cal.subtract(s, d), cal.zone)
        assert_instant(cal.subtract(s, -d), r, cal.zone)


@PROPERTY_SETTINGS
@given(st.data())
def test_subtract_inverts_elapsed(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    s = data.draw(instants(scn))
    d = data.draw(durations())
    r = cal.subtract(s, d)
    assert_in_zone(r, cal.zone)
    assert as_utc(r) <= as_utc(s)
    assert cal.elapsed(r, s) == d
    if d:
        assert cal.is_open(r), "subtract lands inside a period or exactly on its opening"
    else:
        assert_instant(r, s if cal.is_open(s) else cal.previous_closing(s), cal.zone)
    assert_instant(cal.add(r, d), cal.add(s, timedelta(0)), cal.zone)


@PROPERTY_SETTINGS
@given(st.data())
def test_add_and_subtract_are_monotone(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    s = data.draw(instants(scn))
    d1, d2 = sorted((data.draw(durations()), data.draw(durations())))
    assert as_utc(cal.add(s, d1)) <= as_utc(cal.add(s, d2))
    assert as_utc(cal.subtract(s, d1)) >= as_utc(cal.subtract(s, d2))
    if d1 < d2:
        assert as_utc(cal.add(s, d1)) < as_utc(cal.add(s, d2))
        assert as_utc(cal.subtract(s, d1)) > as_utc(cal.subtract(s, d2))


@PROPERTY_SETTINGS
@given(st.data())
def test_add_elapsed_to_target_lands_on_target(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    s, b = data.draw(instants(scn)), data.draw(instants(scn))
    settled_b = cal.add(b, timedelta(0))
    assert_instant(cal.add(s, cal.elapsed(s, b)), settled_b, cal.zone)
    back = cal.elapsed(b, s)
    if back > timedelta(0):
        assert_instant(cal.subtract(s, back), settled_b, cal.zone)


@PROPERTY_SETTINGS
@given(st.data())
def test_periods_are_clipped_merged_and_sum_to_elapsed(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    a, b = sorted((data.draw(instants(scn)), data.draw(instants(scn))), key=as_utc)
    forward = list(cal.periods(a, b))
    total = timedelta(0)
    for p in forward:
        assert isinstance(p, Period)
        assert_in_zone(p.start, cal.zone)
        assert_in_zone(p.end, cal.zone)
        assert as_utc(a) <= as_utc(p.start) < as_utc(p.end) <= as_utc(b)
        assert cal.is_open(p.start)
        assert cal.is_open(as_utc(p.end) - MICRO)
        if as_utc(p.end) != as_utc(b):
            assert not cal.is_open(p.end), "a period ends where the calendar closes"
        if as_utc(p.start) != as_utc(a):
            assert not cal.is_open(as_utc(p.start) - MICRO), "a period starts where the calendar opens"
        total += p.duration
    for earlier, later in itertools.pairwise(forward):
        assert as_utc(earlier.end) < as_utc(later.start), "touching periods must be merged"
    assert total == cal.elapsed(a, b)
    backward = list(cal.periods_before(b, a))
    assert [(as_utc(p.start), as_utc(p.end)) for p in backward] == [
        (as_utc(p.start), as_utc(p.end)) for p in reversed(forward)
    ]
    for p in backward:
        assert_in_zone(p.start, cal.zone)
    # The open-ended forms agree with the bounded ones on their common prefix.
    head = list(itertools.islice(cal.periods(a), 3))
    assert [as_utc(p.start) for p in head[: len(forward)]] == [as_utc(p.start) for p in forward[: len(head)]]
    tail = list(itertools.islice(cal.periods_before(b), 3))
    assert [as_utc(p.end) for p in tail[: len(backward)]] == [as_utc(p.end) for p in backward[: len(tail)]]


@PROPERTY_SETTINGS
@given(st.data())
def test_is_open_matches_periods(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    lo, hi = scn.window_start, scn.window_end
    pers = list(cal.periods(lo, hi))
    for _ in range(5):
        x = data.draw(instants(scn))
        assert cal.is_open(x) == any(p.contains(x) for p in pers)


@PROPERTY_SETTINGS
@given(st.data())
def test_next_and_previous_events_match_periods(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    t = data.draw(instants(scn))
    u = as_utc(t)
    span = timedelta(days=15)
    starts, ends = real_openings_and_closings(cal, u - span, u + span)
    candidates = {
        "next_opening": [x for x in starts if x >= u][:1],
        "previous_opening": [x for x in starts if x <= u][-1:],
        "next_closing": [x for x in ends if x >= u][:1],
        "previous_closing": [x for x in ends if x <= u][-1:],
    }
    for name, expected in candidates.items():
        if not expected:
            continue  # not decided inside the +-15 day window
        got = getattr(cal, name)(t)
        assert_instant(got, expected[0], cal.zone)
    if cal.is_open(t):
        assert as_utc(cal.previous_opening(t)) <= u < as_utc(cal.next_closing(t))
    else:
        assert as_utc(cal.previous_closing(t)) <= u <= as_utc(cal.next_opening(t))
        assert cal.elapsed(cal.previous_closing(t), cal.next_opening(t)) == timedelta(0)


@PROPERTY_SETTINGS
@given(st.data())
def test_answers_do_not_depend_on_how_an_instant_is_written(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    day = data.draw(dates_in(scn.first, scn.days))
    minute = data.draw(st.sampled_from(scn.boundary_minutes) | st.integers(0, 1439)) % 1440
    # A wall time in the calendar zone, possibly inside a gap (not canonical) or a fold.
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=scn.zone).replace(
        fold=data.draw(st.integers(0, 1))
    )
    u = as_utc(wall)
    spellings = [wall, u, u.astimezone(scn.zone), *(u.astimezone(z) for z in INPUT_ZONES)]
    other = data.draw(instants(scn))
    d = data.draw(durations())
    for name in ("next_opening", "previous_opening", "next_closing", "previous_closing"):
        assert len({as_utc(getattr(cal, name)(x)) for x in spellings}) == 1, name
    assert len({cal.is_open(x) for x in spellings}) == 1
    assert len({as_utc(cal.add(x, d)) for x in spellings}) == 1
    assert len({as_utc(cal.subtract(x, d)) for x in spellings}) == 1
    assert len({cal.elapsed(x, other) for x in spellings}) == 1
    assert len({cal.elapsed(other, x) for x in spellings}) == 1


@PROPERTY_SETTINGS
@given(st.data())
def test_long_additions_invert_elapsed(data: st.DataObject) -> None:
    scn = data.draw(scenarios())
    cal = build(scn)
    s = data.draw(instants(scn))
    d = data.draw(durations(max_hours=3000))
    assert cal.elapsed(s, cal.add(s, d)) == d
    assert cal.elapsed(cal.subtract(s, d), s) == d


@PROPERTY_SETTINGS
@given(
    st.sampled_from(["UTC", "Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo"]),
    st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
    st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
    durations(max_hours=24 * 400),
)
def test_always_open_is_plain_timedelta_arithmetic(
    zone_name: str, a: datetime, b: datetime, d: timedelta
) -> None:
    cal = AlwaysOpen(zone_name)
    zone = ZoneInfo(zone_name)
    assert cal.zone == zone
    a_local = a.astimezone(zone)
    assert_instant(cal.add(a_local, d), a + d, zone)
    assert_instant(cal.subtract(a, d), a - d, zone)
    assert_instant(cal.add(a, -d), a - d, zone)
    assert cal.elapsed(a_local, b) == b - a
    assert cal.is_open(a)
    if a < b:
        (only,) = cal.periods(a, b)
        assert (as_utc(only.start), as_utc(only.end)) == (a, b)
        (only_back,) = cal.periods_before(b, a)
        assert (as_utc(only_back.start), as_utc(only_back.end)) == (a, b)


def test_always_open_defaults_to_utc_and_never_closes() -> None:
    cal = AlwaysOpen()
    assert cal.zone == ZoneInfo("UTC")
    t = datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    with pytest.raises(NeverClosesError):
        cal.next_closing(t)
    with pytest.raises(NeverClosesError):
        cal.previous_closing(t)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(timezone.utc)),
    st.timedeltas(timedelta(0), timedelta(days=400)),
    st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "UTC"]),
)
# Lands on 02:00 of Berlin's repeated hour (first pass): CI found this one.
@example(datetime(2037, 10, 29, 15, 48, tzinfo=timezone.utc),
         timedelta(days=366, seconds=29520), "Europe/Berlin")
def test_utc_fast_paths_equal_the_public_arithmetic(
    start: datetime, duration: timedelta, zone: str
) -> None:
    # The SLA clocks compute in UTC through private fast paths; they must be the same
    # instants as the public add/elapsed, which answer in the calendar's zone.
    for cal in (AlwaysOpen(zone), BusinessCalendar.weekdays("09:00", "18:00", timezone=zone)):
        fast = cal._add_utc(start, duration)
        assert fast.tzinfo is timezone.utc
        # Compared as UTC instants: Python never calls a time in a repeated hour equal to one
        # in another zone (PEP 495), even when both name the same instant.
        assert fast == cal.add(start, duration).astimezone(timezone.utc)
        end = start + duration
        assert cal.elapsed(start, end) == cal.elapsed(start.astimezone(ZoneInfo(zone)), end)
