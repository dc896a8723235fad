"""The one case record a letter is built from: participant, case, results, requests, consent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from counsellor_app.domain.case import Case
from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import Result


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """Everything a letter may say, loaded together from the cache for one case.

    A letter never takes a name, address or variant from anywhere else (hazard H3).
    """

    participant: Participant
    case: Case
    results: tuple[Result, ...] = ()
    requests: tuple[CollaborationRequest, ...] = ()
    decisions: tuple[ConsentDecision, ...] = ()

    def ledger(self) -> ConsentLedger:
        return ConsentLedger.for_participant(self.participant, self.decisions)

    def result(self, result_id: str) -> Result | None:
        return next((r for r in self.results if r.result_id == result_id), None)

    def request(self, request_id: str) -> CollaborationRequest | None:
        return next((r for r in self.requests if r.request_id == request_id), None)

    def decision(self, decision_id: str) -> ConsentDecision | None:
        return next((d for d in self.decisions if d.decision_id == decision_id), None)


class ParticipantRecord(Protocol):
    """What the cache's ``case_detail.load_case`` returns (read-only view)."""

    @property
    def participant(self) -> Participant: ...
    @property
    def cases(self) -> tuple[Case, ...]: ...
    @property
    def results(self) -> tuple[Result, ...]: ...
    @property
    def requests(self) -> tuple[CollaborationRequest, ...]: ...
    @property
    def decisions(self) -> tuple[ConsentDecision, ...]: ...


def case_record_from(full: ParticipantRecord, case_id: str) -> CaseRecord:
    """The record of one case out of a participant's whole record: its results and requests
    only, with the participant's consent decisions (consent belongs to the person)."""
    case = next((c for c in full.cases if c.case_id == case_id), None)
    if case is None or case.participant_id != full.participant.participant_id:
        raise DomainError(f"Case {case_id} is not in the cache. Check the case id, or sync.")
    return CaseRecord(
        participant=full.participant,
        case=case,
        results=tuple(r for r in full.results if r.case_id == case_id),
        requests=tuple(q for q in full.requests if q.case_id == case_id),
        decisions=tuple(full.decisions),
    )
