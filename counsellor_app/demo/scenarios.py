"""Plans for synthetic households: what each participant's story is, before names and dates.

Plans are named tuples: immutable, and cheap to make by the hundred thousand.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import NamedTuple

from counsellor_app.demo.names import NameStyle
from counsellor_app.domain.participant import CommunicationNeeds, Programme, RepresentativeKind
from counsellor_app.domain.request import RequestKind, RequestStatus, StudyType
from counsellor_app.domain.result import (
    CounsellorState,
    InformedHow,
    ResultKind,
    ResultOutcome,
    ReviewStage,
)


class Age(Enum):
    """Age band on the reference date."""

    __hash__ = object.__hash__  # members are singletons; Enum's own hash runs in Python

    CHILD = "child"  # under 16, and not within months of the 16th birthday
    JUST_UNDER_16 = "just_under_16"  # 16th birthday in the next few months
    JUST_OVER_16 = "just_over_16"  # 16th birthday in the last few months, parent's consent only
    RECONSENTED_TEEN = "reconsented_teen"  # 16 or 17, has recorded their own decision
    ADULT = "adult"  # 18 to 69
    OLDER = "older"  # 70 to 95
    PARENT = "parent"  # a proband's parent: age follows the child's


class Story(StrEnum):
    """Consent events beyond the ordinary grants at recruitment."""

    __hash__ = str.__hash__  # C-speed set membership: generation checks stories very often

    AF_DECLINED = "af_declined"
    AF_DECLINED_THEN_GRANTED = "af_declined_then_granted"
    AF_WITHDRAWN_LATER = "af_withdrawn_later"  # after an additional finding was issued
    RESEARCH_DECLINED = "research_declined"
    NO_FURTHER_CONTACT = "no_further_contact"
    NO_FURTHER_CONTACT_LIFTED = "no_further_contact_lifted"
    NO_FURTHER_USE = "no_further_use"


class ResultPlan(NamedTuple):
    kind: ResultKind
    outcome: ResultOutcome
    state: CounsellorState = CounsellorState.NEW
    informed_how: InformedHow | None = None
    review_stage: ReviewStage | None = None
    superseded: bool = False  # issue a corrected version 2 that supersedes this report
    variant_index: int | None = None  # which known variant of the referral reason


class RequestPlan(NamedTuple):
    kind: RequestKind
    status: RequestStatus
    beyond_existing_consent: bool = False
    overdue: bool = False
    study_type: StudyType | None = None


class PersonPlan(NamedTuple):
    age: Age
    female: bool | None = None
    given: str | None = None
    family: str | None = None
    title: str | None = None
    style: NameStyle | None = None
    deceased: bool = False
    representative: RepresentativeKind | None = None
    representative_name: str | None = None
    representative_relationship: str | None = None
    communication: CommunicationNeeds | None = None
    stories: frozenset[Story] = frozenset()
    results: tuple[ResultPlan, ...] | None = None  # None: drawn at random
    requests: tuple[RequestPlan, ...] | None = None  # None: drawn at random
    region: str | None = None  # lives outside the team's region (moved away)


class HouseholdPlan(NamedTuple):
    """A proband on their own, or a trio with mother and father (one family_id)."""

    programme: Programme
    reason: str
    proband: PersonPlan
    mother: PersonPlan | None = None
    father: PersonPlan | None = None
