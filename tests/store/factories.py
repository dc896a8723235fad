"""Small hand-made domain records for store tests (synthetic, 999-range NHS numbers)."""

from __future__ import annotations

import datetime as dt

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision, GivenBy, Method
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
)
from counsellor_app.domain.result import (
    AcmgClass,
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    Tier,
    Variant,
    Zygosity,
)

UTC = dt.UTC


def nhs_number(seed: int) -> str:
    """A valid NHS number from the never-issued 999 range."""
    n = seed
    while True:
        nine = f"999{n % 1_000_000:06d}"
        digit = check_digit(nine)
        if digit is not None:
            return f"{nine}{digit}"
        n += 1


def participant(
    index: int,
    given: str = "Siân",
    family: str = "Ó Súilleabháin",
    *,
    born: dt.date = dt.date(1980, 5, 17),
    programme: Programme = Programme.RARE_DISEASE,
    deceased: bool = False,
    representatives: tuple[Representative, ...] = (),
) -> Participant:
    return Participant(
        participant_id=f"P{index:06d}",
        nhs_number=nhs_number(index * 7 + 11),
        given_name=given,
        family_name=family,
        date_of_birth=born,
        life_status=LifeStatus.DECEASED if deceased else LifeStatus.ALIVE,
        date_of_death=dt.date(2024, 1, 2) if deceased else None,
        address=Address(("1 Heol y Felin", "Caerdydd"), "CF10 1AA"),
        gp=GeneralPractitioner(
            "Dr Ffion Evans", "Canton Surgery", Address(("2 Stryd",), "CF5 1AB")
        ),
        team="team-cardiff",
        glh="wales",
        programme=programme,
        communication=CommunicationNeeds(large_print=index % 2 == 0),
        representatives=representatives,
    )


def guardian(index: int) -> Representative:
    return Representative(
        f"R{index:06d}",
        RepresentativeKind.PARENT_OR_GUARDIAN,
        "Gwenllian Jones",
        "mother",
        Address(("1 Heol y Felin",), "CF10 1AA"),
    )


def case(p: Participant, n: int = 1) -> Case:
    return Case(
        case_id=f"C{p.participant_id[1:]}-{n}",
        participant_id=p.participant_id,
        reason="Intellectual disability",
        status=CaseStatus.RESULT_AVAILABLE,
        priority=Priority.ROUTINE,
        assigned_counsellor="counsellor-1",
        opened_on=dt.date(2023, 3, 1),
    )


def result(
    c: Case,
    n: int = 1,
    *,
    outcome: ResultOutcome = ResultOutcome.CONFIRMED_DIAGNOSIS,
    issued: dt.date = dt.date(2024, 6, 1),
    kind: ResultKind = ResultKind.INITIAL_ANALYSIS,
) -> Result:
    return Result(
        result_id=f"{c.case_id}-R{n}",
        case_id=c.case_id,
        participant_id=c.participant_id,
        kind=kind,
        outcome=outcome,
        report_version=n,
        issued_on=issued,
        summary="A pathogenic variant explains the condition.",
        variants=(
            Variant(
                "KMT2D",
                "NM_003482.4",
                "c.5645C>G",
                "p.(Ser1882*)",
                Zygosity.HETEROZYGOUS,
                ModeOfInheritance.AUTOSOMAL_DOMINANT,
                Tier.TIER1,
                AcmgClass.PATHOGENIC,
                "Kabuki syndrome",
            ),
        ),
    )


def request(
    c: Case, n: int = 1, *, due: dt.date | None = dt.date(2025, 1, 31)
) -> CollaborationRequest:
    return CollaborationRequest(
        request_id=f"{c.case_id}-Q{n}",
        case_id=c.case_id,
        participant_id=c.participant_id,
        kind=RequestKind.RESEARCHER_COLLABORATION,
        requester=Requester("Dr Aoife Byrne", "University of Galway", "neurodevelopment"),
        asked="Share phenotype data for a cohort study.",
        beyond_existing_consent=True,
        received_on=dt.date(2024, 12, 1),
        due_on=due,
        status=RequestStatus.NEW,
    )


def decision(
    p: Participant,
    n: int,
    scope: ConsentScope = ConsentScope.ADDITIONAL_FINDINGS,
    choice: Decision = Decision.GRANTED,
    *,
    given_by: GivenBy = GivenBy.SELF,
    effective: dt.datetime = dt.datetime(2024, 7, 1, 10, 0, tzinfo=UTC),
    request_id: str | None = None,
) -> ConsentDecision:
    return ConsentDecision(
        decision_id=f"D{p.participant_id[1:]}-{n}",
        participant_id=p.participant_id,
        scope=scope,
        decision=choice,
        given_by=given_by,
        given_by_name="Gwenllian Jones" if given_by is GivenBy.PARENT_OR_GUARDIAN else None,
        method=Method.IN_PERSON,
        recorded_by="counsellor-1",
        recorded_at=effective,
        effective_from=effective,
        request_id=request_id,
    )
