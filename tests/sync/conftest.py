"""A real hub on loopback (a copy of one seeded hub per test) and real encrypted client caches."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from argon2 import PasswordHasher

from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import seed
from counsellor_app.hub.server import RunningHub, run_in_thread
from counsellor_app.hub.settings import HubSettings

from .helpers import ClientDevice


class MemoryKeyringLike(Protocol):
    """The in-memory credential store of tests/conftest.py (its ``secrets`` are inspectable)."""

    secrets: dict[tuple[str, str], str]


SEED_PARTICIPANTS = 2000
SMALL_PARTICIPANTS = 300


def fast_hub_settings() -> HubSettings:
    """Cheap Argon2 for test logins (the hashes still verify as Argon2id)."""
    return HubSettings(
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    )


@pytest.fixture(scope="session")
def seeded_hub_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hub database seeded once per session with 2,000 participants in three teams."""
    path = tmp_path_factory.mktemp("seeded-hub") / "hub.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    seed(db, fast_hub_settings(), SEED_PARTICIPANTS, seed=3)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def small_hub_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hub database seeded once per session with 300 participants, all in team-cardiff."""
    path = tmp_path_factory.mktemp("small-hub") / "hub.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    seed(db, fast_hub_settings(), SMALL_PARTICIPANTS, seed=5, teams=("team-cardiff",))
    db.dispose()
    return path


def _copy_hub(source: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    for suffix in ("", "-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copy2(extra, target.with_name(target.name + suffix))
    return target


@pytest.fixture
def hub_db_url(seeded_hub_file: Path, tmp_path: Path) -> str:
    """This test's own copy of the seeded hub database."""
    return f"sqlite:///{_copy_hub(seeded_hub_file, tmp_path / 'hub')}"


@pytest.fixture
def small_hub_db_url(small_hub_file: Path, tmp_path: Path) -> str:
    """This test's own copy of the small seeded hub database."""
    return f"sqlite:///{_copy_hub(small_hub_file, tmp_path / 'small-hub')}"


@pytest.fixture
def hub(hub_db_url: str) -> Iterator[RunningHub]:
    """The real hub, serving this test's database on 127.0.0.1 (any free port)."""
    running = run_in_thread(hub_db_url, settings=fast_hub_settings())
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def small_hub(small_hub_db_url: str) -> Iterator[RunningHub]:
    """The real hub serving 300 participants of one team (faults, pushes, kills)."""
    running = run_in_thread(small_hub_db_url, settings=fast_hub_settings())
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[dict[str, ClientDevice]]:
    """Client devices by name, each with its own profile and encrypted cache (made on demand)."""
    made: dict[str, ClientDevice] = {}

    class _Devices(dict[str, ClientDevice]):
        def __missing__(self, name: str) -> ClientDevice:
            device = ClientDevice.create(tmp_path / "clients" / name)
            made[name] = device
            self[name] = device
            return device

    yield _Devices()
    for device in made.values():
        device.close()
