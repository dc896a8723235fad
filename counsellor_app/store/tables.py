"""Typed SQLAlchemy tables of the encrypted cache (one row class per domain entity, plus sync)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_NO_OFFSET = dt.timedelta(0)


def utc_text(value: dt.datetime) -> str:
    """An aware datetime as the sortable UTC ISO text the cache stores (microseconds always);
    a naive datetime is refused."""
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("a naive datetime cannot be stored: give it a time zone")
    if offset != _NO_OFFSET:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime kept as sortable UTC ISO text; naive datetimes are refused."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else utc_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return dt.datetime.fromisoformat(str(value)).astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


PARTICIPANT_FK = "participants.participant_id"


class ParticipantRow(Base):
    """A participant, with the denormalised columns the case list sorts and filters on."""

    __tablename__ = "participants"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    participant_id: Mapped[str] = mapped_column(String(64), unique=True)
    nhs_number: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str | None] = mapped_column(String(32))
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date] = mapped_column(Date, index=True)
    life_status: Mapped[str] = mapped_column(String(16))
    date_of_death: Mapped[dt.date | None] = mapped_column(Date)
    address_lines: Mapped[list[str]] = mapped_column(JSON)
    postcode: Mapped[str] = mapped_column(String(16))
    gp_name: Mapped[str | None] = mapped_column(String(200))
    gp_practice: Mapped[str | None] = mapped_column(String(200))
    gp_address_lines: Mapped[list[str] | None] = mapped_column(JSON)
    gp_postcode: Mapped[str | None] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(64), index=True)
    glh: Mapped[str] = mapped_column(String(64))
    programme: Mapped[str] = mapped_column(String(32), index=True)
    family_id: Mapped[str | None] = mapped_column(String(64), index=True)
    relationship_to_proband: Mapped[str] = mapped_column(String(16))
    comm_large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    comm_easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    comm_braille: Mapped[bool] = mapped_column(Boolean, default=False)
    comm_interpreter_language: Mapped[str | None] = mapped_column(String(64))

    # search and sort helpers (kept in step by store.mapping on every write)
    search_text: Mapped[str] = mapped_column(Text)
    sort_name: Mapped[str] = mapped_column(String(420), index=True)
    given_fold: Mapped[str] = mapped_column(String(200), index=True)
    family_fold: Mapped[str] = mapped_column(String(200), index=True)

    # case-list summary (kept in step by store.summary on every write)
    latest_result_id: Mapped[str | None] = mapped_column(String(64))
    latest_result_kind: Mapped[str | None] = mapped_column(String(32))
    latest_result_outcome: Mapped[str | None] = mapped_column(String(32), index=True)
    latest_result_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    new_result_count: Mapped[int] = mapped_column(Integer, default=0)
    open_request_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    next_request_due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    withdrawal_level: Mapped[str | None] = mapped_column(String(32))
    research_contact_declined: Mapped[bool] = mapped_column(Boolean, default=False)
    additional_findings_declined: Mapped[bool] = mapped_column(Boolean, default=False)
    # the 16th birthday when a grant still rests on a parent's decision (rule 4), else NULL:
    # "re-consent needed" is ``reconsent_from <= today``, right as time passes.
    reconsent_from: Mapped[dt.date | None] = mapped_column(Date, index=True)
    has_conflict: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    representatives: Mapped[list[RepresentativeRow]] = relationship(
        back_populates="participant",
        order_by="RepresentativeRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class RepresentativeRow(Base):
    __tablename__ = "representatives"

    representative_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey(PARTICIPANT_FK, ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column("relationship", String(64))
    address_lines: Mapped[list[str]] = mapped_column(JSON)
    postcode: Mapped[str] = mapped_column(String(16))

    participant: Mapped[ParticipantRow] = relationship(back_populates="representatives")


class CaseEntityRow(Base):
    """A case (referral); the case list's summary dataclass is ``caseload.CaseRow``."""

    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey(PARTICIPANT_FK, ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16))
    assigned_counsellor: Mapped[str | None] = mapped_column(String(200))
    opened_on: Mapped[dt.date] = mapped_column(Date)


