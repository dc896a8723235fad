"""A revoked device wipes itself; plain-http hubs elsewhere and mixed accounts are refused."""

from __future__ import annotations

import threading

import httpx
import pytest

from counsellor_app.hub.server import RunningHub
from counsellor_app.sync.errors import (
    DeviceWiped,
    HubAddressRefused,
    LoginFailed,
    PasswordNeeded,
    SyncCancelled,
    SyncError,
)
from counsellor_app.sync.progress import Phase

from .conftest import MemoryKeyringLike
from .helpers import ClientDevice

USER = "counsellor-cardiff"


def test_a_revoked_device_deletes_its_cache_and_keys_and_says_so(
    small_hub: RunningHub, devices: dict[str, ClientDevice], memory_keyring: MemoryKeyringLike
) -> None:
    client = devices["laptop"]
    client.engine(small_hub.url, USER).run()
    identity = client.profile.identity
    assert any(identity in user for _, user in memory_keyring.secrets)
    assert small_hub.hub.accounts.revoke_device(client.device_id)

    with pytest.raises(DeviceWiped, match="revoked this device") as wiped:
        client.engine(small_hub.url, USER).run()

    assert "deleted from this computer" in str(wiped.value)
    for path in client.profile.cache_side_files:
        assert not path.exists()
    assert not client.profile.wrapped_key_file.exists()
    assert not any(identity in user for _, user in memory_keyring.secrets)


def test_a_plain_http_hub_on_another_computer_is_refused_before_any_request(
    devices: dict[str, ClientDevice],
) -> None:
    requests: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(500)

    with pytest.raises(HubAddressRefused, match="must use https"):
        devices["laptop"].engine(
            "http://hub.example.nhs.uk", USER, transport=httpx.MockTransport(record)
        )
    assert requests == []


def test_a_cache_filled_by_one_user_is_not_synced_by_another(
    small_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    client = devices["shared"]
    client.engine(small_hub.url, USER).run()
    with pytest.raises(SyncError, match="belongs to another hub user"):
        client.engine(small_hub.url, "clinician-cardiff").run()


def test_no_stored_sign_in_and_no_password_asks_for_the_password(
    small_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    with pytest.raises(PasswordNeeded, match="type your hub password"):
        devices["new"].engine(small_hub.url, USER, password=None).run()


def test_a_wrong_password_is_refused_plainly(
    small_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    with pytest.raises(LoginFailed, match="user name or password is wrong"):
        devices["new"].engine(small_hub.url, USER, password="wrong-password").run()


def test_a_cancel_stops_between_pages_and_keeps_what_was_applied(
    small_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    cancel = threading.Event()
    seen: list[tuple[str, int, int | None]] = []

    def progress(phase: str, done: int, total: int | None) -> None:
        seen.append((phase, done, total))
        if phase == Phase.PULL and done >= 100:
            cancel.set()

    client = devices["laptop"]
    with pytest.raises(SyncCancelled, match="Everything received before the cancel is kept"):
        client.engine(small_hub.url, USER, page_size=50, cancel=cancel, progress=progress).run()

    pulled = [done for phase, done, _ in seen if phase == Phase.PULL]
    assert pulled[0] == 0 and 100 <= pulled[-1] < 200
    report = client.engine(small_hub.url, USER, page_size=50).run()  # carries on from there
    assert report.pulled_total > 0
