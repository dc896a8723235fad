"""The benchmark world: one seeded hub database (all participants in one team), the same rows
bulk-loaded into an encrypted cache (the floor), and client caches filled by a real sync."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx
from argon2 import PasswordHasher

from counsellor_app.demo.synthetic import generate
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.settings import HubSettings
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncEngine, SyncOptions
from tests.benchmarks.harness import log, timed

TEAM = "team-cardiff"
USER = "counsellor-cardiff"
TEAMMATE = "clinician-cardiff"
FEED_USER = "feed"


def fast_hasher() -> PasswordHasher:
    """A cheap Argon2id: sign-in cost is not what these benchmarks measure."""
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@dataclass
class World:
    """Folders and sizes of one benchmark run."""

    work: Path
    size: int
    day: dt.date

    @property
    def hub_file(self) -> Path:
        return self.work / f"hub-{self.size}.sqlite3"

    @property
    def hub_url(self) -> str:
        return f"sqlite:///{self.hub_file}"

    def seeded_hub(self) -> str:
        """The hub database, seeded once (kept in ``work`` and reused by later runs)."""
        done = self.work / f"hub-{self.size}.seeded"
        if done.exists() and self.hub_file.exists():
            log(f"reusing the seeded hub ({self.size} participants)")
            return self.hub_url
        self.hub_file.unlink(missing_ok=True)
        db = Database(self.hub_url)
        db.migrate()
        with timed() as t:
            seed(db, HubSettings(password_hasher=fast_hasher()), self.size, seed=1,
                 teams=(TEAM,), reference_date=self.day)
        db.dispose()
        done.write_text(self.day.isoformat(), encoding="utf-8")
        log(f"seeded the hub with {self.size} participants in {t.wall:.1f} s "
            f"(CPU {t.cpu:.1f} s)")
        return self.hub_url

    def hub_copy(self) -> str:
        """A copy of the seeded hub for this run (the benchmarks add results to it)."""
        self.seeded_hub()
        copy = self.work / "hub-run.sqlite3"
        shutil.copyfile(self.hub_file, copy)
        return f"sqlite:///{copy}"

    def seed_day(self) -> dt.date:
        done = self.work / f"hub-{self.size}.seeded"
        return dt.date.fromisoformat(done.read_text(encoding="utf-8").strip())

    def dataset(self) -> object:
        """The very rows the hub was seeded with (same generator, seed and day)."""
        return generate(self.size, seed=1, teams=(TEAM,), reference_date=self.seed_day())

    def fresh_profile(self, name: str) -> Profile:
        folder = self.work / name
        shutil.rmtree(folder, ignore_errors=True)
        return Profile.at(folder)


def new_cache(profile: Profile) -> tuple[Cache, KeyProvider]:
    keys = KeyProvider(profile)
    return open_cache(profile, keys, create=True), keys


def open_existing(folder: Path) -> tuple[Profile, Cache, KeyProvider]:
    """A profile some earlier run filled (its key in the credential store or a key file)."""
    profile = Profile.at(folder)
    keys = KeyProvider(profile)
    return profile, open_cache(profile, keys, create=False), keys


def sync_engine(cache: Cache, keys: KeyProvider, profile: Profile, hub_url: str,
                *, page_size: int | None = None) -> SyncEngine:
    options = SyncOptions(rng=random.Random(1))
    if page_size is not None:
        options = SyncOptions(rng=random.Random(1), page_size=page_size)
    return SyncEngine(
        httpx.Client(timeout=120.0), cache, keys, hub_url=hub_url, user=USER,
        device_id=device_id(profile), password=lambda: DEMO_PASSWORD, options=options,
    )
