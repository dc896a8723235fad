"""The local audit log: who did what to which record, and when (pseudonymous ids only)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from counsellor_app.domain.audit import AuditEvent
from counsellor_app.store.tables import AuditRow


def add_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    record_type: str,
    record_id: str,
    participant_id: str | None = None,
    detail: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Write one audit event in the caller's transaction. ``detail`` never holds an identifier."""
    event = AuditEvent(
        event_id=str(uuid.uuid4()),
        actor=actor,
        at=at or dt.datetime.now(dt.UTC),
        action=action,
        record_type=record_type,
        record_id=record_id,
        detail=detail,
    )
    session.add(
        AuditRow(
            event_id=event.event_id,
            actor=event.actor,
            at=event.at,
            action=event.action,
            record_type=event.record_type,
            record_id=event.record_id,
            detail=event.detail,
            participant_id=participant_id,
        )
    )
    return event


def to_audit_event(row: AuditRow) -> AuditEvent:
    return AuditEvent(
        event_id=row.event_id,
        actor=row.actor,
        at=row.at,
        action=row.action,
        record_type=row.record_type,
        record_id=row.record_id,
        detail=row.detail,
    )


def audit_for_participant(
    session: Session, participant_id: str, *, limit: int = 1000
) -> list[AuditEvent]:
    """A participant's audit trail, newest first."""
    statement = (
        select(AuditRow)
        .where(AuditRow.participant_id == participant_id)
        .order_by(AuditRow.at.desc(), AuditRow.event_id)
        .limit(limit)
    )
    return [to_audit_event(row) for row in session.scalars(statement)]
