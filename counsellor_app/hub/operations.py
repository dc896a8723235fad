"""Operator tasks: teams, devices, ending sessions, disabling users, finding demo passwords."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, demo_users
from counsellor_app.hub.tables import Device, Team, Token, User


@dataclass(frozen=True)
class DeviceInfo:
    """A device that has signed in to the hub, and whose account it last signed in as."""

    device_id: str
    user: str
    name: str | None
    first_seen: dt.datetime
    last_login: dt.datetime
    revoked_at: dt.datetime | None


TEAM_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def add_team(db: Database, team_id: str, name: str) -> None:
    """Create a team (the unit a change feed and a counsellor's caseload belong to)."""
    if not TEAM_ID.fullmatch(team_id):
        raise DomainError("A team id is lower-case letters, digits and hyphens (for example "
                          "team-cardiff), at most 100 characters.")
    if not name.strip() or len(name) > 200:
        raise DomainError("Give the team a name of 1 to 200 characters with --name.")
    with db.writing() as s:
        if s.get(Team, team_id) is not None:
            raise DomainError(f"There is already a team '{team_id}' on this hub.")
        s.add(Team(team_id=team_id, name=name.strip()))


def list_teams(db: Database) -> list[tuple[str, str, int]]:
    """Each team's id, name and number of users."""
    with db.reading() as s:
        rows = s.execute(
            select(Team.team_id, Team.name, func.count(User.user_id))
            .outerjoin(User, User.team == Team.team_id)
            .group_by(Team.team_id, Team.name).order_by(Team.team_id)
        ).all()
    return [(t, n, int(c)) for t, n, c in rows]


def list_devices(db: Database, user: str | None = None) -> list[DeviceInfo]:
    """Devices, most recently signed-in first; only ``user``'s when given (who must exist)."""
    with db.reading() as s:
        query = (select(Device, User.name).join(User, User.user_id == Device.user_id)
                 .order_by(Device.last_login.desc(), Device.device_id))
        if user is not None:
            if s.scalar(select(User.user_id).where(User.name == user)) is None:
                raise DomainError(f"There is no user '{user}' on this hub.")
            query = query.where(User.name == user)
        return [DeviceInfo(d.device_id, name, d.name, d.first_seen, d.last_login, d.revoked_at)
                for d, name in s.execute(query)]


def end_all_sessions(db: Database, now: dt.datetime) -> int:
    """Revoke every access and refresh token: everyone signs in again with their password at
    their next sync (their caches are kept). Returns how many tokens were still live."""
    with db.writing() as s:
        live = s.scalar(select(func.count()).select_from(Token).where(
            Token.revoked_at.is_(None), Token.expires_at > now)) or 0
        s.execute(update(Token).where(Token.revoked_at.is_(None)).values(revoked_at=now))
        return int(live)


def set_disabled(db: Database, name: str, disabled: bool, now: dt.datetime) -> None:
    """Disable (or enable again) a user; disabling also ends the user's sessions."""
    with db.writing() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise DomainError(f"There is no user '{name}' on this hub.")
        user.disabled = disabled
        if disabled:
            s.execute(update(Token).where(Token.user_id == user.user_id,
                                          Token.revoked_at.is_(None)).values(revoked_at=now))


def set_password(db: Database, name: str, password: str, hasher: PasswordHasher,
                 now: dt.datetime) -> None:
    """Give a user a new password and end their sessions (every device signs in again)."""
    if len(password) < 8:
        raise DomainError("The password is too short: use at least 8 characters.")
    with db.writing() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise DomainError(f"There is no user '{name}' on this hub.")
        user.password_hash = hasher.hash(password)
        s.execute(update(Token).where(Token.user_id == user.user_id,
                                      Token.revoked_at.is_(None)).values(revoked_at=now))


def users_with_demo_password(db: Database, hasher: PasswordHasher) -> list[str]:
    """Enabled demo users (as ``counsellor-hub seed`` makes them) whose password is still the
    published demo password."""
    with db.reading() as s:
        teams = list(s.scalars(select(Team.team_id)))
        names = [u.name for u in demo_users(teams)]
        rows = s.execute(select(User.name, User.password_hash).where(
            User.name.in_(names), User.disabled.is_(False))).all()
    found = []
    for name, stored in rows:
        try:
            if hasher.verify(stored, DEMO_PASSWORD):
                found.append(name)
        except (VerificationError, InvalidHashError):
            continue
    return sorted(found)
