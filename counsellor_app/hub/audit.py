"""The hub's audit trail: who read or changed which participant's records, and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from counsellor_app.hub.auth import Principal
from counsellor_app.hub.tables import AuditRow
from counsellor_app.protocol.admin import AuditEventView, AuditPage


def record(
    session: Session,
    who: Principal,
    at: dt.datetime,
    action: str,
    record_type: str,
    record_id: str,
    participant_id: str | None,
    detail: str | None = None,
) -> None:
    """One event. ``detail`` must never hold a patient identifier."""
    session.add(
        AuditRow(
            at=at,
            actor=who.name,
            role=who.role,
            device_id=who.device_id,
            action=action,
            record_type=record_type,
            record_id=record_id,
            participant_id=participant_id,
            detail=detail,
        )
    )


def record_reads(
    session: Session, who: Principal, at: dt.datetime, action: str, participant_ids: Iterable[str]
) -> None:
    """One ``action`` event per participant whose records were handed to ``who``."""
    rows = [
        {
            "at": at,
            "actor": who.name,
            "role": who.role,
            "device_id": who.device_id,
            "action": action,
            "record_type": "participant",
            "record_id": pid,
            "participant_id": pid,
        }
        for pid in sorted(participant_ids)
    ]
    if rows:
        session.connection().execute(insert(AuditRow), rows)


def page(
    session: Session,
    *,
    after: int = 0,
    limit: int = 500,
    participant_id: str | None = None,
    actor: str | None = None,
) -> AuditPage:
    query = select(AuditRow).where(AuditRow.event_id > after)
    if participant_id is not None:
        query = query.where(AuditRow.participant_id == participant_id)
    if actor is not None:
        query = query.where(AuditRow.actor == actor)
    rows = session.scalars(query.order_by(AuditRow.event_id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        events=[
            AuditEventView(
                event_id=r.event_id,
                at=r.at,
                actor=r.actor,
                role=r.role,
                device_id=r.device_id,
                action=r.action,
                record_type=r.record_type,
                record_id=r.record_id,
                participant_id=r.participant_id,
                detail=r.detail,
            )
            for r in rows
        ],
        next_after=rows[-1].event_id if rows else after,
        more=more,
    )
