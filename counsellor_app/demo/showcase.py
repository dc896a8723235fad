"""The first households of every dataset: one of each special situation, even in small sets.

Twenty-eight participants in all, in the first team. Tests and screenshots rely on every result
kind, outcome and review stage, every request kind and status, each withdrawal level, a deceased
participant, children and young people either side of 16, each representative kind, each
communication need and each name style being present in a dataset of 50.
"""

from __future__ import annotations

from counsellor_app.demo.names import NameStyle
from counsellor_app.demo.scenarios import (
    Age,
    HouseholdPlan,
    PersonPlan,
    RequestPlan,
    ResultPlan,
    Story,
)
from counsellor_app.domain.participant import CommunicationNeeds, Programme, RepresentativeKind
from counsellor_app.domain.request import RequestKind as K
from counsellor_app.domain.request import RequestStatus as S
from counsellor_app.domain.request import StudyType
from counsellor_app.domain.result import CounsellorState as C
from counsellor_app.domain.result import InformedHow
from counsellor_app.domain.result import ResultKind as R
from counsellor_app.domain.result import ResultOutcome as O
from counsellor_app.domain.result import ReviewStage as Stage

RD = Programme.RARE_DISEASE
CANCER = Programme.CANCER
PARENT = RepresentativeKind.PARENT_OR_GUARDIAN
LPA = RepresentativeKind.LASTING_POWER_OF_ATTORNEY
CONSULTEE = RepresentativeKind.CONSULTEE
LETTER, PHONE, CLINIC = InformedHow.LETTER, InformedHow.PHONE, InformedHow.CLINIC


def _initial(outcome: O, state: C = C.REVIEWED, how: InformedHow | None = None,
             variant: int | None = None, superseded: bool = False) -> ResultPlan:
    return ResultPlan(R.INITIAL_ANALYSIS, outcome, state, how, None, superseded, variant)


def _researcher(stage: Stage, outcome: O = O.UNCERTAIN) -> ResultPlan:
    return ResultPlan(R.RESEARCHER_IDENTIFIED, outcome, C.NEW, None, stage)


def _one(reason: str, programme: Programme, person: PersonPlan) -> HouseholdPlan:
    return HouseholdPlan(programme, reason, person)


