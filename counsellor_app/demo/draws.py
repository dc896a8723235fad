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

    def seed(self, a: object = None, version: int = 2) -> None:
        super().seed(a, version)  # type: ignore[arg-type]
        self._draw = self.random  # bound once: saves a method lookup on every draw

    def randint(self, a: int, b: int) -> int:
        return a + int(self._draw() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self._draw() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            return int(self._draw() * start)
        return start + step * int(self._draw() * ((stop - start + step - 1) // step))


class Weighted(Generic[T]):
    """A weighted choice that costs one ``random()`` call and one bisection per draw."""

    __slots__ = ("_items", "_cumulative")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items: list[T] = []
        weights: list[float] = []
        for item, weight in pairs:
            items.append(item)
            weights.append(weight)
        if not items:
            raise ValueError("A weighted choice needs at least one item.")
        total = sum(weights)
        self._items = tuple(items)
        self._cumulative = tuple(c / total for c in accumulate(weights))

    def __call__(self, rng: Random) -> T:
        index = bisect_right(self._cumulative, rng.random())
        return self._items[index if index < len(self._items) else -1]


def day_between(rng: Random, first: dt.date, last: dt.date) -> dt.date:
    """A day from ``first`` to ``last`` inclusive (``first`` when the span is empty)."""
    span = (last - first).days
    if span <= 0:
        return first
    return first + dt.timedelta(days=rng.randint(0, span))


def at_time(rng: Random, day: dt.date) -> dt.datetime:
    """A moment in working hours (UTC) on ``day``, to the minute."""
    minutes = 510 + int(rng.random() * 511)  # 08:30 to 17:00
    return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=dt.UTC)
