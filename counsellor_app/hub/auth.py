"""Users, devices and tokens: Argon2id passwords, short-lived access tokens, device revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections import deque
from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.database import Database
from counsellor_app.hub.errors import DeviceRevoked, Forbidden, NotAuthenticated, TooManyAttempts
from counsellor_app.hub.settings import HubSettings
from counsellor_app.hub.tables import Device, Team, Token, User
from counsellor_app.protocol.auth import (
    ROLES,
    TEAM_ROLES,
    LoginRequest,
    RefreshRequest,
    TokenResponse,
)

_BAD_LOGIN = "The user name or password is wrong, or the account is disabled."
MAX_FAILED_LOGINS = 10  # per user name, within FAILED_LOGIN_WINDOW
FAILED_LOGIN_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of a request, as established by its bearer token."""

    user_id: int
    name: str
    role: str
    team: str | None
    device_id: str

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden("Your role does not allow this.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Users, logins and tokens of one hub database."""

    def __init__(self, db: Database, settings: HubSettings) -> None:
        self.db = db
        self.settings = settings
        self._dummy_hash = settings.password_hasher.hash(secrets.token_hex(16))
        self._failures: dict[str, deque[dt.datetime]] = {}
        self._failures_lock = threading.Lock()

    # ------------------------------------------------------------------ users

    def add_user(
        self,
        name: str,
        password: str,
        role: str,
        team: str | None = None,
        *,
        institution: str | None = None,
        research_domain: str | None = None,
        session: Session | None = None,
    ) -> None:
        """Create a user; team members (counsellor, clinician) must name an existing team."""
        if role not in ROLES:
            raise DomainError(f"Unknown role '{role}': use one of {', '.join(ROLES)}.")
        if role in TEAM_ROLES and not team:
            raise DomainError(f"A {role} belongs to a team: give --team.")
        if role not in TEAM_ROLES and team:
            raise DomainError(f"A {role} does not belong to a team: leave out --team.")
        if len(password) < 8:
            raise DomainError("The password is too short: use at least 8 characters.")
        user = User(
            name=name,
            password_hash=self.settings.password_hasher.hash(password),
            role=role,
            team=team,
            institution=institution,
            research_domain=research_domain,
            created_at=self.settings.clock(),
            disabled=False,
        )
        if session is not None:
            self._insert_user(session, user)
            return
        try:
            with self.db.writing() as s:
                self._insert_user(s, user)
        except IntegrityError as exc:
            raise DomainError(f"A user called '{name}' already exists.") from exc

    @staticmethod
    def _insert_user(session: Session, user: User) -> None:
        if user.team is not None and session.get(Team, user.team) is None:
            raise DomainError(f"There is no team '{user.team}' on this hub.")
        if session.scalar(select(User.user_id).where(User.name == user.name)) is not None:
            raise DomainError(f"A user called '{user.name}' already exists.")
        session.add(user)
        session.flush()

    # ------------------------------------------------------------------ login and refresh

    def login(self, request: LoginRequest) -> TokenResponse:
        now = self.settings.clock()
        self._check_throttle(request.user, now)
        with self.db.writing() as s:
            user = s.scalar(select(User).where(User.name == request.user))
            if user is None:
                self._verify(self._dummy_hash, request.password)  # same time as a real check
                self._failed(request.user, now)
                raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials")
            if not self._verify(user.password_hash, request.password) or user.disabled:
                self._failed(request.user, now)
                raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials")
            device = s.get(Device, request.device_id)
            if device is not None and device.revoked_at is not None:
                raise DeviceRevoked()
            if device is None:
                device = Device(
                    device_id=request.device_id,
                    user_id=user.user_id,
                    name=request.device_name,
                    first_seen=now,
                    last_login=now,
                )
                s.add(device)
            else:
                device.user_id = user.user_id
                device.last_login = now
            s.flush()
            s.execute(delete(Token).where(Token.device_id == request.device_id,
                                          Token.expires_at <= now))
            if self.settings.password_hasher.check_needs_rehash(user.password_hash):
                user.password_hash = self.settings.password_hasher.hash(request.password)
            return self._issue(s, user, request.device_id)

    def _check_throttle(self, name: str, now: dt.datetime) -> None:
        """Refuse, without checking the password, after too many recent failures (this
        process's memory; a restart forgets them)."""
        with self._failures_lock:
            recent = self._failures.get(name)
            while recent and recent[0] <= now - FAILED_LOGIN_WINDOW:
                recent.popleft()
            if recent is not None and len(recent) >= MAX_FAILED_LOGINS:
                raise TooManyAttempts(
                    "Too many failed sign-ins for this user name. Wait 15 minutes, or ask the "
                    "hub's administrator to check the account."
                )

    def _failed(self, name: str, now: dt.datetime) -> None:
        with self._failures_lock:
            self._failures.setdefault(name, deque()).append(now)

    def refresh(self, request: RefreshRequest) -> TokenResponse:
        """New tokens for a valid refresh token; the old refresh token is spent (rotation)."""
        now = self.settings.clock()
        with self.db.writing() as s:
            token = s.get(Token, token_hash(request.refresh_token))
            if token is None or token.kind != "refresh" or token.device_id != request.device_id:
                raise NotAuthenticated("The sign-in has expired: sign in again.")
            device = s.get(Device, token.device_id)
            if device is not None and device.revoked_at is not None:
                raise DeviceRevoked()
            if token.revoked_at is not None or token.expires_at <= now:
                raise NotAuthenticated("The sign-in has expired: sign in again.",
                                       code="token_expired")
            user = s.get(User, token.user_id)
            if user is None or user.disabled:
                raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials")
            token.revoked_at = now
            return self._issue(s, user, token.device_id)

    def _issue(self, s: Session, user: User, device_id: str) -> TokenResponse:
        now = self.settings.clock()
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        for kind, value, ttl in (
            ("access", access, self.settings.access_ttl),
            ("refresh", refresh, self.settings.refresh_ttl),
        ):
            s.add(
                Token(
                    token_hash=token_hash(value),
                    kind=kind,
                    user_id=user.user_id,
                    device_id=device_id,
                    issued_at=now,
                    expires_at=now + ttl,
                )
            )
        return TokenResponse(
            access_token=access,
            access_expires_in=int(self.settings.access_ttl.total_seconds()),
            refresh_token=refresh,
            refresh_expires_in=int(self.settings.refresh_ttl.total_seconds()),
            user=user.name,
            role=user.role,  # type: ignore[arg-type]
            team=user.team,
        )

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.settings.password_hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    # ------------------------------------------------------------------ every request

    def authenticate(self, bearer: str | None) -> Principal:
        """The caller behind an access token; a revoked device gets the wipe answer first."""
        if not bearer:
            raise NotAuthenticated("Sign in first: this request needs an access token.")
        now = self.settings.clock()
        with self.db.reading() as s:
            row = s.execute(
                select(Token, User, Device)
                .join(User, User.user_id == Token.user_id)
                .join(Device, Device.device_id == Token.device_id)
                .where(Token.token_hash == token_hash(bearer))
            ).first()
            if row is None or row.Token.kind != "access":
                raise NotAuthenticated("The access token is not valid: sign in again.")
            token, user, device = row.Token, row.User, row.Device
            if device.revoked_at is not None:
                raise DeviceRevoked()
            if token.revoked_at is not None or token.expires_at <= now:
                raise NotAuthenticated(
                    "The access token has expired: refresh it or sign in again.",
                    code="token_expired",
                )
            if user.disabled:
                raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials")
            return Principal(user.user_id, user.name, user.role, user.team, device.device_id)

    def revoke_device(self, device_id: str) -> bool:
        """Revoke a device: its tokens stop working and its next request is told to wipe."""
        now = self.settings.clock()
        with self.db.writing() as s:
            device = s.get(Device, device_id)
            if device is None:
                return False
            if device.revoked_at is None:
                device.revoked_at = now
            s.execute(
                update(Token)
                .where(Token.device_id == device_id, Token.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return True
