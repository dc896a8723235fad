"""Benchmark: a first sync of N participants over loopback against the floor of inserting the
same rows straight into an encrypted cache. Prints floor, measured and their ratio.

Run on demand:  .venv/bin/python tests/benchmarks/bench_sync.py [--participants 85000]

The hub runs in its own process (as it would on a server), seeded with every participant in
one team, so the client receives all N.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import keyring
from argon2 import PasswordHasher
from keyring.backend import KeyringBackend

from counsellor_app.demo.synthetic import generate
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.settings import HubSettings
from counsellor_app.store.bulk import load_dataset
from counsellor_app.store.engine import count_rows, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncEngine, SyncOptions

TEAM = "team-cardiff"
USER = "counsellor-cardiff"


class _MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_hub(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    code = (
        "from counsellor_app.hub.server import serve; "
        f"serve({db_url!r}, '127.0.0.1', {port})"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/v1/health", timeout=1.0)
            return process, url
        except httpx.TransportError:
            threading.Event().wait(0.1)
    process.kill()
    raise SystemExit("the hub did not start")


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=85_000)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--cprofile", action="store_true", help="profile the sync (slower)")
    args = parser.parse_args()
    keyring.set_keyring(_MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    day = dt.date.today()
    n = args.participants

    t = time.perf_counter()
    dataset = generate(n, seed=1, teams=(TEAM,), reference_date=day)
    print(f"generated {n} participants in {time.perf_counter() - t:.1f} s")

    db_url = f"sqlite:///{work / 'hub.sqlite3'}"
    db = Database(db_url)
    db.migrate()
    t = time.perf_counter()
    seed(db, HubSettings(password_hasher=PasswordHasher()), n, seed=1, teams=(TEAM,),
         reference_date=day)
    db.dispose()
    print(f"seeded the hub in {time.perf_counter() - t:.1f} s")

    floor_profile = Profile.at(work / "floor")
    floor_cache = open_cache(floor_profile, KeyProvider(floor_profile), create=True)
    t, cpu = time.perf_counter(), time.process_time()
    load_dataset(floor_cache, dataset, today=day)
    floor, floor_cpu = time.perf_counter() - t, time.process_time() - cpu
    floor_rows = count_rows(floor_cache, "participants")
    floor_cache.close()

    hub_process, url = _start_hub(db_url)
    try:
        profile = Profile.at(work / "client")
        keys = KeyProvider(profile)
        cache = open_cache(profile, keys, create=True)
        engine = SyncEngine(
            httpx.Client(timeout=60.0), cache, keys, hub_url=url, user=USER,
            device_id=device_id(profile), password=lambda: DEMO_PASSWORD,
            options=SyncOptions(page_size=args.page_size, rng=random.Random(1)),
        )
        profiler = cProfile.Profile() if args.cprofile else None
        t, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        report = engine.run()
        measured, measured_cpu = time.perf_counter() - t, time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        synced_rows = count_rows(cache, "participants")
        cache.close()
        hub_cpu = _process_cpu(hub_process.pid)
    finally:
        hub_process.terminate()
        hub_process.wait()

    assert synced_rows == floor_rows == n, (synced_rows, floor_rows)
    print(f"pulled: {report.pulled} in {report.pages} pages")
    print(f"floor (bulk insert into the cache): {floor:.2f} s")
    print(f"measured (first sync over loopback, hub included): {measured:.2f} s")
    print(f"ratio: {measured / floor:.2f}  (target <= 2.0, and under 60 s)")
    print(f"client CPU time: floor {floor_cpu:.2f} s, sync {measured_cpu:.2f} s, "
          f"ratio {measured_cpu / floor_cpu:.2f} (the hub's own CPU is in its process)")
    print(f"hub process CPU time (start-up included): {hub_cpu:.2f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if os.environ.get("BENCH_STRICT") != "1" or measured / floor <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