SHOWCASE: tuple[HouseholdPlan, ...] = (
    # A Welsh-speaking family trio: a child proband, a superseded report, AF for the mother.
    HouseholdPlan(
        RD, "Intellectual disability",
        PersonPlan(
            Age.CHILD, female=False, given="Llŷr", family="Gruffydd", style=NameStyle.WELSH,
            results=(
                _initial(O.CONFIRMED_DIAGNOSIS, C.PATIENT_INFORMED, LETTER, 0, superseded=True),
                ResultPlan(R.REANALYSIS, O.PARTIAL_EXPLANATION, C.REVIEWED),
            ),
            requests=(
                RequestPlan(K.RESEARCHER_COLLABORATION, S.NEW),
                RequestPlan(K.PUBLICATION, S.AWAITING_PATIENT, beyond_existing_consent=True,
                            overdue=True),
            ),
        ),
        mother=PersonPlan(
            Age.PARENT, female=True, given="Rhiannon", family="Gruffydd", title="Mrs",
            style=NameStyle.WELSH, communication=CommunicationNeeds(interpreter_language="Welsh"),
            results=(ResultPlan(R.ADDITIONAL_FINDING, O.CONFIRMED_DIAGNOSIS, C.REVIEWED),),
            requests=(),
        ),
        father=PersonPlan(
            Age.PARENT, female=False, given="Dafydd", family="Gruffydd", title="Mr",
            style=NameStyle.WELSH, stories=frozenset({Story.AF_DECLINED}), results=(),
            requests=(),
        ),
    ),
    # 16 a few months ago; only her father's consent from before 16: re-consent needed.
    _one("Retinal disorders", RD, PersonPlan(
        Age.JUST_OVER_16, female=True, given="Niamh", family="O'Neill", title="Miss",
        style=NameStyle.IRISH, representative=PARENT, representative_name="Seán O'Neill",
        representative_relationship="father",
        results=(_initial(O.UNCERTAIN, C.NEW),), requests=(),
    )),
    # 16 in a few months; her mother consents for her.
    _one("Epileptic encephalopathy", RD, PersonPlan(
        Age.JUST_UNDER_16, female=True, given="Zoë", family="D'Arcy", style=NameStyle.EUROPEAN,
        representative=PARENT, representative_name="Anne-Marie D'Arcy",
        representative_relationship="mother",
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.REVIEWED),),
        requests=(RequestPlan(K.CLINICAL_TRIAL, S.UNDER_REVIEW, beyond_existing_consent=True,
                              study_type=StudyType.INTERVENTIONAL),),
    )),
    # Over 16 and has recorded his own decisions since his birthday.
    _one("Cystic kidney disease", RD, PersonPlan(
        Age.RECONSENTED_TEEN, female=False, given="Oisín", family="Ó Súilleabháin",
        title="Mr", style=NameStyle.IRISH, representative=PARENT,
        representative_name="Máire Ní Shúilleabháin", representative_relationship="mother",
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.PATIENT_INFORMED, CLINIC),
                 _researcher(Stage.SUBMITTED)),
        requests=(),
    )),
    _one("Colorectal cancer", CANCER, PersonPlan(
        Age.OLDER, female=False, given="Gwilym", family="ap Rhys", title="Mr",
        style=NameStyle.WELSH, deceased=True,
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.PATIENT_INFORMED, CLINIC),
                 _researcher(Stage.CLINICAL_REVIEW)),
        requests=(RequestPlan(K.PUBLICATION, S.CLOSED),),
    )),
    _one("Breast cancer", CANCER, PersonPlan(
        Age.OLDER, female=True, given="Łucja", family="Wójcik", title="Mrs",
        style=NameStyle.POLISH, representative=LPA, representative_name="Bartłomiej Wójcik",
        representative_relationship="son",
        communication=CommunicationNeeds(interpreter_language="Polish"),
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.PATIENT_INFORMED, LETTER, 0),
                 _researcher(Stage.RETURNED_TO_GLH)),
        requests=(),
    )),
    _one("Intellectual disability", RD, PersonPlan(
        Age.ADULT, female=False, given="Gruffydd", family="Llywelyn", title="Mr",
        style=NameStyle.WELSH, representative=CONSULTEE, representative_name="Angharad Llywelyn",
        representative_relationship="sister",
        communication=CommunicationNeeds(easy_read=True),
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.REVIEWED),
                 _researcher(Stage.NOT_RETURNED, O.NO_CAUSATIVE_VARIANT)),
        requests=(),
    )),
    _one("Ovarian cancer", CANCER, PersonPlan(
        Age.OLDER, female=True, given="Margaret", family="Lloyd-Williams", title="Mrs",
        style=NameStyle.WELSH, communication=CommunicationNeeds(large_print=True),
        results=(_initial(O.PARTIAL_EXPLANATION, C.REVIEWED),
                 _researcher(Stage.GLH_ASSESSMENT)),
        requests=(RequestPlan(K.SAMPLE_STORED_DNA, S.ACCEPTED),),
    )),
    _one("Retinal disorders", RD, PersonPlan(
        Age.ADULT, female=False, given="Hywel", family="Prydderch", title="Dr",
        style=NameStyle.WELSH, communication=CommunicationNeeds(braille=True),
        results=(_initial(O.UNCERTAIN, C.PATIENT_INFORMED, PHONE),
                 _researcher(Stage.REPORT_REISSUED, O.CONFIRMED_DIAGNOSIS)),
        requests=(RequestPlan(K.SAMPLE_FRESH, S.AWAITING_PATIENT, beyond_existing_consent=True,
                              overdue=True),),
    )),
    _one("Haemoglobinopathies", RD, PersonPlan(
        Age.ADULT, female=True, given="Ayesha", family="Khan", title="Mrs",
        style=NameStyle.SOUTH_ASIAN, communication=CommunicationNeeds(interpreter_language="Urdu"),
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.PATIENT_INFORMED, PHONE, 0),
                 _researcher(Stage.NOT_CONFIRMED, O.NO_CAUSATIVE_VARIANT)),
        requests=(),
    )),
    _one("Haemoglobinopathies", RD, PersonPlan(
        Age.ADULT, female=True, given="Nusrat", family="Begum", title="Ms",
        style=NameStyle.SOUTH_ASIAN,
        communication=CommunicationNeeds(interpreter_language="Bengali"),
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.REVIEWED, None, 1),),
        requests=(RequestPlan(K.PATIENT_REGISTRY, S.ACCEPTED,
                              study_type=StudyType.PATIENT_REGISTRY),),
    )),
    _one("Mitochondrial disorders", RD, PersonPlan(
        Age.ADULT, female=True, given="Layla", family="Al-Hassan", title="Ms",
        style=NameStyle.ARABIC, communication=CommunicationNeeds(interpreter_language="Arabic"),
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.PATIENT_INFORMED, LETTER),
                 ResultPlan(R.PIPELINE_IMPROVEMENT, O.CONFIRMED_DIAGNOSIS, C.NEW)),
        requests=(RequestPlan(K.EXPERT_OPINION, S.CLOSED),),
    )),
    _one("Breast cancer", CANCER, PersonPlan(
        Age.ADULT, female=True, given="Chloé", family="Dubois", title="Ms",
        style=NameStyle.EUROPEAN, stories=frozenset({Story.NO_FURTHER_CONTACT}),
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.REVIEWED),),
        requests=(RequestPlan(K.RESEARCHER_COLLABORATION, S.DECLINED),),
    )),
    _one("Hypertrophic cardiomyopathy", RD, PersonPlan(
        Age.ADULT, female=True, given="Siobhán", family="O'Brien", title="Ms",
        style=NameStyle.IRISH, stories=frozenset({Story.NO_FURTHER_CONTACT_LIFTED}),
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.REVIEWED),),
        requests=(),
    )),
    _one("Renal cell carcinoma", CANCER, PersonPlan(
        Age.ADULT, female=False, given="Jean-Paul", family="Lefèvre", title="Mr",
        style=NameStyle.EUROPEAN, stories=frozenset({Story.NO_FURTHER_USE}),
        results=(_initial(O.UNCERTAIN, C.REVIEWED),), requests=(),
    )),
    _one("Congenital muscular dystrophy", RD, PersonPlan(
        Age.ADULT, female=False, given="Michał", family="Wiśniewski", title="Mr",
        style=NameStyle.POLISH, stories=frozenset({Story.RESEARCH_DECLINED}),
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.PATIENT_INFORMED, LETTER),),
        requests=(RequestPlan(K.CLINICAL_TRIAL, S.DECLINED, study_type=StudyType.INTERVENTIONAL),
                  RequestPlan(K.EXPERT_OPINION, S.UNDER_REVIEW)),
    )),
    # Granted additional findings, was sent one, then withdrew that consent.
    _one("Breast cancer", CANCER, PersonPlan(
        Age.ADULT, female=True, given="Anne-Marie", family="Hughes", title="Mrs",
        style=NameStyle.ENGLISH, stories=frozenset({Story.AF_WITHDRAWN_LATER}),
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.PATIENT_INFORMED, LETTER),
                 ResultPlan(R.ADDITIONAL_FINDING, O.CONFIRMED_DIAGNOSIS, C.REVIEWED)),
        requests=(),
    )),
    # Declined additional findings at recruitment, granted them later; then one was found.
    _one("Inherited aortopathy", RD, PersonPlan(
        Age.ADULT, female=True, given="Siân", family="Evans", title="Ms",
        style=NameStyle.WELSH, stories=frozenset({Story.AF_DECLINED_THEN_GRANTED}),
        communication=CommunicationNeeds(interpreter_language="Welsh"),
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.PATIENT_INFORMED, CLINIC),
                 ResultPlan(R.ADDITIONAL_FINDING, O.CONFIRMED_DIAGNOSIS, C.NEW)),
        requests=(),
    )),
    _one("Alport syndrome", RD, PersonPlan(
        Age.ADULT, female=False, given="Gethin", family="Parry-Jones", title="Mr",
        style=NameStyle.WELSH, stories=frozenset({Story.AF_DECLINED}),
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.REVIEWED),), requests=(),
    )),
    # Moved to Belfast but still under the first team.
    _one("Sarcoma", CANCER, PersonPlan(
        Age.ADULT, female=True, given="Órla", family="McCann", title="Miss",
        style=NameStyle.IRISH, region="northern_ireland",
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.PATIENT_INFORMED, CLINIC),),
        requests=(RequestPlan(K.CLINICAL_TRIAL, S.ACCEPTED, study_type=StudyType.OBSERVATIONAL),
                  RequestPlan(K.RESEARCHER_COLLABORATION, S.UNDER_REVIEW)),
    )),
    _one("Epileptic encephalopathy", RD, PersonPlan(
        Age.ADULT, female=True, given="Ayşe", family="Yılmaz", title="Mrs",
        style=NameStyle.TURKISH, communication=CommunicationNeeds(interpreter_language="Turkish"),
        results=(_initial(O.UNCERTAIN, C.REVIEWED),),
        requests=(RequestPlan(K.SAMPLE_STORED_DNA, S.NEW),),
    )),
    _one("Colorectal cancer", CANCER, PersonPlan(
        Age.OLDER, female=True, given="Thị Lan", family="Nguyễn", title="Mrs",
        style=NameStyle.VIETNAMESE,
        results=(_initial(O.CONFIRMED_DIAGNOSIS, C.REVIEWED),),
        requests=(RequestPlan(K.CLINICAL_TRIAL, S.AWAITING_PATIENT, beyond_existing_consent=True,
                              study_type=StudyType.EXPANDED_ACCESS),),
    )),
    _one("Early onset and familial Parkinson's disease", RD, PersonPlan(
        Age.ADULT, female=None, given="Charlie", family="Walker", title="Mx",
        style=NameStyle.ENGLISH,
        results=(_initial(O.NO_CAUSATIVE_VARIANT, C.PATIENT_INFORMED, LETTER),
                 ResultPlan(R.REANALYSIS, O.CONFIRMED_DIAGNOSIS, C.NEW)),
        requests=(RequestPlan(K.PATIENT_REGISTRY, S.CLOSED, study_type=StudyType.PATIENT_REGISTRY),
                  RequestPlan(K.SAMPLE_FRESH, S.DECLINED, beyond_existing_consent=True)),
    )),
    # A second trio: the mother kept her own family name.
    HouseholdPlan(
        RD, "Congenital muscular dystrophy",
        PersonPlan(Age.CHILD, female=False, given="Alfie", family="Harrison",
                   style=NameStyle.ENGLISH,
                   results=(_initial(O.CONFIRMED_DIAGNOSIS, C.NEW, None, 0),),
                   requests=(RequestPlan(K.EXPERT_OPINION, S.ACCEPTED),)),
        mother=PersonPlan(Age.PARENT, female=True, given="Kelly", family="O'Connor", title="Ms",
                          style=NameStyle.IRISH, results=(), requests=()),
        father=PersonPlan(Age.PARENT, female=False, given="Mark", family="Harrison", title="Mr",
                          style=NameStyle.ENGLISH, results=(), requests=()),
    ),
)
