"""Workflow state machines for results and requests; illegal moves raise InvalidTransition.

- A result, on the clinical team's side: new → reviewed → patient_informed (saying how). A
  superseded report cannot be marked as told to the patient (hazard H4).
- The review trail of a researcher-identified variant: submitted → clinical_review →
  returned_to_glh | not_returned; returned_to_glh → glh_assessment → report_reissued |
  not_confirmed.
- A collaboration request: new → under_review → awaiting_patient → accepted | declined →
  closed. From under_review it may be accepted or declined directly only when it asks nothing
  beyond the consent already given. An undecided request (new, under_review or
  awaiting_patient) may be closed, for instance when the requester withdraws it, but only with
  a response saying why. Accepting, declining or closing always needs response text: it is what
  the requester is told. Accepting a request that goes beyond the existing consent needs the
  consent ledger's answer for that very request, and that answer must allow it (rule 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from counsellor_app.domain.consent_ledger import Answer
from counsellor_app.domain.errors import ConsentRefused, InvalidTransition
from counsellor_app.domain.request import CollaborationRequest, RequestStatus
from counsellor_app.domain.result import (
    CounsellorState,
    InformedHow,
    Result,
    ResultKind,
    ReviewStage,
)

_State = TypeVar("_State", bound=StrEnum)

RESULT_STEPS: Mapping[CounsellorState, frozenset[CounsellorState]] = {
    CounsellorState.NEW: frozenset({CounsellorState.REVIEWED}),
    CounsellorState.REVIEWED: frozenset({CounsellorState.PATIENT_INFORMED}),
    CounsellorState.PATIENT_INFORMED: frozenset(),
}

REVIEW_STEPS: Mapping[ReviewStage, frozenset[ReviewStage]] = {
    ReviewStage.SUBMITTED: frozenset({ReviewStage.CLINICAL_REVIEW}),
    ReviewStage.CLINICAL_REVIEW: frozenset({ReviewStage.RETURNED_TO_GLH, ReviewStage.NOT_RETURNED}),
    ReviewStage.RETURNED_TO_GLH: frozenset({ReviewStage.GLH_ASSESSMENT}),
    ReviewStage.NOT_RETURNED: frozenset(),
    ReviewStage.GLH_ASSESSMENT: frozenset({ReviewStage.REPORT_REISSUED, ReviewStage.NOT_CONFIRMED}),
    ReviewStage.REPORT_REISSUED: frozenset(),
    ReviewStage.NOT_CONFIRMED: frozenset(),
}

REQUEST_STEPS: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.NEW: frozenset({RequestStatus.UNDER_REVIEW, RequestStatus.CLOSED}),
    RequestStatus.UNDER_REVIEW: frozenset(
        {
            RequestStatus.AWAITING_PATIENT,
            RequestStatus.ACCEPTED,
            RequestStatus.DECLINED,
            RequestStatus.CLOSED,
        }
    ),
    RequestStatus.AWAITING_PATIENT: frozenset(
        {RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.CLOSED}
    ),
    RequestStatus.ACCEPTED: frozenset({RequestStatus.CLOSED}),
    RequestStatus.DECLINED: frozenset({RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset(),
}

_UNDECIDED = frozenset(
    {RequestStatus.NEW, RequestStatus.UNDER_REVIEW, RequestStatus.AWAITING_PATIENT}
)


def _words(state: StrEnum) -> str:
    return state.value.replace("_", " ").replace("glh", "GLH")


def _step(steps: Mapping[_State, frozenset[_State]], what: str, now: _State, to: _State) -> None:
    if to in steps[now]:
        return
    if now == to:
        raise InvalidTransition(f"The {what} is already {_words(now)}.")
    nexts = sorted(steps[now], key=lambda state: list(steps).index(state))
    if not nexts:
        raise InvalidTransition(
            f"The {what} is {_words(now)}, which is final: it cannot become {_words(to)}."
        )
    choices = " or ".join(_words(state) for state in nexts)
    raise InvalidTransition(
        f"The {what} is {_words(now)}: it can become {choices}, not {_words(to)}."
    )


# ----------------------------------------------------------------- results


def allowed_result_steps(result: Result) -> frozenset[CounsellorState]:
    """Where the clinical team may move this result next."""
    nexts = RESULT_STEPS[result.counsellor_state]
    if result.is_superseded:
        return nexts - {CounsellorState.PATIENT_INFORMED}
    return nexts


def advance_result(
    result: Result, to: CounsellorState, informed_how: InformedHow | None = None
) -> Result:
    """The result moved on to ``to`` (a copy); ``informed_how`` is required for patient_informed."""
    _step(RESULT_STEPS, "result", result.counsellor_state, to)
    if to is CounsellorState.PATIENT_INFORMED:
        if result.is_superseded:
            raise InvalidTransition(
                "This report has been replaced by a later version: tell the patient about the "
                "current report instead."
            )
        if informed_how is None:
            raise InvalidTransition(
                "Say how the patient was told (letter, phone or clinic) before marking the "
                "result as told to the patient."
            )
    elif informed_how is not None:
        raise InvalidTransition(
            "How the patient was told is recorded only when the result is marked as told to "
            "the patient."
        )
    return replace(result, counsellor_state=to, informed_how=informed_how)


# ----------------------------------------------------------------- researcher-identified review


def allowed_review_steps(stage: ReviewStage) -> frozenset[ReviewStage]:
    """Where the review of a researcher-identified variant may go next."""
    return REVIEW_STEPS[stage]


def advance_review(stage: ReviewStage, to: ReviewStage) -> ReviewStage:
    """The next stage of the review trail, or InvalidTransition."""
    _step(REVIEW_STEPS, "review of the researcher-identified variant", stage, to)
    return to


def advance_result_review(result: Result, to: ReviewStage) -> Result:
    """A researcher-identified result with its review trail moved on to ``to`` (a copy)."""
    if result.kind is not ResultKind.RESEARCHER_IDENTIFIED:
        raise InvalidTransition(
            "Only a researcher-identified variant has a review trail; this result has none."
        )
    current = result.review_stage or ReviewStage.SUBMITTED
    if result.review_stage is None and to is ReviewStage.SUBMITTED:
        return replace(result, review_stage=to)
    return replace(result, review_stage=advance_review(current, to))


# ----------------------------------------------------------------- collaboration requests


def allowed_request_steps(request: CollaborationRequest) -> frozenset[RequestStatus]:
    """Where this request may go next (directly to a decision only within existing consent)."""
    nexts = REQUEST_STEPS[request.status]
    if request.status is RequestStatus.UNDER_REVIEW and request.beyond_existing_consent:
        return nexts - {RequestStatus.ACCEPTED}
    return nexts


def advance_request(
    request: CollaborationRequest,
    to: RequestStatus,
    response: str | None = None,
    *,
    consent: Answer | None = None,
) -> CollaborationRequest:
    """The request moved on to ``to`` (a copy), with the response the requester will get.

    ``consent`` is ``ConsentLedger.may_act_on_request(...)`` for this request; it is needed to
    accept a request that goes beyond the consent already given. Moving to closed from accepted
    or declined keeps the response given with the decision unless a new one is given.
    """
    _step(REQUEST_STEPS, "request", request.status, to)
    text = response.strip() if response else None
    if to in (RequestStatus.ACCEPTED, RequestStatus.DECLINED) and not text:
        raise InvalidTransition(
            f"Write the response the requester will receive before marking the request "
            f"{_words(to)}."
        )
    if to is RequestStatus.CLOSED and request.status in _UNDECIDED and not text:
        raise InvalidTransition(
            "Say why the request is being closed without a decision (for example, the "
            "requester withdrew it)."
        )
    if to is RequestStatus.ACCEPTED and request.beyond_existing_consent:
        if request.status is RequestStatus.UNDER_REVIEW:
            raise InvalidTransition(
                "This request asks for more than the participant has consented to: ask the "
                "participant first (awaiting patient), then accept it if they agree."
            )
        if consent is None:
            raise InvalidTransition(
                "This request goes beyond the existing consent: check the participant's "
                "decision for this very request before accepting it."
            )
        if not consent.allowed:
            raise ConsentRefused(f"The request cannot be accepted. {consent.reason}")
    return replace(request, status=to, response=text or request.response)
