"""A small real cache for the dialog tests: hand-made participants whose facts each test needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsellor_app.demo.synthetic import generate
from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
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
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    Tier,
    Variant,
    Zygosity,
)
from counsellor_app.store.bulk import insert_records, load_dataset
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.settings_store import AppSettings

NOW = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
USER = "J. Evans"

ADULT = "P-ADULT"
TEEN = "P-TEEN"
CHILD = "P-CHILD"
GONE = "P-GONE"
CONFLICTED = "P-CONFLICT"
MARKUP_GIVEN = "<b>Ŵyn</b>"
MARKUP_FAMILY = "O'Brien &amp; Łukasz"
GREEK_PARENT = "Ἀλέξης Παπαδόπουλος"

_GP = GeneralPractitioner(
    "Dr A. Practice", "Hillside Surgery", Address(("1 Surgery Lane", "Northtown"), "NT1 1AA")
)
_ADDRESS = Address(("2 Chapel Row", "Northtown"), "NT2 2BB")


def _participant(  # type: ignore[no-untyped-def]
    pid: str, nhs: str, given: str, family: str, born: dt.date, **extra
) -> Participant:
    return Participant(
        participant_id=pid,
        nhs_number=nhs,
        given_name=given,
        family_name=family,
        date_of_birth=born,
        life_status=extra.pop("life_status", LifeStatus.ALIVE),
        address=_ADDRESS,
        gp=_GP,
        team="team-north",
        glh="North GLH",
        programme=Programme.RARE_DISEASE,
        **extra,
    )


def _decision(  # type: ignore[no-untyped-def]
    did: str, pid: str, scope: ConsentScope, decision: Decision, on: dt.date, **extra
) -> ConsentDecision:
    at = dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)
    return ConsentDecision(
        decision_id=did,
        participant_id=pid,
        scope=scope,
        decision=decision,
        given_by=extra.pop("given_by", GivenBy.SELF),
        given_by_name=extra.pop("given_by_name", None),
        method=Method.IN_PERSON,
        recorded_by="A. Colleague",
        recorded_at=at,
        effective_from=at,
        **extra,
    )


def participants() -> list[Participant]:
    teen_parent = Representative(
        "REP-TEEN", RepresentativeKind.PARENT_OR_GUARDIAN, GREEK_PARENT, "mother",
        Address(("9 Harbour View",), "NT9 9ZZ"),
    )
    child_parent = Representative(
        "REP-CHILD", RepresentativeKind.PARENT_OR_GUARDIAN, "Rhys Morgan", "father", _ADDRESS
    )
    return [
        _participant(
            ADULT, "9990000018", MARKUP_GIVEN, MARKUP_FAMILY, dt.date(1980, 5, 1),
            communication=CommunicationNeeds(large_print=True),
        ),
        _participant(
            TEEN, "9990000026", "Megan", "Papadopoulos", dt.date(2009, 1, 10),
            representatives=(teen_parent,),
        ),
        _participant(
            CHILD, "9990000034", "Cerys", "Morgan", dt.date(2018, 3, 3),
            representatives=(child_parent,),
        ),
        _participant(GONE, "9990000042", "Tomasz", "Nowak", dt.date(1970, 2, 2)),
        _participant(CONFLICTED, "9990000050", "Eleni", "Σταύρου", dt.date(1985, 7, 7)),
    ]


def cases() -> list[Case]:
    return [
        Case(f"C-{pid}", pid, "Intellectual disability", CaseStatus.RESULT_AVAILABLE,
             Priority.ROUTINE, USER, dt.date(2016, 1, 1))
        for pid in (ADULT, TEEN, CHILD, GONE, CONFLICTED)
    ]


def results() -> list[Result]:
    variant = Variant(
        "KCNQ2", "NM_172107.4", "c.881C>T", "p.(Ala294Val)", Zygosity.HETEROZYGOUS,
        ModeOfInheritance.DE_NOVO, Tier.TIER1, AcmgClass.PATHOGENIC, "KCNQ2 encephalopathy",
    )
    return [
        Result("RES-ADULT-1", f"C-{ADULT}", ADULT, ResultKind.INITIAL_ANALYSIS,
               ResultOutcome.NO_CAUSATIVE_VARIANT, 1, dt.date(2019, 4, 1), "No variant found.",
               superseded_by="RES-ADULT-2"),
        Result("RES-ADULT-2", f"C-{ADULT}", ADULT, ResultKind.REANALYSIS,
               ResultOutcome.CONFIRMED_DIAGNOSIS, 2, dt.date(2026, 10, 1),
               "Reanalysis found a de novo variant.", variants=(variant,),
               supersedes="RES-ADULT-1"),
        Result("RES-TEEN-AF", f"C-{TEEN}", TEEN, ResultKind.ADDITIONAL_FINDING,
               ResultOutcome.CONFIRMED_DIAGNOSIS, 1, dt.date(2026, 8, 1),
               "Additional finding in a cardiac gene.", variants=(variant,)),
        Result("RES-CHILD-1", f"C-{CHILD}", CHILD, ResultKind.INITIAL_ANALYSIS,
               ResultOutcome.NO_CAUSATIVE_VARIANT, 1, dt.date(2026, 9, 1), "No variant found."),
    ]


def requests() -> list[CollaborationRequest]:
    requester = Requester("Dr R. Searcher", "University of Northtown", "epilepsy genetics")
    return [
        CollaborationRequest(
            "R-1", f"C-{ADULT}", ADULT, RequestKind.RESEARCHER_COLLABORATION, requester,
            "Share the variant and phenotype for a functional study.", True,
            dt.date(2026, 10, 20), dt.date(2026, 12, 20), RequestStatus.AWAITING_PATIENT,
        ),
        CollaborationRequest(
            "R-2", f"C-{ADULT}", ADULT, RequestKind.PUBLICATION, requester,
            "Publish the case in a case series.", False,
            dt.date(2026, 11, 1), dt.date(2027, 1, 10), RequestStatus.UNDER_REVIEW,
        ),
    ]


def decisions() -> list[ConsentDecision]:
    return [
        _decision("D-1", ADULT, ConsentScope.PROGRAMME, Decision.GRANTED, dt.date(2015, 6, 1)),
        _decision("D-2", ADULT, ConsentScope.CONTACT_FOR_RESEARCH, Decision.GRANTED,
                  dt.date(2015, 6, 1)),
        _decision("D-3", TEEN, ConsentScope.PROGRAMME, Decision.GRANTED, dt.date(2015, 6, 1),
                  given_by=GivenBy.PARENT_OR_GUARDIAN, given_by_name=GREEK_PARENT),
        _decision("D-4", TEEN, ConsentScope.ADDITIONAL_FINDINGS, Decision.GRANTED,
                  dt.date(2015, 6, 1), given_by=GivenBy.PARENT_OR_GUARDIAN,
                  given_by_name=GREEK_PARENT),
        _decision("D-5", GONE, ConsentScope.PROGRAMME, Decision.WITHDRAWN, dt.date(2024, 1, 5),
                  withdrawal_level=WithdrawalLevel.NO_FURTHER_USE),
        _decision("D-6", CONFLICTED, ConsentScope.PROGRAMME, Decision.WITHDRAWN,
                  dt.date(2026, 9, 1), withdrawal_level=WithdrawalLevel.NO_FURTHER_CONTACT),
        _decision("D-7", CONFLICTED, ConsentScope.CONTACT_FOR_RESEARCH, Decision.GRANTED,
                  dt.date(2026, 9, 2), conflict=True,
                  conflict_reason="A withdrawal recorded elsewhere on 1 September came first."),
    ]


def make_synthetic_context(root: Path, participants: int = 50) -> AppContext:
    """A real encrypted cache filled with the demo's synthetic caseload."""
    profile = Profile.at(root)
    keys = KeyProvider(profile)
    cache = open_cache(profile, keys, create=True)
    load_dataset(cache, generate(participants, seed=11, reference_date=TODAY), today=TODAY)
    return AppContext(
        profile=profile, cache=cache, user_name=USER, hub_url="", settings=AppSettings(),
        key_provider=keys, clock=lambda: NOW,
    )


def make_context(root: Path) -> AppContext:
    """A real encrypted cache in ``root`` holding the participants above, and its context."""
    profile = Profile.at(root)
    keys = KeyProvider(profile)
    cache = open_cache(profile, keys, create=True)
    with cache.write() as session:
        insert_records(
            session,
            participants=participants(),
            cases=cases(),
            results=results(),
            requests=requests(),
            decisions=decisions(),
            today=TODAY,
        )
    return AppContext(
        profile=profile,
        cache=cache,
        user_name=USER,
        hub_url="",
        settings=AppSettings(),
        key_provider=keys,
        clock=lambda: NOW,
    )
