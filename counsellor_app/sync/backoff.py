"""Capped exponential backoff with full jitter, and the sleepers that wait between attempts."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


class Sleeper(Protocol):
    """Waits between retries; returns early (``False``) when ``cancel`` is set."""

    def __call__(self, seconds: float, cancel: threading.Event) -> bool: ...


def event_sleeper(seconds: float, cancel: threading.Event) -> bool:
    """Waits on the cancel event itself, so a cancel interrupts the wait at once."""
    return not cancel.wait(seconds)


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """How many times to try a request and how long to wait between tries.

    The n-th wait (n from 0) is drawn uniformly from ``[0, min(cap, base * 2**n)]``
    ("full jitter"), so many clients retrying after a hub restart spread out.
    """

    attempts: int = 6
    base_seconds: float = 0.5
    cap_seconds: float = 30.0

    def delays(self, rng: random.Random) -> Iterator[float]:
        """The waits between attempts: ``attempts - 1`` of them."""
        for n in range(max(0, self.attempts - 1)):
            ceiling = min(self.cap_seconds, self.base_seconds * (2.0**n))
            yield rng.uniform(0.0, ceiling)

    def ceiling(self, n: int) -> float:
        """The longest the n-th wait can be."""
        return min(self.cap_seconds, self.base_seconds * (2.0**n))
