"""What unlocks the idle lock: an Argon2id hash of the hub password, kept by the key provider."""

from __future__ import annotations

import logging
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from counsellor_app.domain.errors import DomainError
from counsellor_app.store.keys import KeyProvider

log = logging.getLogger(__name__)

SECRET_NAME = "unlock-password-hash"


def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id, argon2-cffi's defaults (about 50 ms)


def remember_unlock_password(keys: KeyProvider, password: str) -> None:
    """Keeps a hash of the password that signed in, so the idle lock can check it offline.

    The hash lives where the cache key lives (the OS credential store, or sealed with the
    cache key in the passphrase-protected key file): never in a plain file.
    """
    keys.store_secret(SECRET_NAME, _hasher().hash(password))


def unlock_verifier(keys: KeyProvider) -> Callable[[str], bool]:
    """A check for the idle lock: the hub password of the user who signed in, or, where the
    cache key is protected by a passphrase, that passphrase."""

    def verify(secret: str) -> bool:
        return _is_password(keys, secret) or _is_passphrase(keys, secret)

    return verify


def _is_password(keys: KeyProvider, password: str) -> bool:
    try:
        stored = keys.read_secret(SECRET_NAME)
    except DomainError:
        log.warning("the unlock secret could not be read")
        return False
    if stored is None:
        log.warning("no unlock secret is kept for this profile")
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _is_passphrase(keys: KeyProvider, passphrase: str) -> bool:
    """Whether ``passphrase`` unwraps the same cache key (only where a key file is used)."""
    if not keys.profile.wrapped_key_file.exists():
        return False
    probe = KeyProvider(keys.profile, passphrase=lambda _purpose: passphrase, environ={})
    try:
        return probe.key(create=False) == keys.key(create=False)
    except DomainError:
        return False
