"""Backups of a running hub's database: SQLite's online backup, or pg_dump for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.database import Database


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    engine: str


def backup(db: Database, target: Path) -> BackupReport:
    """Copy the database to ``target`` (private, 0600) while the hub keeps serving; an
    existing file is replaced only once the new copy is complete and checked."""
    target = target.expanduser().resolve()
    if not target.parent.is_dir():
        raise DomainError(f"There is no folder {target.parent} to write the backup into.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    try:
        if db.is_sqlite:
            _sqlite_backup(db, partial)
            engine = "SQLite"
        else:
            _pg_dump(db, partial)
            engine = "PostgreSQL (pg_dump custom format)"
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(target, target.stat().st_size, engine)


def _sqlite_backup(db: Database, partial: Path) -> None:
    source_name = make_url(db.url).database
    if not source_name or source_name == ":memory:":
        raise DomainError("An in-memory hub database cannot be backed up.")
    if not Path(source_name).is_file():
        raise DomainError(f"There is no hub database at {source_name}.")
    source = sqlite3.connect(source_name, timeout=60)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy, pages=4096)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        raise DomainError("The backup copy failed SQLite's integrity check; it was not kept. "
                          "Check the disk, then try again.")


def _pg_dump(db: Database, partial: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise DomainError("pg_dump is not installed on this machine (Debian and Ubuntu: the "
                          "postgresql-client package); install it, or run the backup on the "
                          "database server.")
    url = make_url(db.url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    done = subprocess.run(
        [program, "--format=custom", f"--file={partial}",
         f"--dbname={url.render_as_string(hide_password=False)}"],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise DomainError(f"pg_dump failed ({last}); no backup was written.")
