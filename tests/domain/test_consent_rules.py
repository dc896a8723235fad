"""The consent rules of DESIGN §3, one behaviour per test."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from counsellor_app.domain.consent import ConsentScope, Decision, GivenBy, WithdrawalLevel
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.participant import LifeStatus
from counsellor_app.domain.request import RequestKind

from .decisions import TODAY, decision

S = ConsentScope
ADULT_DOB = dt.date(1970, 6, 1)
RECRUITED = dt.date(2016, 5, 10)


def ledger(*events, dob: dt.date = ADULT_DOB, **facts) -> ConsentLedger:  # type: ignore[no-untyped-def]
    return ConsentLedger(events, date_of_birth=dob, **facts)


def recruited(by: GivenBy = GivenBy.SELF, on: dt.date = RECRUITED):  # type: ignore[no-untyped-def]
    return decision(S.PROGRAMME, Decision.GRANTED, on, by=by)


def withdrawal(level: WithdrawalLevel, on: dt.date = dt.date(2020, 1, 15), **kw):  # type: ignore[no-untyped-def]
    return decision(S.PROGRAMME, Decision.WITHDRAWN, on, level=level, **kw)


# ---------------------------------------------------------------- rule 1: withdrawal, deceased


def test_withdrawal_no_further_contact_blocks_all_contact() -> None:
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)
    book = ledger(recruited(), stop)
    for answer in (
        book.may_contact_for_results(TODAY),
        book.may_contact_for_research(TODAY),
        book.may_share_additional_findings(TODAY),
    ):
        assert not answer
        assert answer.deciding == stop
        assert "withdrawn (no further contact)" in answer.reason


def test_withdrawal_no_further_use_blocks_all_contact() -> None:
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_USE)
    answer = ledger(recruited(), stop).may_contact_for_results(TODAY)
    assert not answer
    assert answer.deciding == stop
    assert "cannot be lifted" in answer.reason


def test_withdrawal_counts_only_from_its_effective_date() -> None:
    book = ledger(recruited(), withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT, dt.date(2025, 1, 1)))
    assert book.may_contact_for_results(dt.date(2024, 12, 31))
    assert not book.may_contact_for_results(dt.date(2025, 1, 1))


def test_later_programme_consent_by_the_participant_lifts_no_further_contact() -> None:
    again = decision(S.PROGRAMME, Decision.GRANTED, dt.date(2023, 4, 2))
    book = ledger(recruited(), withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT), again)
    answer = book.may_contact_for_research(TODAY)
    assert answer
    assert answer.deciding == again
    assert book.may_contact_for_results(TODAY)


def test_later_programme_consent_by_a_parent_of_an_adult_does_not_lift_no_further_contact() -> None:
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)
    parent = decision(
        S.PROGRAMME, Decision.GRANTED, dt.date(2023, 4, 2), by=GivenBy.PARENT_OR_GUARDIAN
    )
    answer = ledger(recruited(), stop, parent).may_contact_for_results(TODAY)
    assert not answer
    assert answer.deciding == stop
    assert "does not lift it" in answer.reason


def test_parent_of_a_child_may_lift_no_further_contact() -> None:
    child = dt.date(2015, 3, 1)
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT, by=GivenBy.PARENT_OR_GUARDIAN)
    again = decision(
        S.PROGRAMME, Decision.GRANTED, dt.date(2023, 4, 2), by=GivenBy.PARENT_OR_GUARDIAN
    )
    answer = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), stop, again, dob=child)
    assert answer.may_contact_for_research(TODAY).deciding == again
    assert answer.may_contact_for_research(TODAY)


@pytest.mark.parametrize("by", [GivenBy.LASTING_POWER_OF_ATTORNEY, GivenBy.CONSULTEE])
def test_representative_of_a_participant_lacking_capacity_may_lift_no_further_contact(
    by: GivenBy,
) -> None:
    again = decision(S.PROGRAMME, Decision.GRANTED, dt.date(2023, 4, 2), by=by)
    book = ledger(recruited(), withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT), again)
    assert book.may_contact_for_results(TODAY)


def test_a_decline_never_lifts_a_withdrawal() -> None:
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)
    declined = decision(S.PROGRAMME, Decision.DECLINED, dt.date(2023, 4, 2))
    answer = ledger(recruited(), stop, declined).may_contact_for_results(TODAY)
    assert not answer
    assert answer.deciding == stop


def test_no_further_use_cannot_be_lifted_even_by_the_participant() -> None:
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_USE)
    again = decision(S.PROGRAMME, Decision.GRANTED, dt.date(2023, 4, 2))
    book = ledger(recruited(), stop, again)
    answer = book.may_contact_for_results(TODAY)
    assert not answer
    assert answer.deciding == stop
    assert "re-recruitment" in answer.reason
    assert not book.needs_reconsent(TODAY)


def test_a_correction_cannot_undo_no_further_use() -> None:
    stop = withdrawal(WithdrawalLevel.NO_FURTHER_USE)
    correction = decision(
        S.PROGRAMME, Decision.GRANTED, dt.date(2020, 1, 15), supersedes=stop.decision_id
    )
    book = ledger(recruited(), stop, correction)
    assert not book.is_superseded(stop.decision_id)
    assert not book.may_contact_for_results(TODAY)


def test_declined_contact_for_research_still_allows_results_but_blocks_research_contact() -> None:
    declined = decision(S.CONTACT_FOR_RESEARCH, Decision.DECLINED, dt.date(2021, 9, 9))
    book = ledger(recruited(), declined)
    assert book.may_contact_for_results(TODAY)
    research = book.may_contact_for_research(TODAY)
    assert not research
    assert research.deciding == declined
    assert not book.may_contact_about_request(RequestKind.CLINICAL_TRIAL, TODAY)
    assert not book.may_contact_about_request(RequestKind.PUBLICATION, TODAY)
    assert not book.may_contact_about_request(RequestKind.SAMPLE_FRESH, TODAY)


def test_expert_opinion_is_not_research_contact() -> None:
    declined = decision(S.CONTACT_FOR_RESEARCH, Decision.DECLINED, dt.date(2021, 9, 9))
    book = ledger(recruited(), declined)
    assert book.may_contact_about_request(RequestKind.EXPERT_OPINION, TODAY)


def test_research_contact_is_refused_when_no_consent_is_recorded() -> None:
    answer = ledger().may_contact_for_research(TODAY)
    assert not answer
    assert "no consent to be contacted about research" in answer.reason
    assert ledger().may_contact_for_results(TODAY)


def test_deceased_participant_is_never_contacted() -> None:
    book = ledger(
        recruited(),
        decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, RECRUITED),
        life_status=LifeStatus.DECEASED,
        date_of_death=dt.date(2024, 2, 2),
    )
    for answer in (
        book.may_contact_for_results(TODAY),
        book.may_contact_for_research(TODAY),
        book.may_share_additional_findings(TODAY),
        book.may_contact_about_request(RequestKind.EXPERT_OPINION, TODAY),
    ):
        assert not answer
        assert answer.fact == "deceased"
        assert "deceased" in answer.reason


# ---------------------------------------------------------------- rule 2: additional findings


def test_additional_findings_are_not_shared_without_a_grant() -> None:
    answer = ledger(recruited()).may_share_additional_findings(TODAY)
    assert not answer
    assert "no decision recorded" in answer.reason


def test_additional_findings_declined_then_granted_later_are_shared() -> None:
    declined = decision(S.ADDITIONAL_FINDINGS, Decision.DECLINED, dt.date(2019, 3, 3))
    granted = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2022, 7, 1))
    answer = ledger(recruited(), granted, declined).may_share_additional_findings(TODAY)
    assert answer
    assert answer.deciding == granted


def test_additional_findings_granted_then_withdrawn_are_not_shared() -> None:
    granted = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, RECRUITED)
    withdrawn = decision(S.ADDITIONAL_FINDINGS, Decision.WITHDRAWN, dt.date(2022, 7, 1))
    answer = ledger(recruited(), granted, withdrawn).may_share_additional_findings(TODAY)
    assert not answer
    assert answer.deciding == withdrawn


def test_effective_time_not_recording_time_decides_between_decisions() -> None:
    granted = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2022, 7, 1))
    # recorded later (a paper form typed in late) but given earlier: the grant is newer
    declined = decision(
        S.ADDITIONAL_FINDINGS, Decision.DECLINED, dt.date(2019, 3, 3), recorded=dt.date(2023, 1, 1)
    )
    answer = ledger(recruited(), granted, declined).may_share_additional_findings(TODAY)
    assert answer
    assert answer.deciding == granted


def test_carrier_status_findings_are_shared_only_with_a_grant() -> None:
    book = ledger(recruited())
    assert not book.may_share_findings(S.CARRIER_STATUS, TODAY)
    book = ledger(recruited(), decision(S.CARRIER_STATUS, Decision.GRANTED, RECRUITED))
    assert book.may_share_findings(S.CARRIER_STATUS, TODAY)


def test_primary_findings_are_stopped_only_by_a_decline() -> None:
    assert ledger(recruited()).may_share_findings(S.PRIMARY_FINDINGS, TODAY)
    declined = decision(S.PRIMARY_FINDINGS, Decision.DECLINED, RECRUITED)
    assert not ledger(recruited(), declined).may_share_findings(S.PRIMARY_FINDINGS, TODAY)


# ---------------------------------------------------------------- rule 3: per request


def test_decision_for_request_a_does_not_cover_request_b() -> None:
    grant_a = decision(
        S.SHARE_WITH_RESEARCHER, Decision.GRANTED, dt.date(2024, 1, 5), request_id="REQ-A"
    )
    book = ledger(recruited(), grant_a)
    assert book.may_act_on_request("REQ-A", S.SHARE_WITH_RESEARCHER, TODAY).deciding == grant_a
    answer = book.may_act_on_request("REQ-B", S.SHARE_WITH_RESEARCHER, TODAY)
    assert not answer
    assert "never covers this one" in answer.reason


def test_grant_in_one_request_scope_does_not_cover_another_scope_of_that_request() -> None:
    grant = decision(
        S.SHARE_WITH_RESEARCHER, Decision.GRANTED, dt.date(2024, 1, 5), request_id="REQ-A"
    )
    assert not ledger(recruited(), grant).may_act_on_request("REQ-A", S.PUBLICATION, TODAY)


def test_declined_request_is_not_acted_on() -> None:
    declined = decision(
        S.FURTHER_SAMPLE, Decision.DECLINED, dt.date(2024, 1, 5), request_id="REQ-A"
    )
    answer = ledger(recruited(), declined).may_act_on_request("REQ-A", S.FURTHER_SAMPLE, TODAY)
    assert not answer
    assert answer.deciding == declined


def test_request_grant_does_not_override_declined_research_contact() -> None:
    grant = decision(S.PUBLICATION, Decision.GRANTED, dt.date(2024, 1, 5), request_id="REQ-A")
    declined = decision(S.CONTACT_FOR_RESEARCH, Decision.DECLINED, dt.date(2025, 1, 5))
    answer = ledger(recruited(), grant, declined).may_act_on_request("REQ-A", S.PUBLICATION, TODAY)
    assert not answer
    assert answer.deciding == declined


def test_request_decision_naming_no_request_covers_none() -> None:
    stray = decision(S.PUBLICATION, Decision.GRANTED, dt.date(2024, 1, 5))
    book = ledger(recruited(), stray)
    assert not book.may_act_on_request("", S.PUBLICATION, TODAY)
    assert [s.scope for s in book.scope_states(TODAY) if s.scope.is_per_request] == []


def test_acting_on_a_request_needs_a_per_request_scope() -> None:
    with pytest.raises(ValueError):
        ledger(recruited()).may_act_on_request("REQ-A", S.PROGRAMME, TODAY)


# ---------------------------------------------------------------- rule 4: the 16th birthday

CHILD_DOB = dt.date(2009, 8, 20)  # 16 on 20 August 2025
SIXTEENTH = dt.date(2025, 8, 20)


def test_parent_consent_before_16th_birthday_covers_nothing_new_after_it() -> None:
    parent = decision(
        S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2017, 2, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), parent, dob=CHILD_DOB)
    day_before = SIXTEENTH - dt.timedelta(days=1)
    assert book.may_share_additional_findings(day_before)
    assert book.may_contact_for_research(day_before)
    assert not book.needs_reconsent(day_before)

    after = book.may_share_additional_findings(SIXTEENTH)
    assert not after
    assert after.deciding == parent
    assert "re-consent needed" in after.reason
    assert "20 August 2025" in after.reason
    assert not book.may_contact_for_research(SIXTEENTH)
    assert book.needs_reconsent(SIXTEENTH)
    assert {s.scope for s in book.reconsent_scopes(SIXTEENTH)} == {
        S.PROGRAMME,
        S.ADDITIONAL_FINDINGS,
    }


def test_refusal_after_a_parents_grant_lapsed_names_the_age_that_decided() -> None:
    parent = decision(
        S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2017, 2, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), parent, dob=CHILD_DOB)
    assert book.may_share_additional_findings(TODAY).fact == "age 17"
    assert book.may_contact_for_research(TODAY).fact == "age 17"


def test_parent_consent_still_gives_the_young_person_their_own_results_after_16() -> None:
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), dob=CHILD_DOB)
    assert book.may_contact_for_results(TODAY)


def test_parents_refusal_still_stands_after_16() -> None:
    refusal = decision(
        S.ADDITIONAL_FINDINGS, Decision.DECLINED, dt.date(2017, 2, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), refusal, dob=CHILD_DOB)
    answer = book.may_share_additional_findings(TODAY)
    assert not answer
    assert answer.deciding == refusal
    assert "declined by the participant's parent or guardian" in answer.reason


def test_parent_withdrawal_still_stands_after_16() -> None:
    stop = withdrawal(
        WithdrawalLevel.NO_FURTHER_CONTACT, dt.date(2018, 1, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), stop, dob=CHILD_DOB)
    assert not book.may_contact_for_results(TODAY)


def test_parent_lifting_a_withdrawal_stops_counting_at_16() -> None:
    stop = withdrawal(
        WithdrawalLevel.NO_FURTHER_CONTACT, dt.date(2018, 1, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    again = decision(
        S.PROGRAMME, Decision.GRANTED, dt.date(2020, 1, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), stop, again, dob=CHILD_DOB)
    assert book.may_contact_for_results(SIXTEENTH - dt.timedelta(days=1))
    assert not book.may_contact_for_results(SIXTEENTH)


def test_young_persons_own_decision_replaces_the_parents_and_clears_the_flag() -> None:
    parent = decision(
        S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2017, 2, 1), by=GivenBy.PARENT_OR_GUARDIAN
    )
    own = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2025, 10, 1))
    own_programme = decision(S.PROGRAMME, Decision.GRANTED, dt.date(2025, 10, 1))
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), parent, own, own_programme, dob=CHILD_DOB)
    assert book.needs_reconsent(dt.date(2025, 9, 30))
    assert not book.needs_reconsent(TODAY)
    assert book.may_share_additional_findings(TODAY).deciding == own


def test_someone_born_on_29_february_turns_16_on_1_march_in_a_common_year() -> None:
    leap_dob = dt.date(2008, 2, 29)
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), dob=leap_dob)
    assert not book.needs_reconsent(dt.date(2024, 2, 28))  # 2024 is a leap year: 16 on 29 Feb
    assert book.needs_reconsent(dt.date(2024, 2, 29))
    later = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), dob=dt.date(2009, 2, 28))
    assert later.needs_reconsent(dt.date(2025, 2, 28))
    # sixteen years after a leap day is a leap year, except across a century: 2100 is common
    born = dt.date(2084, 2, 29)
    common = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN, on=dt.date(2090, 1, 1)), dob=born)
    assert not common.needs_reconsent(dt.date(2100, 2, 28))
    assert common.needs_reconsent(dt.date(2100, 3, 1))


def test_no_reconsent_flag_for_a_deceased_young_person() -> None:
    book = ledger(
        recruited(GivenBy.PARENT_OR_GUARDIAN), dob=CHILD_DOB, life_status=LifeStatus.DECEASED
    )
    assert not book.needs_reconsent(TODAY)


def test_request_grant_by_parent_lapses_at_16() -> None:
    grant = decision(
        S.TRIAL_CONTACT,
        Decision.GRANTED,
        dt.date(2024, 1, 5),
        by=GivenBy.PARENT_OR_GUARDIAN,
        request_id="REQ-T",
    )
    own = decision(S.CONTACT_FOR_RESEARCH, Decision.GRANTED, dt.date(2025, 9, 1))
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), own, grant, dob=CHILD_DOB)
    answer = book.may_act_on_request("REQ-T", S.TRIAL_CONTACT, TODAY)
    assert not answer
    assert "re-consent needed" in answer.reason


# ---------------------------------------------------------------- rule 5: conflicts


def test_unresolved_conflict_blocks_letters() -> None:
    offline = decision(
        S.ADDITIONAL_FINDINGS,
        Decision.GRANTED,
        dt.date(2025, 3, 1),
        conflict=True,
        conflict_reason="a withdrawal was recorded elsewhere on 28 February 2025",
    )
    book = ledger(recruited(), offline)
    assert book.conflicts() == (offline,)
    for answer in (
        book.may_contact_for_results(TODAY),
        book.may_contact_for_research(TODAY),
        book.may_share_additional_findings(TODAY),
    ):
        assert not answer
        assert answer.deciding == offline
        assert "resolve the conflict" in answer.reason
        assert "recorded elsewhere on 28 February 2025" in answer.reason


def test_resolved_conflict_no_longer_blocks() -> None:
    offline = decision(
        S.ADDITIONAL_FINDINGS,
        Decision.GRANTED,
        dt.date(2025, 3, 1),
        conflict=True,
        conflict_resolved=True,
    )
    book = ledger(recruited(), offline)
    assert book.conflicts() == ()
    assert book.may_share_additional_findings(TODAY)


def test_conflict_flag_on_a_later_copy_of_the_same_decision_is_kept() -> None:
    offline = decision(S.CONTACT_FOR_RESEARCH, Decision.GRANTED, dt.date(2025, 3, 1))
    flagged = replace(offline, conflict=True, conflict_reason="overtaken")
    assert ledger(recruited(), offline, flagged).conflicts()
    assert ledger(recruited(), flagged, offline).conflicts()
    resolved = replace(flagged, conflict_resolved=True)
    assert not ledger(recruited(), flagged, resolved, offline).conflicts()


# ---------------------------------------------------------------- rule 6: recorded once


def test_the_same_event_applied_twice_changes_nothing() -> None:
    events = (
        recruited(),
        decision(S.ADDITIONAL_FINDINGS, Decision.DECLINED, dt.date(2019, 3, 3)),
        decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2022, 7, 1)),
    )
    once = ledger(*events)
    twice = ledger(*events, *events)
    assert twice.timeline() == once.timeline()
    assert twice.scope_states(TODAY) == once.scope_states(TODAY)
    assert twice.may_share_additional_findings(TODAY) == once.may_share_additional_findings(TODAY)


def test_the_same_decision_sent_again_under_a_new_id_is_recorded_once() -> None:
    first = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2022, 7, 1))
    resent = replace(
        first, decision_id="D-RESENT", recorded_at=first.recorded_at + dt.timedelta(hours=3)
    )
    book = ledger(recruited(), first, resent)
    assert [e.decision_id for e in book.timeline()].count(first.decision_id) == 1
    assert len(book.timeline()) == 2
    assert book.is_recorded(resent)


# ---------------------------------------------------------------- corrections and reasons


def test_a_correction_takes_the_decision_it_supersedes_out_of_the_fold() -> None:
    wrong = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2022, 7, 1))
    right = decision(
        S.ADDITIONAL_FINDINGS,
        Decision.DECLINED,
        dt.date(2022, 7, 1),
        hour=9,
        supersedes=wrong.decision_id,
    )
    book = ledger(recruited(), wrong, right)
    assert book.is_superseded(wrong.decision_id)
    assert wrong in book.timeline()
    assert book.may_share_additional_findings(TODAY).deciding == right


def test_every_answer_names_who_recorded_the_deciding_event_and_when() -> None:
    granted = decision(
        S.ADDITIONAL_FINDINGS,
        Decision.GRANTED,
        dt.date(2022, 7, 1),
        recorded=dt.date(2022, 7, 4),
        recorded_by="Dr A. Ní Bhriain",
    )
    declined = decision(
        S.CONTACT_FOR_RESEARCH, Decision.DECLINED, dt.date(2023, 3, 3), recorded_by="G. ap Rhys"
    )
    book = ledger(recruited(), granted, declined)
    share = book.may_share_additional_findings(TODAY)
    assert "granted by the participant, effective 1 July 2022" in share.reason
    assert "recorded by Dr A. Ní Bhriain on 4 July 2022" in share.reason
    research = book.may_contact_for_research(TODAY)
    assert "declined by the participant on 3 March 2023, recorded by G. ap Rhys" in research.reason
    for state in book.scope_states(TODAY):
        if state.deciding is not None:
            assert state.deciding.recorded_by in state.reason


def test_reasons_never_contain_the_name_of_the_person_who_gave_the_decision() -> None:
    parent = decision(
        S.ADDITIONAL_FINDINGS,
        Decision.DECLINED,
        dt.date(2017, 2, 1),
        by=GivenBy.PARENT_OR_GUARDIAN,
        giver_name="Siân D'Arcy-Ó Súilleabháin",
    )
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), parent, dob=CHILD_DOB)
    texts = [book.may_share_additional_findings(TODAY).reason] + [
        s.reason for s in book.scope_states(TODAY)
    ]
    assert all("Siân" not in text for text in texts)


def test_scope_states_list_every_general_scope_and_each_request() -> None:
    grant = decision(S.PUBLICATION, Decision.GRANTED, dt.date(2024, 1, 5), request_id="REQ-P")
    states = ledger(recruited(), grant).scope_states(TODAY)
    assert [s.scope for s in states] == [
        S.PROGRAMME,
        S.CONTACT_FOR_RESEARCH,
        S.PRIMARY_FINDINGS,
        S.ADDITIONAL_FINDINGS,
        S.CARRIER_STATUS,
        S.PUBLICATION,
    ]
    assert states[-1].request_id == "REQ-P"
    assert states[-1].permits
    assert "Publication (request REQ-P)" in states[-1].reason


def test_a_moment_may_be_asked_about_as_well_as_a_day() -> None:
    book = ledger(recruited(GivenBy.PARENT_OR_GUARDIAN), dob=CHILD_DOB)
    moment = dt.datetime(2025, 8, 20, 0, 5, tzinfo=dt.UTC)
    assert book.needs_reconsent(moment)
    assert book.may_contact_for_research(moment) == book.may_contact_for_research(SIXTEENTH)


def test_events_of_another_participant_are_refused() -> None:
    with pytest.raises(ValueError, match="another participant"):
        ConsentLedger([recruited()], date_of_birth=ADULT_DOB, participant_id="P-9999")
