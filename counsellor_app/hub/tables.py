"""The hub's tables (SQLAlchemy 2 typed models); Alembic migrations live in db/hub/.

Entities are kept as their wire JSON (``body``, the protocol model of ``counsellor_app.protocol``)
beside the columns the hub queries and authorises on, so the change feed can hand them out
without re-encoding.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only makes an INTEGER PRIMARY KEY the rowid; BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always read back aware (UTC), on every engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("The hub stores only time-zone-aware timestamps.")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"
    team_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "users"
    user_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(ForeignKey("teams.team_id"), nullable=True)
    institution: Mapped[str | None] = mapped_column(String(200), nullable=True)
    research_domain: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class Device(Base):
    __tablename__ = "devices"
    device_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_login: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Token(Base):
    """A bearer token, kept only as its SHA-256 (tokens are 256-bit random, so no stretching)."""

    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # access | refresh
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ParticipantRow(Base):
    __tablename__ = "participants"
    participant_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    team: Mapped[str] = mapped_column(ForeignKey("teams.team_id"), index=True)
    body: Mapped[str] = mapped_column(Text)


class CaseRow(Base):
    __tablename__ = "cases"
    case_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.participant_id"), index=True
    )
    body: Mapped[str] = mapped_column(Text)


class ResultRow(Base):
    __tablename__ = "results"
    result_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.participant_id"), index=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    body: Mapped[str] = mapped_column(Text)


class RequestRow(Base):
    __tablename__ = "requests"
    request_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.participant_id"), index=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    submitted_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.user_id"), nullable=True, index=True
    )
    body: Mapped[str] = mapped_column(Text)


class ConsentDecisionRow(Base):
    __tablename__ = "consent_decisions"
    decision_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.participant_id"), index=True
    )
    body: Mapped[str] = mapped_column(Text)


class LetterRecordRow(Base):
    __tablename__ = "letter_records"
    letter_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.participant_id"), index=True
    )
    body: Mapped[str] = mapped_column(Text)


class ChangeRow(Base):
    """The change log: one row per (team, entity), renumbered each time the entity changes.

    ``seq`` never goes backwards and is never reused (AUTOINCREMENT on SQLite, an identity on
    PostgreSQL); see ``change_log.py`` for why numbering follows commit order.
    """

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_team_seq", "team", "seq"),
        Index("ix_changes_team_entity", "team", "kind", "entity_id"),
        Index("ix_changes_participant", "participant_id"),
        {"sqlite_autoincrement": True},
    )
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team: Mapped[str] = mapped_column(String(100))
    participant_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(100))


class OutboxItemRow(Base):
    """Every outbox item the hub answered, by its UUID: the idempotency record (rule 6, H7)."""

    __tablename__ = "outbox_items"
    item_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    device_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    body_sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AuditRow(Base):
    """Who read or changed which participant's records, and when (never an identifier)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_at", "at"),)
    event_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    device_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    action: Mapped[str] = mapped_column(String(50))
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(100))
    participant_id: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
