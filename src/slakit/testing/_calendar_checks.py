"""``check_calendar()``: the arithmetic invariants every :class:`~slakit.Calendar` keeps.

With ``E`` = elapsed, ``A`` = add, ``S`` = subtract and durations ``d >= 0``:

* ``E`` is additive (``E(a, c) == E(a, b) + E(b, c)``), antisymmetric, and between zero and
  the real time for ``a <= b``;
* ``A(s, d)`` is the one open instant ``r >= s`` with ``E(s, r) == d`` (open because a result
  landing on a closing moves to the next opening), so ``A`` composes
  (``A(A(s, d1), d2) == A(s, d1 + d2)``), ``S(A(s, d), d) == A(s, 0)``, and
  ``A(s, E(s, b)) == A(b, 0)`` for ``b >= s``;
* ``is_open(t)`` iff ``E(t, t + 1 µs) == 1 µs``, periods add up to ``E``, results are
  expressed in the calendar's zone.

Durations are drawn so that many sums land exactly on openings and closings (``E`` between
two awkward instants), which is where an off-by-one hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from itertools import pairwise

from hypothesis import settings
from hypothesis import strategies as st

from slakit._errors import NeverClosesError, NoOpenTimeError
from slakit.calendar import Calendar
from slakit.testing._errors import CalendarInvariantError
from slakit.testing._instants import aware_datetimes
from slakit.testing._runner import run_check

UTC = timezone.utc
US = timedelta(microseconds=1)
_PERIOD_SCAN = timedelta(days=10)  # periods are compared with elapsed over at most this


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def _fail(calendar: Calendar, invariant: str, why: str, **values: object) -> CalendarInvariantError:
    return CalendarInvariantError(invariant, why, {"calendar": calendar, **values})


def _durations(instants: st.SearchStrategy[datetime], calendar: Calendar) -> st.SearchStrategy[timedelta]:
    between = st.tuples(instants, instants).map(lambda ab: abs(calendar.elapsed(*ab)))
    return st.one_of(
        st.just(timedelta(0)),
        st.integers(1, 5 * 24 * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(1, 10**11).map(lambda us: US * us),
        between,
    )


def _check_elapsed(cal: Calendar, a: datetime, b: datetime, c: datetime) -> None:
    ab, bc, ac = cal.elapsed(a, b), cal.elapsed(b, c), cal.elapsed(a, c)
    if ac != ab + bc:
        raise _fail(cal, "elapsed is additive", "elapsed(a, c) must equal elapsed(a, b) + "
                    "elapsed(b, c)", a=a, b=b, c=c, **{"elapsed(a, b)": ab, "elapsed(b, c)": bc,
                                                       "elapsed(a, c)": ac})
    ba = cal.elapsed(b, a)
    if ba != -ab:
        raise _fail(cal, "elapsed is antisymmetric", "elapsed(b, a) must equal -elapsed(a, b)",
                    a=a, b=b, **{"elapsed(a, b)": ab, "elapsed(b, a)": ba})
    lo, hi = sorted((a, b), key=_utc)
    real = _utc(hi) - _utc(lo)
    if not timedelta(0) <= abs(ab) <= real:
        raise _fail(cal, "elapsed is bounded by real time", "0 <= elapsed(a, b) <= b - a must "
                    "hold for a <= b", a=lo, b=hi, **{"elapsed(a, b)": abs(ab), "b - a": real})
    tick = cal.elapsed(a, _utc(a) + US)  # in UTC: wall-clock + would lose the fold
    if cal.is_open(a) != (tick == US):
        raise _fail(cal, "is_open agrees with elapsed", "is_open(t) must be True exactly when "
                    "the microsecond after t is open time", t=a, **{"is_open(t)": cal.is_open(a),
                                                                    "elapsed(t, t + 1µs)": tick})
    end = min(_utc(hi), _utc(lo) + _PERIOD_SCAN)
    periods = list(cal.periods(lo, end))
    total = sum((_utc(p.end) - _utc(p.start) for p in periods), timedelta(0))
    ordered = all(_utc(p.end) < _utc(q.start) for p, q in pairwise(periods))
    inside = all(_utc(lo) <= _utc(p.start) < _utc(p.end) <= _utc(end) for p in periods)
    if total != cal.elapsed(lo, end) or not ordered or not inside:
        raise _fail(cal, "periods agree with elapsed", "periods(a, b) must be ordered, disjoint, "
                    "not touching, within [a, b), and add up to elapsed(a, b)", a=lo, b=end,
                    periods=periods, **{"elapsed(a, b)": cal.elapsed(lo, end)})


def _check_add(cal: Calendar, s: datetime, b: datetime, d1: timedelta, d2: timedelta) -> None:
    try:
        r = cal.add(s, d1)
        start = cal.add(s, timedelta(0))
        both = cal.add(s, d1 + d2)
        chained = cal.add(r, d2)
        lo, hi = sorted((s, b), key=_utc)
        via_elapsed = cal.add(lo, cal.elapsed(lo, hi))
        at_b = cal.add(hi, timedelta(0))
        back = cal.subtract(r, d1)
    except (NoOpenTimeError, NeverClosesError):
        return  # a calendar with finite open time: nothing to add into
    got: Mapping[str, object] = {"start": s, "duration": d1, "add(start, duration)": r}
    zone = cal.zone
    if r.tzinfo is None or _utc(r).astimezone(zone).utcoffset() != r.utcoffset() or (
            r.tzinfo != zone):
        raise _fail(cal, "results are in the calendar's zone", f"add must return an instant "
                    f"expressed in {zone!r}", **got)
    if _utc(r) < _utc(s) or cal.elapsed(s, r) != d1 or not cal.is_open(r):
        raise _fail(cal, "add is the inverse of elapsed", "r = add(start, duration) must be an "
                    "open instant at or after start with elapsed(start, r) == duration", **got,
                    **{"elapsed(start, r)": cal.elapsed(s, r), "is_open(r)": cal.is_open(r)})
    if _utc(chained) != _utc(both):
        raise _fail(cal, "add composes", "add(add(start, d1), d2) must equal add(start, d1 + d2)",
                    start=s, d1=d1, d2=d2, **{"add(start, d1)": r, "add(add(start, d1), d2)":
                                              chained, "add(start, d1 + d2)": both})
    if _utc(back) != _utc(start):
        raise _fail(cal, "subtract undoes add", "subtract(add(start, d), d) must equal "
                    "add(start, 0) (start itself when open, else the next opening)", **got,
                    **{"subtract(add(start, duration), duration)": back,
                       "add(start, 0)": start})
    if _utc(via_elapsed) != _utc(at_b):
        raise _fail(cal, "add lands where elapsed says", "add(a, elapsed(a, b)) must equal "
                    "add(b, 0) for a <= b", a=lo, b=hi, **{"elapsed(a, b)": cal.elapsed(lo, hi),
                                                            "add(a, elapsed(a, b))": via_elapsed,
                                                            "add(b, 0)": at_b})


def check_calendar(
    calendar: Calendar,
    *,
    max_examples: int = 100,
    seed: int | None = None,
    hypothesis_settings: settings | None = None,
    instants: st.SearchStrategy[datetime] | None = None,
) -> None:
    """Check that ``calendar`` keeps the business-time invariants; raise on the first break.

    Any :class:`~slakit.Calendar` works: a ``BusinessCalendar`` built from the host's
    configuration, a composition, or the host's own implementation of the protocol.

    Args:
        calendar: the calendar to check.
        max_examples: how many examples Hypothesis tries.
        seed: fix the random seed (reproducible runs); ``None`` explores afresh each run.
        hypothesis_settings: other Hypothesis settings to run with (e.g.
            ``settings(phases=[Phase.generate])`` to fail fast without shrinking).
        instants: where to probe; by default :func:`~slakit.testing.aware_datetimes`
            of ``calendar``.

    Raises:
        CalendarInvariantError: naming the invariant, with the smallest counterexample.

    Example:
        >>> from slakit.calendar import BusinessCalendar
        >>> check_calendar(BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/Berlin"),
        ...                max_examples=20, seed=1)
    """
    probe = instants or aware_datetimes(calendar)
    durations = _durations(probe, calendar)
    examples = st.tuples(probe, probe, probe, durations, durations)

    def body(example: tuple[datetime, datetime, datetime, timedelta, timedelta]) -> None:
        a, b, c, d1, d2 = example
        _check_elapsed(calendar, a, b, c)
        _check_add(calendar, a, b, d1, d2)

    run_check("check_calendar", examples, body, max_examples=max_examples, seed=seed,
              base=hypothesis_settings)
