"""Carrying out a wipe order: the cache, its backups and every key and token of the profile."""

from __future__ import annotations

import contextlib
import logging
import shutil

from counsellor_app.store.engine import Cache
from counsellor_app.store.keys import KeyProvider

log = logging.getLogger(__name__)


def wipe_profile_data(cache: Cache, keys: KeyProvider) -> None:
    """Closes the cache, deletes it (with its WAL, shared-memory file and backups), then the
    cache key and every secret kept for the profile (refresh tokens included).

    The files are deleted before the key, so a crash half-way never leaves a readable cache
    with its key gone from the credential store while the file remains decryptable elsewhere;
    what is left at worst is an unreadable file or an orphaned key that the next run removes.
    """
    profile = cache.profile
    cache.close()
    for path in profile.cache_side_files:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    shutil.rmtree(profile.backups_dir, ignore_errors=True)
    shutil.rmtree(profile.temp_dir, ignore_errors=True)
    keys.forget()
    log.warning("wipe order carried out: cache, backups and keys of this profile deleted")
