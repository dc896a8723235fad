"""Synthetic collaboration requests for one case: requesters, what is asked, status and dates."""

from __future__ import annotations

import datetime as dt
from random import Random

from counsellor_app.demo.clinical import (
    CANCERS,
    RARE_DISEASES,
    REQUEST_ASKS,
    REQUESTER_INSTITUTIONS,
    RESEARCH_DOMAINS,
    RESPONSES,
    SOMATIC,
    STUDY_TITLES,
)
from counsellor_app.demo.draws import Weighted
from counsellor_app.demo.life import Ids, Life
from counsellor_app.demo.names import REQUESTER_NAMES
from counsellor_app.demo.scenarios import Age, RequestPlan, Story
from counsellor_app.domain.participant import Programme
from counsellor_app.domain.request import (
    CollaborationRequest,
    Requester,
    RequestKind,
    RequestStatus,
    StudyType,
)
from counsellor_app.domain.result import Result

K = RequestKind
S = RequestStatus

_KIND = Weighted(
    ((K.RESEARCHER_COLLABORATION, 30), (K.PUBLICATION, 10), (K.EXPERT_OPINION, 15),
     (K.CLINICAL_TRIAL, 12), (K.PATIENT_REGISTRY, 10), (K.SAMPLE_STORED_DNA, 15),
     (K.SAMPLE_FRESH, 8))
)
_STATUS = Weighted(
    ((S.NEW, 20), (S.UNDER_REVIEW, 15), (S.AWAITING_PATIENT, 15), (S.ACCEPTED, 20),
     (S.DECLINED, 10), (S.CLOSED, 20))
)
_BEYOND = {
    K.RESEARCHER_COLLABORATION: 0.2, K.PUBLICATION: 0.4, K.EXPERT_OPINION: 0.05,
    K.CLINICAL_TRIAL: 0.5, K.PATIENT_REGISTRY: 0.3, K.SAMPLE_STORED_DNA: 0.25,
    K.SAMPLE_FRESH: 0.7,
}
_TRIAL_TYPE = Weighted(
    ((StudyType.INTERVENTIONAL, 60), (StudyType.OBSERVATIONAL, 25),
     (StudyType.EXPANDED_ACCESS, 15))
)
# How long ago a request in each status arrived (days before the reference date).
_AGE_BY_STATUS = {
    S.NEW: (0, 50), S.UNDER_REVIEW: (5, 120), S.AWAITING_PATIENT: (14, 200),
    S.ACCEPTED: (30, 500), S.DECLINED: (30, 500), S.CLOSED: (60, 900),
}
_OPEN = (S.NEW, S.UNDER_REVIEW, S.AWAITING_PATIENT)


def random_request_plans(rng: Random, life: Life) -> tuple[RequestPlan, ...]:
    """Most cases have no request; about one in six has one or two."""
    if life.date_of_death is not None or life.plan.age is Age.JUST_OVER_16:
        return ()
    if Story.NO_FURTHER_USE in life.stories:
        return ()  # researchers no longer see the data
    roll = rng.random()
    count = 2 if roll < 0.03 else 1 if roll < 0.17 else 0
    plans = []
    for _ in range(count):
        kind = _KIND(rng)
        plans.append(RequestPlan(kind, _STATUS(rng), rng.random() < _BEYOND[kind]))
    return tuple(plans)


class RequestWriter:
    """Turns request plans into CollaborationRequest records consistent with consent."""

    def __init__(self, rng: Random, ids: Ids) -> None:
        self._rng = rng
        self._ids = ids

    def write(
        self, life: Life, case_id: str, plans: tuple[RequestPlan, ...], results: list[Result]
    ) -> list[CollaborationRequest]:
        if not plans:
            return []
        rng = self._rng
        gene, condition = _topic(life, results)
        out = []
        for plan in plans:
            received, due = self._dates(life, plan)
            status, response = plan.status, None
            answered_by = min(received + dt.timedelta(days=60), life.reference_date)
            unreachable = plan.kind.is_research_contact and not (
                life.may_be_contacted_about_research(received)
                and life.may_be_contacted_about_research(answered_by)
            )
            if unreachable and status in (S.AWAITING_PATIENT, S.ACCEPTED):
                status = S.DECLINED
            if status is S.DECLINED:
                if unreachable:
                    response = ("Not offered: the participant has asked not to be contacted "
                                "about research.")
                elif rng.random() < 0.6:
                    response = rng.choice(RESPONSES["declined_by_patient"])
                else:
                    response = rng.choice(RESPONSES["declined_by_team"])
            elif status is S.ACCEPTED:
                response = rng.choice(RESPONSES["accepted"])
            elif status is S.CLOSED:
                response = rng.choice(RESPONSES["closed"])
            study_type = plan.study_type
            if study_type is None and plan.kind is K.CLINICAL_TRIAL:
                study_type = _TRIAL_TYPE(rng)
            elif study_type is None and plan.kind is K.PATIENT_REGISTRY:
                study_type = StudyType.PATIENT_REGISTRY
            title = None
            if study_type is not None:
                title = rng.choice(STUDY_TITLES[study_type]).format(condition=condition)
            asked = rng.choice(REQUEST_ASKS[plan.kind]).format(gene=gene, condition=condition)
            domain = ("hereditary cancer" if life.programme is Programme.CANCER
                      else rng.choice(RESEARCH_DOMAINS))
            requester = Requester(
                rng.choice(REQUESTER_NAMES), rng.choice(REQUESTER_INSTITUTIONS), domain
            )
            out.append(CollaborationRequest(
                self._ids.request(), case_id, life.participant_id, plan.kind, requester, asked,
                plan.beyond_existing_consent, received, due, status, response, study_type, title,
            ))
        return out

    def _dates(self, life: Life, plan: RequestPlan) -> tuple[dt.date, dt.date | None]:
        rng = self._rng
        ref = life.reference_date
        earliest = min(life.recruited + dt.timedelta(days=7), ref)
        if plan.overdue:
            received = max(ref - dt.timedelta(days=rng.randint(100, 200)), earliest)
            return received, received + dt.timedelta(days=rng.randint(28, 60))
        low, high = _AGE_BY_STATUS[plan.status]
        if plan.status in _OPEN and life.plan.requests is not None:
            low, high = 0, 10  # a hand-made request is not overdue unless it says so
        received = max(ref - dt.timedelta(days=rng.randint(low, high)), earliest)
        if rng.random() < 0.05:
            return received, None
        return received, received + dt.timedelta(days=rng.randint(28, 90))


def _topic(life: Life, results: list[Result]) -> tuple[str, str]:
    """The gene and condition a request about this case would be about."""
    for result in results:
        for variant in result.variants:
            return variant.gene, variant.condition or life.reason.lower()
    pool = RARE_DISEASES.get(life.reason) or CANCERS.get(life.reason) or SOMATIC.get(
        life.reason, ()
    )
    if pool:
        return pool[0].gene, pool[0].condition
    return "candidate genes", life.reason.lower()
