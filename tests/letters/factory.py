"""Synthetic case records for letter tests (999-range NHS numbers, invented people)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.nhs_number import check_digit
from counsellor_app.domain.participant import (
    Address,
    CommunicationNeeds,
    GeneralPractitioner,
    LifeStatus,
    Participant,
    Programme,
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
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    ReviewStage,
    Tier,
    Variant,
    Zygosity,
)
from counsellor_app.letters.case_record import CaseRecord

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.UTC)
PID = "P-0001"
CASE_ID = "C-0001"


def nhs(seed: int) -> str:
    """A valid synthetic NHS number in the 999 range."""
    n = seed
    while True:
        nine = f"999{n:06d}"
        digit = check_digit(nine)
        if digit is not None:
            return f"{nine}{digit}"
        n += 1


GP = GeneralPractitioner(
    name="Dr Asha Patel",
    practice="Riverside Surgery",
    address=Address(("12 Mill Lane", "Northtown"), "NT2 7QP"),
)
PARENT = Representative(
    "R-1",
    RepresentativeKind.PARENT_OR_GUARDIAN,
    "Ffion Jones",
    "mother",
    Address(("3 Heol y Bryn", "Aberwen"), "AB1 2CD"),
)
ATTORNEY = Representative(
    "R-2",
    RepresentativeKind.LASTING_POWER_OF_ATTORNEY,
    "Tomasz Łukasiewicz",
    "son",
    Address(("Flat 4, 9 Queen Street", "Northtown"), "NT1 9ZZ"),
)


def participant(**changes: object) -> Participant:
    base = Participant(
        participant_id=PID,
        nhs_number=nhs(1234),
        given_name="Llŷr",
        family_name="Ó Súilleabháin",
        date_of_birth=dt.date(1984, 3, 9),
        life_status=LifeStatus.ALIVE,
        address=Address(("27 Ffordd Ŵyn", "Llanfair", "Northshire"), "LL1 4AB"),
        gp=GP,
        team="T-north",
        glh="North GLH",
        programme=Programme.RARE_DISEASE,
        title="Mr",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def child(**changes: object) -> Participant:
    values: dict[str, object] = {
        "given_name": "Gwion",
        "family_name": "Jones",
        "title": None,
        "date_of_birth": dt.date(2018, 6, 1),
        "representatives": (PARENT,),
    }
    return participant(**(values | changes))


def adult_lacking_capacity(**changes: object) -> Participant:
    return participant(
        given_name="Halina",
        family_name="Łukasiewicz",
        title="Mrs",
        date_of_birth=dt.date(1941, 1, 20),
        representatives=(ATTORNEY,),
        **changes,
    )


def case() -> Case:
    return Case(
        case_id=CASE_ID,
        participant_id=PID,
        reason="early-onset epilepsy",
        status=CaseStatus.RESULT_AVAILABLE,
        priority=Priority.ROUTINE,
        assigned_counsellor="Sam Evans",
        opened_on=dt.date(2019, 5, 1),
    )


VARIANT = Variant(
    gene="SCN1A",
    transcript="NM_001165963.4",
    hgvs_c="c.2836C>T",
    hgvs_p="p.(Arg946Cys)",
    zygosity=Zygosity.HETEROZYGOUS,
    inheritance=ModeOfInheritance.DE_NOVO,
    tier=Tier.TIER1,
    acmg_class=AcmgClass.PATHOGENIC,
    condition="Dravet syndrome (SCN1A-related epilepsy, α-subunit)",
)


def result(
    outcome: ResultOutcome = ResultOutcome.CONFIRMED_DIAGNOSIS,
    kind: ResultKind = ResultKind.INITIAL_ANALYSIS,
    **changes: object,
) -> Result:
    variants = () if outcome is ResultOutcome.NO_CAUSATIVE_VARIANT else (VARIANT,)
    base = Result(
        result_id=f"RES-{outcome.value[:4]}-{kind.value[:4]}",
        case_id=CASE_ID,
        participant_id=PID,
        kind=kind,
        outcome=outcome,
        report_version=1,
        issued_on=dt.date(2026, 10, 2),
        summary="Report summary",
        variants=variants,
        review_stage=(
            ReviewStage.REPORT_REISSUED if kind is ResultKind.RESEARCHER_IDENTIFIED else None
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def additional_finding(**changes: object) -> Result:
    base = result(
        ResultOutcome.CONFIRMED_DIAGNOSIS,
        ResultKind.ADDITIONAL_FINDING,
        result_id="RES-AF",
        variants=(
            Variant(
                gene="BRCA2",
                transcript="NM_000059.4",
                hgvs_c="c.5946del",
                hgvs_p="p.(Ser1982ArgfsTer22)",
                zygosity=Zygosity.HETEROZYGOUS,
                inheritance=ModeOfInheritance.AUTOSOMAL_DOMINANT,
                tier=Tier.TIERA,
                acmg_class=AcmgClass.PATHOGENIC,
                condition="hereditary breast and ovarian cancer",
            ),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def request(kind: RequestKind, **changes: object) -> CollaborationRequest:
    trial = kind in (RequestKind.CLINICAL_TRIAL, RequestKind.PATIENT_REGISTRY)
    base = CollaborationRequest(
        request_id=f"REQ-{kind.value}",
        case_id=CASE_ID,
        participant_id=PID,
        kind=kind,
        requester=Requester(
            "Dr Eleni Papadopoulou", "University of Northtown", "epilepsy genetics"
        ),
        asked="Clinical details of seizure onset to interpret a variant in SCN1A.",
        beyond_existing_consent=True,
        received_on=dt.date(2026, 11, 1),
        due_on=dt.date(2027, 1, 15),
        status=RequestStatus.AWAITING_PATIENT,
        study_type=StudyType.INTERVENTIONAL if trial else None,
        study_title="SCN-TREAT: a trial of a new treatment for Dravet syndrome" if trial else None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


_counter = iter(range(1, 1_000_000))


def decision(
    scope: ConsentScope,
    verdict: Decision = Decision.GRANTED,
    *,
    on: dt.date = dt.date(2019, 5, 1),
    given_by: GivenBy = GivenBy.SELF,
    given_by_name: str | None = None,
    level: WithdrawalLevel | None = None,
    request_id: str | None = None,
    **changes: object,
) -> ConsentDecision:
    at = dt.datetime.combine(on, dt.time(9, 0), tzinfo=dt.UTC)
    base = ConsentDecision(
        decision_id=f"D-{next(_counter)}",
        participant_id=PID,
        scope=scope,
        decision=verdict,
        given_by=given_by,
        given_by_name=given_by_name,
        method=Method.IN_PERSON,
        recorded_by="Sam Evans",
        recorded_at=at,
        effective_from=at,
        withdrawal_level=level,
        request_id=request_id,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def baseline_consent() -> tuple[ConsentDecision, ...]:
    """Programme and research contact granted, additional findings granted."""
    return (
        decision(ConsentScope.PROGRAMME),
        decision(ConsentScope.CONTACT_FOR_RESEARCH),
        decision(ConsentScope.ADDITIONAL_FINDINGS),
    )


def record(
    person: Participant | None = None,
    *,
    results: tuple[Result, ...] = (),
    requests: tuple[CollaborationRequest, ...] = (),
    decisions: tuple[ConsentDecision, ...] | None = None,
) -> CaseRecord:
    person = person or participant()
    if person.representatives and person.representatives[0].kind is (
        RepresentativeKind.PARENT_OR_GUARDIAN
    ):
        default_given = GivenBy.PARENT_OR_GUARDIAN
    else:
        default_given = GivenBy.SELF
    consent = decisions
    if consent is None:
        consent = tuple(replace(d, given_by=default_given) for d in baseline_consent())
    return CaseRecord(
        participant=person,
        case=case(),
        results=results,
        requests=requests,
        decisions=consent,
    )


def with_needs(**needs: bool) -> Participant:
    return participant(communication=CommunicationNeeds(**needs))  # type: ignore[arg-type]
