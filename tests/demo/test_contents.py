"""What a synthetic dataset holds: valid identifiers and every situation the product handles."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from counsellor_app.demo import Dataset, identifying_strings
from counsellor_app.domain.consent import (
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.nhs_number import is_valid
from counsellor_app.domain.participant import LifeStatus, Relationship, RepresentativeKind
from counsellor_app.domain.request import RequestKind, RequestStatus, StudyType
from counsellor_app.domain.result import (
    CounsellorState,
    ResultKind,
    ResultOutcome,
    ReviewStage,
)

from .conftest import REFERENCE_DATE

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}$")


def test_nhs_numbers_are_valid_unique_and_from_the_999_range(medium: Dataset) -> None:
    numbers = [p.nhs_number for p in medium.participants]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert len(number) == 10 and number.startswith("999")
        assert is_valid(number)


def test_postcodes_look_like_uk_postcodes(medium: Dataset) -> None:
    for person in medium.participants:
        assert POSTCODE.match(person.address.postcode), person.participant_id
        if person.gp is not None:
            assert POSTCODE.match(person.gp.address.postcode)


def test_every_result_kind_outcome_stage_and_state_at_fifty(small: Dataset) -> None:
    results = small.results
    assert {r.kind for r in results} == set(ResultKind)
    assert {r.outcome for r in results} == set(ResultOutcome)
    assert {r.review_stage for r in results if r.review_stage} == set(ReviewStage)
    assert {r.counsellor_state for r in results} == set(CounsellorState)
    assert all(r.review_stage for r in results if r.kind is ResultKind.RESEARCHER_IDENTIFIED)


def test_superseded_reports_point_at_their_later_version(small: Dataset) -> None:
    by_id = {r.result_id: r for r in small.results}
    superseded = [r for r in small.results if r.superseded_by]
    assert superseded
    for earlier in superseded:
        later = by_id[earlier.superseded_by]
        assert later.supersedes == earlier.result_id
        assert later.report_version == earlier.report_version + 1
        assert later.issued_on >= earlier.issued_on


def test_variants_carry_realistic_nomenclature_and_greek_condition_names(small: Dataset) -> None:
    variants = [v for r in small.results for v in r.variants]
    assert any(v.gene == "BRCA2" and v.hgvs_p == "p.(Ser1982ArgfsTer22)" for v in variants) or \
        any(v.transcript.startswith("NM_") and v.hgvs_c.startswith("c.") for v in variants)
    conditions = " ".join(v.condition or "" for v in variants)
    assert "α" in conditions and "β" in conditions


def test_every_request_kind_and_status_at_fifty(small: Dataset) -> None:
    requests = small.requests
    assert {q.kind for q in requests} == set(RequestKind)
    assert {q.status for q in requests} == set(RequestStatus)
    assert any(q.beyond_existing_consent for q in requests)
    assert any(q.due_on and q.due_on < REFERENCE_DATE and q.status.is_open for q in requests)
    assert {q.study_type for q in requests if q.study_type} == set(StudyType)
    assert all(q.requester.name and q.requester.institution for q in requests)


def test_withdrawals_and_declines_at_fifty(small: Dataset) -> None:
    decisions = small.decisions
    levels = {d.withdrawal_level for d in decisions if d.withdrawal_level}
    assert levels == set(WithdrawalLevel)
    per_person = defaultdict(list)
    for d in decisions:
        per_person[d.participant_id].append(d)

    def history(scope: ConsentScope) -> list[list[Decision]]:
        return [
            [d.decision for d in sorted(events, key=lambda e: e.sort_key()) if d.scope is scope]
            for events in per_person.values()
        ]

    af = history(ConsentScope.ADDITIONAL_FINDINGS)
    assert [Decision.DECLINED] in af
    assert [Decision.DECLINED, Decision.GRANTED] in af
    assert [Decision.GRANTED, Decision.WITHDRAWN] in af
    programme = history(ConsentScope.PROGRAMME)
    assert [Decision.GRANTED, Decision.WITHDRAWN, Decision.GRANTED] in programme
    assert any(Decision.DECLINED in h for h in history(ConsentScope.CONTACT_FOR_RESEARCH))
    assert any(d.request_id and d.decision is Decision.GRANTED for d in decisions)
    assert {d.given_by for d in decisions} == set(GivenBy)
    assert {d.method for d in decisions} == set(Method)


def test_consent_times_are_utc_and_recorded_after_they_take_effect(medium: Dataset) -> None:
    for d in medium.decisions:
        assert d.effective_from.utcoffset() == dt.timedelta(0)
        assert d.recorded_at >= d.effective_from
        assert d.effective_from.date() <= REFERENCE_DATE
        assert (d.request_id is not None) == d.scope.is_per_request
        assert (d.withdrawal_level is not None) == (
            d.scope is ConsentScope.PROGRAMME and d.decision is Decision.WITHDRAWN)


def test_people_and_representatives_at_fifty(small: Dataset) -> None:
    people = small.participants
    assert any(p.life_status is LifeStatus.DECEASED and p.date_of_death for p in people)
    assert any(p.age_on(REFERENCE_DATE) < 16 for p in people)
    kinds = {r.kind for p in people for r in p.representatives}
    assert kinds == set(RepresentativeKind)
    needs = [p.communication for p in people]
    assert any(n.large_print for n in needs) and any(n.easy_read for n in needs)
    assert any(n.braille for n in needs)
    assert {"Welsh", "Polish", "Urdu", "Bengali", "Arabic"} <= {
        n.interpreter_language for n in needs}
    assert {p.title for p in people} >= {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"}


def test_young_people_either_side_of_sixteen(small: Dataset) -> None:
    by_person = defaultdict(list)
    for d in small.decisions:
        by_person[d.participant_id].append(d)
    just_over = [
        p for p in small.participants
        if 0 <= (REFERENCE_DATE - p.sixteenth_birthday()).days <= 180
    ]
    just_under = [
        p for p in small.participants
        if 0 < (p.sixteenth_birthday() - REFERENCE_DATE).days <= 180
    ]
    assert just_under
    needing = [
        p for p in just_over
        if all(d.given_by is GivenBy.PARENT_OR_GUARDIAN
               and d.effective_from.date() < p.sixteenth_birthday()
               for d in by_person[p.participant_id])
    ]
    assert needing, "a young person over 16 with only a parent's consent"
    reconsented = [
        p for p in small.participants
        if any(d.given_by is GivenBy.SELF and p.age_on(d.effective_from.date()) >= 16
               for d in by_person[p.participant_id])
        and any(d.given_by is GivenBy.PARENT_OR_GUARDIAN for d in by_person[p.participant_id])
    ]
    assert reconsented


def test_families_share_an_id_and_parents_are_older(medium: Dataset) -> None:
    families = defaultdict(list)
    for person in medium.participants:
        if person.family_id:
            families[person.family_id].append(person)
    assert len(families) > 50
    for members in families.values():
        roles = sorted(m.relationship_to_proband for m in members)
        assert roles == sorted([Relationship.PROBAND, Relationship.MOTHER, Relationship.FATHER])
        proband = next(m for m in members if m.relationship_to_proband is Relationship.PROBAND)
        assert len({m.team for m in members}) == 1
        for parent in members:
            if parent is not proband:
                assert parent.age_on(proband.date_of_birth) >= 16


def test_children_have_a_parent_who_consents(medium: Dataset) -> None:
    parents_giving = defaultdict(set)
    for d in medium.decisions:
        if d.given_by is GivenBy.PARENT_OR_GUARDIAN:
            parents_giving[d.participant_id].add(d.given_by_name)
    for person in medium.participants:
        if person.age_on(REFERENCE_DATE) < 16:
            kinds = [r.kind for r in person.representatives]
            assert RepresentativeKind.PARENT_OR_GUARDIAN in kinds
            names = {r.name for r in person.representatives}
            assert parents_giving[person.participant_id] <= names


def test_name_styles_include_welsh_irish_accents_and_beyond_latin1(small: Dataset) -> None:
    names = [f"{p.given_name} {p.family_name}" for p in small.participants]
    names += [r.name for p in small.participants for r in p.representatives]
    text = " ".join(names)
    for expected in ("Siân", "ap Rhys", "Ó Súilleabháin", "Zoë", "Anne-Marie", "D'Arcy",
                     "Llŷr", "Łucja", "Wójcik", "Gruffydd", "Niamh", "Seán", "Dafydd"):
        assert expected in text, expected
    assert any(any(ord(c) > 255 for c in name) for name in names)
    assert any("-" in name for name in names) and any("'" in name for name in names)


def test_ids_reveal_nothing_about_the_person(medium: Dataset) -> None:
    identifiers = identifying_strings(medium)
    for person in medium.participants:
        assert re.fullmatch(r"P\d{6}", person.participant_id)
        assert person.nhs_number not in person.participant_id
        for part in (person.given_name, person.family_name):
            assert part not in person.participant_id
    every_id = [c.case_id for c in medium.cases] + [r.result_id for r in medium.results]
    every_id += [q.request_id for q in medium.requests] + [d.decision_id for d in medium.decisions]
    assert all(i not in identifiers for i in every_id)


def test_records_refer_to_each_other_and_dates_are_not_in_the_future(medium: Dataset) -> None:
    people = {p.participant_id: p for p in medium.participants}
    cases = {c.case_id: c for c in medium.cases}
    requests = {q.request_id for q in medium.requests}
    for result in medium.results:
        assert cases[result.case_id].participant_id == result.participant_id
        assert result.issued_on <= REFERENCE_DATE
    for request in medium.requests:
        assert cases[request.case_id].participant_id == request.participant_id
        assert request.received_on <= REFERENCE_DATE
    for decision in medium.decisions:
        assert decision.participant_id in people
        assert decision.request_id is None or decision.request_id in requests
        death = people[decision.participant_id].date_of_death
        assert death is None or decision.effective_from.date() < death
    for person in medium.participants:
        assert person.date_of_birth < REFERENCE_DATE
        if person.date_of_death:
            assert person.date_of_birth < person.date_of_death <= REFERENCE_DATE


def test_proportions_are_realistic(medium: Dataset) -> None:
    people = medium.participants
    deceased = sum(p.is_deceased for p in people) / len(people)
    assert 0.005 < deceased < 0.08
    results_per_case = len(medium.results) / len(medium.cases)
    assert 0.8 < results_per_case < 2.5
    adults = sum(p.age_on(REFERENCE_DATE) >= 18 for p in people) / len(people)
    assert adults > 0.6


def test_identifying_strings_cover_names_numbers_dates_and_postcodes(small: Dataset) -> None:
    found = identifying_strings(small)
    person = small.participants[0]
    number = person.nhs_number
    assert f"{person.given_name} {person.family_name}" in found
    assert number in found and f"{number[:3]} {number[3:6]} {number[6:]}" in found
    born = person.date_of_birth
    assert born.isoformat() in found
    assert f"{born.day} " in " ".join(s for s in found if str(born.year) in s)
    assert person.address.postcode in found
    assert "Seán O'Neill" in found  # a representative


def test_fast_check_digit_agrees_with_the_domain_rule() -> None:
    from counsellor_app.demo.people import _check_digit_999
    from counsellor_app.domain.nhs_number import check_digit

    for tail in list(range(0, 1_000_000, 997)) + [0, 999_999, 123_456]:
        assert _check_digit_999(tail) == check_digit(f"999{tail:06d}")


def _in_force(events: list, scope: ConsentScope, day: dt.date) -> Decision | None:
    current = None
    for event in sorted(events, key=lambda e: e.sort_key()):
        if event.scope is scope and event.request_id is None and event.effective_from.date() <= day:
            current = event.decision
    return current


def test_additional_findings_are_issued_only_while_consent_stands(medium: Dataset) -> None:
    events = defaultdict(list)
    for d in medium.decisions:
        events[d.participant_id].append(d)
    findings = [r for r in medium.results if r.kind is ResultKind.ADDITIONAL_FINDING]
    assert findings
    for result in findings:
        decided = _in_force(events[result.participant_id], ConsentScope.ADDITIONAL_FINDINGS,
                            result.issued_on)
        assert decided is Decision.GRANTED, result.result_id


def test_nothing_new_is_analysed_after_no_further_use(medium: Dataset) -> None:
    withdrawn = {
        d.participant_id: d.effective_from.date() for d in medium.decisions
        if d.withdrawal_level is WithdrawalLevel.NO_FURTHER_USE
    }
    assert withdrawn
    for result in medium.results:
        if result.participant_id in withdrawn and not result.supersedes:
            assert result.issued_on < withdrawn[result.participant_id]
    for request in medium.requests:
        if request.participant_id in withdrawn:
            assert request.received_on < withdrawn[request.participant_id] or \
                request.status is RequestStatus.DECLINED


def test_research_requests_are_granted_only_by_people_who_may_be_contacted(
    medium: Dataset,
) -> None:
    events = defaultdict(list)
    for d in medium.decisions:
        events[d.participant_id].append(d)
    kinds = {q.request_id: q.kind for q in medium.requests}
    grants = [d for d in medium.decisions if d.request_id and d.decision is Decision.GRANTED]
    assert grants
    for grant in grants:
        if not kinds[grant.request_id].is_research_contact:
            continue
        day = grant.effective_from.date()
        history = events[grant.participant_id]
        assert _in_force(history, ConsentScope.PROGRAMME, day) is Decision.GRANTED
        assert _in_force(history, ConsentScope.CONTACT_FOR_RESEARCH, day) is Decision.GRANTED
