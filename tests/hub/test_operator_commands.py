"""Operator commands and readiness: teams, users, devices, ending sessions, backups, /v1/ready."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, make_url, select, text

from counsellor_app.hub.app import Hub, create_app
from counsellor_app.hub.cli import main
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD
from counsellor_app.hub.tables import ParticipantRow

from .conftest import fast_settings, login


def test_ready_when_the_schema_is_current_and_not_otherwise(
    hub_db_url: str, client: TestClient, tmp_path: Path
) -> None:
    assert client.get("/v1/ready").json() == {"status": "ready"}
    assert client.get("/v1/health").json()["status"] == "ok"
    cases = {
        "no schema yet": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "cannot be reached": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
    }
    for reason, url in cases.items():
        db = Database(url)
        with TestClient(create_app(Hub(db, fast_settings()))) as other:
            answer = other.get("/v1/ready")
        db.dispose()
        assert answer.status_code == 503 and reason in answer.json()["reason"]
    db = Database(hub_db_url)
    with db.reading() as s:
        head = s.scalar(text("SELECT version_num FROM alembic_version"))
    try:
        with db.writing() as s:
            s.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
        assert "newer version of the hub" in (db.schema_problem() or "")
        assert client.get("/v1/ready").status_code == 503
    finally:  # the PostgreSQL template is reset table by table, alembic_version excluded
        with db.writing() as s:
            s.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        db.dispose()


def test_commands_other_than_migrate_refuse_a_database_without_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "ops", "--role", "admin", "--db", url]) == 2
    assert "run counsellor-hub migrate" in capsys.readouterr().err
    assert main(["migrate", "--db", url]) == 0
    assert main(["team", "add", "team-york", "--name", "York clinical genetics",
                 "--db", url]) == 0
    assert main(["team", "add", "York!", "--name", "x", "--db", url]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "sam", "--role", "counsellor", "--team", "team-york",
                 "--db", url]) == 0
    capsys.readouterr()
    assert main(["team", "list", "--db", url]) == 0
    assert main(["user", "list", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "team-york" in out and "York clinical genetics" in out
    assert "sam" in out and "counsellor" in out and "active" in out


def test_devices_lists_who_signed_in_where_and_revoke_cuts_one_off(
    hub_db_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    lost = login(client, "counsellor-cardiff", device="laptop-lost-0042")
    login(client, "counsellor-manchester", device="laptop-manc-0007")
    assert main(["devices", "--user", "counsellor-cardiff", "--db", hub_db_url]) == 0
    out = capsys.readouterr().out
    assert "laptop-lost-0042" in out and "laptop-manc-0007" not in out and "active" in out
    assert main(["revoke", "laptop-lost-0042", "--db", hub_db_url]) == 0
    capsys.readouterr()
    assert main(["devices", "--json", "--db", hub_db_url]) == 0
    listed = {d["device_id"]: d for d in json.loads(capsys.readouterr().out)["devices"]}
    assert listed["laptop-lost-0042"]["revoked_at"] is not None
    assert listed["laptop-manc-0007"]["revoked_at"] is None
    assert client.get("/v1/changes", headers=lost).status_code == 410
    assert main(["devices", "--user", "nobody", "--db", hub_db_url]) == 2


def test_revoke_all_sessions_makes_everyone_sign_in_again(
    hub_db_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    signed_in = client.post("/v1/login", json={"user": "counsellor-cardiff",
                                               "password": DEMO_PASSWORD,
                                               "device_id": "laptop-0001"}).json()
    headers = {"Authorization": f"Bearer {signed_in['access_token']}"}
    assert client.get("/v1/me", headers=headers).status_code == 200
    assert main(["sessions", "revoke-all", "--db", hub_db_url]) == 0
    assert "live token(s): every user signs in again" in capsys.readouterr().out
    assert client.get("/v1/me", headers=headers).status_code == 401
    again = client.post("/v1/refresh", json={"refresh_token": signed_in["refresh_token"],
                                             "device_id": "laptop-0001"})
    assert again.status_code == 401
    login(client, "counsellor-cardiff", device="laptop-0001")  # the password still works


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)  # engine-agnostic
def test_a_disabled_user_is_signed_out_and_cannot_sign_in_until_enabled(
    hub_db_url: str, client: TestClient, cardiff: dict[str, str]
) -> None:
    assert main(["user", "disable", "counsellor-cardiff", "--db", hub_db_url]) == 0
    assert client.get("/v1/me", headers=cardiff).status_code == 401
    assert client.post("/v1/login", json={"user": "counsellor-cardiff", "password": DEMO_PASSWORD,
                                          "device_id": "laptop-0002"}).status_code == 401
    assert main(["user", "enable", "counsellor-cardiff", "--db", hub_db_url]) == 0
    login(client, "counsellor-cardiff")


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)  # engine-agnostic
def test_a_new_password_ends_the_users_sessions(
    hub_db_url: str, client: TestClient, cardiff: dict[str, str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "password", "counsellor-cardiff", "--db", hub_db_url]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new passphrase\n"))
    assert main(["user", "password", "counsellor-cardiff", "--db", hub_db_url]) == 0
    assert client.get("/v1/me", headers=cardiff).status_code == 401
    assert client.post("/v1/login", json={"user": "counsellor-cardiff", "password": DEMO_PASSWORD,
                                          "device_id": "laptop-0003"}).status_code == 401
    assert client.post("/v1/login", json={"user": "counsellor-cardiff",
                                          "password": "a brand new passphrase",
                                          "device_id": "laptop-0003"}).status_code == 200


def _participants(url: str) -> int:
    db = Database(url)
    with db.reading() as s:
        count = s.scalar(select(func.count()).select_from(ParticipantRow)) or 0
    db.dispose()
    return count


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)  # engine-agnostic
def test_sqlite_backup_while_serving_restores_to_a_working_hub(
    hub_db_url: str, client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    login(client, "counsellor-cardiff", device="laptop-before-backup")  # the hub is in use
    target = tmp_path / "backups" / "hub-2026-11-27.sqlite3"
    target.parent.mkdir()
    assert main(["backup", str(target), "--db", hub_db_url]) == 0
    assert f"to {target}" in capsys.readouterr().out
    assert target.stat().st_mode & 0o777 == 0o600
    assert sqlite3.connect(target).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert main(["backup", str(target), "--db", hub_db_url]) == 0  # replaced, atomically
    assert list(target.parent.iterdir()) == [target]
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    (tmp_path / "restored.sqlite3").write_bytes(target.read_bytes())
    assert _participants(restored) == _participants(hub_db_url) > 0
    assert main(["devices", "--db", restored]) == 0
    assert "laptop-before-backup" in capsys.readouterr().out


@pytest.mark.parametrize("hub_db_url", [pytest.param("postgres", marks=pytest.mark.postgres)],
                         indirect=True)
def test_postgres_backup_is_a_pg_dump_that_pg_restore_reads(
    hub_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil
    import subprocess

    if shutil.which("pg_restore") is None:
        pytest.skip("pg_restore is not installed")
    target = tmp_path / "hub.dump"
    assert main(["backup", str(target), "--db", hub_db_url]) == 0
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                             text=True, check=True).stdout
    assert "TABLE DATA public participants" in listing
    assert make_url(hub_db_url).database in listing
