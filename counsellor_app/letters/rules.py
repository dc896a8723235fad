"""Whether a letter may be written, and about what: consent (H1, H2), subject (H4), recipient.

Every refusal is a plain sentence naming the rule and the deciding decision (by role and date,
never a patient identifier), so the CLI and the batch report can show it as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision
from counsellor_app.domain.consent_ledger import AGE_OF_OWN_CONSENT, Answer, ConsentLedger
from counsellor_app.domain.errors import ConsentRefused, DomainError
from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import (
    LetterFormat,
    Representative,
    RepresentativeKind,
)
from counsellor_app.domain.request import CollaborationRequest, RequestKind, RequestStatus
from counsellor_app.domain.result import CounsellorState, Result, ResultKind, ReviewStage
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.spec import REQUESTS_FOR_KIND, LetterSpec

# An adult's representative is preferred in this order; a child's is their parent or guardian.
_ADULT_REPRESENTATIVES = (
    RepresentativeKind.LASTING_POWER_OF_ATTORNEY,
    RepresentativeKind.CONSULTEE,
)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A letter that may be written: every default chosen, every subject found and checked."""

    kind: LetterKind
    recipient: Recipient
    letter_format: LetterFormat
    representative: Representative | None
    result: Result | None = None
    previous_result: Result | None = None
    request: CollaborationRequest | None = None
    decision: ConsentDecision | None = None
    withdrawal_confirmation: bool = False


def resolve(
    record: CaseRecord,
    spec: LetterSpec,
    on: dt.date,
    *,
    ledger: ConsentLedger | None = None,
    confirmed_decisions: Collection[str] = (),
) -> Resolved:
    """Check every rule for ``spec`` against ``record`` on day ``on``; raise if any says no.

    ``confirmed_decisions`` holds the ids of decisions that already have a final or sent
    confirmation letter (a withdrawal is confirmed once).
    """
    ledger = ledger or record.ledger()
    participant = record.participant
    if participant.is_deceased:
        raise ConsentRefused(
            "No letter can be written: the participant is recorded as deceased. "
            "Letters to relatives are written outside this workflow."
        )
    recipient = spec.recipient or default_recipient(record, on)
    representative = _representative(record, spec, recipient, on)
    letter_format = spec.letter_format or participant.communication.preferred_format
    base = Resolved(spec.kind, recipient, letter_format, representative)
    if spec.kind is LetterKind.CONSENT_CONFIRMATION:
        return _confirmation(record, spec, on, ledger, base, confirmed_decisions)
    _require(ledger.may_contact_for_results(on), "No letter can be written")
    if spec.kind in (LetterKind.RESULT, LetterKind.ADDITIONAL_FINDINGS):
        return _result_letter(record, spec, ledger, on, base)
    return _request_letter(record, spec, ledger, on, base)


def default_recipient(record: CaseRecord, on: dt.date) -> Recipient:
    """A child's letters go to their parent or guardian; an adult with an attorney or consultee
    recorded, to them; everyone else is written to directly."""
    participant = record.participant
    kinds = {rep.kind for rep in participant.representatives}
    child = participant.age_on(on) < AGE_OF_OWN_CONSENT
    if child and RepresentativeKind.PARENT_OR_GUARDIAN in kinds:
        return Recipient.REPRESENTATIVE
    if kinds & set(_ADULT_REPRESENTATIVES):
        return Recipient.REPRESENTATIVE
    return Recipient.PARTICIPANT


