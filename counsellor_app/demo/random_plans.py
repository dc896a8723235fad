"""Households drawn at random in realistic proportions (rare disease and cancer, trios, ages)."""

from __future__ import annotations

from random import Random

from counsellor_app.demo.clinical import CANCERS, RARE_DISEASES
from counsellor_app.demo.draws import Weighted
from counsellor_app.demo.fast_enums import fast_members
from counsellor_app.demo.scenarios import Age, HouseholdPlan, PersonPlan, Story
from counsellor_app.domain.participant import Programme, RepresentativeKind

AGE = fast_members(Age)
STORY = fast_members(Story)
PROGRAMME = fast_members(Programme)
REPRESENTATIVE = fast_members(RepresentativeKind)

_RARE = tuple(RARE_DISEASES)
_CANCER = tuple(CANCERS)
_FEMALE_CANCERS = {"Breast cancer", "Ovarian cancer", "Endometrial carcinoma"}
_MALE_CANCERS = {"Prostate cancer"}

_SINGLE_RD_AGE = Weighted(
    ((AGE.CHILD, 33), (AGE.JUST_UNDER_16, 1), (AGE.JUST_OVER_16, 1), (AGE.RECONSENTED_TEEN, 2),
     (AGE.ADULT, 50), (AGE.OLDER, 13))
)
_TRIO_AGE = Weighted(
    ((AGE.CHILD, 72), (AGE.JUST_UNDER_16, 2), (AGE.JUST_OVER_16, 2), (AGE.RECONSENTED_TEEN, 3),
     (AGE.ADULT, 21))
)
_CANCER_AGE = Weighted(((AGE.ADULT, 60), (AGE.OLDER, 40)))
_DECEASED = {AGE.CHILD: 0.004, AGE.ADULT: 0.015, AGE.OLDER: 0.06, AGE.PARENT: 0.005}
_TEENS = (AGE.JUST_UNDER_16, AGE.JUST_OVER_16, AGE.RECONSENTED_TEEN)


def random_household(rng: Random) -> HouseholdPlan:
    """One household: about 62% rare disease (three in ten of them trios), 38% cancer."""
    if rng.random() < 0.62:
        reason = rng.choice(_RARE)
        if rng.random() < 0.3:
            return HouseholdPlan(
                PROGRAMME.RARE_DISEASE, reason, _person(rng, _TRIO_AGE(rng)),
                mother=_person(rng, AGE.PARENT, female=True),
                father=_person(rng, AGE.PARENT, female=False),
            )
        return HouseholdPlan(PROGRAMME.RARE_DISEASE, reason, _person(rng, _SINGLE_RD_AGE(rng)))
    reason = rng.choice(_CANCER)
    female = True if reason in _FEMALE_CANCERS else False if reason in _MALE_CANCERS else None
    return HouseholdPlan(PROGRAMME.CANCER, reason, _person(rng, _CANCER_AGE(rng), female=female))


def _person(rng: Random, age: Age, *, female: bool | None = None) -> PersonPlan:
    deceased = rng.random() < _DECEASED.get(age, 0.0)
    representative = None
    if age in (AGE.ADULT, AGE.OLDER):
        roll = rng.random()
        if roll < (0.05 if age is AGE.OLDER else 0.008):
            representative = REPRESENTATIVE.LASTING_POWER_OF_ATTORNEY
        elif roll < (0.058 if age is AGE.OLDER else 0.016):
            representative = REPRESENTATIVE.CONSULTEE
    return PersonPlan(
        age, female=female, deceased=deceased, representative=representative,
        stories=_stories(rng, age, deceased),
    )


def _stories(rng: Random, age: Age, deceased: bool) -> frozenset[Story]:
    stories: set[Story] = set()
    roll = rng.random()
    if roll < 0.12:
        stories.add(STORY.AF_DECLINED)
    elif age in _TEENS:
        return frozenset(stories)  # a young person's history stays simple: see the showcase
    elif roll < 0.14:
        stories.add(STORY.AF_DECLINED_THEN_GRANTED)
    elif roll < 0.15:
        stories.add(STORY.AF_WITHDRAWN_LATER)
    if rng.random() < 0.06:
        stories.add(STORY.RESEARCH_DECLINED)
    if not deceased:
        roll = rng.random()
        if roll < 0.012:
            stories.add(STORY.NO_FURTHER_CONTACT)
        elif roll < 0.016:
            stories.add(STORY.NO_FURTHER_CONTACT_LIFTED)
        elif roll < 0.021:
            stories.add(STORY.NO_FURTHER_USE)
    return frozenset(stories)
