"""Wire models of cases, results (with variants) and collaboration requests."""

from __future__ import annotations

import datetime as dt

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.request import (
    CollaborationRequest,
    Requester,
    RequestKind,
    RequestStatus,
    StudyType,
)
from counsellor_app.domain.result import (
    AcmgClass,
    CounsellorState,
    InformedHow,
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    ReviewStage,
    Tier,
    Variant,
    Zygosity,
)
from counsellor_app.protocol.wire import WireModel


class CaseWire(WireModel):
    case_id: str
    participant_id: str
    reason: str
    status: CaseStatus
    priority: Priority
    assigned_counsellor: str | None
    opened_on: dt.date

    @classmethod
    def from_domain(cls, c: Case) -> CaseWire:
        return cls(
            case_id=c.case_id,
            participant_id=c.participant_id,
            reason=c.reason,
            status=c.status,
            priority=c.priority,
            assigned_counsellor=c.assigned_counsellor,
            opened_on=c.opened_on,
        )

    def to_domain(self) -> Case:
        return Case(
            self.case_id, self.participant_id, self.reason, self.status, self.priority,
            self.assigned_counsellor, self.opened_on,
        )


class VariantWire(WireModel):
    gene: str
    transcript: str
    hgvs_c: str
    hgvs_p: str | None
    zygosity: Zygosity
    inheritance: ModeOfInheritance
    tier: Tier
    acmg_class: AcmgClass
    condition: str | None = None

    @classmethod
    def from_domain(cls, v: Variant) -> VariantWire:
        return cls(
            gene=v.gene,
            transcript=v.transcript,
            hgvs_c=v.hgvs_c,
            hgvs_p=v.hgvs_p,
            zygosity=v.zygosity,
            inheritance=v.inheritance,
            tier=v.tier,
            acmg_class=v.acmg_class,
            condition=v.condition,
        )

    def to_domain(self) -> Variant:
        return Variant(
            self.gene, self.transcript, self.hgvs_c, self.hgvs_p, self.zygosity,
            self.inheritance, self.tier, self.acmg_class, self.condition,
        )


class ResultWire(WireModel):
    result_id: str
    case_id: str
    participant_id: str
    kind: ResultKind
    outcome: ResultOutcome
    report_version: int
    issued_on: dt.date
    summary: str
    variants: tuple[VariantWire, ...] = ()
    supersedes: str | None = None
    superseded_by: str | None = None
    review_stage: ReviewStage | None = None
    counsellor_state: CounsellorState = CounsellorState.NEW
    informed_how: InformedHow | None = None

    @classmethod
    def from_domain(cls, r: Result) -> ResultWire:
        return cls(
            result_id=r.result_id,
            case_id=r.case_id,
            participant_id=r.participant_id,
            kind=r.kind,
            outcome=r.outcome,
            report_version=r.report_version,
            issued_on=r.issued_on,
            summary=r.summary,
            variants=tuple(VariantWire.from_domain(v) for v in r.variants),
            supersedes=r.supersedes,
            superseded_by=r.superseded_by,
            review_stage=r.review_stage,
            counsellor_state=r.counsellor_state,
            informed_how=r.informed_how,
        )

    def to_domain(self) -> Result:
        return Result(
            result_id=self.result_id,
            case_id=self.case_id,
            participant_id=self.participant_id,
            kind=self.kind,
            outcome=self.outcome,
            report_version=self.report_version,
            issued_on=self.issued_on,
            summary=self.summary,
            variants=tuple(v.to_domain() for v in self.variants),
            supersedes=self.supersedes,
            superseded_by=self.superseded_by,
            review_stage=self.review_stage,
            counsellor_state=self.counsellor_state,
            informed_how=self.informed_how,
        )


class RequesterWire(WireModel):
    name: str
    institution: str
    research_domain: str


class RequestWire(WireModel):
    request_id: str
    case_id: str
    participant_id: str
    kind: RequestKind
    requester: RequesterWire
    asked: str
    beyond_existing_consent: bool
    received_on: dt.date
    due_on: dt.date | None
    status: RequestStatus
    response: str | None = None
    study_type: StudyType | None = None
    study_title: str | None = None

    @classmethod
    def from_domain(cls, r: CollaborationRequest) -> RequestWire:
        return cls(
            request_id=r.request_id,
            case_id=r.case_id,
            participant_id=r.participant_id,
            kind=r.kind,
            requester=RequesterWire(
                name=r.requester.name,
                institution=r.requester.institution,
                research_domain=r.requester.research_domain,
            ),
            asked=r.asked,
            beyond_existing_consent=r.beyond_existing_consent,
            received_on=r.received_on,
            due_on=r.due_on,
            status=r.status,
            response=r.response,
            study_type=r.study_type,
            study_title=r.study_title,
        )

    def to_domain(self) -> CollaborationRequest:
        q = self.requester
        return CollaborationRequest(
            request_id=self.request_id,
            case_id=self.case_id,
            participant_id=self.participant_id,
            kind=self.kind,
            requester=Requester(q.name, q.institution, q.research_domain),
            asked=self.asked,
            beyond_existing_consent=self.beyond_existing_consent,
            received_on=self.received_on,
            due_on=self.due_on,
            status=self.status,
            response=self.response,
            study_type=self.study_type,
            study_title=self.study_title,
        )
