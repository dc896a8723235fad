"""Result and request workflow steps in the cache: state change, outbox item and audit row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from counsellor_app.domain.request import CollaborationRequest, RequestStatus
from counsellor_app.domain.result import CounsellorState, InformedHow, Result
from counsellor_app.domain.workflow import advance_request, advance_result
from counsellor_app.store.audit_log import add_audit
from counsellor_app.store.consent_repo import participant_ledger
from counsellor_app.store.errors import NotFound
from counsellor_app.store.mapping import to_request, to_result
from counsellor_app.store.outbox import OutboxKind, enqueue, utc_now
from counsellor_app.store.summary import refresh_summary
from counsellor_app.store.tables import RequestRow, ResultRow


def mark_result(
    session: Session,
    result_id: str,
    to: CounsellorState,
    *,
    actor: str,
    informed_how: InformedHow | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Result:
    """Mark a result reviewed, or the patient informed (saying how), in the caller's transaction.

    Illegal steps (for instance telling a patient about a superseded report) raise
    InvalidTransition and write nothing.
    """
    at = now or utc_now()
    row = session.get(ResultRow, result_id)
    if row is None:
        raise NotFound("No result with that id is in the cache. Check the id, or sync.")
    moved = advance_result(to_result(row), CounsellorState(to), informed_how)
    row.counsellor_state = moved.counsellor_state.value
    row.informed_how = moved.informed_how.value if moved.informed_how else None
    enqueue(
        session,
        OutboxKind.RESULT_STATE,
        {
            "result_id": result_id,
            "counsellor_state": moved.counsellor_state.value,
            "informed_how": row.informed_how,
            "at": at.isoformat(),
            "by": actor,
        },
        record_type="result",
        record_id=result_id,
        participant_id=row.participant_id,
        now=at,
    )
    add_audit(
        session,
        actor=actor,
        action=f"result.{moved.counsellor_state.value}",
        record_type="result",
        record_id=result_id,
        participant_id=row.participant_id,
        detail=f"informed by {row.informed_how}" if row.informed_how else None,
        at=at,
    )
    session.flush()
    refresh_summary(session, [row.participant_id], today=today or at.date())
    return moved


def respond_to_request(
    session: Session,
    request_id: str,
    to: RequestStatus,
    response: str | None = None,
    *,
    actor: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> CollaborationRequest:
    """Move a collaboration request on (with the response the requester gets).

    Accepting a request that goes beyond existing consent needs a grant for that very request
    in the participant's ledger (rule 3); the domain workflow refuses otherwise.
    """
    at = now or utc_now()
    day = today or at.date()
    row = session.get(RequestRow, request_id)
    if row is None:
        raise NotFound("No request with that id is in the cache. Check the id, or sync.")
    request = to_request(row)
    ledger = participant_ledger(session, row.participant_id)
    consent = ledger.may_act_on_request(
        request_id,
        request.kind.consent_scope,
        day,
        research_contact=request.kind.is_research_contact,
    )
    moved = advance_request(request, RequestStatus(to), response, consent=consent)
    row.status = moved.status.value
    row.response = moved.response
    enqueue(
        session,
        OutboxKind.REQUEST_RESPONSE,
        {
            "request_id": request_id,
            "status": moved.status.value,
            "response": moved.response,
            "at": at.isoformat(),
            "by": actor,
        },
        record_type="request",
        record_id=request_id,
        participant_id=row.participant_id,
        now=at,
    )
    add_audit(
        session,
        actor=actor,
        action=f"request.{moved.status.value}",
        record_type="request",
        record_id=request_id,
        participant_id=row.participant_id,
        at=at,
    )
    session.flush()
    refresh_summary(session, [row.participant_id], today=day)
    return moved
