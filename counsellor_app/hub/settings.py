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


@dataclass
class HubSettings:
    """What a running hub needs besides its database. ``clock`` is injectable for tests."""

    access_ttl: dt.timedelta = dt.timedelta(minutes=15)
    refresh_ttl: dt.timedelta = dt.timedelta(days=30)
    clock: Callable[[], dt.datetime] = utc_now
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)
