"""The cache key provider: the OS credential store or a passphrase-wrapped file; no plaintext."""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import keyring
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from keyring.backend import KeyringBackend

from counsellor_app.store.errors import CacheKeyError, KeyStoreError
from counsellor_app.store.paths import Profile, write_private_file

SERVICE = "counsellor-desk"
PASSPHRASE_ENV = "COUNSELLOR_PASSPHRASE"
KEY_BYTES = 32
MIN_PASSPHRASE_LENGTH = 8
_WRAP_FORMAT = "counsellor-desk wrapped cache key"
_KEY_AAD = b"counsellor-desk cache key v1"


class KeyLocation(StrEnum):
    """Where the cache key is kept."""

    CREDENTIAL_STORE = "credential_store"
    PASSPHRASE_FILE = "passphrase_file"


class PassphrasePurpose(StrEnum):
    """Why a passphrase is asked for: to protect a new key, or to unlock the existing one."""

    CREATE = "create"
    UNLOCK = "unlock"


PassphraseCallback = Callable[[PassphrasePurpose], str]


@dataclass(frozen=True, slots=True)
class Argon2Params:
    """Argon2id cost: 64 MiB, 3 passes, 4 lanes takes about 0.12 s on a 2-core machine."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            passphrase.encode("utf-8"),
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


def usable_backend() -> KeyringBackend | None:
    """The credential store keyring would write to, if it is a real, safe one; else None.

    Refused: the fail and null backends, any ``keyrings.*`` (keyrings.alt keeps secrets in
    plain text), and a chainer with nothing usable in first place.
    """
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    chained = getattr(backend, "backends", None)
    if type(backend).__module__ == "keyring.backends.chainer":
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


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


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
            nonce = secrets.token_bytes(12)
            sealed = AESGCM(key).encrypt(nonce, value.encode("utf-8"), self._secret_aad(name))
            stored = document.setdefault("secrets", {})
            stored[name] = {"nonce": _b64(nonce), "ciphertext": _b64(sealed)}
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
            key = self.key(create=False)
            try:
                plain = AESGCM(key).decrypt(
                    _unb64(entry["nonce"]), _unb64(entry["ciphertext"]), self._secret_aad(name)
                )
            except (InvalidTag, KeyError, ValueError, binascii.Error) as exc:
                raise CacheKeyError(
                    "A secret in the key file beside the cache could not be read. Sign in again."
                ) from exc
            return plain.decode("utf-8")
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

    def _secret_aad(self, name: str) -> bytes:
        return f"counsellor-desk secret v1:{name}".encode()

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
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        params = self._argon2
        kek = params.derive(passphrase, salt)
        document: dict[str, Any] = {
            "format": _WRAP_FORMAT,
            "version": 1,
            "kdf": {
                "name": "argon2id",
                "time_cost": params.time_cost,
                "memory_cost_kib": params.memory_cost_kib,
                "parallelism": params.parallelism,
                "salt": _b64(salt),
            },
            "cipher": "aes-256-gcm",
            "nonce": _b64(nonce),
            "ciphertext": _b64(AESGCM(kek).encrypt(nonce, key, _KEY_AAD)),
            "secrets": {},
        }
        self.profile.ensure()
        self._write_wrapped(document)

    def _unwrap(self) -> bytes:
        document = self._read_wrapped()
        try:
            kdf = document["kdf"]
            params = Argon2Params(
                time_cost=int(kdf["time_cost"]),
                memory_cost_kib=int(kdf["memory_cost_kib"]),
                parallelism=int(kdf["parallelism"]),
            )
            salt = _unb64(kdf["salt"])
            nonce = _unb64(document["nonce"])
            sealed = _unb64(document["ciphertext"])
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise self._damaged_key_file() from exc
        passphrase = self._ask_passphrase(PassphrasePurpose.UNLOCK)
        kek = params.derive(passphrase, salt)
        try:
            key = AESGCM(kek).decrypt(nonce, sealed, _KEY_AAD)
        except InvalidTag as exc:
            raise CacheKeyError(
                "The passphrase did not unlock the cache key. Check the passphrase "
                f"(or {PASSPHRASE_ENV}) and try again."
            ) from exc
        if len(key) != KEY_BYTES:
            raise self._damaged_key_file()
        return key

    def _damaged_key_file(self) -> CacheKeyError:
        return CacheKeyError(
            "The key file beside the cache is damaged, so the cache cannot be opened. Restore "
            "it from a backup, or remove the cache and sync again."
        )

    def _read_wrapped(self) -> dict[str, Any]:
        try:
            document = json.loads(self.profile.wrapped_key_file.read_bytes())
        except (OSError, ValueError) as exc:
            raise self._damaged_key_file() from exc
        if not isinstance(document, dict) or document.get("format") != _WRAP_FORMAT:
            raise self._damaged_key_file()
        return document

    def _write_wrapped(self, document: dict[str, Any]) -> None:
        data = json.dumps(document, indent=2, sort_keys=True).encode("utf-8")
        write_private_file(self.profile.wrapped_key_file, data)

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
