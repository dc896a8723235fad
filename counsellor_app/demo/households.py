"""Turns household plans into participants, cases, results, requests and consent decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from random import Random

from counsellor_app.demo.consent_history import ConsentWriter
from counsellor_app.demo.draws import day_between
from counsellor_app.demo.fast_enums import fast_members
from counsellor_app.demo.life import Ids, Life
from counsellor_app.demo.names import POOLS, STAFF, NameStyle, family_form
from counsellor_app.demo.people import Identities
from counsellor_app.demo.places import REGIONS, Town, team_glh, team_region
from counsellor_app.demo.request_history import RequestWriter, random_request_plans
from counsellor_app.demo.result_history import ResultWriter, random_result_plans
from counsellor_app.demo.scenarios import Age, HouseholdPlan, PersonPlan
from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import ConsentDecision, GivenBy
from counsellor_app.domain.participant import (
    Address,
    CommunicationNeeds,
    LifeStatus,
    Participant,
    Relationship,
    Representative,
    RepresentativeKind,
    add_years,
)
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import CounsellorState, Result

AGE = fast_members(Age)
RELATIONSHIP = fast_members(Relationship)
REPRESENTATIVE = fast_members(RepresentativeKind)
LIFE = fast_members(LifeStatus)
CASE_STATUS = fast_members(CaseStatus)
PRIORITY = fast_members(Priority)
STATE = fast_members(CounsellorState)
GIVEN_BY = fast_members(GivenBy)

_NO_NEEDS = CommunicationNeeds()
_INTERPRETER_CHANCE = {
    NameStyle.WELSH: 0.06, NameStyle.POLISH: 0.25, NameStyle.SOUTH_ASIAN: 0.15,
    NameStyle.ARABIC: 0.25, NameStyle.TURKISH: 0.25, NameStyle.VIETNAMESE: 0.3,
    NameStyle.WEST_AFRICAN: 0.03, NameStyle.EUROPEAN: 0.06,
}
_YEAR = 365
_CHILD_AGES = (AGE.CHILD, AGE.JUST_UNDER_16, AGE.JUST_OVER_16, AGE.RECONSENTED_TEEN)
_PROXY_GIVER = {
    REPRESENTATIVE.LASTING_POWER_OF_ATTORNEY: GIVEN_BY.LASTING_POWER_OF_ATTORNEY,
    REPRESENTATIVE.CONSULTEE: GIVEN_BY.CONSULTEE,
}
_PROXY_RELATIONSHIPS = {
    REPRESENTATIVE.LASTING_POWER_OF_ATTORNEY: ("daughter", "son", "wife", "husband", "niece"),
    REPRESENTATIVE.CONSULTEE: ("sister", "brother", "friend", "care home manager"),
}


@dataclass(slots=True)
class Records:
    participants: list[Participant] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    requests: list[CollaborationRequest] = field(default_factory=list)
    decisions: list[ConsentDecision] = field(default_factory=list)


@dataclass(slots=True)
class _Home:
    region: str
    address: Address
    town: Town


class HouseholdWriter:
    """Writes whole households into one set of records, drawing from one seeded generator."""

    def __init__(self, rng: Random, reference_date: dt.date) -> None:
        self._rng = rng
        self._ref = reference_date
        self.ids = Ids()
        self.records = Records()
        self._people = Identities(rng)
        self._results = ResultWriter(rng, self.ids)
        self._requests = RequestWriter(rng, self.ids)
        self._consents = ConsentWriter(rng, self.ids)

    def write(self, plan: HouseholdPlan, team: str, room: int, *, showcase: bool) -> int:
        """Writes the household (only the proband when fewer than three places are left)."""
        rng = self._rng
        trio = plan.mother is not None and plan.father is not None and room >= 3
        proband = plan.proband
        region = proband.region or team_region(team)
        if proband.region is None and not trio and rng.random() < 0.015:
            region = rng.choice(sorted(set(REGIONS) - {region}))
        town = self._people.town(region)
        home = _Home(region, self._people.address(region, town), town)
        female = proband.female if proband.female is not None else rng.random() < 0.5
        style = proband.style or self._people.style(team_region(team))
        family_entry = proband.family or self._people.family_entry(style)
        members = (proband, plan.mother, plan.father) if trio else (proband,)
        long_story = any(m is not None and (m.stories or m.deceased) for m in members)
        dob, recruited = self._dates(proband, showcase, None, None, long_story)
        if not trio:
            parent = None
            if proband.age in _CHILD_AGES:
                parent = proband.representative_name, proband.representative_relationship
            self._person(proband, team, plan, home, style, female, family_entry, dob, recruited,
                         RELATIONSHIP.PROBAND, None, parent)
            return 1
        assert plan.mother is not None and plan.father is not None
        family_id = self.ids.family()
        mother_style = plan.mother.style or (
            style if rng.random() < 0.85 else self._people.style(team_region(team)))
        mother_entry = plan.mother.family or (
            family_entry if mother_style is style and rng.random() < 0.75
            else self._people.family_entry(mother_style))
        mother_given = plan.mother.given or self._people.given_name(mother_style, True)
        mother_name = f"{mother_given} {family_form(mother_entry, True)}"
        self._person(proband, team, plan, home, style, female, family_entry, dob, recruited,
                     RELATIONSHIP.PROBAND, family_id, (mother_name, "mother"))
        mother_dob, _ = self._dates(plan.mother, showcase, dob, recruited, long_story)
        self._person(plan.mother, team, plan, home, mother_style, True, mother_entry, mother_dob,
                     recruited, RELATIONSHIP.MOTHER, family_id, None, given=mother_given)
        father_dob, _ = self._dates(plan.father, showcase, dob, recruited, long_story)
        self._person(plan.father, team, plan, home, plan.father.style or style, False,
                     plan.father.family or family_entry, father_dob, recruited,
                     RELATIONSHIP.FATHER, family_id, None)
        return 3

    # -- one person --------------------------------------------------------------------------

    def _person(
        self,
        plan: PersonPlan,
        team: str,
        household: HouseholdPlan,
        home: _Home,
        style: NameStyle,
        female: bool,
        family_entry: str,
        dob: dt.date,
        recruited: dt.date,
        relationship: Relationship,
        family_id: str | None,
        parent: tuple[str | None, str | None] | None,
        *,
        given: str | None = None,
    ) -> None:
        rng, ref, people = self._rng, self._ref, self._people
        pid = self.ids.participant()
        given = plan.given or given or people.given_name(style, female)
        family = family_form(family_entry, female)
        sixteenth = add_years(dob, 16)
        representatives: list[Representative] = []
        parent_name = proxy_name = None
        proxy = None
        if parent is not None:
            name, relation = parent
            relation = relation or ("mother" if rng.random() < 0.7 else "father")
            parent_name = name or (
                f"{people.given_name(style, relation == 'mother')} "
                f"{family_form(family_entry, relation == 'mother')}")
            representatives.append(Representative(
                self.ids.representative(), REPRESENTATIVE.PARENT_OR_GUARDIAN, parent_name,
                relation, home.address if rng.random() < 0.9 or plan.given else
                people.address(home.region)))
        elif plan.representative is not None:  # an attorney or a consultee
            kind = plan.representative
            relation = plan.representative_relationship or rng.choice(_PROXY_RELATIONSHIPS[kind])
            proxy_name = plan.representative_name or people.full_name(style, rng.random() < 0.6)
            proxy = _PROXY_GIVER[kind]
            representatives.append(Representative(
                self.ids.representative(), kind, proxy_name, relation,
                people.address(home.region)))
        death = None
        if plan.deceased:
            span = max((ref - recruited).days, 60)
            death = min(recruited + dt.timedelta(days=int(span * (0.5 + 0.45 * rng.random()))),
                        ref - dt.timedelta(days=1))
        end = (death - dt.timedelta(days=1)) if death else ref
        if parent_name is not None and plan.age is AGE.JUST_OVER_16:
            end = min(end, sixteenth - dt.timedelta(days=1))
        consent_span = max((end - recruited).days, 2)
        reconsented = None
        if plan.age is AGE.RECONSENTED_TEEN:
            reconsented = day_between(rng, sixteenth + dt.timedelta(days=1),
                                      min(ref, sixteenth + dt.timedelta(days=200)))
        first, second = 0.55 + 0.1 * rng.random(), 0.8 + 0.1 * rng.random()
        life = Life(
            participant_id=pid, plan=plan, programme=household.programme,
            reason=household.reason, date_of_birth=dob, sixteenth_birthday=sixteenth,
            recruited=recruited,
            first_change=recruited + dt.timedelta(days=int(consent_span * first)),
            second_change=recruited + dt.timedelta(days=int(consent_span * second)),
            end=end, reference_date=ref, staff=STAFF[team_region(team)], date_of_death=death,
            parent_name=parent_name, proxy=proxy, proxy_name=proxy_name,
            carrier_testing=relationship is not RELATIONSHIP.PROBAND, reconsented_on=reconsented,
            stories=plan.stories,
        )
        adult = plan.age not in (AGE.CHILD, AGE.JUST_UNDER_16)
        title = plan.title or (
            ("Miss" if female else "Mr") if plan.age in _CHILD_AGES and adult
            else people.adult_title(female) if adult else None)
        participant = Participant(
            pid, people.nhs_number(), given, family, dob,
            LIFE.DECEASED if death else LIFE.ALIVE, home.address,
            None if rng.random() < 0.01 else people.gp(home.town), team, team_glh(team),
            household.programme, family_id, relationship, title,
            plan.communication or self._communication(plan, style), tuple(representatives),
            death,
        )
        self.records.participants.append(participant)
        self._case(life, team, relationship)

    def _case(self, life: Life, team: str, relationship: Relationship) -> None:
        rng = self._rng
        plan = life.plan
        case_id = self.ids.case()
        parent = relationship is not RELATIONSHIP.PROBAND
        result_plans = plan.results
        if result_plans is None:
            result_plans = random_result_plans(rng, life, parent=parent)
        results = self._results.write(life, case_id, result_plans,
                                      draw_states=plan.results is None)
        request_plans = plan.requests
        if request_plans is None:
            request_plans = () if parent else random_request_plans(rng, life)
        requests = self._requests.write(life, case_id, request_plans, results)
        decisions = self._consents.write(life, requests, results)
        current = [r for r in results if r.superseded_by is None]
        if not current:
            status = CASE_STATUS.OPEN if parent else CASE_STATUS.AWAITING_RESULT
        elif any(r.counsellor_state is STATE.NEW for r in current):
            status = CASE_STATUS.RESULT_AVAILABLE
        elif all(r.counsellor_state is STATE.PATIENT_INFORMED for r in current) and \
                not any(q.status.is_open for q in requests) and rng.random() < 0.5:
            status = CASE_STATUS.CLOSED
        else:
            status = CASE_STATUS.OPEN
        reason = f"{life.reason} (family member)" if parent else life.reason
        urgent = rng.random() < (0.12 if life.plan.age in _CHILD_AGES else 0.06)
        counsellor = rng.choice(life.staff) if rng.random() < 0.9 else None
        records = self.records
        records.cases.append(Case(
            case_id, life.participant_id, reason, status,
            PRIORITY.URGENT if urgent else PRIORITY.ROUTINE, counsellor, life.recruited,
        ))
        records.results.extend(results)
        records.requests.extend(requests)
        records.decisions.extend(decisions)

    # -- dates and needs ---------------------------------------------------------------------

    def _dates(
        self, plan: PersonPlan, showcase: bool, child_dob: dt.date | None,
        child_recruited: dt.date | None, long_story: bool,
    ) -> tuple[dt.date, dt.date]:
        """Date of birth and the day of recruitment for an age band.

        ``long_story``: someone in the household changes their mind or dies later, so they
        were recruited long enough ago for that to happen after their first results.
        """
        rng, ref = self._rng, self._ref
        days = dt.timedelta
        age = plan.age
        back = rng.randint(700, 2500) if showcase else rng.randint(45, 3300)
        if long_story:
            back = max(back, 400)
        if age is AGE.PARENT and child_dob is not None and child_recruited is not None:
            return child_dob - days(days=rng.randint(18 * _YEAR, 42 * _YEAR)), child_recruited
        if age is AGE.CHILD:
            low = 5 * _YEAR if showcase else 60
            dob = ref - days(days=rng.randint(low, 16 * _YEAR - 200))
            return dob, max(dob + days(days=14), ref - days(days=back))
        if age in (AGE.JUST_UNDER_16, AGE.JUST_OVER_16):
            offset = rng.randint(7, 150)
            sixteenth = ref + days(days=offset if age is AGE.JUST_UNDER_16 else -offset)
            return add_years(sixteenth, -16), ref - days(days=rng.randint(400, 2500))
        if age is AGE.RECONSENTED_TEEN:
            sixteenth = ref - days(days=rng.randint(220, 700))
            return add_years(sixteenth, -16), sixteenth - days(days=rng.randint(200, 2500))
        if age is AGE.OLDER:
            return ref - days(days=rng.randint(70 * _YEAR, 95 * _YEAR)), ref - days(days=back)
        return ref - days(days=rng.randint(18 * _YEAR + 5, 69 * _YEAR)), ref - days(days=back)

    def _communication(self, plan: PersonPlan, style: NameStyle) -> CommunicationNeeds:
        rng = self._rng
        large = rng.random() < (0.08 if plan.age is AGE.OLDER else 0.015)
        easy = plan.representative is REPRESENTATIVE.CONSULTEE or rng.random() < 0.01
        braille = rng.random() < 0.003
        language = None
        chance = _INTERPRETER_CHANCE.get(style, 0.0)
        if chance and rng.random() < chance:
            language = rng.choice(POOLS[style].languages)
        if not (large or easy or braille or language):
            return _NO_NEEDS
        return CommunicationNeeds(large, easy, braille, language)

