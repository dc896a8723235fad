"""Synthetic consent histories: recruitment grants, later changes, withdrawals, request answers."""

from __future__ import annotations

import datetime as dt
from random import Random

from counsellor_app.demo.clinical import RESPONSES
from counsellor_app.demo.draws import Weighted, at_time, day_between
from counsellor_app.demo.fast_enums import fast_members
from counsellor_app.demo.life import Ids, Life
from counsellor_app.demo.scenarios import Story
from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.request import CollaborationRequest, RequestStatus
from counsellor_app.domain.result import Result, ResultKind

SCOPE = fast_members(ConsentScope)
METHOD = fast_members(Method)
STORY = fast_members(Story)
GIVEN_BY = fast_members(GivenBy)
LEVEL = fast_members(WithdrawalLevel)
REQUEST_STATUS = fast_members(RequestStatus)
RESULT_KIND = fast_members(ResultKind)

Scope = ConsentScope
GRANTED, DECLINED, WITHDRAWN = Decision.GRANTED, Decision.DECLINED, Decision.WITHDRAWN

_RECRUITMENT_METHOD = Weighted(
    ((METHOD.IN_PERSON, 70), (METHOD.PAPER_FORM, 25), (METHOD.VIDEO, 5))
)
_LATER_METHOD = Weighted(
    ((METHOD.IN_PERSON, 30), (METHOD.PHONE, 30), (METHOD.LETTER, 20), (METHOD.VIDEO, 10),
     (METHOD.PAPER_FORM, 10))
)


