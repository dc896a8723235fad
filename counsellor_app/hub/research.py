"""The researcher's side: submit a request by pseudonymous id, see only their own requests.

Nothing here reads or returns a name, NHS number, date of birth, address, GP or representative:
the views are built from the request alone (H8).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from counsellor_app.domain.request import RequestStatus
from counsellor_app.hub import audit
from counsellor_app.hub.auth import Principal
from counsellor_app.hub.database import Database
from counsellor_app.hub.errors import Invalid, NotFound
from counsellor_app.hub.records import Records
from counsellor_app.hub.tables import CaseRow, RequestRow, User
from counsellor_app.protocol.entities import CaseWire, RequesterWire, RequestWire
from counsellor_app.protocol.research import (
    RESEARCHER_KINDS,
    ResearchRequestList,
    ResearchRequestSubmission,
    ResearchRequestView,
)

_NO_SUCH = "There is no participant with this pseudonymous id."


def view_of(request: RequestWire) -> ResearchRequestView:
    return ResearchRequestView(
        request_id=request.request_id,
        participant_id=request.participant_id,
        kind=request.kind,
        asked=request.asked,
        received_on=request.received_on,
        due_on=request.due_on,
        status=request.status,
        study_type=request.study_type,
        study_title=request.study_title,
    )


def submit(
    db: Database, who: Principal, submission: ResearchRequestSubmission, now: dt.datetime
) -> ResearchRequestView:
    """Store the request on the participant's most recent case; the team's feed carries it."""
    if submission.kind not in RESEARCHER_KINDS:
        raise Invalid("An expert opinion is asked for by the clinical team, not by a researcher.")
    with db.writing() as session:
        records = Records(session)
        participant = records.participant(submission.participant_id, lock=True)
        if participant is None:
            raise NotFound(_NO_SUCH)
        cases = [
            CaseWire.model_validate_json(body)
            for body in session.scalars(
                select(CaseRow.body).where(CaseRow.participant_id == participant.participant_id)
            )
        ]
        if not cases:
            raise NotFound(_NO_SUCH)
        case = max(cases, key=lambda c: (c.opened_on, c.case_id))
        user = session.get(User, who.user_id)
        assert user is not None
        request = RequestWire(
            request_id=f"REQ-{uuid.uuid4().hex[:16].upper()}",
            case_id=case.case_id,
            participant_id=participant.participant_id,
            kind=submission.kind,
            requester=RequesterWire(
                name=user.name,
                institution=user.institution or "not given",
                research_domain=user.research_domain or "not given",
            ),
            asked=submission.asked,
            beyond_existing_consent=submission.beyond_existing_consent,
            received_on=now.date(),
            due_on=submission.due_on,
            status=RequestStatus.NEW,
            study_type=submission.study_type,
            study_title=submission.study_title,
        )
        records.put_request(request, participant.team, submitted_by=who.user_id)
        audit.record(session, who, now, "research.request_submitted", "request",
                     request.request_id, participant.participant_id)
        records.finish()
    return view_of(request)


def own_requests(db: Database, who: Principal, now: dt.datetime) -> ResearchRequestList:
    with db.writing() as session:
        rows = session.scalars(
            select(RequestRow).where(RequestRow.submitted_by == who.user_id)
            .order_by(RequestRow.request_id)
        ).all()
        views = [view_of(RequestWire.model_validate_json(r.body)) for r in rows]
        audit.record_reads(session, who, now, "research.read", {v.participant_id for v in views})
    return ResearchRequestList(requests=views)


def own_request(
    db: Database, who: Principal, request_id: str, now: dt.datetime
) -> ResearchRequestView:
    with db.writing() as session:
        row = session.get(RequestRow, request_id)
        if row is None or row.submitted_by != who.user_id:
            raise NotFound("There is no request of yours with this id.")
        view = view_of(RequestWire.model_validate_json(row.body))
        audit.record_reads(session, who, now, "research.read", {view.participant_id})
    return view

