"""Hub test fixtures: a seeded hub on SQLite always, and on PostgreSQL when the CI provides one.

The seeded database is built once per engine per session and copied for each test (a file copy
on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), so every test starts from the same
state in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import insert, make_url, select, text

from counsellor_app.hub.app import Hub, create_app
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.settings import HubSettings
from counsellor_app.hub.tables import Base

PG_URL = os.environ.get("COUNSELLOR_TEST_PG_URL")
START = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
SEED_PARTICIPANTS = 90
ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


def fast_settings(clock: Clock | None = None) -> HubSettings:
    """Hub settings for tests: a cheap Argon2id, so that signing in takes milliseconds."""
    return HubSettings(clock=clock or Clock(),
                       password_hasher=PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1))


def _admin_dsn(url: str, database: str = "postgres") -> str:
    u = make_url(url).set(drivername="postgresql", database=database)
    return u.render_as_string(hide_password=False)


def _pg_url(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _pg_execute(url: str, sql: str) -> None:
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@dataclass
class Template:
    """A seeded database: a file to copy (SQLite) or rows to reload (PostgreSQL)."""

    engine: str
    url: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def no_machine_config(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """counsellor-hub commands read an empty config file, never this machine's
    /etc/counsellor-hub/hub.toml, nor COUNSELLOR_HUB_* variables of the shell."""
    for name in [n for n in os.environ if n.startswith("COUNSELLOR_HUB_")]:
        monkeypatch.delenv(name)
    empty = tmp_path_factory.getbasetemp() / "empty-hub.toml"
    empty.touch()
    monkeypatch.setenv("COUNSELLOR_HUB_CONFIG", str(empty))


@pytest.fixture(scope="session")
def hub_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Template]]:
    """One seeded database per engine, made once per session."""
    made: dict[str, Template] = {}
    folder = tmp_path_factory.mktemp("hub-template")
    sqlite_url = f"sqlite:///{folder / 'template.sqlite3'}"
    _seed_into(sqlite_url)
    made["sqlite"] = Template("sqlite", sqlite_url)
    if PG_URL:
        name = f"hub_tests_{uuid.uuid4().hex[:8]}"
        _pg_execute(PG_URL, f'CREATE DATABASE "{name}"')
        url = _pg_url(PG_URL, name)
        _seed_into(url)
        db = Database(url)
        with db.engine.connect() as connection:
            rows = {
                table.name: [dict(r) for r in connection.execute(select(table)).mappings()]
                for table in Base.metadata.sorted_tables
            }
        db.dispose()
        made["postgres"] = Template("postgres", url, rows)
    yield made
    if "postgres" in made:
        name = make_url(made["postgres"].url).database
        _pg_execute(PG_URL or "", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed_into(url: str) -> None:
    db = Database(url)
    db.migrate()
    seed(db, fast_settings(), SEED_PARTICIPANTS, seed=7)
    db.dispose()


def _reset_postgres(template: Template) -> None:
    """Put the seeded rows back (much faster than CREATE DATABASE ... TEMPLATE)."""
    db = Database(template.url)
    tables = Base.metadata.sorted_tables
    with db.engine.begin() as connection:
        names = ", ".join(f'"{t.name}"' for t in tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        for table in tables:
            if template.rows[table.name]:
                connection.execute(insert(table), template.rows[table.name])
            for column in table.primary_key.columns:
                if column.autoincrement is True:
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"))
    db.dispose()


@pytest.fixture(params=ENGINES)
def hub_db_url(
    request: pytest.FixtureRequest, hub_templates: dict[str, Template], tmp_path: Path
) -> str:
    """A fresh copy of the seeded hub database, on each engine in turn."""
    engine = request.param
    if engine == "postgres" and not PG_URL:
        pytest.skip("COUNSELLOR_TEST_PG_URL is not set (scripts/test sets it)")
    template = hub_templates[engine]
    if engine == "sqlite":
        target = tmp_path / "hub.sqlite3"
        shutil.copyfile(make_url(template.url).database or "", target)
        return f"sqlite:///{target}"
    _reset_postgres(template)
    return template.url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hub(hub_db_url: str, clock: Clock) -> Iterator[Hub]:
    db = Database(hub_db_url)
    yield Hub(db, fast_settings(clock))
    db.dispose()


@pytest.fixture
def client(hub: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(hub)) as test_client:
        yield test_client


def login(client: TestClient, user: str, device: str | None = None) -> dict[str, str]:
    """Authorization headers for a demo user on a (new) device."""
    answer = client.post(
        "/v1/login",
        json={"user": user, "password": DEMO_PASSWORD,
              "device_id": device or f"device-{uuid.uuid4()}"},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def cardiff(client: TestClient) -> dict[str, str]:
    return login(client, "counsellor-cardiff")


@pytest.fixture
def manchester(client: TestClient) -> dict[str, str]:
    return login(client, "counsellor-manchester")


def participants_of(hub: Hub, team: str) -> list:
    """The team's participants as wire models with their ledgers (for picking test subjects)."""
    from sqlalchemy import select

    from counsellor_app.hub.records import Records
    from counsellor_app.hub.tables import ParticipantRow

    with hub.db.reading() as s:
        records = Records(s)
        ids = s.scalars(select(ParticipantRow.participant_id).where(ParticipantRow.team == team)
                        .order_by(ParticipantRow.participant_id)).all()
        out = []
        for pid in ids:
            p = records.participant(pid)
            assert p is not None
            out.append((p, records.ledger(p)))
        return out


def consent_item(participant_id: str, *, scope: str = "contact_for_research",
                 decision: str = "granted", at: dt.datetime = START,
                 recorded_by: str = "counsellor-cardiff", item_id: str | None = None,
                 decision_id: str | None = None, **extra: object) -> dict:
    return {
        "id": item_id or str(uuid.uuid4()),
        "kind": "consent_decision",
        "payload": {
            "decision_id": decision_id or f"DEC-{uuid.uuid4().hex[:12]}",
            "participant_id": participant_id,
            "scope": scope,
            "decision": decision,
            "given_by": "self",
            "given_by_name": None,
            "method": "in_person",
            "recorded_by": recorded_by,
            "recorded_at": at.isoformat(),
            "effective_from": at.isoformat(),
            **extra,
        },
    }
