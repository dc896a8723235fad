"""Deleting a profile's cache and everything that unlocks it (forgotten passphrase, wipe order)."""

from __future__ import annotations

import contextlib
import shutil

from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile


def wipe(profile: Profile, keys: KeyProvider) -> None:
    """Delete the cache (with its WAL and shared-memory files), its backups and temp files,
    then the cache key and every secret kept for the profile.

    Works without opening the cache, so it also serves a user who forgot the passphrase.
    Close any open ``Cache`` of the profile first. Files go before the key: a crash half way
    leaves at worst a key with no cache, which the next wipe removes.
    """
    for path in profile.cache_side_files:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    shutil.rmtree(profile.backups_dir, ignore_errors=True)
    shutil.rmtree(profile.temp_dir, ignore_errors=True)
    keys.forget()
