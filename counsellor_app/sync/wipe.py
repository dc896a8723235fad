"""Carrying out a wipe order: every key and token of the profile, then the cache and backups."""

from __future__ import annotations

import contextlib
import logging
import shutil

from counsellor_app.store.engine import Cache
from counsellor_app.store.keys import KeyProvider

log = logging.getLogger(__name__)


def wipe_profile_data(cache: Cache, keys: KeyProvider) -> list[str]:
    """Closes the cache, deletes its key and every secret kept for the profile (refresh tokens
    included), then the cache with its WAL and shared-memory files, backups and temp folder.

    The key goes first: from that moment the cache cannot be read, even if a file cannot be
    deleted (another program holding it open, on Windows) or the process dies half way.
    Returns the names of files that could not be deleted (empty when all went).
    """
    profile = cache.profile
    cache.close()
    keys.forget()
    left: list[str] = []
    for path in profile.cache_side_files:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            left.append(path.name)
    for folder in (profile.backups_dir, profile.temp_dir):
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
        if folder.exists():
            left.append(folder.name)
    log.warning("wipe order carried out: keys and cache of this profile deleted (%d left)",
                len(left))
    return left
