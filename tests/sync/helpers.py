"""Test helpers: a client device (profile, key provider, cache) and reading the hub's tables."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from counsellor_app.hub.database import Database
from counsellor_app.hub.tables import CaseRow as HubCase
from counsellor_app.hub.tables import ChangeRow
from counsellor_app.hub.tables import ConsentDecisionRow as HubDecision
from counsellor_app.hub.tables import ParticipantRow as HubParticipant
from counsellor_app.hub.tables import RequestRow as HubRequest
from counsellor_app.hub.tables import ResultRow as HubResult
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.sync.backoff import BackoffPolicy
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncEngine, SyncOptions

DEMO_PASSWORD = "demo-password"


@dataclass
class NoWaitSleeper:
    """Records the waits asked for and returns at once (unless cancelled)."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float, cancel: threading.Event) -> bool:
        self.waits.append(seconds)
        return not cancel.is_set()


@dataclass
class ClientDevice:
    profile: Profile
    keys: KeyProvider
    cache: Cache

    @classmethod
    def create(cls, root: Path) -> ClientDevice:
        profile = Profile.at(root)
        keys = KeyProvider(profile)
        cache = open_cache(profile, keys, create=True)
        return cls(profile, keys, cache)

    @property
    def device_id(self) -> str:
        return device_id(self.profile)

    def engine(
        self,
        hub_url: str,
        user: str,
        *,
        password: str | None = DEMO_PASSWORD,
        transport: httpx.BaseTransport | None = None,
        sleeper: NoWaitSleeper | None = None,
        page_size: int = 500,
        batch_size: int = 50,
        attempts: int = 4,
        cancel: threading.Event | None = None,
        progress: Any = None,
    ) -> SyncEngine:
        http = httpx.Client(transport=transport, timeout=10.0)
        options = SyncOptions(
            page_size=page_size,
            batch_size=batch_size,
            backoff=BackoffPolicy(attempts=attempts, base_seconds=0.5, cap_seconds=4.0),
            sleeper=sleeper if sleeper is not None else NoWaitSleeper(),
            rng=random.Random(1),
        )
        kwargs: dict[str, Any] = {}
        if progress is not None:
            kwargs["progress"] = progress
        return SyncEngine(
            http,
            self.cache,
            self.keys,
            hub_url=hub_url,
            user=user,
            device_id=self.device_id,
            password=lambda: password,
            cancel=cancel,
            options=options,
            **kwargs,
        )

    def close(self) -> None:
        self.cache.close()


def hub_team_ids(db_url: str, team: str) -> dict[str, set[str]]:
    """Ids of every record of one team held by the hub, by kind."""
    db = Database(db_url)
    try:
        with db.reading() as s:
            people = set(
                s.scalars(select(HubParticipant.participant_id).where(HubParticipant.team == team))
            )
            out: dict[str, set[str]] = {"participants": people}
            for name, column, owner in (
                ("cases", HubCase.case_id, HubCase.participant_id),
                ("results", HubResult.result_id, HubResult.participant_id),
                ("requests", HubRequest.request_id, HubRequest.participant_id),
                ("decisions", HubDecision.decision_id, HubDecision.participant_id),
            ):
                out[name] = set(s.scalars(select(column).where(owner.in_(people))))
            return out
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


def hub_decision_count(db_url: str) -> int:
    db = Database(db_url)
    try:
        with db.reading() as s:
            return int(s.scalar(select(func.count()).select_from(HubDecision)) or 0)
    finally:
        db.dispose()


def hub_nth_seq(db_url: str, team: str, n: int) -> int:
    """The cursor of a team's n-th change (where a first page of n ends)."""
    db = Database(db_url)
    try:
        with db.reading() as s:
            seq = s.scalar(
                select(ChangeRow.seq).where(ChangeRow.team == team)
                .order_by(ChangeRow.seq).offset(n - 1).limit(1)
            )
            assert seq is not None
            return int(seq)
    finally:
        db.dispose()
