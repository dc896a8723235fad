"""Benchmark: one new change, hub to cache, against one loopback HTTP round trip.

Run on demand:  .venv/bin/python tests/benchmarks/bench_change.py [--participants 2000]

A teammate's consent decision reaches the hub; the client, already synced and signed in (as
the app's periodic sync is), syncs again: the time until the change is in its cache is
compared with a bare round trip to the same hub.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import keyring
from argon2 import PasswordHasher
from keyring.backend import KeyringBackend
from sqlalchemy import select

from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.server import run_in_thread
from counsellor_app.hub.settings import HubSettings
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import ConsentDecisionRow, ParticipantRow
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncEngine, SyncOptions


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

TEAM, USER, TEAMMATE = "team-cardiff", "counsellor-cardiff", "clinician-cardiff"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    keyring.set_keyring(_MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="bench-change-"))
    settings = HubSettings(password_hasher=PasswordHasher(time_cost=1, memory_cost=8192,
                                                          parallelism=1))
    db_url = f"sqlite:///{work / 'hub.sqlite3'}"
    db = Database(db_url)
    db.migrate()
    seed(db, settings, args.participants, seed=1, teams=(TEAM,))
    db.dispose()
    hub = run_in_thread(db_url, settings=settings)
    try:
        profile = Profile.at(work / "client")
        keys = KeyProvider(profile)
        cache = open_cache(profile, keys, create=True)
        engine = SyncEngine(
            httpx.Client(timeout=30.0), cache, keys, hub_url=hub.url, user=USER,
            device_id=device_id(profile), password=lambda: DEMO_PASSWORD,
            options=SyncOptions(rng=random.Random(1)),
        )
        engine.run()
        with cache.read() as s:
            people = list(s.scalars(select(ParticipantRow.participant_id).where(
                ParticipantRow.withdrawal_level.is_(None), ParticipantRow.life_status == "alive",
                ParticipantRow.date_of_birth < dt.date(1990, 1, 1)).limit(args.rounds)))
        teammate = httpx.Client(base_url=hub.url, timeout=30.0)
        token = teammate.post("/v1/login", json={
            "user": TEAMMATE, "password": DEMO_PASSWORD, "device_id": "bench-teammate-1"}
        ).json()["access_token"]
        teammate.headers["Authorization"] = f"Bearer {token}"
        round_trips, changes = [], []
        for participant_id in people:
            t = time.perf_counter()
            teammate.get("/v1/health")
            round_trips.append(time.perf_counter() - t)
            now = dt.datetime.now(dt.UTC)
            decision_id = str(uuid.uuid4())
            answer = teammate.post("/v1/outbox", json={"items": [{
                "id": str(uuid.uuid4()), "kind": "consent_decision", "payload": {
                    "decision_id": decision_id, "participant_id": participant_id,
                    "scope": "contact_for_research", "decision": "granted", "given_by": "self",
                    "given_by_name": None, "method": "phone", "recorded_by": TEAMMATE,
                    "recorded_at": now.isoformat(),
                    "effective_from": (now - dt.timedelta(minutes=1)).isoformat()}}]}).json()
            assert answer["answers"][0]["outcome"] == "applied", answer
            t = time.perf_counter()
            report = engine.run()
            changes.append(time.perf_counter() - t)
            with cache.read() as s:
                assert s.get(ConsentDecisionRow, decision_id) is not None
            assert report.pulled.get("consent_decision") == 1, report.pulled
        cache.close()
    finally:
        hub.stop()
    floor, measured = statistics.median(round_trips), statistics.median(changes)
    print(f"floor (one loopback round trip, median of {len(round_trips)}): {floor * 1000:.1f} ms")
    print(f"measured (one change, hub to cache, median): {measured * 1000:.1f} ms")
    print(f"ratio: {measured / floor:.1f}  (target: under 500 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
