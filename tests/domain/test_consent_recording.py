"""What may be recorded as a new consent decision, and what recording it will change."""

from __future__ import annotations

import datetime as dt

import pytest

from counsellor_app.domain.consent import ConsentScope, Decision, GivenBy, WithdrawalLevel
from counsellor_app.domain.consent_ledger import ConsentLedger, check_new_decision, consequence
from counsellor_app.domain.errors import ConsentRefused
from counsellor_app.domain.participant import LifeStatus

from .decisions import TODAY, decision

S = ConsentScope
ADULT = dt.date(1970, 6, 1)
CHILD = dt.date(2009, 8, 20)  # 16 on 20 August 2025
RECRUITED = decision(S.PROGRAMME, Decision.GRANTED, dt.date(2016, 5, 10))


def book(*events, dob: dt.date = ADULT, **facts) -> ConsentLedger:  # type: ignore[no-untyped-def]
    return ConsentLedger((RECRUITED, *events), date_of_birth=dob, participant_id="P-0001", **facts)


def refused(ledger: ConsentLedger, new, match: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ConsentRefused, match=match) as raised:
        check_new_decision(ledger, new, TODAY)
    return str(raised.value)


def test_an_ordinary_decision_may_be_recorded() -> None:
    check_new_decision(book(), decision(S.ADDITIONAL_FINDINGS, Decision.DECLINED, TODAY), TODAY)


def test_recording_the_same_decision_again_is_not_refused() -> None:
    again = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY)
    ledger = book(again)
    check_new_decision(ledger, again, TODAY)
    assert ledger.is_recorded(again)


def test_programme_consent_after_no_further_use_is_refused() -> None:
    stop = decision(
        S.PROGRAMME, Decision.WITHDRAWN, dt.date(2020, 1, 1), level=WithdrawalLevel.NO_FURTHER_USE
    )
    message = refused(book(stop), decision(S.PROGRAMME, Decision.GRANTED, TODAY), "re-recruitment")
    assert "1 January 2020" in message
    refused(book(stop), decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY), "no further use")
    # a decline after no further use changes nothing and may be noted
    check_new_decision(book(stop), decision(S.ADDITIONAL_FINDINGS, Decision.DECLINED, TODAY), TODAY)


def test_programme_consent_after_no_further_contact_may_be_recorded() -> None:
    stop = decision(
        S.PROGRAMME,
        Decision.WITHDRAWN,
        dt.date(2020, 1, 1),
        level=WithdrawalLevel.NO_FURTHER_CONTACT,
    )
    check_new_decision(book(stop), decision(S.PROGRAMME, Decision.GRANTED, TODAY), TODAY)


def test_per_request_decision_without_a_request_is_refused() -> None:
    refused(book(), decision(S.PUBLICATION, Decision.GRANTED, TODAY), "choose the request")


def test_general_decision_naming_a_request_is_refused() -> None:
    new = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY, request_id="REQ-1")
    refused(book(), new, "cannot name one")


def test_withdrawal_level_outside_a_programme_withdrawal_is_refused() -> None:
    for new in (
        decision(
            S.CONTACT_FOR_RESEARCH, Decision.WITHDRAWN, TODAY, level=WithdrawalLevel.NO_FURTHER_USE
        ),
        decision(S.PROGRAMME, Decision.GRANTED, TODAY, level=WithdrawalLevel.NO_FURTHER_CONTACT),
    ):
        refused(book(), new, "withdrawal level")


def test_programme_withdrawal_must_say_how_far_it_goes() -> None:
    refused(book(), decision(S.PROGRAMME, Decision.WITHDRAWN, TODAY), "how far the withdrawal goes")


def test_decision_taking_effect_in_the_future_is_refused() -> None:
    later = TODAY + dt.timedelta(days=1)
    message = refused(book(), decision(S.CARRIER_STATUS, Decision.GRANTED, later), "future")
    assert "28 November 2026" in message


def test_parent_cannot_decide_for_someone_aged_16_or_over() -> None:
    new = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY, by=GivenBy.PARENT_OR_GUARDIAN)
    refused(book(dob=CHILD), new, "young person's own decision")
    earlier = decision(
        S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2025, 8, 19), by=GivenBy.PARENT_OR_GUARDIAN
    )
    check_new_decision(book(dob=CHILD), earlier, TODAY)  # a form signed the day before


