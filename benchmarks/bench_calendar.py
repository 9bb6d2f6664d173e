"""Business-time arithmetic: slakit against pandas and businesstimedelta, same inputs, one run.

Workload: Mon-Fri 09:00-17:00 Europe/Berlin less the German public holidays of 2024-2027
(``holidays.country_holidays("DE", years=range(2024, 2028))``; every library gets the same
dates). ``add``: a random second of 2025 plus 1..200 whole business hours. ``elapsed``:
a random second of 2025 to an end up to 60 days later. One seed, so every library sees
the very same starts, amounts and ends (the slow peers just take a prefix of them).

Run: ``.venv/bin/python benchmarks/bench_calendar.py [--quick] [--seed N]``; it prints
Markdown tables (timings, build costs, cross-checks) and the machine they came from.
Inputs (datetimes, timedeltas, pandas Timestamps and offsets) are built outside the
timers, so the figures are the cost of the operation alone, loop overhead included.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from importlib import metadata
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta as btd
import holidays
import numpy as np
import pandas as pd
from pandas.tseries.offsets import CustomBusinessDay, CustomBusinessHour

from slakit.calendar import BusinessCalendar

ZONE_NAME = "Europe/Berlin"
ZONE = ZoneInfo(ZONE_NAME)
pytz: Any = importlib.import_module("pytz")  # businesstimedelta needs pytz zones; pytz ships no types
PYTZ_ZONE = pytz.timezone(ZONE_NAME)

YEARS = range(2024, 2028)
CHECKED = 1_000  # inputs cross-checked between the libraries


@dataclass(frozen=True)
class Sizes:
    """Calls per library; the slow peers time a prefix of slakit's inputs."""

    slakit: int = 100_000
    pandas_add: int = 5_000
    pandas_elapsed: int = 2_000
    btd: int = 1_000
    btd_holidays_object: int = 200
    build_runs: int = 7


QUICK = Sizes(slakit=5_000, pandas_add=300, pandas_elapsed=200, btd=100, btd_holidays_object=20,
              build_runs=3)


@dataclass(frozen=True)
class Timing:
    wall_us: float
    cpu_us: float


@dataclass(frozen=True)
class Row:
    library: str
    operation: str
    calls: int
    repeats: int
    per_call: Timing


# -- inputs ------------------------------------------------------------------------------


def make_inputs(n: int, seed: int) -> tuple[list[datetime], list[int], list[datetime]]:
    """``n`` starts (a random second of 2025, Berlin), amounts (1..200 h) and ends (+0..60 days)."""
    rng = random.Random(seed)
    lo = int(datetime(2025, 1, 1, tzinfo=ZONE).timestamp())
    hi = int(datetime(2026, 1, 1, tzinfo=ZONE).timestamp())
    starts = [datetime.fromtimestamp(rng.randrange(lo, hi), ZONE) for _ in range(n)]
    hours = [rng.randint(1, 200) for _ in range(n)]
    ends = [s + timedelta(seconds=rng.randrange(60 * 86_400 + 1)) for s in starts]
    return starts, hours, ends


def german_holidays() -> Any:
    return holidays.country_holidays("DE", years=YEARS)


# -- timing ------------------------------------------------------------------------------


def time_calls(run: Callable[[], list[Any]], calls: int, repeats: int) -> tuple[Timing, list[Any]]:
    """Median wall and CPU microseconds per call over ``repeats`` runs (gc paused), and the results.

    CPU time (``time.process_time``) leaves out the time other processes held the CPU, so it
    is the steadier figure on a busy machine; on a quiet one the two agree.
    """
    walls, cpus = [], []
    results: list[Any] = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            w0, c0 = time.perf_counter(), time.process_time()
            results = run()
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        finally:
            gc.enable()
    per_call = 1e6 / calls
    return Timing(statistics.median(walls) * per_call, statistics.median(cpus) * per_call), results


def time_build(build: Callable[[], object], runs: int) -> float:
    """Median milliseconds of ``build()`` over ``runs`` runs."""
    totals = []
    for _ in range(runs):
        t0 = time.perf_counter()
        build()
        totals.append(time.perf_counter() - t0)
    return statistics.median(totals) * 1e3


# -- the libraries -------------------------------------------------------------------------


def slakit_calendar(hol: Any = None, country: str | None = None) -> BusinessCalendar:
    cal = BusinessCalendar.weekdays("09:00", "17:00", timezone=ZONE_NAME, holidays=hol, country=country)
    cal.prepare(YEARS[0], YEARS[-1])
    return cal


