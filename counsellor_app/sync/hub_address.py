"""Which hub addresses the client may talk to: https, or plain http on loopback only."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from counsellor_app.sync.errors import HubAddressRefused

_LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback_host(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_hub_url(url: str) -> str:
    """Returns the hub's base URL without a trailing slash, or refuses it.

    Only ``https://`` hubs are allowed, except on loopback (127.0.0.1, ::1, localhost),
    where plain ``http://`` is accepted for local testing and the demo.
    """
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise HubAddressRefused(
            "The hub address is not a web address; give it as https://hub.example.nhs.uk."
        )
    if parts.username or parts.password:
        raise HubAddressRefused(
            "The hub address must not contain a user name or password; "
            "give the user with --user instead."
        )
    if parts.scheme == "http" and not is_loopback_host(host):
        raise HubAddressRefused(
            "Refusing to sync over plain http: the hub must use https "
            "(only a hub on this computer may use http)."
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
