"""The key provider: which stores it trusts, read-back, secrets beside the key, forgetting."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from counsellor_app.store.engine import open_cache
from counsellor_app.store.errors import CacheKeyError, KeyStoreError
from counsellor_app.store.keys import (
    PASSPHRASE_ENV,
    Argon2Params,
    KeyLocation,
    KeyProvider,
    PassphrasePurpose,
    usable_backend,
)
from counsellor_app.store.paths import Profile
from counsellor_app.store.wipe import wipe

CHEAP = Argon2Params(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)


class ForgetfulKeyring(KeyringBackend):
    """Says it stored a secret but never keeps it (a locked or broken store)."""

    priority = 5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


class PlaintextKeyring(ForgetfulKeyring):
    """Stands in for keyrings.alt's plain-text file backend."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), PlaintextKeyring()],
    ids=["fail", "null", "keyrings.alt"],
)
def test_unsafe_or_absent_credential_stores_are_never_used(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert usable_backend() is None


class PlaintextFirstChain(chainer.ChainerBackend):
    backends = [PlaintextKeyring(), ForgetfulKeyring()]  # type: ignore[assignment]


class EmptyChain(chainer.ChainerBackend):
    backends = []  # type: ignore[assignment]


@pytest.mark.parametrize("chain", [PlaintextFirstChain(), EmptyChain()], ids=["plain", "empty"])
def test_a_chainer_that_would_write_to_an_unsafe_store_or_none_is_not_used(
    chain: chainer.ChainerBackend,
) -> None:
    keyring.set_keyring(chain)
    assert usable_backend() is None


def test_a_chainer_is_used_through_the_safe_store_it_writes_to(memory_keyring: object) -> None:
    class SafeFirstChain(chainer.ChainerBackend):
        backends = [memory_keyring, PlaintextKeyring()]  # type: ignore[assignment]

    keyring.set_keyring(SafeFirstChain())
    assert usable_backend() is memory_keyring


def test_the_test_memory_store_counts_as_a_real_credential_store(memory_keyring: object) -> None:
    assert usable_backend() is memory_keyring


def test_a_store_that_does_not_keep_the_key_falls_back_to_a_passphrase(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    monkeypatch.setenv(PASSPHRASE_ENV, "a good long passphrase")
    provider = KeyProvider(profile, argon2=CHEAP)
    key = provider.key(create=True)
    assert provider.location is KeyLocation.PASSPHRASE_FILE
    assert profile.wrapped_key_file.exists()
    assert KeyProvider(profile).key(create=False) == key


def test_passphrase_callback_is_asked_to_create_then_to_unlock(profile: Profile) -> None:
    keyring.set_keyring(fail.Keyring())
    asked: list[PassphrasePurpose] = []

    def ask(purpose: PassphrasePurpose) -> str:
        asked.append(purpose)
        return "typed by the user"

    key = KeyProvider(profile, passphrase=ask, argon2=CHEAP).key(create=True)
    assert KeyProvider(profile, passphrase=ask).key(create=False) == key
    assert asked == [PassphrasePurpose.CREATE, PassphrasePurpose.UNLOCK]


def test_no_store_and_no_passphrase_is_a_clear_error_and_nothing_is_written(
    profile: Profile,
) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyStoreError, match="COUNSELLOR_PASSPHRASE"):
        KeyProvider(profile).key(create=True)
    assert not profile.wrapped_key_file.exists()


def test_a_short_new_passphrase_is_refused(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, "short")
    with pytest.raises(KeyStoreError, match="too short"):
        KeyProvider(profile).key(create=True)


def test_a_damaged_key_file_is_a_clear_error(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, "a good long passphrase")
    KeyProvider(profile, argon2=CHEAP).key(create=True)
    profile.wrapped_key_file.write_text("{not json")
    with pytest.raises(CacheKeyError, match="damaged"):
        KeyProvider(profile).key(create=False)


@pytest.mark.parametrize("store", ["credential store", "passphrase file"])
def test_secrets_are_kept_beside_the_key_and_forgotten_with_it(
    profile: Profile, monkeypatch: pytest.MonkeyPatch, memory_keyring: object, store: str
) -> None:
    if store == "passphrase file":
        keyring.set_keyring(fail.Keyring())
        monkeypatch.setenv(PASSPHRASE_ENV, "a good long passphrase")
    provider = KeyProvider(profile, argon2=CHEAP)
    provider.key(create=True)
    provider.store_secret("hub-refresh-token", "token-123")
    again = KeyProvider(profile)
    assert again.read_secret("hub-refresh-token") == "token-123"
    assert again.read_secret("nothing-here") is None
    if store == "passphrase file":
        assert "token-123" not in profile.wrapped_key_file.read_text()
    else:
        assert "token-123" in memory_keyring.secrets.values()  # type: ignore[attr-defined]
    again.delete_secret("hub-refresh-token")
    assert KeyProvider(profile).read_secret("hub-refresh-token") is None
    again.store_secret("hub-refresh-token", "token-456")
    again.forget()
    assert not profile.wrapped_key_file.exists()
    if store == "credential store":
        assert memory_keyring.secrets == {}  # type: ignore[attr-defined]
    with pytest.raises((CacheKeyError, KeyStoreError)):
        KeyProvider(profile).key(create=False)


def test_wipe_removes_cache_backups_key_and_secrets_even_without_the_passphrase(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, "a good long passphrase")
    provider = KeyProvider(profile, argon2=CHEAP)
    open_cache(profile, provider, create=True).close()
    provider.store_secret("hub-refresh-token", "token-123")
    (profile.backups_dir / "cache-old.db").write_bytes(b"x")
    monkeypatch.delenv(PASSPHRASE_ENV)  # the passphrase is forgotten
    wipe(profile, KeyProvider(profile))
    assert not any(p.exists() for p in profile.cache_side_files)
    assert not profile.wrapped_key_file.exists() and not profile.backups_dir.exists()
    monkeypatch.setenv(PASSPHRASE_ENV, "a new long passphrase")
    open_cache(profile, KeyProvider(profile, argon2=CHEAP), create=True).close()