def _representative(
    record: CaseRecord, spec: LetterSpec, recipient: Recipient, on: dt.date
) -> Representative | None:
    participant = record.participant
    child = participant.age_on(on) < AGE_OF_OWN_CONSENT
    reps = participant.representatives
    if recipient is Recipient.CLINICIAN:
        raise DomainError(
            "Letters to other clinicians are not written here: choose the participant, "
            "their representative or the GP."
        )
    if recipient is Recipient.PARTICIPANT:
        if child and any(r.kind is RepresentativeKind.PARENT_OR_GUARDIAN for r in reps):
            raise DomainError(
                "The participant is under 16: write to their parent or guardian instead "
                "(recipient: representative)."
            )
        return None
    if recipient is Recipient.GP and participant.gp is None:
        raise DomainError(
            "No GP is recorded for this participant, so there is no GP copy to make. "
            "Add the GP to the record first."
        )
    if recipient is Recipient.GP:
        # The GP receives a copy of the letter the patient side receives.
        side = default_recipient(record, on)
        if side is Recipient.PARTICIPANT:
            return None
        return _representative(record, spec, side, on)
    if not reps:
        raise DomainError(
            "No representative is recorded for this participant, so a letter to a "
            "representative cannot be written. Record the representative first, or write to "
            "the participant."
        )
    if spec.representative_id is not None:
        chosen = next((r for r in reps if r.representative_id == spec.representative_id), None)
        if chosen is None:
            raise DomainError(
                f"Representative {spec.representative_id} is not recorded for this participant."
            )
    elif child:
        chosen = next((r for r in reps if r.kind is RepresentativeKind.PARENT_OR_GUARDIAN), None)
        chosen = chosen or reps[0]
    else:
        chosen = next((r for kind in _ADULT_REPRESENTATIVES for r in reps if r.kind is kind), None)
        chosen = chosen or reps[0]
    if chosen.kind is RepresentativeKind.PARENT_OR_GUARDIAN and not child:
        raise DomainError(
            "The participant is 16 or over, so a parent or guardian no longer speaks for them "
            "(consent rule 4): write to the participant, or record the attorney or consultee "
            "who now acts for them."
        )
    return chosen


def _result_letter(
    record: CaseRecord, spec: LetterSpec, ledger: ConsentLedger, on: dt.date, base: Resolved
) -> Resolved:
    additional = spec.kind is LetterKind.ADDITIONAL_FINDINGS
    result = _find_result(record, spec, additional)
    if result.is_superseded:
        raise DomainError(
            f"Result {result.result_id} has been replaced by a later report "
            f"({result.superseded_by}): a superseded report cannot be the subject of a new "
            "letter. Write about the current report instead."
        )
    if result.is_additional_finding and not additional:
        raise DomainError(
            f"Result {result.result_id} is an additional finding: use the additional-findings "
            "letter, which checks that the participant agreed to receive them."
        )
    if additional and not result.is_additional_finding:
        raise DomainError(
            f"Result {result.result_id} is not an additional finding: use the result letter."
        )
    if additional:
        _require(
            ledger.may_share_additional_findings(on),
            "No additional findings letter can be written",
        )
    if not _may_be_told(result):
        raise DomainError(
            f"Result {result.result_id} is a researcher-identified variant whose report has not "
            "been re-issued by the laboratory: it cannot be given to the family until it is."
        )
    previous = record.result(result.supersedes) if result.supersedes else None
    return Resolved(
        base.kind,
        base.recipient,
        base.letter_format,
        base.representative,
        result=result,
        previous_result=previous,
    )


def _find_result(record: CaseRecord, spec: LetterSpec, additional: bool) -> Result:
    if spec.result_id is not None:
        result = record.result(spec.result_id)
        if result is None or result.case_id != record.case.case_id:
            raise DomainError(
                f"Result {spec.result_id} does not belong to case {record.case.case_id}. "
                "Check the result id."
            )
        return result
    current = [
        r
        for r in record.results
        if not r.is_superseded and r.is_additional_finding is additional and _may_be_told(r)
    ]
    if len(current) > 1:
        # Prefer what the family has not yet been told about.
        untold = [r for r in current if r.counsellor_state is not CounsellorState.PATIENT_INFORMED]
        current = untold or current
    if len(current) == 1:
        return current[0]
    what = "additional finding" if additional else "result"
    if not current:
        raise DomainError(f"Case {record.case.case_id} has no current {what} to write about.")
    raise DomainError(
        f"Case {record.case.case_id} has {len(current)} current {what}s: choose one with --result."
    )


def _may_be_told(result: Result) -> bool:
    """A researcher-identified variant reaches the family only once its report is re-issued."""
    return result.kind is not ResultKind.RESEARCHER_IDENTIFIED or (
        result.review_stage is ReviewStage.REPORT_REISSUED
    )


