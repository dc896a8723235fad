"""Collaboration requests: researchers, publications, trials, registries and samples."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from counsellor_app.domain.consent import ConsentScope


class RequestKind(StrEnum):
    RESEARCHER_COLLABORATION = "researcher_collaboration"
    PUBLICATION = "publication"
    EXPERT_OPINION = "expert_opinion"
    CLINICAL_TRIAL = "clinical_trial"
    PATIENT_REGISTRY = "patient_registry"
    SAMPLE_STORED_DNA = "sample_stored_dna"
    SAMPLE_FRESH = "sample_fresh"

    @property
    def consent_scope(self) -> ConsentScope:
        """The per-request consent scope a grant for this kind of request must carry."""
        return _SCOPE_FOR_KIND[self]

    @property
    def is_research_contact(self) -> bool:
        """Whether a letter about this request is research-initiated contact (rule 1).

        An expert opinion is asked for by the clinician for the patient's own care, so it is
        not research-initiated; every other kind is.
        """
        return self is not RequestKind.EXPERT_OPINION


class StudyType(StrEnum):
    INTERVENTIONAL = "interventional"
    OBSERVATIONAL = "observational"
    PATIENT_REGISTRY = "patient_registry"
    EXPANDED_ACCESS = "expanded_access"


class RequestStatus(StrEnum):
    """new → under_review → awaiting_patient → accepted | declined → closed."""

    NEW = "new"
    UNDER_REVIEW = "under_review"
    AWAITING_PATIENT = "awaiting_patient"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (RequestStatus.CLOSED,)


@dataclass(frozen=True, slots=True)
class Requester:
    name: str
    institution: str
    research_domain: str


@dataclass(frozen=True, slots=True)
class CollaborationRequest:
    request_id: str
    case_id: str
    participant_id: str
    kind: RequestKind
    requester: Requester
    asked: str  # what is asked, in the requester's words
    beyond_existing_consent: bool
    received_on: dt.date
    due_on: dt.date | None
    status: RequestStatus
    response: str | None = None
    study_type: StudyType | None = None  # trials and registries
    study_title: str | None = None


_SCOPE_FOR_KIND: dict[RequestKind, ConsentScope] = {
    RequestKind.RESEARCHER_COLLABORATION: ConsentScope.SHARE_WITH_RESEARCHER,
    RequestKind.EXPERT_OPINION: ConsentScope.SHARE_WITH_RESEARCHER,
    RequestKind.PUBLICATION: ConsentScope.PUBLICATION,
    RequestKind.CLINICAL_TRIAL: ConsentScope.TRIAL_CONTACT,
    RequestKind.PATIENT_REGISTRY: ConsentScope.TRIAL_CONTACT,
    RequestKind.SAMPLE_STORED_DNA: ConsentScope.FURTHER_SAMPLE,
    RequestKind.SAMPLE_FRESH: ConsentScope.FURTHER_SAMPLE,
}
