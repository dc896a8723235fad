"""The 85,000-participant synthetic cache, built once and kept (passphrase-wrapped key).

Built from ``counsellor_app.demo.synthetic.generate`` and ``store.bulk.load_dataset``; kept
under pytest's cache folder with a stamp of what built it, so a changed generator or schema
rebuilds it. Build times are written beside it for the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from pathlib import Path

import keyring
from keyring.backends import fail

from counsellor_app.demo import synthetic
from counsellor_app.store import bulk, engine, mapping, search_text, summary
from counsellor_app.store.engine import SCHEMA_HEAD, Cache, open_cache
from counsellor_app.store.keys import PASSPHRASE_ENV, Argon2Params, KeyProvider
from counsellor_app.store.paths import Profile

SIZE = 85_000
SEED = 2026
TODAY = dt.date(2026, 11, 27)
PASSPHRASE = "store-85k-test-passphrase"
CHEAP = Argon2Params(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)  # test speed only


def _stamp() -> str:
    """What the cache's contents depend on: migrations, generator and loader, size, seed."""
    digest = hashlib.sha256(f"{SCHEMA_HEAD}|{SIZE}|{SEED}|{TODAY}".encode())
    demo_dir = Path(synthetic.__file__).parent
    sources = sorted(demo_dir.glob("*.py"))
    sources += [Path(m.__file__ or "") for m in (bulk, mapping, search_text, summary)]
    sources += sorted((engine.MIGRATIONS_DIR / "versions").glob("*.py"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _provider(profile: Profile) -> KeyProvider:
    return KeyProvider(profile, argon2=CHEAP, environ={PASSPHRASE_ENV: PASSPHRASE})


def open_big_cache(folder: Path) -> tuple[Cache, dict[str, float]]:
    """The cache in ``folder`` (opened if complete, else rebuilt) and its build timings."""
    stamp = _stamp()
    profile = Profile.at(folder / f"store-85k-{stamp}")
    done = profile.root / "complete.json"
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # never the machine's real credential store
    try:
        if done.exists():
            timings: dict[str, float] = json.loads(done.read_text())
            return open_cache(profile, _provider(profile), create=False), timings
        for old in folder.glob("store-85k-*"):
            shutil.rmtree(old, ignore_errors=True)
        started = time.perf_counter()
        dataset = synthetic.generate(SIZE, seed=SEED, reference_date=TODAY)
        generated = time.perf_counter()
        cache = open_cache(profile, _provider(profile), create=True)
        cpu = time.process_time()
        bulk.load_dataset(cache, dataset, today=TODAY)
        loaded = time.perf_counter()
        timings = {
            "generate_s": generated - started,
            "load_s": loaded - generated,
            "load_cpu_s": time.process_time() - cpu,
        }
        done.write_text(json.dumps(timings))
        return cache, timings
    finally:
        keyring.set_keyring(previous)
