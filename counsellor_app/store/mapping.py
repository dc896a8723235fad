"""Conversions between cache rows (or row values) and domain dataclasses."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import Row

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.letter import LetterKind, LetterRecord, LetterStatus, Recipient
from counsellor_app.domain.participant import (
    Address,
    CommunicationNeeds,
    GeneralPractitioner,
    LetterFormat,
    LifeStatus,
    Participant,
    Programme,
    Relationship,
    Representative,
    RepresentativeKind,
)
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
from counsellor_app.store.search_text import fold, participant_search_text, sort_name
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    LetterRow,
    ParticipantRow,
    RepresentativeRow,
    RequestRow,
    ResultRow,
    VariantRow,
)

# --- participants ------------------------------------------------------------------------------


def participant_values(p: Participant) -> dict[str, Any]:
    """Column values of a participant's row (without the case-list summary columns)."""
    gp = p.gp
    return {
        "participant_id": p.participant_id,
        "nhs_number": p.nhs_number,
        "title": p.title,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "date_of_birth": p.date_of_birth,
        "life_status": p.life_status.value,
        "date_of_death": p.date_of_death,
        "address_lines": list(p.address.lines),
        "postcode": p.address.postcode,
        "gp_name": gp.name if gp else None,
        "gp_practice": gp.practice if gp else None,
        "gp_address_lines": list(gp.address.lines) if gp else None,
        "gp_postcode": gp.address.postcode if gp else None,
        "team": p.team,
        "glh": p.glh,
        "programme": p.programme.value,
        "family_id": p.family_id,
        "relationship_to_proband": p.relationship_to_proband.value,
        "comm_large_print": p.communication.large_print,
        "comm_easy_read": p.communication.easy_read,
        "comm_braille": p.communication.braille,
        "comm_interpreter_language": p.communication.interpreter_language,
        "search_text": participant_search_text(
            p.participant_id, p.nhs_number, p.given_name, p.family_name
        ),
        "sort_name": sort_name(p.given_name, p.family_name),
        "given_fold": fold(p.given_name),
        "family_fold": fold(p.family_name),
    }


def representative_values(p: Participant) -> list[dict[str, Any]]:
    return [
        {
            "representative_id": r.representative_id,
            "participant_id": p.participant_id,
            "position": position,
            "kind": r.kind.value,
            "name": r.name,
            "relation": r.relationship,
            "address_lines": list(r.address.lines),
            "postcode": r.address.postcode,
        }
        for position, r in enumerate(p.representatives)
    ]


def to_participant(row: ParticipantRow) -> Participant:
    gp = None
    if row.gp_name is not None:
        gp = GeneralPractitioner(
            name=row.gp_name,
            practice=row.gp_practice or "",
            address=Address(tuple(row.gp_address_lines or ()), row.gp_postcode or ""),
        )
    return Participant(
        participant_id=row.participant_id,
        nhs_number=row.nhs_number,
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        life_status=LifeStatus(row.life_status),
        address=Address(tuple(row.address_lines), row.postcode),
        gp=gp,
        team=row.team,
        glh=row.glh,
        programme=Programme(row.programme),
        family_id=row.family_id,
        relationship_to_proband=Relationship(row.relationship_to_proband),
        title=row.title,
        communication=CommunicationNeeds(
            large_print=row.comm_large_print,
            easy_read=row.comm_easy_read,
            braille=row.comm_braille,
            interpreter_language=row.comm_interpreter_language,
        ),
        representatives=tuple(to_representative(r) for r in row.representatives),
        date_of_death=row.date_of_death,
    )


def to_representative(row: RepresentativeRow) -> Representative:
    return Representative(
        representative_id=row.representative_id,
        kind=RepresentativeKind(row.kind),
        name=row.name,
        relationship=row.relation,
        address=Address(tuple(row.address_lines), row.postcode),
    )


# --- cases, results, requests -------------------------------------------------------------------


