"""Recording consent: the decision, its outbox item and its audit row in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.consent_ledger import ConsentLedger, check_new_decision
from counsellor_app.domain.errors import ConsentRefused
from counsellor_app.domain.participant import LifeStatus
from counsellor_app.store.audit_log import add_audit
from counsellor_app.store.errors import NotFound
from counsellor_app.store.mapping import decision_payload, decision_values, to_decision
from counsellor_app.store.outbox import OutboxKind, enqueue, utc_now
from counsellor_app.store.summary import refresh_summary
from counsellor_app.store.tables import ConsentDecisionRow, ParticipantRow, RequestRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecordedDecision:
    """What ``record_consent`` did: the decision as stored, and whether it was new."""

    decision: ConsentDecision
    created: bool
    outbox_id: str | None


def participant_ledger(session: Session, participant_id: str) -> ConsentLedger:
    """The consent ledger of one participant, from the cache."""
    person = session.execute(
        select(
            ParticipantRow.date_of_birth, ParticipantRow.life_status, ParticipantRow.date_of_death
        ).where(ParticipantRow.participant_id == participant_id)
    ).one_or_none()
    if person is None:
        raise NotFound("No participant with that id is in the cache. Check the id, or sync.")
    rows = session.scalars(
        select(ConsentDecisionRow).where(ConsentDecisionRow.participant_id == participant_id)
    )
    return ConsentLedger(
        [to_decision(row) for row in rows],
        date_of_birth=person.date_of_birth,
        life_status=LifeStatus(person.life_status),
        date_of_death=person.date_of_death,
        participant_id=participant_id,
    )


def record_consent(
    session: Session,
    decision: ConsentDecision,
    *,
    actor: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> RecordedDecision:
    """Record a new decision, with its outbox item and audit row, in the caller's transaction.

    Use inside ``cache.write()`` so the three rows commit together or not at all. A decision
    already recorded (same id or same content: rule 6) is not recorded again. A decision the
    rules refuse raises ConsentRefused and writes nothing.
    """
    at = now or utc_now()
    day = today or at.date()
    ledger = participant_ledger(session, decision.participant_id)
    if ledger.is_recorded(decision):
        existing = _existing(session, decision)
        return RecordedDecision(existing or decision, False, None)
    check_new_decision(ledger, decision, day)
    if decision.request_id is not None:
        owner = session.execute(
            select(RequestRow.participant_id).where(RequestRow.request_id == decision.request_id)
        ).scalar_one_or_none()
        if owner is None:
            raise NotFound(
                "No request with that id is in the cache. Check the request id, or sync first."
            )
        if owner != decision.participant_id:
            raise ConsentRefused(
                "That request belongs to another participant: a decision for one request "
                "never covers another. Open the right case and record it there."
            )
    if decision.supersedes is not None and not any(
        e.decision_id == decision.supersedes for e in ledger.timeline()
    ):
        raise NotFound("The decision this one corrects is not in this participant's record.")
    session.add(ConsentDecisionRow(**decision_values(decision)))
    outbox_id = enqueue(
        session,
        OutboxKind.CONSENT_DECISION,
        {"decision": decision_payload(decision)},
        record_type="consent",
        record_id=decision.decision_id,
        participant_id=decision.participant_id,
        now=at,
    )
    add_audit(
        session,
        actor=actor,
        action="consent.recorded",
        record_type="consent",
        record_id=decision.decision_id,
        participant_id=decision.participant_id,
        detail=f"{decision.scope.value}: {decision.decision.value}",
        at=at,
    )
    session.flush()
    refresh_summary(session, [decision.participant_id], today=day)
    log.info(
        "consent decision %s recorded for participant %s: %s %s (outbox item %s)",
        decision.decision_id,
        decision.participant_id,
        decision.scope.value,
        decision.decision.value,
        outbox_id,
    )
    return RecordedDecision(decision, True, outbox_id)


def resolve_conflict(
    session: Session,
    decision_id: str,
    *,
    actor: str,
    note: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ConsentDecision:
    """A person resolved a conflict the hub flagged (rule 5); letters are no longer blocked."""
    at = now or utc_now()
    row = session.get(ConsentDecisionRow, decision_id)
    if row is None:
        raise NotFound("No consent decision with that id is in the cache.")
    if not row.conflict:
        raise ConsentRefused("This decision has no conflict to resolve.")
    if not note.strip():
        raise ConsentRefused("Say how the conflict was resolved before marking it resolved.")
    session.execute(
        update(ConsentDecisionRow)
        .where(ConsentDecisionRow.decision_id == decision_id)
        .values(conflict_resolved=True)
    )
    enqueue(
        session,
        OutboxKind.CONFLICT_RESOLVED,
        {"decision_id": decision_id, "note": note.strip(), "resolved_at": at.isoformat()},
        record_type="consent",
        record_id=decision_id,
        participant_id=row.participant_id,
        now=at,
    )
    add_audit(
        session,
        actor=actor,
        action="consent.conflict_resolved",
        record_type="consent",
        record_id=decision_id,
        participant_id=row.participant_id,
        at=at,
    )
    session.flush()
    session.refresh(row)
    refresh_summary(session, [row.participant_id], today=today or at.date())
    return to_decision(row)


def _existing(session: Session, decision: ConsentDecision) -> ConsentDecision | None:
    row = session.get(ConsentDecisionRow, decision.decision_id)
    if row is None:
        key = decision_values(decision)["content_key"]
        row = session.scalars(
            select(ConsentDecisionRow).where(ConsentDecisionRow.content_key == key)
        ).first()
    return to_decision(row) if row is not None else None
