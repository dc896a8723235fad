"""Result, review-trail and request state machines: every legal and illegal move."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from counsellor_app.domain.consent_ledger import Answer
from counsellor_app.domain.errors import ConsentRefused, DomainError, InvalidTransition
from counsellor_app.domain.request import (
    CollaborationRequest,
    Requester,
    RequestKind,
    RequestStatus,
)
from counsellor_app.domain.result import (
    CounsellorState,
    InformedHow,
    Result,
    ResultKind,
    ResultOutcome,
    ReviewStage,
)
from counsellor_app.domain.workflow import (
    REQUEST_STEPS,
    RESULT_STEPS,
    REVIEW_STEPS,
    advance_request,
    advance_result,
    advance_result_review,
    advance_review,
    allowed_request_steps,
    allowed_result_steps,
    allowed_review_steps,
)

R = CounsellorState
V = ReviewStage
Q = RequestStatus


def a_result(state: CounsellorState = R.NEW, **kw: object) -> Result:
    fields: dict[str, object] = {
        "result_id": "RES-1",
        "case_id": "CASE-1",
        "participant_id": "P-0001",
        "kind": ResultKind.INITIAL_ANALYSIS,
        "outcome": ResultOutcome.CONFIRMED_DIAGNOSIS,
        "report_version": 1,
        "issued_on": dt.date(2025, 5, 1),
        "summary": "Pathogenic variant explains the condition.",
        "counsellor_state": state,
    }
    fields.update(kw)
    return Result(**fields)  # type: ignore[arg-type]


def a_request(status: RequestStatus = Q.NEW, beyond: bool = False) -> CollaborationRequest:
    return CollaborationRequest(
        request_id="REQ-1",
        case_id="CASE-1",
        participant_id="P-0001",
        kind=RequestKind.RESEARCHER_COLLABORATION,
        requester=Requester("Dr Zoë Ward", "University of Leeds", "cardiology"),
        asked="Share phenotype data.",
        beyond_existing_consent=beyond,
        received_on=dt.date(2026, 10, 1),
        due_on=None,
        status=status,
    )


# ---------------------------------------------------------------- results

LEGAL_RESULT = [(R.NEW, R.REVIEWED), (R.REVIEWED, R.PATIENT_INFORMED)]


def test_result_steps_are_exactly_new_reviewed_patient_informed() -> None:
    legal = [(a, b) for a, nexts in RESULT_STEPS.items() for b in nexts]
    assert sorted(legal) == sorted(LEGAL_RESULT)


def test_result_is_reviewed() -> None:
    result = a_result()
    moved = advance_result(result, R.REVIEWED)
    assert moved.counsellor_state is R.REVIEWED
    assert result.counsellor_state is R.NEW  # the original is untouched


def test_result_marked_patient_informed_records_how() -> None:
    moved = advance_result(a_result(R.REVIEWED), R.PATIENT_INFORMED, InformedHow.PHONE)
    assert moved.counsellor_state is R.PATIENT_INFORMED
    assert moved.informed_how is InformedHow.PHONE


def test_patient_informed_needs_how() -> None:
    with pytest.raises(InvalidTransition, match="how the patient was told"):
        advance_result(a_result(R.REVIEWED), R.PATIENT_INFORMED)


def test_how_informed_is_refused_on_other_steps() -> None:
    with pytest.raises(InvalidTransition):
        advance_result(a_result(), R.REVIEWED, InformedHow.LETTER)


@pytest.mark.parametrize(
    ("now", "to"),
    [pair for pair in itertools.product(R, R) if pair not in LEGAL_RESULT],
)
def test_illegal_result_step_is_refused(now: CounsellorState, to: CounsellorState) -> None:
    with pytest.raises(InvalidTransition) as raised:
        advance_result(a_result(now), to, InformedHow.CLINIC)
    assert str(raised.value).startswith("The result is ")


def test_superseded_report_cannot_be_marked_as_told_to_the_patient() -> None:
    old = a_result(R.REVIEWED, superseded_by="RES-2")
    assert allowed_result_steps(old) == frozenset()
    with pytest.raises(InvalidTransition, match="replaced by a later version"):
        advance_result(old, R.PATIENT_INFORMED, InformedHow.LETTER)


def test_allowed_result_steps() -> None:
    assert allowed_result_steps(a_result()) == {R.REVIEWED}
    assert allowed_result_steps(a_result(R.PATIENT_INFORMED)) == frozenset()


# ---------------------------------------------------------------- researcher-identified review

LEGAL_REVIEW = [
    (V.SUBMITTED, V.CLINICAL_REVIEW),
    (V.CLINICAL_REVIEW, V.RETURNED_TO_GLH),
    (V.CLINICAL_REVIEW, V.NOT_RETURNED),
    (V.RETURNED_TO_GLH, V.GLH_ASSESSMENT),
    (V.GLH_ASSESSMENT, V.REPORT_REISSUED),
    (V.GLH_ASSESSMENT, V.NOT_CONFIRMED),
]


def test_review_trail_steps_are_exactly_the_designed_ones() -> None:
    legal = [(a, b) for a, nexts in REVIEW_STEPS.items() for b in nexts]
    assert sorted(legal) == sorted(LEGAL_REVIEW)


@pytest.mark.parametrize(("now", "to"), LEGAL_REVIEW)
def test_legal_review_step_is_taken(now: ReviewStage, to: ReviewStage) -> None:
    assert advance_review(now, to) is to
    assert to in allowed_review_steps(now)


@pytest.mark.parametrize(
    ("now", "to"),
    [pair for pair in itertools.product(V, V) if pair not in LEGAL_REVIEW],
)
def test_illegal_review_step_is_refused(now: ReviewStage, to: ReviewStage) -> None:
    with pytest.raises(InvalidTransition, match="review of the researcher-identified variant"):
        advance_review(now, to)


def test_final_review_stage_says_it_is_final() -> None:
    with pytest.raises(InvalidTransition, match="which is final"):
        advance_review(V.NOT_RETURNED, V.GLH_ASSESSMENT)


def test_researcher_identified_result_moves_along_its_trail() -> None:
    result = a_result(kind=ResultKind.RESEARCHER_IDENTIFIED, review_stage=V.SUBMITTED)
    for stage in (V.CLINICAL_REVIEW, V.RETURNED_TO_GLH, V.GLH_ASSESSMENT, V.REPORT_REISSUED):
        result = advance_result_review(result, stage)
    assert result.review_stage is V.REPORT_REISSUED


def test_only_researcher_identified_results_have_a_review_trail() -> None:
    with pytest.raises(InvalidTransition, match="Only a researcher-identified"):
        advance_result_review(a_result(), V.CLINICAL_REVIEW)


# ---------------------------------------------------------------- requests

LEGAL_REQUEST = [
    (Q.NEW, Q.UNDER_REVIEW),
    (Q.NEW, Q.CLOSED),
    (Q.UNDER_REVIEW, Q.AWAITING_PATIENT),
    (Q.UNDER_REVIEW, Q.ACCEPTED),
    (Q.UNDER_REVIEW, Q.DECLINED),
    (Q.UNDER_REVIEW, Q.CLOSED),
    (Q.AWAITING_PATIENT, Q.ACCEPTED),
    (Q.AWAITING_PATIENT, Q.DECLINED),
    (Q.AWAITING_PATIENT, Q.CLOSED),
    (Q.ACCEPTED, Q.CLOSED),
    (Q.DECLINED, Q.CLOSED),
]
GRANTED = Answer(True, "Sharing information with the researcher (request REQ-1): granted.")


def test_request_steps_are_exactly_the_designed_ones() -> None:
    legal = [(a, b) for a, nexts in REQUEST_STEPS.items() for b in nexts]
    assert sorted(legal) == sorted(LEGAL_REQUEST)


@pytest.mark.parametrize(("now", "to"), LEGAL_REQUEST)
def test_legal_request_step_is_taken(now: RequestStatus, to: RequestStatus) -> None:
    moved = advance_request(a_request(now), to, "We will share the data.", consent=GRANTED)
    assert moved.status is to
    assert moved.response == "We will share the data."


@pytest.mark.parametrize(
    ("now", "to"),
    [pair for pair in itertools.product(Q, Q) if pair not in LEGAL_REQUEST],
)
def test_illegal_request_step_is_refused(now: RequestStatus, to: RequestStatus) -> None:
    with pytest.raises(InvalidTransition, match="The request is"):
        advance_request(a_request(now), to, "Response.", consent=GRANTED)


def test_decision_on_a_request_needs_a_response() -> None:
    for to in (Q.ACCEPTED, Q.DECLINED):
        with pytest.raises(InvalidTransition, match="response the requester will receive"):
            advance_request(a_request(Q.UNDER_REVIEW), to, "   ")


def test_closing_an_undecided_request_needs_a_reason() -> None:
    with pytest.raises(InvalidTransition, match="Say why"):
        advance_request(a_request(Q.NEW), Q.CLOSED)


def test_closing_a_decided_request_keeps_its_response() -> None:
    declined = advance_request(a_request(Q.UNDER_REVIEW), Q.DECLINED, "Outside consent.")
    closed = advance_request(declined, Q.CLOSED)
    assert closed.status is Q.CLOSED
    assert closed.response == "Outside consent."


def test_request_beyond_existing_consent_must_ask_the_patient_first() -> None:
    request = a_request(Q.UNDER_REVIEW, beyond=True)
    assert Q.ACCEPTED not in allowed_request_steps(request)
    with pytest.raises(InvalidTransition, match="ask the participant first"):
        advance_request(request, Q.ACCEPTED, "Yes.", consent=GRANTED)
    assert advance_request(request, Q.DECLINED, "Not covered.").status is Q.DECLINED


def test_request_beyond_existing_consent_is_accepted_only_with_the_patients_grant() -> None:
    waiting = a_request(Q.AWAITING_PATIENT, beyond=True)
    with pytest.raises(InvalidTransition, match="check the participant's decision"):
        advance_request(waiting, Q.ACCEPTED, "Yes.")
    refused = Answer(False, "Not allowed: no decision recorded for this request.")
    with pytest.raises(ConsentRefused, match="no decision recorded"):
        advance_request(waiting, Q.ACCEPTED, "Yes.", consent=refused)
    assert advance_request(waiting, Q.ACCEPTED, "Yes.", consent=GRANTED).status is Q.ACCEPTED


def test_request_within_existing_consent_is_accepted_directly() -> None:
    request = a_request(Q.UNDER_REVIEW)
    assert Q.ACCEPTED in allowed_request_steps(request)
    assert advance_request(request, Q.ACCEPTED, "Agreed.").status is Q.ACCEPTED


def test_workflow_errors_are_domain_errors_for_people() -> None:
    with pytest.raises(DomainError, match="already new"):
        advance_request(a_request(Q.NEW), Q.NEW)
