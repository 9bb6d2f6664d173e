"""BusinessCalendar against a minute-by-minute reference built straight from the config.

The reference (calendar_testkit_reference.py) shares no code with slakit and walks local dates with
zoneinfo. Random small calendars in UTC and in DST zones (windows around real transitions)
are compared on whole-minute instants: is_open, elapsed, add, subtract, the four
next/previous events, and the periods of the whole window.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from slakit.calendar import BusinessCalendar
from tests.calendar.calendar_testkit import MICRO, as_utc, assert_instant, scenarios
from tests.calendar.calendar_testkit_reference import ReferenceCalendar, from_minute, to_minute

ORACLE_ZONES = ("UTC", "Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo")
ORACLE_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@ORACLE_SETTINGS
@given(st.data())
def test_matches_minute_by_minute_reference(data: st.DataObject) -> None:
    scn = data.draw(scenarios(zones=ORACLE_ZONES, days=6))
    ref = ReferenceCalendar(scn.mapping, scn.first, scn.last)
    assume(not ref.degenerate)
    cal = BusinessCalendar.from_mapping(scn.mapping)
    zone = cal.zone

    def instant(m: int) -> str:
        return f"{from_minute(m).astimezone(zone).isoformat()} (minute {m})"

    # Whole window: the same maximal periods (clipped to the window).
    got = [
        (to_minute(p.start), to_minute(p.end)) for p in cal.periods(from_minute(ref.lo), from_minute(ref.hi))
    ]
    assert got == ref.periods()

    boundaries = sorted({m + k for run in ref.periods() for m in run for k in (-1, 0, 1)})
    boundaries = [m for m in boundaries if ref.lo < m < ref.hi]
    transition_minutes = [to_minute(t) for t in scn.transitions()]
    minute = st.one_of(
        st.integers(ref.lo + 1, ref.hi - 1),
        *([st.sampled_from(boundaries)] if boundaries else []),
        *([st.sampled_from(transition_minutes)] if transition_minutes else []),
    ).filter(lambda m: ref.lo < m < ref.hi)

    for _ in range(4):
        m = data.draw(minute)
        t = from_minute(m).astimezone(zone)
        assert cal.is_open(t) == ref.is_open(m), instant(m)
        other = data.draw(minute)
        assert cal.elapsed(t, from_minute(other)) == timedelta(minutes=ref.elapsed(m, other))

        for name in ("next_opening", "previous_opening", "next_closing", "previous_closing"):
            want = getattr(ref, name)(m)
            if want is not None:
                assert_instant(getattr(cal, name)(t), from_minute(want), zone)

        amount = data.draw(st.integers(0, 3 * 24 * 60) | st.sampled_from([0, 1, 15, 30, 60]))
        want_add = ref.add(m, amount)
        if want_add is not None:
            got_add = cal.add(t, timedelta(minutes=amount))
            assert_instant(got_add, from_minute(want_add), zone)
        want_sub = ref.subtract(m, amount)
        if want_sub is not None:
            got_sub = cal.subtract(t, timedelta(minutes=amount))
            assert_instant(got_sub, from_minute(want_sub), zone)

        # Off-grid: a microsecond after a whole minute behaves like the minute, shifted.
        if ref.is_open(m) and ref.is_open(m + 1):
            assert as_utc(cal.add(from_minute(m) + MICRO, timedelta(minutes=1))) == from_minute(m + 1) + MICRO
