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
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from counsellor_app.hub import change_log
from counsellor_app.hub.app import Hub
from counsellor_app.hub.records import Records
from counsellor_app.hub.seed import DEMO_PASSWORD
from counsellor_app.hub.server import run_in_thread
from counsellor_app.protocol.changes import MAX_PAGE_SIZE, ChangePage
from counsellor_app.protocol.entities import ConsentDecisionWire

from .conftest import START, consent_item, fast_settings, participants_of

WRITERS, ITEMS_PER_WRITER, READERS = 4, 20, 3


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
    running = run_in_thread(hub_db_url, settings=fast_settings())
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


def _decision(participant_id: str) -> ConsentDecisionWire:
    return ConsentDecisionWire.model_validate(
        consent_item(participant_id, decision="declined",
                     at=START - dt.timedelta(minutes=1))["payload"]
    )


def test_a_later_number_is_not_visible_before_an_earlier_one_commits(hub_db_url: str,
                                                                     hub: Hub) -> None:
    """PostgreSQL: while transaction A holds change n uncommitted, B (n+1) cannot commit, so
    no reader can move its cursor past n. Without the advisory lock B would commit first."""
    if not hub.db.is_postgres:
        pytest.skip("SQLite has one writer at a time; the race exists only on PostgreSQL")
    first, second = [p.participant_id for p, _ in participants_of(hub, "team-cardiff")[:2]]
    with hub.db.reading() as s:
        head = change_log.read_page(s, "team-cardiff", 0, MAX_PAGE_SIZE * 100).next_cursor
    a = Session(hub.db.engine)
    a.begin()
    records_a = Records(a)
    records_a.put_decision(_decision(first), "team-cardiff")
    records_a.finish()  # holds change n and the lock, not committed
    b_committed = threading.Event()

    def write_b() -> None:
        with hub.db.writing() as s:
            records = Records(s)
            records.put_decision(_decision(second), "team-cardiff")
            records.finish()
        b_committed.set()

    b = threading.Thread(target=write_b)
    b.start()
    with hub.db.engine.connect() as probe:
        query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        while not b_committed.is_set() and not probe.execute(query).scalar():
            probe.rollback()
    try:
        assert not b_committed.is_set(), "B committed a higher number while A was open"
        with hub.db.reading(snapshot=True) as s:
            early = change_log.read_page(s, "team-cardiff", head, 100)
        assert early.count == 0 and early.next_cursor == head
    finally:
        a.commit()
        a.close()
        b.join()
    with hub.db.reading(snapshot=True) as s:
        late = change_log.read_page(s, "team-cardiff", head, 100)
    page = ChangePage.model_validate_json(late.json)
    assert [c.data.participant_id for c in page.changes] == [first, second]
