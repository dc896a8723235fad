"""Small helpers for drawing from a seeded random generator quickly and reproducibly."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")


class FastRandom(Random):
    """A seeded generator whose integer and choice draws cost one ``random()`` call each.

    The standard methods draw bits until the result is exactly uniform, which is several times
    slower; for synthetic data the bias of ``int(random() * n)`` (below 1e-12) does not matter.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + step * int(self.random() * ((stop - start + step - 1) // step))


class Weighted(Generic[T]):
    """A weighted choice that costs one ``random()`` call and one bisection per draw."""

    __slots__ = ("_items", "_cumulative", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items: list[T] = []
        weights: list[float] = []
        for item, weight in pairs:
            items.append(item)
            weights.append(weight)
        if not items:
            raise ValueError("A weighted choice needs at least one item.")
        self._items = tuple(items)
        self._cumulative = tuple(accumulate(weights))
        self._total = self._cumulative[-1]

    def __call__(self, rng: Random) -> T:
        return self._items[bisect_right(self._cumulative, rng.random() * self._total)]


def day_between(rng: Random, first: dt.date, last: dt.date) -> dt.date:
    """A day from ``first`` to ``last`` inclusive (``first`` when the span is empty)."""
    span = (last - first).days
    if span <= 0:
        return first
    return first + dt.timedelta(days=rng.randint(0, span))


def at_time(rng: Random, day: dt.date) -> dt.datetime:
    """A moment in working hours (UTC) on ``day``, to the minute."""
    minutes = rng.randint(8 * 60 + 30, 17 * 60)
    return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=dt.UTC)
