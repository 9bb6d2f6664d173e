"""Exact mean, median and p90 of a multiset of durations kept as value -> count.

Design rules:

* Exact, not sketched: the median is the middle value (or the mean of the two middle
  values), p90 is the nearest rank (the smallest value with at least 90 % of the values at
  or below it), the mean a correctly rounded sum (``math.fsum``) over the count.
* Memory: a group keeps each distinct duration once with how often it occurs. Durations come
  from instants of second (or minute) resolution, so the number of distinct values is bounded
  by the range of durations, not by the number of tickets.
* With a ``precision`` p (``0.005`` for 0.5 %), durations are kept in logarithmic bins
  instead, each shown as the value within p of every duration in it: the median and p90 are
  then within p (relative) of the exact ones, the mean stays a plain sum over the count, and
  memory is a few thousand bins per group at most, whatever the number of tickets.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

import attrs


@attrs.frozen
class Stats:
    """Count, mean, median and nearest-rank p90 of some durations, in seconds."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


EMPTY = Stats(0, None, None, None)


def stats_of(values: Counter[float]) -> Stats:
    """Exact statistics of a multiset of values.

    Example:
        >>> stats_of(Counter({60.0: 3, 120.0: 1}))
        Stats(count=4, mean=75.0, median=60.0, p90=120.0)
    """
    n = sum(values.values())
    if not n:
        return EMPTY
    ordered = sorted(values.items())
    mid = n // 2
    wanted = {mid, max(0, math.ceil(0.9 * n) - 1)} | ({mid - 1} if n % 2 == 0 else set())
    found: dict[int, float] = {}
    seen = 0
    for value, count in ordered:
        for rank in [r for r in wanted if seen <= r < seen + count]:
            found[rank] = value
            wanted.discard(rank)
        seen += count
        if not wanted:
            break
    median = found[mid] if n % 2 else (found[mid - 1] + found[mid]) / 2
    mean = math.fsum(v * c for v, c in ordered) / n
    return Stats(n, mean, median, found[max(0, math.ceil(0.9 * n) - 1)])


@lru_cache(maxsize=16)
def _gamma(precision: float) -> float:
    return (1 + precision) / (1 - precision)


class Durations:
    """A multiset of durations: exact (value -> count), or binned within ``precision``."""

    __slots__ = ("counts", "n", "precision", "total")

    def __init__(self, precision: float | None = None) -> None:
        self.counts: Counter[float] = Counter()
        self.precision = precision
        self.total = 0.0
        self.n = 0

    def add(self, value: float) -> None:
        """Count one duration (seconds, >= 0)."""
        if self.precision is None:
            self.counts[value] += 1
            return
        self.total += value
        self.n += 1
        if value <= 0:
            self.counts[0.0] += 1
            return
        gamma = _gamma(self.precision)
        k = math.ceil(math.log(value, gamma))
        self.counts[2 * gamma**k / (gamma + 1)] += 1

    def __len__(self) -> int:
        return len(self.counts)

    def stats(self) -> Stats:
        """Count, mean, median and p90 (exact, or within ``precision`` when binned)."""
        found = stats_of(self.counts)
        if self.precision is None or not self.n:
            return found
        return Stats(self.n, self.total / self.n, found.median, found.p90)
