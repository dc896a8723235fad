"""Households drawn at random in realistic proportions (rare disease and cancer, trios, ages)."""

from __future__ import annotations

from random import Random

from counsellor_app.demo.clinical import CANCERS, RARE_DISEASES
from counsellor_app.demo.draws import Weighted
from counsellor_app.demo.scenarios import Age, HouseholdPlan, PersonPlan, Story
from counsellor_app.domain.participant import Programme, RepresentativeKind

_RARE = tuple(RARE_DISEASES)
_CANCER = tuple(CANCERS)
_FEMALE_CANCERS = {"Breast cancer", "Ovarian cancer", "Endometrial carcinoma"}
_MALE_CANCERS = {"Prostate cancer"}

_SINGLE_RD_AGE = Weighted(
    ((Age.CHILD, 33), (Age.JUST_UNDER_16, 1), (Age.JUST_OVER_16, 1), (Age.RECONSENTED_TEEN, 2),
     (Age.ADULT, 50), (Age.OLDER, 13))
)
_TRIO_AGE = Weighted(
    ((Age.CHILD, 72), (Age.JUST_UNDER_16, 2), (Age.JUST_OVER_16, 2), (Age.RECONSENTED_TEEN, 3),
     (Age.ADULT, 21))
)
_CANCER_AGE = Weighted(((Age.ADULT, 60), (Age.OLDER, 40)))
_DECEASED = {Age.CHILD: 0.004, Age.ADULT: 0.015, Age.OLDER: 0.06, Age.PARENT: 0.005}
_TEENS = (Age.JUST_UNDER_16, Age.JUST_OVER_16, Age.RECONSENTED_TEEN)


def random_household(rng: Random) -> HouseholdPlan:
    """One household: about 62% rare disease (three in ten of them trios), 38% cancer."""
    if rng.random() < 0.62:
        reason = rng.choice(_RARE)
        if rng.random() < 0.3:
            return HouseholdPlan(
                Programme.RARE_DISEASE, reason, _person(rng, _TRIO_AGE(rng)),
                mother=_person(rng, Age.PARENT, female=True),
                father=_person(rng, Age.PARENT, female=False),
            )
        return HouseholdPlan(Programme.RARE_DISEASE, reason, _person(rng, _SINGLE_RD_AGE(rng)))
    reason = rng.choice(_CANCER)
    female = True if reason in _FEMALE_CANCERS else False if reason in _MALE_CANCERS else None
    return HouseholdPlan(Programme.CANCER, reason, _person(rng, _CANCER_AGE(rng), female=female))


def _person(rng: Random, age: Age, *, female: bool | None = None) -> PersonPlan:
    deceased = rng.random() < _DECEASED.get(age, 0.0)
    representative = None
    if age in (Age.ADULT, Age.OLDER):
        roll = rng.random()
        if roll < (0.05 if age is Age.OLDER else 0.008):
            representative = RepresentativeKind.LASTING_POWER_OF_ATTORNEY
        elif roll < (0.058 if age is Age.OLDER else 0.016):
            representative = RepresentativeKind.CONSULTEE
    return PersonPlan(
        age, female=female, deceased=deceased, representative=representative,
        stories=_stories(rng, age, deceased),
    )


def _stories(rng: Random, age: Age, deceased: bool) -> frozenset[Story]:
    stories: set[Story] = set()
    roll = rng.random()
    if roll < 0.12:
        stories.add(Story.AF_DECLINED)
    elif age in _TEENS:
        return frozenset(stories)  # a young person's history stays simple: see the showcase
    elif roll < 0.14:
        stories.add(Story.AF_DECLINED_THEN_GRANTED)
    elif roll < 0.15:
        stories.add(Story.AF_WITHDRAWN_LATER)
    if rng.random() < 0.06:
        stories.add(Story.RESEARCH_DECLINED)
    if not deceased:
        roll = rng.random()
        if roll < 0.012:
            stories.add(Story.NO_FURTHER_CONTACT)
        elif roll < 0.016:
            stories.add(Story.NO_FURTHER_CONTACT_LIFTED)
        elif roll < 0.021:
            stories.add(Story.NO_FURTHER_USE)
    return frozenset(stories)
