"""Errors the encrypted cache raises for people: what happened and what to do."""

from __future__ import annotations

from counsellor_app.domain.errors import DomainError


class CacheError(DomainError):
    """The local cache cannot be used as asked."""


class CacheMissing(CacheError):
    """There is no cache in this profile yet."""


class CacheKeyError(CacheError):
    """The cache's key is missing or wrong (wrong passphrase, other credential store)."""


class KeyStoreError(CacheError):
    """Neither the credential store nor a passphrase could keep the key safe."""


class CacheDamaged(CacheError):
    """The cache's integrity checks failed."""


class NotFound(DomainError):
    """No record with this id in the cache."""
