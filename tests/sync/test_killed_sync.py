"""SIGKILL a real sync process at random points of a first sync and of a push, again and again:
the next sync always completes, the cache stays intact, no decision is lost or doubled."""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import select

from counsellor_app.hub.server import RunningHub
from counsellor_app.store.engine import Cache, integrity_check, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.outbox import OutboxState
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import OutboxRow, ParticipantRow

from .consent_helpers import adult_without_withdrawal, decision, record
from .helpers import DEMO_PASSWORD, hub_decisions, hub_team_ids

PASSPHRASE = "kill-test-passphrase"
USER = "counsellor-cardiff"
WORKER = Path(__file__).with_name("kill_worker.py")
FIRST_SYNC_KILLS = 10
PUSH_KILLS = 10


@dataclass
class Outcome:
    exit: int
    killed_at: int | None
    progress: list[list[Any]] = field(default_factory=list)
    report: dict[str, Any] | None = None
    error: str | None = None


class Worker:
    """Drives kill_worker.py: one forked sync per call, killed after a chosen progress report."""

    def __init__(self, hub_url: str) -> None:
        self.hub_url = hub_url
        repo = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=repo,
            env={**os.environ, "PYTHONPATH": str(repo)},
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(json.loads(line))

    def _next(self, timeout: float = 120.0) -> dict[str, Any]:
        return self.lines.get(timeout=timeout)

    def sync(
        self,
        profile: Path,
        *,
        page_size: int,
        batch_size: int = 50,
        kill_after: int | None = None,
        kill_grace: float = 0.0,
        create_only: bool = False,
    ) -> Outcome:
        """One sync; with ``kill_after``, SIGKILL the child after that many progress reports
        and then ``kill_grace`` seconds at most (sooner if it reports again)."""
        command = {
            "profile": str(profile), "hub": self.hub_url, "user": USER,
            "password": DEMO_PASSWORD, "passphrase": PASSPHRASE,
            "page_size": page_size, "batch_size": batch_size, "create_only": create_only,
        }
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        pid = int(self._next()["pid"])
        outcome = Outcome(exit=-1, killed_at=None)
        while True:
            message = self._next()
            if "progress" in message:
                outcome.progress.append(message["progress"])
                if kill_after is not None and len(outcome.progress) == kill_after:
                    try:  # let it run on a little: to its next report or the grace deadline
                        later = self.lines.get(timeout=kill_grace) if kill_grace else None
                    except queue.Empty:
                        later = None
                    os.kill(pid, signal.SIGKILL)
                    outcome.killed_at = len(outcome.progress)
                    if later is not None:
                        self.lines.put(later)
            elif "report" in message:
                outcome.report = message["report"]
            elif "error" in message:
                outcome.error = message["error"]
            elif "exit" in message:
                outcome.exit = int(message["exit"])
                return outcome

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def worker(small_hub: RunningHub) -> Iterator[Worker]:
    running = Worker(small_hub.url)
    try:
        yield running
    finally:
        running.close()


def opened(profile: Path) -> Cache:
    keys = KeyProvider(Profile.at(profile), environ={"COUNSELLOR_PASSPHRASE": PASSPHRASE})
    return open_cache(Profile.at(profile), keys, create=False)


def assert_intact_and_complete(profile: Path, expected_people: set[str]) -> None:
    with opened(profile) as cache:
        assert integrity_check(cache) == []
        with cache.read() as s:
            assert set(s.scalars(select(ParticipantRow.participant_id))) == expected_people
            states = Counter(s.scalars(select(OutboxRow.state)))
    assert set(states) <= {OutboxState.APPLIED.value, OutboxState.DUPLICATE.value}


@pytest.mark.slow
def test_a_first_sync_killed_at_random_points_always_completes_next_time(
    worker: Worker, small_hub_db_url: str, tmp_path: Path
) -> None:
    rng = random.Random(20261127)
    expected = hub_team_ids(small_hub_db_url, "team-cardiff")["participants"]
    # an empty cache, made once and copied: each attempt is a first sync into an empty cache
    empty = tmp_path / "empty"
    assert worker.sync(empty, page_size=200, create_only=True).exit == 0
    kills = 0
    for attempt in range(FIRST_SYNC_KILLS):
        profile = tmp_path / f"first-{attempt}"
        shutil.copytree(empty, profile)
        # about 16 reports in a whole first sync of 300 participants at 200 changes a page
        killed = worker.sync(profile, page_size=200, kill_after=rng.randint(1, 15),
                             kill_grace=rng.uniform(0.0, 0.05))
        if killed.exit == -signal.SIGKILL:
            kills += 1
        else:  # it finished before the kill landed: still a valid outcome
            assert killed.exit == 0, killed.error
        resumed = worker.sync(profile, page_size=200)
        assert resumed.exit == 0, resumed.error
        assert_intact_and_complete(profile, expected)
    assert kills >= FIRST_SYNC_KILLS - 2


@pytest.mark.slow
def test_a_push_killed_at_random_points_never_loses_or_doubles_a_decision(
    worker: Worker, small_hub_db_url: str, tmp_path: Path
) -> None:
    rng = random.Random(7)
    profile = tmp_path / "laptop"
    assert worker.sync(profile, page_size=500).exit == 0
    expected = hub_team_ids(small_hub_db_url, "team-cardiff")["participants"]
    recorded: dict[str, str] = {}  # decision id -> participant id
    kills = 0
    for attempt in range(PUSH_KILLS):
        with opened(profile) as cache:
            for n in range(2):
                participant_id = adult_without_withdrawal(cache, skip=2 * attempt + n)
                made = decision(participant_id)
                record(cache, made)
                recorded[made.decision_id] = participant_id
        # reports: sign-in, push start, one per item (batches of 1), pull start, pull, done
        killed = worker.sync(profile, page_size=500, batch_size=1,
                             kill_after=rng.randint(2, 5), kill_grace=rng.uniform(0.0, 0.05))
        if killed.exit == -signal.SIGKILL:
            kills += 1
        else:
            assert killed.exit == 0, killed.error
        resumed = worker.sync(profile, page_size=500, batch_size=1)
        assert resumed.exit == 0, resumed.error
        assert_intact_and_complete(profile, expected)
    assert kills >= PUSH_KILLS - 2

    for participant_id in set(recorded.values()):
        on_hub = hub_decisions(small_hub_db_url, participant_id)
        ids = Counter(d["decision_id"] for d in on_hub)
        contents = Counter(
            (d["scope"], d["decision"], d["effective_from"], d.get("request_id")) for d in on_hub
        )
        mine = [i for i, p in recorded.items() if p == participant_id]
        assert all(ids[i] == 1 for i in mine), "a decision went missing on the hub"
        assert max(contents.values()) == 1, "a decision was recorded twice on the hub"
