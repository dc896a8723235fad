"""Hub settings: where its database lives by default, token lifetimes, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from argon2 import PasswordHasher


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_db_url() -> str:
    """An SQLite file in the hub's data folder (created private on first use)."""
    folder = Path(platformdirs.user_data_dir("counsellor-hub", appauthor=False))
    return f"sqlite:///{folder / 'hub.sqlite3'}"


def default_password_hasher() -> PasswordHasher:
    """Argon2id with OWASP's recommended floor (19 MiB, 2 passes, 1 lane): about 0.15 s on a
    small server, so fifty clients signing in at once do not exhaust it. Stored hashes carry
    their parameters; a hash made with other parameters is upgraded at the next sign-in."""
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@dataclass
class HubSettings:
    """What a running hub needs besides its database. ``clock`` is injectable for tests."""

    access_ttl: dt.timedelta = dt.timedelta(minutes=15)
    refresh_ttl: dt.timedelta = dt.timedelta(days=30)
    clock: Callable[[], dt.datetime] = utc_now
    password_hasher: PasswordHasher = field(default_factory=lambda: default_password_hasher())
