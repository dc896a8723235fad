"""The counsellor-hub command line and the hub's migrations, as an operator would use them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from counsellor_app.hub.cli import main
from counsellor_app.hub.database import Database
from counsellor_app.hub.records import Records
from counsellor_app.hub.tables import Base, Device, User

from .test_import import RESOURCES


def test_migrations_build_exactly_the_tables_the_hub_uses(hub_db_url: str) -> None:
    db = Database(hub_db_url)
    db.migrate()  # a second run changes nothing
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()


def test_user_add_reads_the_password_from_stdin(hub_db_url: str,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "dr-new", "--role", "clinician", "--team", "team-cardiff",
                 "--db", hub_db_url]) == 0
    db = Database(hub_db_url)
    with db.reading() as s:
        user = s.query(User).filter_by(name="dr-new").one()
        assert (user.role, user.team) == ("clinician", "team-cardiff")
    db.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "dr-new", "--role", "clinician", "--team", "team-cardiff",
                 "--db", hub_db_url]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "dr-x", "--role", "clinician", "--team", "team-mars",
                 "--db", hub_db_url]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == ["counsellor-hub: A user called 'dr-new' already exists.",
                      "counsellor-hub: There is no team 'team-mars' on this hub."]


def test_import_command_applies_all_or_nothing(hub_db_url: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    broken = json.loads((RESOURCES / "example-import.json").read_text())
    broken["requests"][0]["case_id"] = "C-NOT-THERE"
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(broken))
    assert main(["import", str(bad_file), "--db", hub_db_url]) == 1
    assert "requests[0]" in capsys.readouterr().err
    db = Database(hub_db_url)
    with db.reading() as s:
        assert Records(s).participant("P-EX-000001") is None
    assert main(["import", str(RESOURCES / "example-import.json"), "--db", hub_db_url,
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] and report["created"]["results"] == 3
    with db.reading() as s:
        assert Records(s).participant("P-EX-000001") is not None
    db.dispose()


def test_import_command_explains_a_missing_or_broken_file(
    hub_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path / "nope.json"), "--db", hub_db_url]) == 2
    (tmp_path / "junk.json").write_text("{not json")
    assert main(["import", str(tmp_path / "junk.json"), "--db", hub_db_url]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("counsellor-hub: ") for line in lines)


def test_revoke_command_marks_the_device(hub_db_url: str, capsys: pytest.CaptureFixture[str],
                                         hub) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from counsellor_app.hub.app import create_app

    from .conftest import login

    with TestClient(create_app(hub)) as client:
        headers = login(client, "counsellor-cardiff", device="laptop-to-revoke")
        assert main(["revoke", "laptop-to-revoke", "--db", hub_db_url]) == 0
        assert client.get("/v1/changes", headers=headers).json()["wipe"] is True
    with hub.db.reading() as s:
        assert s.get(Device, "laptop-to-revoke").revoked_at is not None
    assert main(["revoke", "never-seen", "--db", hub_db_url]) == 2


def test_seed_refuses_a_hub_that_already_holds_participants(
    hub_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed", "--participants", "5", "--db", hub_db_url]) == 2
    assert "already holds participants" in capsys.readouterr().err


def test_seed_then_migrate_on_a_new_sqlite_file(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'hub.sqlite3'}"
    assert main(["seed", "--participants", "12", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Seeded 12 participants" in out and "counsellor-cardiff" in out
    assert main(["migrate", "--db", url]) == 0
    assert main(["--db", url, "migrate"]) == 0