def _request_letter(
    record: CaseRecord, spec: LetterSpec, ledger: ConsentLedger, on: dt.date, base: Resolved
) -> Resolved:
    allowed_kinds = REQUESTS_FOR_KIND[spec.kind]
    request = _find_request(record, spec, allowed_kinds)
    if request.kind not in allowed_kinds:
        raise DomainError(
            f"Request {request.request_id} is a {request.kind.value.replace('_', ' ')} request, "
            f"which the {spec.kind.value} letter is not for."
        )
    if request.status in (RequestStatus.DECLINED, RequestStatus.CLOSED):
        raise DomainError(
            f"Request {request.request_id} is {request.status.value}: no letter is sent about it."
        )
    if spec.kind is LetterKind.SAMPLE:
        # Arranging the sample releases it (rule 3): a grant for this very request is needed.
        _require(
            ledger.may_act_on_request(
                request.request_id,
                request.kind.consent_scope,
                on,
                research_contact=request.kind.is_research_contact,
            ),
            "No sample letter can be written",
        )
    else:
        # An invitation asks for consent, so it needs contact about this kind of request.
        _require(
            ledger.may_contact_about_request(request.kind, on),
            f"No {spec.kind.value} letter can be written",
        )
        if request.status is RequestStatus.ACCEPTED:
            raise DomainError(
                f"Request {request.request_id} has already been accepted: send a "
                "consent-confirmation letter instead of a new invitation."
            )
    return Resolved(
        base.kind, base.recipient, base.letter_format, base.representative, request=request
    )


def _find_request(
    record: CaseRecord, spec: LetterSpec, allowed: frozenset[RequestKind]
) -> CollaborationRequest:
    if spec.request_id is not None:
        request = record.request(spec.request_id)
        if request is None or request.case_id != record.case.case_id:
            raise DomainError(
                f"Request {spec.request_id} does not belong to case {record.case.case_id}. "
                "Check the request id."
            )
        return request
    open_requests = [
        r
        for r in record.requests
        if r.kind in allowed and r.status not in (RequestStatus.DECLINED, RequestStatus.CLOSED)
    ]
    if len(open_requests) == 1:
        return open_requests[0]
    if not open_requests:
        raise DomainError(
            f"Case {record.case.case_id} has no open request for a {spec.kind.value} letter."
        )
    raise DomainError(
        f"Case {record.case.case_id} has {len(open_requests)} open requests for a "
        f"{spec.kind.value} letter: choose one with --request."
    )


def _confirmation(
    record: CaseRecord,
    spec: LetterSpec,
    on: dt.date,
    ledger: ConsentLedger,
    base: Resolved,
    confirmed_decisions: Collection[str],
) -> Resolved:
    decision = _find_decision(record, spec, ledger)
    if ledger.is_superseded(decision.decision_id):
        raise DomainError(
            f"Decision {decision.decision_id} was corrected by a later one: confirm the later "
            "decision instead."
        )
    contact = ledger.may_contact_for_results(on)
    withdrawal = _is_withdrawal_in_force(decision, contact.deciding)
    if not contact and not withdrawal:
        _require(contact, "No consent confirmation can be written")
    if withdrawal:
        # A living participant who withdrew is sent ONE letter confirming the withdrawal itself,
        # so that they can check it was recorded right (the reason for every confirmation). It
        # is the only contact that honours the decision, and it says no more will follow. A
        # conflict still holds it (rule 5), and it is never sent twice.
        if ledger.conflicts():
            raise ConsentRefused(
                "No consent confirmation can be written: a decision recorded offline is in "
                "conflict with one recorded elsewhere, and letters are held until a person "
                "resolves it."
            )
        if decision.decision_id in confirmed_decisions:
            raise ConsentRefused(
                f"Decision {decision.decision_id} is a withdrawal whose confirmation has already "
                "been sent: a withdrawn participant is sent that one letter only."
            )
    return Resolved(
        base.kind,
        base.recipient,
        base.letter_format,
        base.representative,
        request=record.request(decision.request_id) if decision.request_id else None,
        decision=decision,
        withdrawal_confirmation=withdrawal,
    )


def _is_withdrawal_in_force(decision: ConsentDecision, deciding: ConsentDecision | None) -> bool:
    return (
        decision.scope is ConsentScope.PROGRAMME
        and decision.decision is Decision.WITHDRAWN
        and deciding is not None
        and deciding.decision_id == decision.decision_id
    )


def _find_decision(record: CaseRecord, spec: LetterSpec, ledger: ConsentLedger) -> ConsentDecision:
    if spec.decision_id is not None:
        decision = record.decision(spec.decision_id)
        if decision is None or decision.participant_id != record.participant.participant_id:
            raise DomainError(
                f"Decision {spec.decision_id} is not recorded for this participant. "
                "Check the decision id."
            )
        return decision
    timeline = [
        d for d in ledger.timeline() if spec.request_id is None or d.request_id == spec.request_id
    ]
    if not timeline:
        raise DomainError("No consent decision is recorded to confirm for this case.")
    return timeline[-1]


def _require(answer: Answer, what: str) -> None:
    if not answer.allowed:
        raise ConsentRefused(f"{what}. {answer.reason}")