def case_values(c: Case) -> dict[str, Any]:
    return {
        "case_id": c.case_id,
        "participant_id": c.participant_id,
        "reason": c.reason,
        "status": c.status.value,
        "priority": c.priority.value,
        "assigned_counsellor": c.assigned_counsellor,
        "opened_on": c.opened_on,
    }


def to_case(row: CaseEntityRow) -> Case:
    return Case(
        case_id=row.case_id,
        participant_id=row.participant_id,
        reason=row.reason,
        status=CaseStatus(row.status),
        priority=Priority(row.priority),
        assigned_counsellor=row.assigned_counsellor,
        opened_on=row.opened_on,
    )


def result_values(r: Result) -> dict[str, Any]:
    return {
        "result_id": r.result_id,
        "case_id": r.case_id,
        "participant_id": r.participant_id,
        "kind": r.kind.value,
        "outcome": r.outcome.value,
        "report_version": r.report_version,
        "issued_on": r.issued_on,
        "summary": r.summary,
        "supersedes": r.supersedes,
        "superseded_by": r.superseded_by,
        "review_stage": r.review_stage.value if r.review_stage else None,
        "counsellor_state": r.counsellor_state.value,
        "informed_how": r.informed_how.value if r.informed_how else None,
    }


def variant_values(r: Result) -> list[dict[str, Any]]:
    return [
        {
            "result_id": r.result_id,
            "position": position,
            "gene": v.gene,
            "transcript": v.transcript,
            "hgvs_c": v.hgvs_c,
            "hgvs_p": v.hgvs_p,
            "zygosity": v.zygosity.value,
            "inheritance": v.inheritance.value,
            "tier": v.tier.value,
            "acmg_class": v.acmg_class.value,
            "condition": v.condition,
        }
        for position, v in enumerate(r.variants)
    ]


def to_variant(row: VariantRow) -> Variant:
    return Variant(
        gene=row.gene,
        transcript=row.transcript,
        hgvs_c=row.hgvs_c,
        hgvs_p=row.hgvs_p,
        zygosity=Zygosity(row.zygosity),
        inheritance=ModeOfInheritance(row.inheritance),
        tier=Tier(row.tier),
        acmg_class=AcmgClass(row.acmg_class),
        condition=row.condition,
    )


def to_result(row: ResultRow) -> Result:
    return Result(
        result_id=row.result_id,
        case_id=row.case_id,
        participant_id=row.participant_id,
        kind=ResultKind(row.kind),
        outcome=ResultOutcome(row.outcome),
        report_version=row.report_version,
        issued_on=row.issued_on,
        summary=row.summary,
        variants=tuple(to_variant(v) for v in row.variants),
        supersedes=row.supersedes,
        superseded_by=row.superseded_by,
        review_stage=ReviewStage(row.review_stage) if row.review_stage else None,
        counsellor_state=CounsellorState(row.counsellor_state),
        informed_how=InformedHow(row.informed_how) if row.informed_how else None,
    )


def request_values(q: CollaborationRequest) -> dict[str, Any]:
    return {
        "request_id": q.request_id,
        "case_id": q.case_id,
        "participant_id": q.participant_id,
        "kind": q.kind.value,
        "requester_name": q.requester.name,
        "requester_institution": q.requester.institution,
        "requester_domain": q.requester.research_domain,
        "asked": q.asked,
        "beyond_existing_consent": q.beyond_existing_consent,
        "received_on": q.received_on,
        "due_on": q.due_on,
        "status": q.status.value,
        "response": q.response,
        "study_type": q.study_type.value if q.study_type else None,
        "study_title": q.study_title,
    }


