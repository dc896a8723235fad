"""Only https hubs are accepted, except plain http on this computer's loopback."""

from __future__ import annotations

import pytest

from counsellor_app.sync.errors import HubAddressRefused
from counsellor_app.sync.hub_address import checked_hub_url


@pytest.mark.parametrize(
    "url",
    [
        "https://hub.example.nhs.uk",
        "https://hub.example.nhs.uk:8443/base/",
        "http://127.0.0.1:8000",
        "http://localhost:8000/",
        "http://[::1]:8000",
        "http://127.0.0.2:9000",
    ],
)
def test_https_and_loopback_hubs_are_accepted(url: str) -> None:
    assert not checked_hub_url(url).endswith("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://hub.example.nhs.uk",
        "http://10.0.0.5:8000",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
    ],
)
def test_plain_http_to_another_computer_is_refused_with_a_sentence(url: str) -> None:
    with pytest.raises(HubAddressRefused, match="must use https"):
        checked_hub_url(url)


@pytest.mark.parametrize("url", ["ftp://hub.example.nhs.uk", "hub.example.nhs.uk", "https://"])
def test_something_that_is_not_a_web_address_is_refused(url: str) -> None:
    with pytest.raises(HubAddressRefused, match="not a web address"):
        checked_hub_url(url)


def test_credentials_inside_the_address_are_refused() -> None:
    with pytest.raises(HubAddressRefused, match="user name or password"):
        checked_hub_url("https://alice:secret@hub.example.nhs.uk")
