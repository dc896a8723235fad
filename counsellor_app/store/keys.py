"""The cache key provider: the OS credential store or a passphrase-wrapped file; no plaintext."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from counsellor_app.store.errors import CacheKeyError, KeyStoreError
from counsellor_app.store.key_wrap import (
    KEY_BYTES,
    Argon2Params,
    open_secret,
    read_key_file,
    seal_secret,
    unwrap_key,
    wrap_key,
    write_key_file,
)
from counsellor_app.store.paths import Profile, write_private_file

SERVICE = "counsellor-desk"
PASSPHRASE_ENV = "COUNSELLOR_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 8

__all__ = [
    "PASSPHRASE_ENV",
    "Argon2Params",
    "KeyLocation",
    "KeyProvider",
    "PassphraseCallback",
    "PassphrasePurpose",
    "describe_backend",
    "usable_backend",
]


class KeyLocation(StrEnum):
    """Where the cache key is kept."""

    CREDENTIAL_STORE = "credential_store"
    PASSPHRASE_FILE = "passphrase_file"


class PassphrasePurpose(StrEnum):
    """Why a passphrase is asked for: to protect a new key, or to unlock the existing one."""

    CREATE = "create"
    UNLOCK = "unlock"


PassphraseCallback = Callable[[PassphrasePurpose], str]


def usable_backend() -> KeyringBackend | None:
    """The credential store keyring would write to, if it is a real, safe one; else None.

    Refused: the fail and null backends, any ``keyrings.*`` (keyrings.alt keeps secrets in
    plain text), and a chainer with nothing usable in first place.
    """
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)  # it writes to the first: that one must be safe
        if not chained:
            return None
        backend = chained[0]
    module = type(backend).__module__
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return None
    if module == "keyrings" or module.startswith("keyrings."):
        return None
    try:
        if float(backend.priority) <= 0:
            return None
    except Exception:
        return None
    return backend


_BACKEND_NAMES = {
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
}


def describe_backend(backend: KeyringBackend) -> str:
    module = type(backend).__module__
    name = _BACKEND_NAMES.get(module)
    if name is None:
        name = str(getattr(backend, "name", type(backend).__name__))
    return f"the system credential store ({name})"


class KeyProvider:
    """Gives the cache its 32-byte key and keeps other secrets (tokens) in the same place.

    The key lives in the OS credential store when a usable one exists (written, then read back
    to prove it stuck). Otherwise it is wrapped with a passphrase stretched by Argon2id
    (AES-256-GCM) in a file beside the cache. ``COUNSELLOR_PASSPHRASE`` supplies the passphrase
    to headless runs; else ``passphrase`` (a callback the UI or CLI passes) is asked.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        passphrase: PassphraseCallback | None = None,
        argon2: Argon2Params | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.profile = profile
        self._passphrase = passphrase
        self._argon2 = argon2 or Argon2Params()
        self._environ = environ
        self._key: bytes | None = None
        self._location: KeyLocation | None = None
        self._backend_description: str | None = None

    # --- where ---------------------------------------------------------------------------

    @property
    def location(self) -> KeyLocation | None:
        """Where the key is kept, once known (after the key was read or created)."""
        if self._location is None and self.profile.wrapped_key_file.exists():
            return KeyLocation.PASSPHRASE_FILE
        return self._location

    @property
    def description(self) -> str:
        """Where the key is kept, in words for the UI ("the system credential store (…)")."""
        location = self.location
        if location is KeyLocation.PASSPHRASE_FILE:
            return "a passphrase-protected key file beside the cache"
        if location is KeyLocation.CREDENTIAL_STORE and self._backend_description:
            return self._backend_description
        backend = usable_backend()
        if backend is not None:
            return describe_backend(backend)
        return "a passphrase-protected key file beside the cache"

    # --- the cache key ---------------------------------------------------------------------

    def key(self, *, create: bool) -> bytes:
        """The cache key; with ``create``, make and keep a new one where none exists yet."""
        if self._key is not None:
            return self._key
        if self.profile.wrapped_key_file.exists():
            key = self._unwrap()
            self._remember(key, KeyLocation.PASSPHRASE_FILE)
            return key
        backend = self._probed_backend()
        if backend is not None:
            stored = self._keyring_get(backend, self._key_username)
            if stored is not None:
                key = self._decode_stored_key(stored)
                self._remember(key, KeyLocation.CREDENTIAL_STORE, backend)
                return key
        if not create:
            raise CacheKeyError(
                "The key for this cache was not found in this computer's credential store "
                "nor in a key file beside the cache. Sign in on the account that made the "
                "cache, or remove the cache and sync again to make a new one."
            )
        key = secrets.token_bytes(KEY_BYTES)
        if backend is not None and self._keyring_put(backend, self._key_username, key.hex()):
            self._remember(key, KeyLocation.CREDENTIAL_STORE, backend)
            return key
        self._wrap_new(key)
        self._remember(key, KeyLocation.PASSPHRASE_FILE)
        return key

    def forget(self) -> None:
        """Delete the key and every secret of this profile (from the store and the key file)."""
        backend = usable_backend()
        if backend is not None:
            for username in (self._key_username, *self._secret_usernames()):
                try:
                    backend.delete_password(SERVICE, username)
                except Exception:  # noqa: S112 - nothing stored there, or the store refused
                    continue
        for path in (self.profile.wrapped_key_file, self.profile.secret_index_file):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        self._key = None
        self._location = None

    # --- other secrets (the sync engine's refresh token) ----------------------------------------

    def store_secret(self, name: str, value: str) -> None:
        """Keep ``value`` under ``name`` beside the cache key (same store, same protection)."""
        if self._secret_location() is KeyLocation.PASSPHRASE_FILE:
            key = self.key(create=True)
            document = self._read_wrapped()
            document.setdefault("secrets", {})[name] = seal_secret(key, name, value)
            self._write_wrapped(document)
        else:
            backend = self._require_backend()
            if not self._keyring_put(backend, self._secret_username(name), value):
                raise KeyStoreError(
                    "The credential store did not keep the secret. Check that it is unlocked "
                    "and try again."
                )
        self._index_secret(name, add=True)

    def read_secret(self, name: str) -> str | None:
        """The secret kept under ``name``, or None."""
        if self._secret_location() is KeyLocation.PASSPHRASE_FILE:
            if not self.profile.wrapped_key_file.exists():
                return None
            entry = self._read_wrapped().get("secrets", {}).get(name)
            if entry is None:
                return None
            return open_secret(self.key(create=False), name, entry)
        backend = self._require_backend()
        return self._keyring_get(backend, self._secret_username(name))

    def delete_secret(self, name: str) -> None:
        """Remove the secret kept under ``name`` (nothing happens if there is none)."""
        if self.profile.wrapped_key_file.exists():
            document = self._read_wrapped()
            if document.get("secrets", {}).pop(name, None) is not None:
                self._write_wrapped(document)
        backend = usable_backend()
        if backend is not None:
            try:
                backend.delete_password(SERVICE, self._secret_username(name))
            except Exception:  # noqa: S110 - there was nothing to delete
                pass
        self._index_secret(name, add=False)

    # --- internals -----------------------------------------------------------------------------

    @property
    def _key_username(self) -> str:
        return f"cache-key@{self.profile.identity}"

    def _secret_username(self, name: str) -> str:
        return f"secret:{name}@{self.profile.identity}"

    def _remember(
        self, key: bytes, location: KeyLocation, backend: KeyringBackend | None = None
    ) -> None:
        self._key = key
        self._location = location
        self._backend_description = describe_backend(backend) if backend is not None else None

    def _secret_location(self) -> KeyLocation:
        if self.profile.wrapped_key_file.exists():
            return KeyLocation.PASSPHRASE_FILE
        if self._probed_backend() is not None:
            return KeyLocation.CREDENTIAL_STORE
        return KeyLocation.PASSPHRASE_FILE

    def _require_backend(self) -> KeyringBackend:
        backend = self._probed_backend()
        if backend is None:
            raise KeyStoreError(
                "The credential store on this computer cannot be used right now. Unlock it, "
                "or use a passphrase (set COUNSELLOR_PASSPHRASE)."
            )
        return backend

    def _probed_backend(self) -> KeyringBackend | None:
        """A usable backend that really keeps what it is given (write, read back, delete)."""
        backend = usable_backend()
        if backend is None:
            return None
        username = f"probe@{self.profile.identity}"
        token = secrets.token_hex(16)
        try:
            backend.set_password(SERVICE, username, token)
            stuck = backend.get_password(SERVICE, username) == token
            backend.delete_password(SERVICE, username)
        except Exception:
            return None
        return backend if stuck else None

    def _keyring_get(self, backend: KeyringBackend, username: str) -> str | None:
        try:
            value = backend.get_password(SERVICE, username)
        except Exception as exc:
            raise KeyStoreError(
                "The credential store could not be read. Unlock it and try again."
            ) from exc
        return value

    def _keyring_put(self, backend: KeyringBackend, username: str, value: str) -> bool:
        try:
            backend.set_password(SERVICE, username, value)
            return backend.get_password(SERVICE, username) == value
        except Exception:
            return False

    def _decode_stored_key(self, stored: str) -> bytes:
        try:
            key = bytes.fromhex(stored)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise CacheKeyError(
                "The cache key in the credential store is damaged. Remove the cache and sync "
                "again to make a new one."
            )
        return key

    def _ask_passphrase(self, purpose: PassphrasePurpose) -> str:
        environ = os.environ if self._environ is None else self._environ
        passphrase = environ.get(PASSPHRASE_ENV)
        if not passphrase and self._passphrase is not None:
            passphrase = self._passphrase(purpose)
        if not passphrase:
            raise KeyStoreError(
                "No usable credential store was found on this computer, so the cache key is "
                "protected by a passphrase, and none was given. Type it when asked, or set "
                f"{PASSPHRASE_ENV} for a headless run."
            )
        if purpose is PassphrasePurpose.CREATE and len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise KeyStoreError(
                f"The passphrase is too short: use at least {MIN_PASSPHRASE_LENGTH} characters."
            )
        return passphrase

    def _wrap_new(self, key: bytes) -> None:
        passphrase = self._ask_passphrase(PassphrasePurpose.CREATE)
        self.profile.ensure()
        self._write_wrapped(wrap_key(key, passphrase, self._argon2))

    def _unwrap(self) -> bytes:
        document = self._read_wrapped()
        return unwrap_key(document, self._ask_passphrase(PassphrasePurpose.UNLOCK))

    def _read_wrapped(self) -> dict[str, Any]:
        return read_key_file(self.profile.wrapped_key_file)

    def _write_wrapped(self, document: dict[str, Any]) -> None:
        write_key_file(self.profile.wrapped_key_file, document)

    def _secret_usernames(self) -> list[str]:
        return [self._secret_username(name) for name in self._secret_names()]

    def _secret_names(self) -> list[str]:
        try:
            names = json.loads(self.profile.secret_index_file.read_bytes())
        except (OSError, ValueError):
            return []
        return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []

    def _index_secret(self, name: str, *, add: bool) -> None:
        names = set(self._secret_names())
        changed = (name not in names) if add else (name in names)
        if not changed:
            return
        names = names | {name} if add else names - {name}
        write_private_file(
            self.profile.secret_index_file, json.dumps(sorted(names)).encode("utf-8")
        )
