"""One participant's whole record, read in one snapshot, for the case view and letters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from counsellor_app.domain.audit import AuditEvent
from counsellor_app.domain.case import Case
from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.letter import LetterRecord
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import Result
from counsellor_app.store.audit_log import audit_for_participant
from counsellor_app.store.errors import NotFound
from counsellor_app.store.mapping import (
    to_case,
    to_decision,
    to_letter_record,
    to_participant,
    to_request,
    to_result,
)
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    LetterRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """Everything the cache holds about one participant (letters without their PDF bytes)."""

    participant: Participant
    cases: tuple[Case, ...]
    results: tuple[Result, ...]  # by case, then report version
    requests: tuple[CollaborationRequest, ...]  # by date received
    decisions: tuple[ConsentDecision, ...]  # in the ledger's fold order
    letters: tuple[LetterRecord, ...]  # newest first
    audit: tuple[AuditEvent, ...]  # newest first

    @property
    def ledger(self) -> ConsentLedger:
        return ConsentLedger.for_participant(self.participant, self.decisions)

    def result(self, result_id: str) -> Result:
        for result in self.results:
            if result.result_id == result_id:
                return result
        raise NotFound("That result is not part of this case.")

    def request(self, request_id: str) -> CollaborationRequest:
        for request in self.requests:
            if request.request_id == request_id:
                return request
        raise NotFound("That request is not part of this case.")


def resolve_participant_id(session: Session, case_or_participant_id: str) -> str:
    """The participant id for a case id or a participant id (as typed on a command line)."""
    wanted = case_or_participant_id.strip()
    found = session.execute(
        select(ParticipantRow.participant_id).where(ParticipantRow.participant_id == wanted)
    ).scalar_one_or_none()
    if found is None:
        found = session.execute(
            select(CaseEntityRow.participant_id).where(CaseEntityRow.case_id == wanted)
        ).scalar_one_or_none()
    if found is None:
        raise NotFound(
            "No case or participant with that id is in the cache. Check the id "
            "(counsellor-app cases --search …), or sync."
        )
    return found


def load_case(session: Session, participant_id: str, *, audit_limit: int = 500) -> CaseRecord:
    """The whole record of one participant. Call inside ``cache.read()`` for one snapshot."""
    person = session.scalars(
        select(ParticipantRow)
        .options(selectinload(ParticipantRow.representatives))
        .where(ParticipantRow.participant_id == participant_id)
    ).one_or_none()
    if person is None:
        raise NotFound("No participant with that id is in the cache. Check the id, or sync.")
    cases = session.scalars(
        select(CaseEntityRow)
        .where(CaseEntityRow.participant_id == participant_id)
        .order_by(CaseEntityRow.opened_on, CaseEntityRow.case_id)
    ).all()
    results = session.scalars(
        select(ResultRow)
        .options(selectinload(ResultRow.variants))
        .where(ResultRow.participant_id == participant_id)
        .order_by(ResultRow.case_id, ResultRow.report_version, ResultRow.issued_on)
    ).all()
    requests = session.scalars(
        select(RequestRow)
        .where(RequestRow.participant_id == participant_id)
        .order_by(RequestRow.received_on, RequestRow.request_id)
    ).all()
    decisions = session.scalars(
        select(ConsentDecisionRow).where(ConsentDecisionRow.participant_id == participant_id)
    ).all()
    letters = session.scalars(
        select(LetterRow)
        .options(defer(LetterRow.pdf))
        .where(LetterRow.participant_id == participant_id)
        .order_by(LetterRow.generated_at.desc(), LetterRow.letter_id)
    ).all()
    return CaseRecord(
        participant=to_participant(person),
        cases=tuple(to_case(c) for c in cases),
        results=tuple(to_result(r) for r in results),
        requests=tuple(to_request(q) for q in requests),
        decisions=tuple(sorted((to_decision(d) for d in decisions), key=lambda d: d.sort_key())),
        letters=tuple(to_letter_record(row) for row in letters),
        audit=tuple(audit_for_participant(session, participant_id, limit=audit_limit)),
    )
