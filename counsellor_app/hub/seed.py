"""``counsellor-hub seed``: teams, demo users and a synthetic caseload, in bulk and all at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from counsellor_app.demo.synthetic import DEFAULT_TEAMS, TEAM_NAMES, Dataset, generate
from counsellor_app.domain.errors import DomainError
from counsellor_app.hub import change_log
from counsellor_app.hub.auth import Accounts
from counsellor_app.hub.change_log import Entry
from counsellor_app.hub.database import Database
from counsellor_app.hub.records import encode
from counsellor_app.hub.settings import HubSettings
from counsellor_app.hub.tables import (
    CaseRow,
    ConsentDecisionRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
    Team,
    User,
)
from counsellor_app.protocol.entities import (
    CaseWire,
    ConsentDecisionWire,
    ParticipantWire,
    RequestWire,
    ResultWire,
)

DEMO_PASSWORD = "demo-password"
_CHUNK = 5000


@dataclass(frozen=True)
class DemoUser:
    name: str
    role: str
    team: str | None


@dataclass(frozen=True)
class SeedReport:
    participants: int
    cases: int
    results: int
    requests: int
    decisions: int
    teams: tuple[str, ...]
    users: tuple[DemoUser, ...]
    password: str


def demo_users(teams: Sequence[str]) -> tuple[DemoUser, ...]:
    """A counsellor and a clinician per team, then one researcher, feed and admin."""
    users: list[DemoUser] = []
    for team in teams:
        short = team.removeprefix("team-")
        users.append(DemoUser(f"counsellor-{short}", "counsellor", team))
        users.append(DemoUser(f"clinician-{short}", "clinician", team))
    users += [DemoUser("researcher", "researcher", None), DemoUser("feed", "feed", None),
              DemoUser("admin", "admin", None)]
    return tuple(users)


def seed(
    db: Database,
    settings: HubSettings,
    participants: int,
    *,
    seed: int = 1,
    teams: Sequence[str] = DEFAULT_TEAMS,
    reference_date: dt.date | None = None,
) -> SeedReport:
    """Fill an empty hub; refuses a hub that already holds participants or demo users."""
    day = reference_date or settings.clock().date()
    dataset = generate(participants, seed=seed, teams=teams, reference_date=day)
    users = demo_users(dataset.teams)
    accounts = Accounts(db, settings)
    with db.writing() as s:
        if s.scalar(select(func.count()).select_from(ParticipantRow)):
            raise DomainError("This hub already holds participants: seed only an empty hub "
                              "(use a new --db).")
        existing = set(s.scalars(select(Team.team_id)))
        for team in dataset.teams:
            if team not in existing:
                s.add(Team(team_id=team, name=TEAM_NAMES.get(team, team)))
        s.flush()
        for user in users:
            if s.scalar(select(User.user_id).where(User.name == user.name)) is None:
                accounts.add_user(
                    user.name, DEMO_PASSWORD, user.role, user.team, session=s,
                    institution="Demo Research Institute" if user.role == "researcher" else None,
                    research_domain="Rare disease genomics" if user.role == "researcher" else None,
                )
        load(s, dataset)
    return SeedReport(
        len(dataset.participants), len(dataset.cases), len(dataset.results),
        len(dataset.requests), len(dataset.decisions), dataset.teams, users, DEMO_PASSWORD,
    )


def load(session: Session, dataset: Dataset) -> None:
    """Bulk-insert a dataset and its change-log rows (parents before what refers to them)."""
    team_of = {p.participant_id: p.team for p in dataset.participants}
    entries: list[Entry] = []

    def rows(kind: str, items: Iterable[Any], wire: Any, id_name: str,
             extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        out = []
        for item in items:
            entity_id = getattr(item, id_name)
            row = {id_name: entity_id, "participant_id": item.participant_id,
                   "body": encode(wire.from_domain(item))}
            for name in extra:
                row[name] = getattr(item, name)
            out.append(row)
            entries.append(Entry(team_of[item.participant_id], item.participant_id, kind,
                                 entity_id))
        return out

    participant_rows = [
        {"participant_id": p.participant_id, "team": p.team,
         "body": encode(ParticipantWire.from_domain(p))}
        for p in dataset.participants
    ]
    entries.extend(Entry(p.team, p.participant_id, "participant", p.participant_id)
                   for p in dataset.participants)
    _bulk(session, ParticipantRow, participant_rows)
    _bulk(session, CaseRow, rows("case", dataset.cases, CaseWire, "case_id"))
    _bulk(session, ResultRow, rows("result", dataset.results, ResultWire, "result_id",
                                   ("case_id",)))
    _bulk(session, RequestRow, rows("request", dataset.requests, RequestWire, "request_id",
                                    ("case_id",)))
    _bulk(session, ConsentDecisionRow, rows("consent_decision", dataset.decisions,
                                            ConsentDecisionWire, "decision_id"))
    change_log.append(session, entries, fresh=True)


def _bulk(session: Session, table: type, rows: list[dict[str, Any]]) -> None:
    connection = session.connection()
    statement = insert(table.__table__)  # type: ignore[attr-defined]
    for start in range(0, len(rows), _CHUNK):
        connection.execute(statement, rows[start : start + _CHUNK])
