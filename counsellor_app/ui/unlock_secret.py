"""What unlocks the idle lock: an Argon2id hash of the hub password, kept in the encrypted cache."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from counsellor_app.domain.errors import DomainError

if TYPE_CHECKING:  # loaded with the cache, after the first window has painted
    from counsellor_app.store.engine import Cache
    from counsellor_app.store.keys import KeyProvider

log = logging.getLogger(__name__)

SECRET_NAME = "unlock-password-hash"
"""Where earlier versions kept the hash (beside the cache key): still read, then removed."""


def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id, argon2-cffi's defaults (about 50 ms)


def remember_unlock_password(
    cache: Cache, password: str, keys: KeyProvider | None = None
) -> None:
    """Keeps a hash of the password that signed in, so the idle lock can check it offline and
    on a start that asked for no password.

    The hash lives inside the encrypted cache (``cache_meta``): never in a plain file, never
    the password itself. With ``keys``, a hash an earlier version kept beside the cache key is
    removed.
    """
    from counsellor_app.store.unlock_hash import save_unlock_hash

    save_unlock_hash(cache, _hasher().hash(password))
    if keys is not None:
        try:
            keys.delete_secret(SECRET_NAME)
        except DomainError:
            log.info("an earlier unlock secret could not be removed")


def unlock_verifier(cache: Cache, keys: KeyProvider | None) -> Callable[[str], bool]:
    """A check for the idle lock: the hub password of the user who last signed in here, or,
    where the cache key is protected by a passphrase, that passphrase."""

    def verify(secret: str) -> bool:
        return _is_password(cache, keys, secret) or (
            keys is not None and _is_passphrase(keys, secret)
        )

    return verify


def _stored_hash(cache: Cache, keys: KeyProvider | None) -> str | None:
    from counsellor_app.store.unlock_hash import read_unlock_hash

    try:
        stored = read_unlock_hash(cache)
    except Exception:  # a damaged or closed cache: the lock stays shut
        log.warning("the unlock hash could not be read from the cache")
        stored = None
    if stored is None and keys is not None:
        try:
            stored = keys.read_secret(SECRET_NAME)  # kept there by an earlier version
        except DomainError:
            log.warning("the unlock secret could not be read")
    return stored


def _is_password(cache: Cache, keys: KeyProvider | None, password: str) -> bool:
    stored = _stored_hash(cache, keys)
    if stored is None:
        log.warning("no unlock hash is kept for this profile")
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _is_passphrase(keys: KeyProvider, passphrase: str) -> bool:
    """Whether ``passphrase`` unwraps the same cache key (only where a key file is used)."""
    from counsellor_app.store.keys import KeyProvider

    if not keys.profile.wrapped_key_file.exists():
        return False
    probe = KeyProvider(keys.profile, passphrase=lambda _purpose: passphrase, environ={})
    try:
        return probe.key(create=False) == keys.key(create=False)
    except DomainError:
        return False