def test_decision_after_the_date_of_death_is_refused() -> None:
    ledger = book(life_status=LifeStatus.DECEASED, date_of_death=dt.date(2026, 1, 1))
    refused(ledger, decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY), "deceased")


def test_decision_for_another_participant_is_refused() -> None:
    new = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY, participant_id="P-0002")
    refused(book(), new, "different participant")


def test_correction_must_name_a_known_decision_in_the_same_scope() -> None:
    earlier = decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, dt.date(2024, 1, 1))
    unknown = decision(S.ADDITIONAL_FINDINGS, Decision.DECLINED, TODAY, supersedes="D-NOWHERE")
    refused(book(earlier), unknown, "not in this participant's record")
    other_scope = decision(
        S.CARRIER_STATUS, Decision.DECLINED, TODAY, supersedes=earlier.decision_id
    )
    refused(book(earlier), other_scope, "same scope")
    right = decision(
        S.ADDITIONAL_FINDINGS, Decision.DECLINED, TODAY, supersedes=earlier.decision_id
    )
    check_new_decision(book(earlier), right, TODAY)


def test_no_further_use_cannot_be_corrected() -> None:
    stop = decision(
        S.PROGRAMME, Decision.WITHDRAWN, dt.date(2020, 1, 1), level=WithdrawalLevel.NO_FURTHER_USE
    )
    correction = decision(
        S.PROGRAMME,
        Decision.WITHDRAWN,
        TODAY,
        level=WithdrawalLevel.NO_FURTHER_CONTACT,
        supersedes=stop.decision_id,
    )
    refused(book(stop), correction, "cannot be corrected")


def test_refusal_messages_never_name_the_person_who_gave_the_decision() -> None:
    new = decision(
        S.ADDITIONAL_FINDINGS,
        Decision.GRANTED,
        TODAY,
        by=GivenBy.PARENT_OR_GUARDIAN,
        giver_name="Gwenllïan Ŵyn",
    )
    assert "Gwenll" not in refused(book(dob=CHILD), new, "parent")


@pytest.mark.parametrize(
    ("new", "sentence"),
    [
        (
            decision(S.ADDITIONAL_FINDINGS, Decision.DECLINED, TODAY),
            "From 27 November 2026, additional findings will not be shown or written about for "
            "this participant.",
        ),
        (
            decision(S.ADDITIONAL_FINDINGS, Decision.GRANTED, TODAY),
            "From 27 November 2026, additional findings may be shown and written about for this "
            "participant.",
        ),
        (
            decision(S.PUBLICATION, Decision.GRANTED, TODAY, request_id="REQ-7"),
            "From 27 November 2026, this case may be published for request REQ-7.",
        ),
        (
            decision(S.FURTHER_SAMPLE, Decision.DECLINED, TODAY, request_id="REQ-8"),
            "From 27 November 2026, a sample will not be released for request REQ-8.",
        ),
    ],
)
def test_consequence_says_what_the_decision_changes(new, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert consequence(new) == sentence


@pytest.mark.parametrize(
    ("new", "words"),
    [
        (
            decision(S.PROGRAMME, Decision.WITHDRAWN, TODAY, level=WithdrawalLevel.NO_FURTHER_USE),
            "cannot be undone",
        ),
        (
            decision(
                S.PROGRAMME, Decision.WITHDRAWN, TODAY, level=WithdrawalLevel.NO_FURTHER_CONTACT
            ),
            "every letter is refused",
        ),
        (decision(S.PROGRAMME, Decision.GRANTED, TODAY), "lifts an earlier withdrawal"),
        (
            decision(S.CONTACT_FOR_RESEARCH, Decision.DECLINED, TODAY),
            "no research-initiated contact",
        ),
        (
            decision(S.SHARE_WITH_RESEARCHER, Decision.GRANTED, TODAY, request_id="R"),
            "may be shared",
        ),
        (
            decision(S.TRIAL_CONTACT, Decision.WITHDRAWN, TODAY, request_id="R"),
            "will not be contacted",
        ),
    ],
)
def test_consequence_of_every_kind_of_decision_is_one_sentence(new, words: str) -> None:  # type: ignore[no-untyped-def]
    sentence = consequence(new)
    assert sentence.startswith("From 27 November 2026, ")
    assert words in sentence
    assert sentence.endswith(".")
    assert sentence.count(". ") == 0