def to_request(row: RequestRow) -> CollaborationRequest:
    return CollaborationRequest(
        request_id=row.request_id,
        case_id=row.case_id,
        participant_id=row.participant_id,
        kind=RequestKind(row.kind),
        requester=Requester(row.requester_name, row.requester_institution, row.requester_domain),
        asked=row.asked,
        beyond_existing_consent=row.beyond_existing_consent,
        received_on=row.received_on,
        due_on=row.due_on,
        status=RequestStatus(row.status),
        response=row.response,
        study_type=StudyType(row.study_type) if row.study_type else None,
        study_title=row.study_title,
    )


# --- consent decisions ---------------------------------------------------------------------------


def _utc_iso(moment: dt.datetime) -> str:
    """``moment.astimezone(UTC).isoformat()``, without the conversion when already in UTC."""
    if moment.utcoffset() == _NO_OFFSET:
        return moment.isoformat()
    return moment.astimezone(dt.UTC).isoformat()


_NO_OFFSET = dt.timedelta(0)


def decision_content_key(d: ConsentDecision) -> str:
    """A digest of what was decided (rule 6: the same decision twice is recorded once)."""
    content = "\x1f".join(
        (
            d.participant_id,
            d.scope.value,
            d.decision.value,
            d.given_by.value,
            "\x1e" if d.given_by_name is None else d.given_by_name,
            d.method.value,
            _utc_iso(d.effective_from),
            d.withdrawal_level.value if d.withdrawal_level else "\x1e",
            d.request_id or "\x1e",
        )
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def decision_values(d: ConsentDecision) -> dict[str, Any]:
    return {
        "decision_id": d.decision_id,
        "participant_id": d.participant_id,
        "scope": d.scope.value,
        "decision": d.decision.value,
        "given_by": d.given_by.value,
        "given_by_name": d.given_by_name,
        "method": d.method.value,
        "recorded_by": d.recorded_by,
        "recorded_at": d.recorded_at,
        "effective_from": d.effective_from,
        "withdrawal_level": d.withdrawal_level.value if d.withdrawal_level else None,
        "request_id": d.request_id,
        "note": d.note,
        "supersedes": d.supersedes,
        "conflict": d.conflict,
        "conflict_reason": d.conflict_reason,
        "conflict_resolved": d.conflict_resolved,
        "content_key": decision_content_key(d),
    }


def to_decision(row: ConsentDecisionRow | Row[Any]) -> ConsentDecision:
    """A decision from its ORM row, or from a Core row with the same columns (sync's path)."""
    return ConsentDecision(
        decision_id=row.decision_id,
        participant_id=row.participant_id,
        scope=ConsentScope(row.scope),
        decision=Decision(row.decision),
        given_by=GivenBy(row.given_by),
        given_by_name=row.given_by_name,
        method=Method(row.method),
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        effective_from=row.effective_from,
        withdrawal_level=WithdrawalLevel(row.withdrawal_level) if row.withdrawal_level else None,
        request_id=row.request_id,
        note=row.note,
        supersedes=row.supersedes,
        conflict=bool(row.conflict),
        conflict_reason=row.conflict_reason,
        conflict_resolved=bool(row.conflict_resolved),
    )


def decision_payload(d: ConsentDecision) -> str:
    """The decision as JSON text, for the outbox."""
    values = decision_values(d)
    values.pop("content_key")
    values["recorded_at"] = d.recorded_at.isoformat()
    values["effective_from"] = d.effective_from.isoformat()
    return json.dumps(values, sort_keys=True)


# --- letters -------------------------------------------------------------------------------------


def to_letter_record(row: LetterRow) -> LetterRecord:
    return LetterRecord(
        letter_id=row.letter_id,
        case_id=row.case_id,
        participant_id=row.participant_id,
        kind=LetterKind(row.kind),
        recipient=Recipient(row.recipient),
        format=LetterFormat(row.format),
        language=row.language,
        sha256=row.sha256,
        generated_by=row.generated_by,
        generated_at=row.generated_at,
        status=LetterStatus(row.status),
        result_id=row.result_id,
        request_id=row.request_id,
        decision_id=row.decision_id,
    )
