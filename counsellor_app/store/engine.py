"""Opening the encrypted cache: SQLCipher key, WAL, foreign keys, migrations, integrity checks."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from counsellor_app.store.errors import CacheDamaged, CacheError, CacheKeyError, CacheMissing
from counsellor_app.store.keys import KeyLocation, KeyProvider
from counsellor_app.store.paths import PRIVATE_FILE_MODE, Profile, private_umask
from counsellor_app.store.tables import Base

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "db" / "cache"
# The newest migration under db/cache/versions (a test keeps the two in step). Knowing it here
# lets an up-to-date cache open without importing Alembic at all.
SCHEMA_HEAD = "0003"
BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "counsellor_begin"


def _key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def _not_a_database(exc: BaseException) -> bool:
    return "file is not a database" in str(exc) or "not a database" in str(exc)


def _wrong_key() -> CacheKeyError:
    return CacheKeyError(
        "The cache could not be opened with this key. Check the passphrase (or that you are "
        "signed in as the user who made the cache) and try again; the cache was not changed."
    )


def verify_key(path: Path, key: bytes, *, wal: bool = False) -> None:
    """Raise CacheKeyError unless ``key`` opens the cache at ``path`` (nothing is written then).

    With ``wal``, once the key is proven, switch the cache to write-ahead logging.
    """
    connection = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(_key_pragma(key))
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        if wal:
            connection.execute("PRAGMA journal_mode = WAL").fetchall()
    except (sqlcipher3.DatabaseError, MemoryError) as exc:
        if _not_a_database(exc):
            raise _wrong_key() from None
        raise CacheDamaged(
            "The cache is damaged and could not be read (a page failed its integrity check). "
            "Keep a copy of it for the IT team, then remove it and sync again."
        ) from exc
    finally:
        connection.close()


@dataclass(eq=False)
class Cache:
    """An open cache: the SQLAlchemy engine and the sessions to read and write it.

    ``session()`` gives a session whose transactions begin with a plain ``BEGIN`` (a
    consistent snapshot for reads); ``writer()`` one that begins ``BEGIN IMMEDIATE`` (takes
    the write lock first, so a read-then-write transaction cannot fail half way for a lock).
    """

    profile: Profile
    engine: Engine
    key_location: KeyLocation
    key_description: str
    sessions: sessionmaker[Session] = field(init=False)
    writers: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        immediate = self.engine.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
        self.writers = sessionmaker(bind=immediate, expire_on_commit=False)

    @property
    def path(self) -> Path:
        return self.profile.cache_file

    def session(self) -> Session:
        return self.sessions()

    def writer(self) -> Session:
        return self.writers()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back on any error."""
        with self.writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent read (a single snapshot)."""
        with self.session() as session, session.begin():
            yield session

    def optimize(self) -> None:
        """Refresh the query planner's statistics where they went stale (cheap; call it after
        a large sync; closing the cache does it too)."""
        try:
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA optimize")
            finally:
                raw.close()
        except (sqlcipher3.Error, MemoryError):
            pass  # statistics are an optimisation: a damaged cache must still close

    def close(self) -> None:
        self.optimize()
        self.engine.dispose()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_engine(path: Path, key: bytes) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher3,
        connect_args={"check_same_thread": False},
    )
    key_pragma = _key_pragma(key)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(key_pragma)
            cursor.execute("PRAGMA cipher_log_level = NONE")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # sorts and temporary tables stay in memory: nothing is spilled to temp files
            cursor.execute("PRAGMA temp_store = MEMORY")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        begin = connection.get_execution_options().get(_BEGIN_OPTION, "BEGIN")
        connection.exec_driver_sql(str(begin))

    return engine


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def schema_head() -> str | None:
    """The newest migration under db/cache/ (read from the migration scripts)."""
    from alembic.script import ScriptDirectory

    head: str | None = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    return head


def schema_revision(engine: Engine) -> str | None:
    """The migration the cache is at (None for a new, empty cache)."""
    with engine.connect() as connection:
        has_version = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).scalar()
        revision = (
            connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if has_version
            else None
        )
        connection.rollback()
    return None if revision is None else str(revision)


def _backup(profile: Profile, engine: Engine, revision: str | None) -> Path:
    """Copy the cache (still encrypted) into backups/ before a migration changes it."""
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = profile.backups_dir / f"cache-{stamp}-{revision or 'unversioned'}.db"
    with private_umask():
        profile.backups_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(profile.cache_file, target)
        os.chmod(target, PRIVATE_FILE_MODE)
    return target


def _migrate(profile: Profile, engine: Engine) -> None:
    current = schema_revision(engine)
    if current == SCHEMA_HEAD:
        return
    from alembic import command

    with engine.connect() as connection:
        has_tables = bool(
            connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).scalar()
        )
        connection.rollback()
    if has_tables:
        backup = _backup(profile, engine, current)
        log.info("cache backed up to %s before migrating from %s", backup.name, current)
    config = _alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except Exception as exc:
            if "Can't locate revision" in str(exc):
                raise CacheError(
                    "This cache was made by a newer version of Counsellor Desk. Install the "
                    "newer version to open it (the cache was not changed)."
                ) from exc
            raise
        connection.commit()
    log.info("cache schema migrated from %s to %s", current or "empty", SCHEMA_HEAD)


def open_cache(profile: Profile, key_provider: KeyProvider, *, create: bool) -> Cache:
    """Open the profile's cache, applying migrations; with ``create``, make it if missing.

    A new cache is made only where no file exists: an existing file is never replaced. A wrong
    key raises CacheKeyError and leaves the file's bytes as they were.
    """
    path = profile.cache_file
    exists = path.exists()
    if not exists and not create:
        raise CacheMissing(
            f"There is no cache in the profile at {profile.root} yet. Fill it by syncing with "
            "your hub (counsellor-app sync --hub URL --user NAME), or with synthetic data for "
            "a try-out (counsellor-app demo-cache)."
        )
    profile.ensure()
    key = key_provider.key(create=not exists)
    if not exists:
        with private_umask():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
            os.close(fd)
    verify_key(path, key, wal=True)
    engine = _make_engine(path, key)
    try:
        _migrate(profile, engine)
    except BaseException as exc:
        engine.dispose()
        if _not_a_database(exc):
            raise _wrong_key() from None
        raise
    location = key_provider.location or KeyLocation.PASSPHRASE_FILE
    return Cache(profile, engine, location, key_provider.description)


def integrity_check(cache: Cache) -> list[str]:
    """Problems found by SQLCipher's page check and SQLite's integrity check (empty: intact).

    A check that cannot even finish (a page that no longer decrypts) is itself a problem.
    """
    problems: list[str] = []
    checks = (
        ("cipher check", "PRAGMA cipher_integrity_check", None),
        ("database check", "PRAGMA integrity_check", "ok"),
    )
    raw = cache.engine.raw_connection()
    try:
        for label, pragma, fine in checks:
            try:
                rows = raw.cursor().execute(pragma).fetchall()
            except sqlcipher3.DatabaseError as exc:
                problems.append(f"{label} could not finish: {exc}")
                continue
            problems += [f"{label}: {row[0]}" for row in rows if row[0] != fine]
    finally:
        raw.close()
    return problems


def count_rows(cache: Cache, table: str) -> int:
    """How many rows one of the cache's tables holds (for reports and benchmarks)."""
    if table not in Base.metadata.tables:
        raise ValueError(f"The cache has no table called {table!r}.")
    with cache.engine.connect() as connection:
        return int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
