"""The idle lock's password hash, kept in the encrypted cache's ``cache_meta`` table."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from counsellor_app.store.engine import Cache
from counsellor_app.store.tables import CacheMetaRow

UNLOCK_HASH_KEY = "unlock-password-hash"


def save_unlock_hash(cache: Cache, password_hash: str) -> None:
    """Keeps ``password_hash`` (an Argon2 hash, never a password) in the cache, replacing any."""
    statement = sqlite_insert(CacheMetaRow).values(key=UNLOCK_HASH_KEY, value=password_hash)
    statement = statement.on_conflict_do_update(
        index_elements=[CacheMetaRow.key], set_={"value": statement.excluded.value}
    )
    with cache.write() as session:
        session.execute(statement)


def read_unlock_hash(cache: Cache) -> str | None:
    """The hash kept by :func:`save_unlock_hash`, or None if none is kept."""
    with cache.read() as session:
        return session.execute(
            select(CacheMetaRow.value).where(CacheMetaRow.key == UNLOCK_HASH_KEY)
        ).scalar_one_or_none()


def forget_unlock_hash(cache: Cache) -> None:
    """Removes the kept hash (nothing happens if there is none)."""
    with cache.write() as session:
        session.execute(delete(CacheMetaRow).where(CacheMetaRow.key == UNLOCK_HASH_KEY))
