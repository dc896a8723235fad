"""Reads and writes of the record dialogs: one snapshot to show, one transaction per save."""

from __future__ import annotations

from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.request import CollaborationRequest, RequestStatus
from counsellor_app.domain.result import CounsellorState, InformedHow, Result
from counsellor_app.store.case_detail import CaseRecord, load_case
from counsellor_app.store.consent_repo import record_consent
from counsellor_app.store.errors import NotFound
from counsellor_app.store.tables import RequestRow, ResultRow
from counsellor_app.store.workflow_repo import mark_result, respond_to_request
from counsellor_app.ui.context import AppContext


def load_record(context: AppContext, participant_id: str) -> CaseRecord:
    """The participant's whole record in one consistent snapshot (no audit trail needed here)."""
    with context.cache.read() as session:
        return load_case(session, participant_id, audit_limit=0)


def save_decision(context: AppContext, decision: ConsentDecision) -> str:
    """Writes the decision, its outbox row and an audit row in one transaction.

    Returns the id the decision is kept under: an earlier identical decision's id when it was
    already recorded (rule 6). A decision the rules refuse raises ConsentRefused.
    """
    with context.cache.write() as session:
        recorded = record_consent(
            session, decision, actor=context.user_name, today=context.today(), now=context.now()
        )
    return recorded.decision.decision_id


def save_request_step(
    context: AppContext, request_id: str, to: RequestStatus, response: str | None
) -> CollaborationRequest:
    """Moves a request on (status, response, outbox row, audit row) in one transaction."""
    with context.cache.write() as session:
        return respond_to_request(
            session,
            request_id,
            to,
            response,
            actor=context.user_name,
            today=context.today(),
            now=context.now(),
        )


def save_result_step(
    context: AppContext, result_id: str, to: CounsellorState, informed_how: InformedHow | None
) -> Result:
    """Marks a result reviewed or told to the patient (with outbox and audit rows)."""
    with context.cache.write() as session:
        return mark_result(
            session,
            result_id,
            to,
            actor=context.user_name,
            informed_how=informed_how,
            today=context.today(),
            now=context.now(),
        )


def participant_of_request(context: AppContext, request_id: str) -> str:
    """The participant a request is about."""
    with context.cache.read() as session:
        row = session.get(RequestRow, request_id)
        if row is None:
            raise NotFound("That request is no longer in the cache. Sync, then try again.")
        return row.participant_id


def participant_of_result(context: AppContext, result_id: str) -> str:
    """The participant a result belongs to."""
    with context.cache.read() as session:
        row = session.get(ResultRow, result_id)
        if row is None:
            raise NotFound("That result is no longer in the cache. Sync, then try again.")
        return row.participant_id
