"""Retries wait with capped exponential backoff and full jitter, and a cancel cuts the wait."""

from __future__ import annotations

import random
import threading

from counsellor_app.sync.backoff import BackoffPolicy, event_sleeper


def test_waits_grow_exponentially_up_to_the_cap() -> None:
    policy = BackoffPolicy(attempts=10, base_seconds=0.5, cap_seconds=4.0)
    assert [policy.ceiling(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_every_wait_is_jittered_within_its_ceiling() -> None:
    policy = BackoffPolicy(attempts=8, base_seconds=1.0, cap_seconds=10.0)
    rng = random.Random(7)
    for _ in range(50):
        delays = list(policy.delays(rng))
        assert len(delays) == 7
        for n, delay in enumerate(delays):
            assert 0.0 <= delay <= policy.ceiling(n)
    spread = {round(d, 6) for d in BackoffPolicy(attempts=20).delays(random.Random(1))}
    assert len(spread) > 10  # jitter: not the same wait every time


def test_a_single_attempt_never_waits() -> None:
    assert list(BackoffPolicy(attempts=1).delays(random.Random(0))) == []


def test_a_cancel_ends_the_wait_at_once() -> None:
    cancel = threading.Event()
    cancel.set()
    assert event_sleeper(3600.0, cancel) is False


def test_an_uncancelled_wait_runs_to_the_end() -> None:
    assert event_sleeper(0.0, threading.Event()) is True
