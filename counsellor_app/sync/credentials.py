"""Where the hub's refresh token is kept: the store's key provider, never a plain file."""

from __future__ import annotations

import hashlib
from typing import Protocol


class SecretKeeper(Protocol):
    """What the sync engine needs of the store's key provider."""

    def store_secret(self, name: str, value: str) -> None: ...

    def read_secret(self, name: str) -> str | None: ...

    def delete_secret(self, name: str) -> None: ...


class RefreshTokenStore:
    """The refresh token of one user on one hub, kept by the key provider.

    The key provider keeps it in the OS credential store, or sealed with the cache key in the
    passphrase-protected key file where no credential store is usable. The access token is never
    kept anywhere: it lives in memory for one sync.
    """

    def __init__(self, keeper: SecretKeeper, hub_url: str, user: str) -> None:
        self._keeper = keeper
        digest = hashlib.sha256(f"{hub_url}\n{user}".encode()).hexdigest()[:24]
        self.name = f"hub-refresh-token:{digest}"

    def load(self) -> str | None:
        return self._keeper.read_secret(self.name)

    def save(self, token: str) -> None:
        self._keeper.store_secret(self.name, token)

    def forget(self) -> None:
        self._keeper.delete_secret(self.name)
