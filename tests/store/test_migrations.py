"""Cache migrations: the code knows the newest one, and a backup is taken before migrating."""

from __future__ import annotations

import stat

from sqlalchemy import text

from counsellor_app.store.caseload_query import COVERING
from counsellor_app.store.engine import (
    SCHEMA_HEAD,
    Cache,
    _make_engine,
    open_cache,
    schema_head,
    schema_revision,
    verify_key,
)
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import Base

_CASELIST_SORTS = [name.removeprefix("ix_caselist_") for name in COVERING.values()]


_INDEXES_OF_0003 = {
    *(f"ix_caselist_{name}" for name in _CASELIST_SORTS),
    "ix_consent_decisions_open_conflicts",
    "ix_results_new_current",
    "ix_requests_awaiting",
}


def _index_names(cache: Cache) -> set[str]:
    with cache.read() as session:
        return set(
            session.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
        )


def test_the_code_knows_the_newest_migration() -> None:
    assert schema_head() == SCHEMA_HEAD


def test_a_new_cache_has_every_table_of_the_models(cache: Cache) -> None:
    with cache.read() as session:
        names = set(
            session.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
        )
    assert set(Base.metadata.tables) <= names
    assert "participant_search" in names
    assert schema_revision(cache.engine) == SCHEMA_HEAD
    assert _INDEXES_OF_0003 <= _index_names(cache)  # every index the case list names


def test_an_older_cache_is_backed_up_then_migrated(filled: Cache) -> None:
    profile: Profile = filled.profile
    with filled.write() as session:  # as if made by the previous version (0002)
        for name in _INDEXES_OF_0003:
            session.execute(text(f"DROP INDEX {name}"))
        for name in ("latest_result_date", "latest_result_outcome", "next_request_due"):
            session.execute(
                text(f"CREATE INDEX ix_participants_{name}_nulls_last ON participants ({name})")
            )
        session.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    filled.close()
    reopened = open_cache(profile, KeyProvider(profile), create=False)
    try:
        assert schema_revision(reopened.engine) == SCHEMA_HEAD
        assert _INDEXES_OF_0003 <= _index_names(reopened)
        assert "ix_participants_next_request_due_nulls_last" not in _index_names(reopened)
        (backup,) = profile.backups_dir.iterdir()
        assert backup.name.endswith("-0002.db")
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        assert not backup.read_bytes().startswith(b"SQLite format 3")
    finally:
        reopened.close()
    # the backup opens with the same key and still holds the data, at the old revision
    copy = Profile.at(profile.root.parent / "restored")
    copy.ensure()
    copy.cache_file.write_bytes(backup.read_bytes())
    key = KeyProvider(profile).key(create=False)
    verify_key(copy.cache_file, key)
    engine = _make_engine(copy.cache_file, key)
    try:
        assert schema_revision(engine) == "0002"
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM participants")).scalar() == 5
    finally:
        engine.dispose()


def test_an_up_to_date_cache_opens_without_a_backup(filled: Cache) -> None:
    profile = filled.profile
    filled.close()
    open_cache(profile, KeyProvider(profile), create=False).close()
    assert list(profile.backups_dir.iterdir()) == []