def btd_rules(hol: Any) -> Any:
    # Both rules need the pytz zone: WorkDayRule calls tz.localize (a zoneinfo zone fails),
    # and HolidayRule defaults to UTC, which would make each holiday run 01:00-01:00 Berlin.
    workday = btd.WorkDayRule(start_time=clock(9), end_time=clock(17), working_days=[0, 1, 2, 3, 4],
                              tz=PYTZ_ZONE)
    return btd.Rules([workday, btd.HolidayRule(hol, tz=PYTZ_ZONE)])


def pandas_elapsed(a: pd.Timestamp, b: pd.Timestamp, cbd: CustomBusinessDay) -> timedelta:
    """Open time in [a, b): pandas has no such operation, so this is a hand-written fallback.

    Business days come from ``pd.date_range(freq=CustomBusinessDay)``; each day's 09:00-17:00
    is localized and clipped to [a, b) with numpy. Assumes a <= b (true of the workload).
    """
    days = pd.date_range(a.tz_localize(None).normalize(), b.tz_localize(None).normalize(), freq=cbd)
    # Epoch nanoseconds throughout: Timestamp.value is in ns whatever the Timestamp's unit.
    opens = (days + pd.Timedelta(hours=9)).tz_localize(ZONE_NAME).as_unit("ns").asi8
    closes = (days + pd.Timedelta(hours=17)).tz_localize(ZONE_NAME).as_unit("ns").asi8
    spans = np.minimum(closes, b.value) - np.maximum(opens, a.value)
    return timedelta(microseconds=int(spans[spans > 0].sum()) // 1000)


# -- cross-checks --------------------------------------------------------------------------


@dataclass
class Check:
    operation: str
    peer: str
    compared: int = 0
    equal: int = 0
    on_close: int = 0  # peer returns a closing instant where slakit returns the next opening
    other: int = 0
    example: str = ""


def check_add(name: str, cal: BusinessCalendar, ours: Sequence[datetime], theirs: Sequence[Any],
              inputs: Sequence[tuple[datetime, int]]) -> Check:
    check = Check("add", name)
    for mine, peer, (start, hours) in zip(ours, theirs, inputs, strict=False):
        peer_dt = peer.to_pydatetime() if isinstance(peer, pd.Timestamp) else peer
        check.compared += 1
        if mine.astimezone(timezone.utc) == peer_dt.astimezone(timezone.utc):  # the same instant
            check.equal += 1
        elif not cal.is_open(peer_dt) and cal.next_closing(peer_dt) == peer_dt \
                and cal.next_opening(peer_dt) == mine:
            check.on_close += 1
        else:
            check.other += 1
            check.example = check.example or f"{start.isoformat()} + {hours} h: slakit {mine}, {name} {peer}"
    return check


def check_elapsed(name: str, ours: Sequence[timedelta], theirs: Sequence[timedelta],
                  inputs: Sequence[tuple[datetime, datetime]]) -> Check:
    check = Check("elapsed", name)
    for mine, peer, (a, b) in zip(ours, theirs, inputs, strict=False):
        check.compared += 1
        if mine == peer:
            check.equal += 1
        else:
            check.other += 1
            check.example = check.example or f"[{a}, {b}): slakit {mine}, {name} {peer}"
    return check


# -- report --------------------------------------------------------------------------------


def machine_info() -> list[str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    uname = platform.uname()
    processor = platform.processor()
    if not processor:  # empty on many Linux systems; the kernel knows the model
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as info:
                models = [ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")]
            processor = models[0] if models else ""
        except OSError:
            pass
    load = "n/a"
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- python {platform.python_version()} ({platform.python_implementation()}), {sys.executable}",
        f"- {uname.system} {uname.release} {uname.machine}; processor: {processor or 'n/a'}; "
        f"CPUs: {os.cpu_count()}; load average (1/5/15 min): {load}",
        f"- slakit {version('slakit')}, pandas {version('pandas')}, numpy {version('numpy')}, "
        f"businesstimedelta {version('businesstimedelta')}, holidays {version('holidays')}, "
        f"pytz {version('pytz')}",
    ]


def print_rows(rows: Sequence[Row]) -> None:
    """The timing table; "x slakit" divides by slakit's first row of the same verb (CPU time)."""
    baseline: dict[str, float] = {}
    for r in rows:
        if r.library == "slakit":
            baseline.setdefault(r.operation.split(" ")[0], r.per_call.cpu_us)
    print("| library | operation | calls x repeats | us/call wall (median) | us/call CPU (median) "
          "| x slakit |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        base = baseline.get(r.operation.split(" ")[0])
        ratio = f"{r.per_call.cpu_us / base:,.0f}x" if base and r.library != "slakit" else ""
        print(f"| {r.library} | {r.operation} | {r.calls:,} x {r.repeats} | {r.per_call.wall_us:,.2f} "
              f"| {r.per_call.cpu_us:,.2f} | {ratio} |")


@dataclass(frozen=True)
class Workload:
    starts: list[datetime]
    hours: list[int]
    ends: list[datetime]
    holiday_dates: list[date]


def bench_slakit(w: Workload, n: int, rows: list[Row]) -> tuple[BusinessCalendar, list[Any], list[Any]]:
    """Time slakit; return the calendar and its add / elapsed results."""
    cal = slakit_calendar(german_holidays())  # its own object: slakit makes it fill in more years
    add, elapsed = cal.add, cal.elapsed
    starts, ends = w.starts[:n], w.ends[:n]
    durations = [timedelta(hours=h) for h in w.hours[:n]]
    one_h, many_h = [timedelta(hours=1)] * n, [timedelta(hours=10_000)] * n
    cases: list[tuple[str, Callable[[], list[Any]]]] = [
        ("add (1..200 h)", lambda: [add(s, d) for s, d in zip(starts, durations, strict=True)]),
        ("elapsed (0..60 days)", lambda: [elapsed(a, b) for a, b in zip(starts, ends, strict=True)]),
        ("add 1 h", lambda: [add(s, d) for s, d in zip(starts, one_h, strict=True)]),
        ("add 10,000 h", lambda: [add(s, d) for s, d in zip(starts, many_h, strict=True)]),
    ]
    results = []
    for label, run in cases:
        run()  # warm-up; "add 10,000 h" reaches ~2030, so this extends the window once
        us, out = time_calls(run, n, 5)
        rows.append(Row("slakit", label, n, 5, us))
        results.append(out)
    return cal, results[0], results[1]


def bench_pandas(w: Workload, sizes: Sizes, rows: list[Row]) -> tuple[list[Any], list[Any]]:
    """Time pandas' CustomBusinessHour on tz-aware Timestamps; return add / elapsed results."""
    cbh = CustomBusinessHour(start="09:00", end="17:00", holidays=w.holiday_dates)
    cbd = CustomBusinessDay(holidays=w.holiday_dates)
    n = sizes.pandas_add
    stamps = [pd.Timestamp(s) for s in w.starts[:n]]
    hours = w.hours[:n]
    offsets = [h * cbh for h in hours]
    us, added = time_calls(lambda: [t + o for t, o in zip(stamps, offsets, strict=True)], n, 3)
    rows.append(Row("pandas", "add (1..200 h), offsets prebuilt", n, 3, us))
    us, _ = time_calls(lambda: [t + h * cbh for t, h in zip(stamps, hours, strict=True)], n, 3)
    rows.append(Row("pandas", "add (1..200 h), `ts + n * offset`", n, 3, us))
    n = sizes.pandas_elapsed
    pairs = [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in zip(w.starts[:n], w.ends[:n], strict=True)]
    us, spans = time_calls(lambda: [pandas_elapsed(a, b, cbd) for a, b in pairs], n, 3)
    rows.append(Row("pandas", "elapsed (0..60 days), hand-written fallback*", n, 3, us))
    return added, spans


def bench_btd(w: Workload, sizes: Sizes, rows: list[Row]) -> tuple[list[Any], list[Any]]:
    """Time businesstimedelta; return add / elapsed results (holidays given as a set)."""
    delta = btd.BusinessTimeDelta
    rules = btd_rules(frozenset(w.holiday_dates))
    n = sizes.btd
    starts, hours, ends = w.starts[:n], w.hours[:n], w.ends[:n]
    us, added = time_calls(lambda: [s + delta(rules, hours=h) for s, h in zip(starts, hours, strict=True)],
                           n, 3)
    rows.append(Row("businesstimedelta", "add (1..200 h)", n, 3, us))
    difference = rules.difference
    us, spans = time_calls(lambda: [difference(a, b).timedelta for a, b in zip(starts, ends, strict=True)],
                           n, 3)
    rows.append(Row("businesstimedelta", "elapsed (0..60 days)", n, 3, us))
    n = sizes.btd_holidays_object
    starts, hours = w.starts[:n], w.hours[:n]
    rules_obj = btd_rules(german_holidays())
    us, _ = time_calls(lambda: [s + delta(rules_obj, hours=h) for s, h in zip(starts, hours, strict=True)],
                       n, 3)
    rows.append(Row("businesstimedelta", "add (1..200 h), HolidayRule(holidays object)", n, 3, us))
    return added, spans


def bench_builds(w: Workload, runs: int) -> list[tuple[str, float]]:
    """Median build costs in milliseconds."""
    prebuilt = [german_holidays() for _ in range(runs)]  # a fresh object per run, built untimed
    dates = w.holiday_dates
    return [
        ("slakit: construct + prepare(2024, 2027), prebuilt holidays object",
         time_build(lambda: slakit_calendar(prebuilt.pop()), runs)),
        ('slakit: construct + prepare(2024, 2027), country="DE" (includes holidays generation)',
         time_build(lambda: slakit_calendar(country="DE"), runs)),
        ('holidays: country_holidays("DE", years=2024..2027) alone', time_build(german_holidays, runs)),
        (f"pandas: CustomBusinessHour(holidays={len(dates)} dates)",
         time_build(lambda: CustomBusinessHour(start="09:00", end="17:00", holidays=dates), runs)),
        ("businesstimedelta: Rules([WorkDayRule, HolidayRule])",
         time_build(lambda: btd_rules(frozenset(dates)), runs)),
    ]


def print_report(args: argparse.Namespace, w: Workload, rows: Sequence[Row], runs: int,
                 builds: Sequence[tuple[str, float]], checks: Sequence[Check]) -> None:
    print("## Business-time arithmetic: slakit vs pandas vs businesstimedelta\n")
    print(f"Mon-Fri 09:00-17:00 {ZONE_NAME}, {len(w.holiday_dates)} German public holidays 2024-2027; "
          f"seed {args.seed}{', QUICK sizes' if args.quick else ''}.\n")
    print_rows(rows)
    print("\n\\* pandas has no business-time difference; the fallback enumerates business days with "
          "`pd.date_range(freq=CustomBusinessDay)` and clips each 09:00-17:00 with numpy.")
    print("Slow peers time a prefix of the same inputs; x slakit compares CPU time with slakit's "
          "first add / elapsed row.\n")
    print("| build | runs | ms (median) |")
    print("|---|---:|---:|")
    for label, ms in builds:
        print(f"| {label} | {runs} | {ms:,.2f} |")
    print("\n| cross-check with slakit | compared | equal | peer on a close, slakit at next opening "
          "| other |")
    print("|---|---:|---:|---:|---:|")
    for c in checks:
        print(f"| {c.operation}: {c.peer} | {c.compared:,} | {c.equal:,} | {c.on_close:,} | {c.other:,} |")
    for c in checks:
        if c.example:
            print(f"\nFirst other difference, {c.operation} vs {c.peer}: {c.example}")
    print("\nMachine:")
    print("\n".join(machine_info()))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    parser.add_argument("--seed", type=int, default=20250101)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    began = time.perf_counter()

    dates = sorted(d for d in german_holidays() if d.year in YEARS)
    w = Workload(*make_inputs(sizes.slakit, args.seed), holiday_dates=dates)
    rows: list[Row] = []
    cal, ours_add, ours_el = bench_slakit(w, sizes.slakit, rows)
    pandas_add, pandas_el = bench_pandas(w, sizes, rows)
    btd_add, btd_el = bench_btd(w, sizes, rows)
    builds = bench_builds(w, sizes.build_runs)

    # Cross-checks on the first inputs (zip stops at the shorter list).
    add_inputs = list(zip(w.starts, w.hours, strict=True))[:CHECKED]
    el_inputs = list(zip(w.starts, w.ends, strict=True))[:CHECKED]
    checks = [
        check_add("pandas", cal, ours_add, pandas_add, add_inputs),
        check_add("businesstimedelta", cal, ours_add, btd_add, add_inputs),
        check_elapsed("pandas fallback", ours_el, pandas_el, el_inputs),
        check_elapsed("businesstimedelta", ours_el, btd_el, el_inputs),
    ]
    print_report(args, w, rows, sizes.build_runs, builds, checks)
    print(f"\nTotal run time: {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
