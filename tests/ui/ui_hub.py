"""A real hub on loopback for the sign-in and sync tests: seeded once, copied for every test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.server import RunningHub, run_in_thread
from counsellor_app.hub.settings import HubSettings
from counsellor_app.hub.tables import ConsentDecisionRow as HubDecision
from counsellor_app.hub.tables import ParticipantRow as HubParticipant

PARTICIPANTS = 50
TEAM = "team-cardiff"
USER = "counsellor-cardiff"
PASSWORD = DEMO_PASSWORD

_seeded: dict[str, Path] = {}


def fast_hub_settings() -> HubSettings:
    """Cheap Argon2 for test sign-ins (still Argon2id)."""
    return HubSettings(password_hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


def seeded_hub_file(factory: pytest.TempPathFactory) -> Path:
    """One hub database with 50 synthetic participants, made once per test session."""
    if "file" not in _seeded:
        path = factory.mktemp("ui-hub") / "hub.sqlite3"
        db = Database(f"sqlite:///{path}")
        db.migrate()
        seed(db, fast_hub_settings(), PARTICIPANTS, seed=7)
        db.dispose()
        _seeded["file"] = path
    return _seeded["file"]


def start_hub(factory: pytest.TempPathFactory, target_dir: Path) -> tuple[RunningHub, str]:
    """This test's own copy of the seeded hub, serving on 127.0.0.1; returns it and its db URL."""
    source = seeded_hub_file(factory)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    for suffix in ("", "-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copy2(extra, target.with_name(target.name + suffix))
    url = f"sqlite:///{target}"
    return run_in_thread(url, settings=fast_hub_settings()), url


def hub_team_participants(db_url: str, team: str = TEAM) -> set[str]:
    db = Database(db_url)
    try:
        with db.reading() as s:
            return set(
                s.scalars(select(HubParticipant.participant_id).where(HubParticipant.team == team))
            )
    finally:
        db.dispose()


def hub_decisions(db_url: str, participant_id: str) -> list[dict[str, Any]]:
    """The consent decisions the hub holds for one participant (decoded wire bodies)."""
    db = Database(db_url)
    try:
        with db.reading() as s:
            bodies = s.scalars(
                select(HubDecision.body).where(HubDecision.participant_id == participant_id)
            )
            return [json.loads(body) for body in bodies]
    finally:
        db.dispose()


def hub_result_body(db_url: str, result_id: str) -> dict[str, Any]:
    """The result as the hub holds it (decoded wire body)."""
    from counsellor_app.hub.tables import ResultRow as HubResult

    db = Database(db_url)
    try:
        with db.reading() as s:
            body = s.scalar(select(HubResult.body).where(HubResult.result_id == result_id))
            assert body is not None
            return dict(json.loads(body))
    finally:
        db.dispose()


def hub_request_body(db_url: str, request_id: str) -> dict[str, Any]:
    """The request as the hub holds it (decoded wire body)."""
    from counsellor_app.hub.tables import RequestRow as HubRequest

    db = Database(db_url)
    try:
        with db.reading() as s:
            body = s.scalar(select(HubRequest.body).where(HubRequest.request_id == request_id))
            assert body is not None
            return dict(json.loads(body))
    finally:
        db.dispose()
