"""The hub's database: engine set-up for SQLite (WAL) and PostgreSQL, sessions, migrations."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from counsellor_app.domain.errors import DomainError

MIGRATIONS = Path(__file__).resolve().parents[2] / "db" / "hub"


class DatabaseError(DomainError):
    """The hub's database cannot be opened or used."""


class Database:
    """One hub database. ``reading()`` and ``writing()`` give sessions in a transaction.

    On SQLite a writing transaction starts with BEGIN IMMEDIATE, so writers queue for the one
    write lock up front instead of failing when a read transaction tries to upgrade. Bound
    parameters are never shown in database errors: they hold patient data, and an error may
    reach a log (H8).
    """

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(
                "The database address is not a valid SQLAlchemy URL (for example "
                "sqlite:////var/lib/counsellor-hub/hub.sqlite3 or "
                "postgresql+psycopg://user@host/dbname)."
            ) from exc
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        if not (self.is_sqlite or self.is_postgres):
            raise DatabaseError("The hub runs on SQLite or PostgreSQL only.")
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                _create_private(Path(parsed.database))
            self.engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 60}, pool_size=20,
                max_overflow=40, hide_parameters=True,
            )
            _configure_sqlite(self.engine)
            self._writer: Engine = self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            self._snapshot: Engine = self.engine
        else:
            self.engine = create_engine(url, pool_size=20, max_overflow=40, pool_pre_ping=True,
                                        hide_parameters=True)
            self._writer = self.engine
            self._snapshot = self.engine.execution_options(isolation_level="REPEATABLE READ")

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session in a write transaction, committed on success, rolled back on error."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def reading(self, *, snapshot: bool = False) -> Iterator[Session]:
        """A session for reads; ``snapshot`` makes every statement see the same moment."""
        with Session(self._snapshot if snapshot else self.engine) as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema up to the newest Alembic revision in db/hub/."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(_migrations()))
        try:
            with self._writer.connect() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
        except OperationalError as exc:
            raise DatabaseError(
                "The hub could not open its database. Check the --db address, that the server "
                "is running and that this account may use it."
            ) from exc

    def schema_problem(self) -> str | None:
        """None when the database answers and its schema is at the newest migration; otherwise
        a plain sentence saying what is wrong (for ``/v1/ready`` and ``serve``)."""
        from alembic.migration import MigrationContext
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as connection:
                current = set(MigrationContext.configure(connection).get_current_heads())
        except SQLAlchemyError:
            return "the database cannot be reached"
        head = set(_script_heads())
        if current == head:
            return None
        if not current:
            return "the database has no schema yet: run counsellor-hub migrate"
        if current - head:
            return ("the database was migrated by a newer version of the hub: upgrade this "
                    "hub's software")
        return "the database schema is older than this hub: run counsellor-hub migrate"

    def dispose(self) -> None:
        self.engine.dispose()


def _migrations() -> Path:
    if not (MIGRATIONS / "env.py").is_file():
        raise DatabaseError(
            f"The hub's migrations are missing (no {MIGRATIONS}): install the hub from its "
            "release folder with `pip install -e`, as docs/deployment.md shows."
        )
    return MIGRATIONS


@functools.cache
def _script_heads() -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(_migrations()))
    return tuple(ScriptDirectory.from_config(config).get_heads())


def _create_private(path: Path) -> None:
    """Create the database file readable by this account only (it holds patient data);
    SQLite gives its -wal and -shm files the same permissions."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))
