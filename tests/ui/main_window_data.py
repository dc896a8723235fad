"""A small hand-made caseload for the main window's tests, with every case the views must show.

One participant of each kind the screens must get right: a name with markup and characters
outside Latin-1, a superseded report, an overdue request, a young person whose parent's consent
has lapsed at 16, additional findings declined by a mother, and a deceased participant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
)
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
    CounsellorState,
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    Tier,
    Variant,
    Zygosity,
)

TODAY = dt.date(2026, 11, 27)
MARKUP_NAME = ("<b>Llŷr</b>", "&amp; Ó Súilleabháin")
MARKUP_ID = "P-MARKUP"
YOUNG_ID = "P-YOUNG"
DECEASED_ID = "P-DECEASED"
RESULT_V1 = "R-MARKUP-1"
RESULT_V2 = "R-MARKUP-2"
OVERDUE_REQUEST = "Q-MARKUP-1"

# NHS numbers from the never-issued 999 range with valid check digits.
NHS = ("9990000018", "9990000026", "9990000034")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _address(street: str) -> Address:
    return Address((street, "Caerdydd"), "CF10 1AA")


_GP = GeneralPractitioner(
    "Dr Siân Morgan", "Heol y Frenhines Surgery", _address("2 Heol y Frenhines")
)


@dataclass
class HandDataset:
    """Shaped like ``store.bulk.DatasetLike`` so ``load_dataset`` takes it."""

    participants: list[Participant] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    requests: list[CollaborationRequest] = field(default_factory=list)
    decisions: list[ConsentDecision] = field(default_factory=list)


def _decision(
    decision_id: str,
    participant_id: str,
    scope: ConsentScope,
    decision: Decision,
    given_by: GivenBy,
    day: dt.date,
    name: str | None = None,
) -> ConsentDecision:
    return ConsentDecision(
        decision_id=decision_id,
        participant_id=participant_id,
        scope=scope,
        decision=decision,
        given_by=given_by,
        given_by_name=name,
        method=Method.IN_PERSON,
        recorded_by="J. Evans",
        recorded_at=_at(day, 11),
        effective_from=_at(day),
    )


def hand_dataset() -> HandDataset:
    data = HandDataset()
    mother = Representative(
        "REP-1", RepresentativeKind.PARENT_OR_GUARDIAN, "Angharad Ó Súilleabháin", "mother",
        _address("1 Stryd Fawr"),
    )
    data.participants += [
        Participant(
            participant_id=MARKUP_ID, nhs_number=NHS[0], given_name=MARKUP_NAME[0],
            family_name=MARKUP_NAME[1], date_of_birth=dt.date(1984, 5, 2),
            life_status=LifeStatus.ALIVE, address=_address("1 Stryd Fawr"), gp=_GP,
            team="cardiff", glh="Wales", programme=Programme.RARE_DISEASE,
            communication=CommunicationNeeds(large_print=True, interpreter_language="Welsh"),
            representatives=(mother,),
        ),
        Participant(
            participant_id=YOUNG_ID, nhs_number=NHS[1], given_name="Zoë", family_name="D'Arcy",
            date_of_birth=dt.date(2009, 3, 1), life_status=LifeStatus.ALIVE,
            address=_address("3 Ffordd y Bont"), gp=_GP, team="cardiff", glh="Wales",
            programme=Programme.RARE_DISEASE,
        ),
        Participant(
            participant_id=DECEASED_ID, nhs_number=NHS[2], given_name="Gwilym",
            family_name="ap Rhys", date_of_birth=dt.date(1950, 1, 9),
            life_status=LifeStatus.DECEASED, date_of_death=dt.date(2024, 6, 1),
            address=_address("5 Lôn Las"), gp=None, team="cardiff", glh="Wales",
            programme=Programme.CANCER,
        ),
    ]
    for participant in data.participants:
        data.cases.append(
            Case(
                case_id=f"C-{participant.participant_id}",
                participant_id=participant.participant_id,
                reason="Intellectual disability",
                status=CaseStatus.RESULT_AVAILABLE,
                priority=Priority.ROUTINE,
                assigned_counsellor="J. Evans",
                opened_on=dt.date(2019, 1, 7),
            )
        )
    variant = Variant(
        gene="KMT2D", transcript="NM_003482.4", hgvs_c="c.5251C>T", hgvs_p="p.(Arg1751Ter)",
        zygosity=Zygosity.HETEROZYGOUS, inheritance=ModeOfInheritance.DE_NOVO, tier=Tier.TIER1,
        acmg_class=AcmgClass.PATHOGENIC, condition="Kabuki syndrome",
    )
    data.results += [
        Result(
            result_id=RESULT_V1, case_id=f"C-{MARKUP_ID}", participant_id=MARKUP_ID,
            kind=ResultKind.INITIAL_ANALYSIS, outcome=ResultOutcome.UNCERTAIN, report_version=1,
            issued_on=dt.date(2020, 2, 3), summary="Variant of uncertain significance in KMT2D.",
            variants=(variant,), superseded_by=RESULT_V2,
            counsellor_state=CounsellorState.REVIEWED,
        ),
        Result(
            result_id=RESULT_V2, case_id=f"C-{MARKUP_ID}", participant_id=MARKUP_ID,
            kind=ResultKind.REANALYSIS, outcome=ResultOutcome.CONFIRMED_DIAGNOSIS,
            report_version=2, issued_on=dt.date(2026, 11, 20),
            summary="Reclassified as pathogenic: Kabuki syndrome confirmed.",
            variants=(variant,), supersedes=RESULT_V1,
        ),
    ]
    data.requests.append(
        CollaborationRequest(
            request_id=OVERDUE_REQUEST, case_id=f"C-{MARKUP_ID}", participant_id=MARKUP_ID,
            kind=RequestKind.CLINICAL_TRIAL,
            requester=Requester("Dr Ana Løvås", "Prifysgol Caerdydd", "neurodevelopment"),
            asked="Invitation to a trial of a KMT2D-targeted therapy.",
            beyond_existing_consent=True, received_on=dt.date(2026, 10, 1),
            due_on=dt.date(2026, 11, 1), status=RequestStatus.NEW,
        )
    )
    data.decisions += [
        _decision("D-1", MARKUP_ID, ConsentScope.PROGRAMME, Decision.GRANTED, GivenBy.SELF,
                  dt.date(2015, 3, 3)),
        _decision("D-2", MARKUP_ID, ConsentScope.ADDITIONAL_FINDINGS, Decision.DECLINED,
                  GivenBy.SELF, dt.date(2019, 3, 3)),
        _decision("D-3", YOUNG_ID, ConsentScope.PROGRAMME, Decision.GRANTED,
                  GivenBy.PARENT_OR_GUARDIAN, dt.date(2015, 6, 1), name="Mair D'Arcy"),
        _decision("D-4", YOUNG_ID, ConsentScope.ADDITIONAL_FINDINGS, Decision.DECLINED,
                  GivenBy.PARENT_OR_GUARDIAN, dt.date(2015, 6, 1), name="Mair D'Arcy"),
        _decision("D-5", YOUNG_ID, ConsentScope.CONTACT_FOR_RESEARCH, Decision.GRANTED,
                  GivenBy.PARENT_OR_GUARDIAN, dt.date(2015, 6, 1), name="Mair D'Arcy"),
    ]
    return data