class ResultRow(Base):
    __tablename__ = "results"

    result_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.case_id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey(PARTICIPANT_FK, ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    report_version: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    superseded_by: Mapped[str | None] = mapped_column(String(64))
    review_stage: Mapped[str | None] = mapped_column(String(32))
    counsellor_state: Mapped[str] = mapped_column(String(32), index=True)
    informed_how: Mapped[str | None] = mapped_column(String(16))

    variants: Mapped[list[VariantRow]] = relationship(
        order_by="VariantRow.position", cascade="all, delete-orphan", passive_deletes=True
    )


class VariantRow(Base):
    __tablename__ = "variants"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    result_id: Mapped[str] = mapped_column(
        ForeignKey("results.result_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    gene: Mapped[str] = mapped_column(String(64))
    transcript: Mapped[str] = mapped_column(String(64))
    hgvs_c: Mapped[str] = mapped_column(String(200))
    hgvs_p: Mapped[str | None] = mapped_column(String(200))
    zygosity: Mapped[str] = mapped_column(String(32))
    inheritance: Mapped[str] = mapped_column(String(32))
    tier: Mapped[str] = mapped_column(String(8))
    acmg_class: Mapped[str] = mapped_column(String(32))
    condition: Mapped[str | None] = mapped_column(String(300))


class RequestRow(Base):
    __tablename__ = "requests"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.case_id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey(PARTICIPANT_FK, ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_institution: Mapped[str] = mapped_column(String(200))
    requester_domain: Mapped[str] = mapped_column(String(200))
    asked: Mapped[str] = mapped_column(Text)
    beyond_existing_consent: Mapped[bool] = mapped_column(Boolean)
    received_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    response: Mapped[str | None] = mapped_column(Text)
    study_type: Mapped[str | None] = mapped_column(String(32))
    study_title: Mapped[str | None] = mapped_column(String(300))


class ConsentDecisionRow(Base):
    """An append-only consent event (a trigger refuses edits to what was decided)."""

    __tablename__ = "consent_decisions"

    decision_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey(PARTICIPANT_FK, ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))
    given_by: Mapped[str] = mapped_column(String(32))
    given_by_name: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    effective_from: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    withdrawal_level: Mapped[str | None] = mapped_column(String(32))
    request_id: Mapped[str | None] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    conflict_reason: Mapped[str | None] = mapped_column(Text)
    conflict_resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    # rule 6: the same decision (same content, any id) is recorded once
    content_key: Mapped[str] = mapped_column(String(64), unique=True)


class LetterRow(Base):
    __tablename__ = "letters"

    letter_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.case_id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey(PARTICIPANT_FK, ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    generated_by: Mapped[str] = mapped_column(String(200))
    generated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    result_id: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    decision_id: Mapped[str | None] = mapped_column(String(64))


class OutboxRow(Base):
    """A local write the hub must learn about; ``id`` is its idempotency key."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # pending | sent | applied | duplicate | rejected | conflict
    state: Mapped[str] = mapped_column(String(16), index=True)
    answer_reason: Mapped[str | None] = mapped_column(Text)
    record_type: Mapped[str | None] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(64))
    participant_id: Mapped[str | None] = mapped_column(String(64), index=True)


class SyncStateRow(Base):
    """Where pulling from one hub has got to."""

    __tablename__ = "sync_state"

    hub_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(200))
    last_synced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    user_name: Mapped[str | None] = mapped_column(String(200))
    device_id: Mapped[str | None] = mapped_column(String(200))


class AuditRow(Base):
    """One audit event: who, when, what, which record (pseudonymous ids only)."""

    __tablename__ = "audit_log"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    action: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    participant_id: Mapped[str | None] = mapped_column(String(64), index=True)


class CacheMetaRow(Base):
    """Small facts about the cache itself (created at, schema notes)."""

    __tablename__ = "cache_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# Ascending sorts with empty values last (migration 0002): ORDER BY column IS NULL, column.
for _name in ("latest_result_date", "latest_result_outcome", "next_request_due"):
    _column = getattr(ParticipantRow, _name)
    Index(f"ix_participants_{_name}_nulls_last", _column.is_(None), _column)
Index("ix_results_counsellor_state_issued_on", ResultRow.counsellor_state, ResultRow.issued_on)
Index("ix_requests_status_due_on", RequestRow.status, RequestRow.due_on)
