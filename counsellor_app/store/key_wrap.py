"""The passphrase-wrapped key file: Argon2id stretches the passphrase, AES-256-GCM seals."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsellor_app.store.errors import CacheKeyError
from counsellor_app.store.paths import write_private_file

KEY_BYTES = 32
WRAP_FORMAT = "counsellor-desk wrapped cache key"
_KEY_AAD = b"counsellor-desk cache key v1"


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


class WrongPassphrase(CacheKeyError):
    """The passphrase does not unlock the wrapped key."""


def damaged_key_file() -> CacheKeyError:
    return CacheKeyError(
        "The key file beside the cache is damaged, so the cache cannot be opened. Restore "
        "it from a backup, or remove the cache and sync again."
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def wrap_key(key: bytes, passphrase: str, params: Argon2Params) -> dict[str, Any]:
    """A new key-file document holding ``key`` sealed under ``passphrase``."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = params.derive(passphrase, salt)
    return {
        "format": WRAP_FORMAT,
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


def unwrap_key(document: dict[str, Any], passphrase: str) -> bytes:
    """The key sealed in ``document``; WrongPassphrase if ``passphrase`` does not open it."""
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
        raise damaged_key_file() from exc
    kek = params.derive(passphrase, salt)
    try:
        key = AESGCM(kek).decrypt(nonce, sealed, _KEY_AAD)
    except InvalidTag as exc:
        raise WrongPassphrase(
            "The passphrase did not unlock the cache key. Check the passphrase "
            "(or COUNSELLOR_PASSPHRASE) and try again."
        ) from exc
    if len(key) != KEY_BYTES:
        raise damaged_key_file()
    return key


def _secret_aad(name: str) -> bytes:
    return f"counsellor-desk secret v1:{name}".encode()


def seal_secret(key: bytes, name: str, value: str) -> dict[str, str]:
    """A secret sealed under the cache key (bound to its name), for the key file."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, value.encode("utf-8"), _secret_aad(name))
    return {"nonce": _b64(nonce), "ciphertext": _b64(sealed)}


def open_secret(key: bytes, name: str, entry: dict[str, Any]) -> str:
    try:
        plain = AESGCM(key).decrypt(
            _unb64(entry["nonce"]), _unb64(entry["ciphertext"]), _secret_aad(name)
        )
    except (InvalidTag, KeyError, ValueError, binascii.Error) as exc:
        raise CacheKeyError(
            "A secret in the key file beside the cache could not be read. Sign in again."
        ) from exc
    return plain.decode("utf-8")


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise damaged_key_file() from exc
    if not isinstance(document, dict) or document.get("format") != WRAP_FORMAT:
        raise damaged_key_file()
    return document


def write_key_file(path: Path, document: dict[str, Any]) -> None:
    """Write the key file atomically, private to the user (0600)."""
    write_private_file(path, json.dumps(document, indent=2, sort_keys=True).encode("utf-8"))
