"""What a researcher sends and sees: pseudonymous participant ids only, never an identifier."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from counsellor_app.domain.request import RequestKind, RequestStatus, StudyType
from counsellor_app.protocol.wire import WireModel

RESEARCHER_KINDS = frozenset(k for k in RequestKind if k is not RequestKind.EXPERT_OPINION)


class ResearchRequestSubmission(WireModel):
    """``POST /v1/research/requests``: a request about one pseudonymous participant id."""

    participant_id: str = Field(min_length=1, max_length=100)
    kind: RequestKind
    asked: str = Field(min_length=1, max_length=5000)
    beyond_existing_consent: bool = False
    due_on: dt.date | None = None
    study_type: StudyType | None = None
    study_title: str | None = Field(default=None, max_length=500)


class ResearchRequestView(WireModel):
    """A researcher's own request as they may see it: status, never the team's response text
    (it is free text written about a person) and nothing about the participant but the id."""

    request_id: str
    participant_id: str
    kind: RequestKind
    asked: str
    received_on: dt.date
    due_on: dt.date | None
    status: RequestStatus
    study_type: StudyType | None = None
    study_title: str | None = None


class ResearchRequestList(WireModel):
    requests: list[ResearchRequestView]
