"""Concurrent writers and readers on a real hub (uvicorn on loopback): no change is skipped.

Each writer and reader is a thread with its own HTTP client, so every request runs on its own
database connection in the hub. Readers poll the feed while writers commit; at the end every
reader must have seen every applied decision exactly once. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter

import httpx

from counsellor_app.hub.app import Hub
from counsellor_app.hub.seed import DEMO_PASSWORD
from counsellor_app.hub.server import run_in_thread
from counsellor_app.hub.settings import HubSettings
from counsellor_app.protocol.changes import ChangePage

from .conftest import START, Clock, consent_item, participants_of

WRITERS, ITEMS_PER_WRITER, READERS = 4, 30, 3


def _client(url: str, user: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    answer = client.post("/v1/login", json={"user": user, "password": DEMO_PASSWORD,
                                            "device_id": f"dev-{uuid.uuid4()}"})
    answer.raise_for_status()
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return client


def _drain(client: httpx.Client, cursor: int, seen: Counter[str]) -> tuple[int, bool]:
    answer = client.get("/v1/changes", params={"since": cursor, "limit": 50})
    answer.raise_for_status()
    page = ChangePage.model_validate_json(answer.content)
    for change in page.changes:
        if change.kind == "consent_decision":
            seen[change.data.decision_id] += 1
    return page.next_cursor, page.more


def test_concurrent_writers_never_make_a_reader_skip_a_change(hub_db_url: str, hub: Hub) -> None:
    subjects = [p.participant_id for p, ledger in participants_of(hub, "team-cardiff")
                if ledger.may_contact_for_results(START.date())][:8]
    running = run_in_thread(hub_db_url, settings=HubSettings(clock=Clock()))
    try:
        writers_done = threading.Event()
        applied: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()
        readers_seen = [Counter[str]() for _ in range(READERS)]
        start_cursors: list[int] = []

        # Every reader starts at the head of the feed as it is now.
        probe = _client(running.url, "clinician-cardiff")
        cursor, more = 0, True
        while more:
            cursor, more = _drain(probe, cursor, Counter())
        probe.close()
        start_cursors = [cursor] * READERS

        def write(number: int) -> None:
            try:
                client = _client(running.url, "counsellor-cardiff")
                for i in range(ITEMS_PER_WRITER):
                    at = START - dt.timedelta(minutes=number * 1000 + i + 1)
                    item = consent_item(subjects[(number + i) % len(subjects)],
                                        decision="declined", at=at)
                    answer = client.post("/v1/outbox", json={"items": [item]})
                    answer.raise_for_status()
                    outcome = answer.json()["answers"][0]
                    assert outcome["outcome"] == "applied", outcome
                    with lock:
                        applied.append(item["payload"]["decision_id"])
                client.close()
            except BaseException as exc:  # reported below
                errors.append(exc)

        def read(number: int) -> None:
            try:
                client = _client(running.url, "clinician-cardiff")
                cursor = start_cursors[number]
                while not writers_done.is_set():
                    cursor, _ = _drain(client, cursor, readers_seen[number])
                more = True
                while more:
                    cursor, more = _drain(client, cursor, readers_seen[number])
                client.close()
            except BaseException as exc:  # reported below
                errors.append(exc)

        writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        readers = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
        for thread in readers + writers:
            thread.start()
        for thread in writers:
            thread.join()
        writers_done.set()
        for thread in readers:
            thread.join()
    finally:
        running.stop()
    assert not errors, errors
    assert len(applied) == WRITERS * ITEMS_PER_WRITER
    for seen in readers_seen:
        assert set(seen) == set(applied)
        assert set(seen.values()) == {1}
