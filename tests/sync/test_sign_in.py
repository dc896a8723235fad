"""Signing in: the access token lives in memory, the refresh token in the key provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from counsellor_app.hub.server import RunningHub, run_in_thread
from counsellor_app.hub.settings import HubSettings
from counsellor_app.sync.credentials import RefreshTokenStore
from counsellor_app.sync.errors import PasswordNeeded

from .faults import FaultyTransport
from .helpers import ClientDevice

USER = "counsellor-cardiff"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_hub(small_hub_db_url: str, clock: Clock) -> Iterator[RunningHub]:
    """The small hub with a clock the test moves (15-minute access tokens)."""
    settings = HubSettings(
        clock=clock,
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1),
    )
    running = run_in_thread(small_hub_db_url, settings=settings)
    try:
        yield running
    finally:
        running.stop()


def sign_ins(transport: FaultyTransport) -> list[str]:
    return [p for p in transport.requests if p.endswith(("/v1/login", "/v1/refresh"))]


def test_the_password_is_used_once_then_the_stored_refresh_token(
    timed_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    client = devices["laptop"]
    first = FaultyTransport()
    client.engine(timed_hub.url, USER, transport=first, page_size=1000).run()
    assert sign_ins(first) == ["/v1/login"]

    later = FaultyTransport()
    client.engine(timed_hub.url, USER, transport=later, password=None).run()
    assert sign_ins(later) == ["/v1/refresh"]
    stored = RefreshTokenStore(client.keys, timed_hub.url, USER).load()
    assert stored  # rotated by the hub and kept again


def test_a_repeated_sync_reuses_the_access_token_and_refreshes_it_when_expired(
    timed_hub: RunningHub, devices: dict[str, ClientDevice], clock: Clock
) -> None:
    transport = FaultyTransport()
    engine = devices["laptop"].engine(timed_hub.url, USER, transport=transport, page_size=1000)
    engine.run()
    engine.run()
    assert sign_ins(transport) == ["/v1/login"]

    clock.now += dt.timedelta(minutes=20)  # the access token has expired
    engine.run()
    assert sign_ins(transport) == ["/v1/login", "/v1/refresh"]


def test_a_refused_stored_sign_in_falls_back_to_the_password(
    timed_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    client = devices["laptop"]
    client.engine(timed_hub.url, USER, page_size=1000).run()
    RefreshTokenStore(client.keys, timed_hub.url, USER).save("spent-or-revoked-token")

    with pytest.raises(PasswordNeeded):
        client.engine(timed_hub.url, USER, password=None).run()
    assert RefreshTokenStore(client.keys, timed_hub.url, USER).load() is None

    transport = FaultyTransport()
    client.engine(timed_hub.url, USER, transport=transport).run()
    assert sign_ins(transport) == ["/v1/login"]
