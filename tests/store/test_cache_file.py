"""The cache file at rest: encrypted, private, never replaced, and refused with a wrong key."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from counsellor_app.domain.participant import Participant
from counsellor_app.store.engine import Cache, integrity_check, open_cache
from counsellor_app.store.errors import CacheKeyError, CacheMissing
from counsellor_app.store.keys import PASSPHRASE_ENV, KeyLocation, KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import ParticipantRow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(profile: Profile) -> set[str]:
    return {p.name for p in profile.root.iterdir()}


def test_cache_file_is_encrypted_and_holds_no_name_or_nhs_number(
    filled: Cache, people: list[Participant]
) -> None:
    cache_file, wal_file, _ = filled.profile.cache_side_files
    # keep a connection open inside a read so the WAL file exists while we look at the bytes
    with filled.read() as session:
        session.get(ParticipantRow, 1)
        assert wal_file.exists() and wal_file.stat().st_size > 0
        raw = cache_file.read_bytes() + wal_file.read_bytes()
    assert not cache_file.read_bytes().startswith(b"SQLite format 3")
    for person in people:
        for secret in (person.given_name, person.family_name, person.nhs_number):
            assert secret.encode("utf-8") not in raw
        assert person.address.postcode.encode("utf-8") not in raw
    assert b"Heol y Felin" not in raw


def test_cache_files_are_private_to_the_user(filled: Cache) -> None:
    profile = filled.profile
    assert stat.S_IMODE(profile.root.stat().st_mode) == 0o700
    for path in profile.cache_side_files:
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_integrity_checks_pass_on_a_filled_cache(filled: Cache) -> None:
    assert integrity_check(filled) == []


def test_opening_a_missing_cache_without_create_says_how_to_get_one(profile: Profile) -> None:
    with pytest.raises(CacheMissing, match="sync"):
        open_cache(profile, KeyProvider(profile), create=False)
    assert not profile.cache_file.exists()


def test_wrong_key_in_credential_store_gives_clear_error_and_leaves_file_untouched(
    filled: Cache, memory_keyring: object, capfd: pytest.CaptureFixture[str]
) -> None:
    profile = filled.profile
    filled.close()
    before = _digest(profile.cache_file)
    names = _files(profile)
    # someone else's key under this profile's name
    secrets = memory_keyring.secrets  # type: ignore[attr-defined]
    (entry,) = [k for k in secrets if k[1].startswith("cache-key@")]
    secrets[entry] = "ab" * 32
    for create in (False, True):
        with pytest.raises(CacheKeyError, match="could not be opened with this key"):
            open_cache(profile, KeyProvider(profile), create=create)
    assert _digest(profile.cache_file) == before
    assert _files(profile) == names
    captured = capfd.readouterr()
    assert "hmac" not in captured.err and "ERROR" not in captured.err


def test_passphrase_path_works_when_no_usable_credential_store(
    profile: Profile, monkeypatch: pytest.MonkeyPatch, people: list[Participant]
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery staple")
    provider = KeyProvider(profile)
    cache = open_cache(profile, provider, create=True)
    assert cache.key_location is KeyLocation.PASSPHRASE_FILE
    assert cache.key_description == "a passphrase-protected key file beside the cache"
    cache.close()
    wrapped = profile.wrapped_key_file
    assert stat.S_IMODE(wrapped.stat().st_mode) == 0o600
    document = wrapped.read_text()
    assert "argon2id" in document and "aes-256-gcm" in document
    reopened = open_cache(profile, KeyProvider(profile), create=False)
    assert integrity_check(reopened) == []
    reopened.close()


def test_wrong_passphrase_gives_clear_error_and_leaves_cache_untouched(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery staple")
    open_cache(profile, KeyProvider(profile), create=True).close()
    before = _digest(profile.cache_file)
    key_before = _digest(profile.wrapped_key_file)
    names = _files(profile)
    monkeypatch.setenv(PASSPHRASE_ENV, "wrong horse battery staple")
    with pytest.raises(CacheKeyError, match="passphrase did not unlock"):
        open_cache(profile, KeyProvider(profile), create=True)
    assert _digest(profile.cache_file) == before
    assert _digest(profile.wrapped_key_file) == key_before
    assert _files(profile) == names


def test_keyring_path_keeps_key_in_credential_store_and_nothing_beside_the_cache(
    profile: Profile, memory_keyring: object
) -> None:
    cache = open_cache(profile, KeyProvider(profile), create=True)
    assert cache.key_location is KeyLocation.CREDENTIAL_STORE
    assert cache.key_description.startswith("the system credential store")
    cache.close()
    assert not profile.wrapped_key_file.exists()
    stored = [v for k, v in memory_keyring.secrets.items() if k[1].startswith("cache-key@")]  # type: ignore[attr-defined]
    assert len(stored) == 1 and len(bytes.fromhex(stored[0])) == 32
    assert stored[0].encode() not in b"".join(
        p.read_bytes() for p in profile.root.rglob("*") if p.is_file()
    )
    open_cache(profile, KeyProvider(profile), create=False).close()


def test_key_missing_from_credential_store_is_a_clear_error_not_a_new_cache(
    filled: Cache, memory_keyring: object
) -> None:
    profile = filled.profile
    filled.close()
    before = _digest(profile.cache_file)
    memory_keyring.secrets.clear()  # type: ignore[attr-defined]
    with pytest.raises(CacheKeyError, match="not found"):
        open_cache(profile, KeyProvider(profile), create=True)
    assert _digest(profile.cache_file) == before


def test_two_profiles_keep_separate_keys(tmp_path: Path) -> None:
    first, second = Profile.at(tmp_path / "a"), Profile.at(tmp_path / "b")
    open_cache(first, KeyProvider(first), create=True).close()
    open_cache(second, KeyProvider(second), create=True).close()
    assert KeyProvider(first).key(create=False) != KeyProvider(second).key(create=False)
    assert first.cache_file.read_bytes()[:16] != second.cache_file.read_bytes()[:16]


def test_profile_folder_is_created_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        profile = Profile.at(tmp_path / "p").ensure()
    finally:
        os.umask(previous)
    for folder in (profile.root, profile.logs_dir, profile.temp_dir, profile.backups_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