class ConsentWriter:
    """Writes one participant's append-only decision events in the order they happened."""

    def __init__(self, rng: Random, ids: Ids) -> None:
        self._rng = rng
        self._ids = ids

    def write(
        self, life: Life, requests: list[CollaborationRequest], results: list[Result]
    ) -> list[ConsentDecision]:
        rng = self._rng
        next_id = self._ids.decision
        pid = life.participant_id
        staff = life.staff
        out: list[ConsentDecision] = []
        stories = life.stories

        def when(day: dt.date, method: Method) -> tuple[dt.datetime, dt.datetime]:
            effective = at_time(rng, day)
            if method is METHOD.LETTER or method is METHOD.PAPER_FORM:
                later = dt.timedelta(days=rng.randint(1, 12), minutes=rng.randint(0, 90))
                return effective, effective + later
            return effective, effective + dt.timedelta(minutes=rng.randint(5, 240))

        def add(
            day: dt.date,
            scope: Scope,
            decision: Decision,
            method: Method,
            supersedes: str | None,
            *,
            level: WithdrawalLevel | None = None,
            note: str | None = None,
        ) -> str:
            given_by, name = life.giver(day)
            effective, recorded = when(day, method)
            decision_id = next_id()
            out.append(ConsentDecision(
                decision_id, pid, scope, decision, given_by, name, method, rng.choice(staff),
                recorded, effective, level, None, note, supersedes,
            ))
            return decision_id

        # Recruitment, one conversation: programme and primary findings granted; the rest as
        # the person (or whoever decides for them) chose.
        day = life.recruited
        method = _RECRUITMENT_METHOD(rng)
        given_by, name = life.giver(day)
        effective, recorded = when(day, method)
        recorder = rng.choice(staff)
        af_declined = STORY.AF_DECLINED in stories or STORY.AF_DECLINED_THEN_GRANTED in stories
        research_declined = STORY.RESEARCH_DECLINED in stories
        research_declined_now = research_declined and rng.random() < 0.5
        choices = [
            (SCOPE.PROGRAMME, GRANTED),
            (SCOPE.PRIMARY_FINDINGS, GRANTED),
            (SCOPE.ADDITIONAL_FINDINGS, DECLINED if af_declined else GRANTED),
            (SCOPE.CONTACT_FOR_RESEARCH, DECLINED if research_declined_now else GRANTED),
        ]
        if life.carrier_testing:
            choices.append((SCOPE.CARRIER_STATUS, GRANTED if rng.random() < 0.75 else DECLINED))
        first_ids = []
        for scope, decision in choices:
            decision_id = next_id()
            first_ids.append(decision_id)
            out.append(ConsentDecision(
                decision_id, pid, scope, decision, given_by, name, method, recorder, recorded,
                effective,
            ))
        programme_id, primary_id, af_id, research_id = first_ids[:4]

        # Later changes of mind.
        first, second = life.first_change, life.second_change
        if STORY.AF_DECLINED_THEN_GRANTED in stories:
            af_id = add(first, SCOPE.ADDITIONAL_FINDINGS, GRANTED, _LATER_METHOD(rng), af_id,
                        note="Changed their mind after talking it over at home.")
        if STORY.AF_WITHDRAWN_LATER in stories:
            af_id = add(first, SCOPE.ADDITIONAL_FINDINGS, WITHDRAWN, _LATER_METHOD(rng), af_id,
                        note="No longer wishes to receive additional findings.")
        if research_declined and not research_declined_now:
            research_id = add(first, SCOPE.CONTACT_FOR_RESEARCH, DECLINED, _LATER_METHOD(rng),
                              research_id)
        if STORY.NO_FURTHER_CONTACT in stories or STORY.NO_FURTHER_CONTACT_LIFTED in stories:
            programme_id = add(
                first, SCOPE.PROGRAMME, WITHDRAWN, rng.choice((METHOD.LETTER, METHOD.PHONE)),
                programme_id, level=LEVEL.NO_FURTHER_CONTACT,
                note="Asked not to be contacted again; data may still be used.")
        if STORY.NO_FURTHER_CONTACT_LIFTED in stories:
            programme_id = add(second, SCOPE.PROGRAMME, GRANTED, METHOD.IN_PERSON, programme_id,
                               note="Asked to hear about results and research again.")
        if STORY.NO_FURTHER_USE in stories:
            programme_id = add(
                first, SCOPE.PROGRAMME, WITHDRAWN, METHOD.LETTER, programme_id,
                level=LEVEL.NO_FURTHER_USE,
                note="Withdrew from the programme: no further use of data or samples.")

        # A young person's own decisions after their 16th birthday (one conversation).
        if life.reconsented_on is not None:
            effective, recorded = when(life.reconsented_on, METHOD.IN_PERSON)
            recorder = rng.choice(staff)
            # They keep additional findings that were sent after this conversation.
            keeps_af = any(
                r.kind is RESULT_KIND.ADDITIONAL_FINDING and r.issued_on >= life.reconsented_on
                for r in results
            )
            own_af = GRANTED if keeps_af or rng.random() < 0.8 else DECLINED
            own = (
                (SCOPE.PROGRAMME, GRANTED, programme_id,
                 "Own consent recorded after their 16th birthday."),
                (SCOPE.PRIMARY_FINDINGS, GRANTED, primary_id, None),
                (SCOPE.ADDITIONAL_FINDINGS, own_af, af_id, None),
                (SCOPE.CONTACT_FOR_RESEARCH, GRANTED, research_id, None),
            )
            for scope, decision, earlier, note in own:
                out.append(ConsentDecision(
                    next_id(), pid, scope, decision, GIVEN_BY.SELF, None, METHOD.IN_PERSON,
                    recorder, recorded, effective, note=note, supersedes=earlier,
                ))

        # Answers to requests that reached the participant.
        for request in requests:
            answer = self._answer(life, request)
            if answer is None:
                continue
            last = min(life.end, request.received_on + dt.timedelta(days=60))
            day = day_between(rng, request.received_on + dt.timedelta(days=3), last)
            if day > life.end:
                continue
            given_by, name = life.giver(day)
            method = _LATER_METHOD(rng)
            effective, recorded = when(day, method)
            out.append(ConsentDecision(
                next_id(), pid, request.kind.consent_scope, answer, given_by, name, method,
                rng.choice(staff), recorded, effective, request_id=request.request_id,
            ))
        return out

    def _answer(self, life: Life, request: CollaborationRequest) -> Decision | None:
        status = request.status
        if status is REQUEST_STATUS.ACCEPTED:
            return GRANTED
        if status is REQUEST_STATUS.DECLINED:
            return DECLINED if request.response in RESPONSES["declined_by_patient"] else None
        if status is REQUEST_STATUS.CLOSED and self._rng.random() < 0.5:
            reachable = _reachable(life, request)
            return GRANTED if reachable or not request.kind.is_research_contact else None
        return None


def _reachable(life: Life, request: CollaborationRequest) -> bool:
    """Whether research contact about ``request`` was allowed while it could be answered."""
    answered_by = min(request.received_on + dt.timedelta(days=60), life.reference_date)
    return life.may_be_contacted_about_research(
        request.received_on
    ) and life.may_be_contacted_about_research(answered_by)
