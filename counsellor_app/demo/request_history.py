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
from counsellor_app.demo.fast_enums import fast_members
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

KIND = fast_members(RequestKind)
STATUS = fast_members(RequestStatus)
STUDY = fast_members(StudyType)
AGE = fast_members(Age)
STORY = fast_members(Story)
PROGRAMME = fast_members(Programme)


_KIND = Weighted(
    ((KIND.RESEARCHER_COLLABORATION, 30), (KIND.PUBLICATION, 10), (KIND.EXPERT_OPINION, 15),
     (KIND.CLINICAL_TRIAL, 12), (KIND.PATIENT_REGISTRY, 10), (KIND.SAMPLE_STORED_DNA, 15),
     (KIND.SAMPLE_FRESH, 8))
)
_STATUS = Weighted(
    ((STATUS.NEW, 20), (STATUS.UNDER_REVIEW, 15), (STATUS.AWAITING_PATIENT, 15),
     (STATUS.ACCEPTED, 20), (STATUS.DECLINED, 10), (STATUS.CLOSED, 20))
)
_BEYOND = {
    KIND.RESEARCHER_COLLABORATION: 0.2, KIND.PUBLICATION: 0.4, KIND.EXPERT_OPINION: 0.05,
    KIND.CLINICAL_TRIAL: 0.5, KIND.PATIENT_REGISTRY: 0.3, KIND.SAMPLE_STORED_DNA: 0.25,
    KIND.SAMPLE_FRESH: 0.7,
}
_TRIAL_TYPE = Weighted(
    ((STUDY.INTERVENTIONAL, 60), (STUDY.OBSERVATIONAL, 25),
     (STUDY.EXPANDED_ACCESS, 15))
)
# How long ago a request in each status arrived (days before the reference date).
_AGE_BY_STATUS = {
    STATUS.NEW: (0, 50), STATUS.UNDER_REVIEW: (5, 120), STATUS.AWAITING_PATIENT: (14, 200),
    STATUS.ACCEPTED: (30, 500), STATUS.DECLINED: (30, 500), STATUS.CLOSED: (60, 900),
}
_OPEN = (STATUS.NEW, STATUS.UNDER_REVIEW, STATUS.AWAITING_PATIENT)


def random_request_plans(rng: Random, life: Life) -> tuple[RequestPlan, ...]:
    """Most cases have no request; about one in six has one or two."""
    if life.date_of_death is not None or life.plan.age is AGE.JUST_OVER_16:
        return ()
    if STORY.NO_FURTHER_USE in life.stories:
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
            if unreachable and status in (STATUS.AWAITING_PATIENT, STATUS.ACCEPTED):
                status = STATUS.DECLINED
            if status is STATUS.DECLINED:
                if unreachable:
                    response = ("Not offered: the participant has asked not to be contacted "
                                "about research.")
                elif rng.random() < 0.6:
                    response = rng.choice(RESPONSES["declined_by_patient"])
                else:
                    response = rng.choice(RESPONSES["declined_by_team"])
            elif status is STATUS.ACCEPTED:
                response = rng.choice(RESPONSES["accepted"])
            elif status is STATUS.CLOSED:
                response = rng.choice(RESPONSES["closed"])
            study_type = plan.study_type
            if study_type is None and plan.kind is KIND.CLINICAL_TRIAL:
                study_type = _TRIAL_TYPE(rng)
            elif study_type is None and plan.kind is KIND.PATIENT_REGISTRY:
                study_type = STUDY.PATIENT_REGISTRY
            title = None
            if study_type is not None:
                title = rng.choice(STUDY_TITLES[study_type]).format(condition=condition)
            asked = rng.choice(REQUEST_ASKS[plan.kind]).format(gene=gene, condition=condition)
            domain = ("hereditary cancer" if life.programme is PROGRAMME.CANCER
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
