"""Every refusal: consent (H1, H2, rule 3, rule 5), identity (H3), superseded reports (H4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from counsellor_app.domain.consent import ConsentScope, Decision, GivenBy, WithdrawalLevel
from counsellor_app.domain.errors import ConsentRefused, DomainError
from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import Address, LifeStatus
from counsellor_app.domain.request import RequestKind, RequestStatus
from counsellor_app.domain.result import CounsellorState, ResultKind, ResultOutcome, ReviewStage
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.identity import IdentityMismatch
from counsellor_app.letters.spec import LetterSpec

from . import factory as f

RESULT = LetterSpec(LetterKind.RESULT)
LATER = dt.date(2026, 11, 20)


def withdrawal(level: WithdrawalLevel) -> f.ConsentDecision:
    return f.decision(ConsentScope.PROGRAMME, Decision.WITHDRAWN, level=level, on=LATER)


def test_letter_refused_for_a_deceased_participant(generator: LetterGenerator) -> None:
    person = f.participant(life_status=LifeStatus.DECEASED, date_of_death=dt.date(2026, 9, 1))
    record = f.record(person, results=(f.result(),))
    with pytest.raises(ConsentRefused, match="deceased"):
        generator.generate(record, RESULT, generated_by="t")


def test_letter_refused_after_withdrawal_from_further_contact(generator: LetterGenerator) -> None:
    record = f.record(
        results=(f.result(),),
        decisions=(*f.baseline_consent(), withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)),
    )
    with pytest.raises(ConsentRefused, match="no further contact"):
        generator.generate(record, RESULT, generated_by="t")


def test_letter_refused_after_withdrawal_from_further_use(generator: LetterGenerator) -> None:
    record = f.record(
        results=(f.result(),),
        decisions=(*f.baseline_consent(), withdrawal(WithdrawalLevel.NO_FURTHER_USE)),
    )
    with pytest.raises(ConsentRefused, match="no further use"):
        generator.generate(record, RESULT, generated_by="t")


def test_gp_copy_refused_for_a_withdrawn_participant(generator: LetterGenerator) -> None:
    record = f.record(
        results=(f.result(),),
        decisions=(*f.baseline_consent(), withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)),
    )
    with pytest.raises(ConsentRefused):
        generator.generate(record, replace(RESULT, recipient=Recipient.GP), generated_by="t")


def test_additional_findings_letter_refused_when_declined(generator: LetterGenerator) -> None:
    declined = f.decision(ConsentScope.ADDITIONAL_FINDINGS, Decision.DECLINED, on=LATER)
    record = f.record(
        results=(f.additional_finding(),), decisions=(*f.baseline_consent(), declined)
    )
    with pytest.raises(ConsentRefused, match="Additional findings"):
        generator.generate(record, LetterSpec(LetterKind.ADDITIONAL_FINDINGS), generated_by="t")


def test_additional_findings_letter_refused_when_consent_never_recorded(
    generator: LetterGenerator,
) -> None:
    record = f.record(
        results=(f.additional_finding(),),
        decisions=(f.decision(ConsentScope.PROGRAMME),),
    )
    with pytest.raises(ConsentRefused, match="additional findings"):
        generator.generate(record, LetterSpec(LetterKind.ADDITIONAL_FINDINGS), generated_by="t")


def test_additional_finding_cannot_go_out_as_an_ordinary_result_letter(
    generator: LetterGenerator,
) -> None:
    record = f.record(results=(f.additional_finding(),))
    with pytest.raises(DomainError, match="additional-findings letter"):
        generator.generate(record, replace(RESULT, result_id="RES-AF"), generated_by="t")


def test_collaboration_invitation_refused_when_research_contact_declined(
    generator: LetterGenerator,
) -> None:
    declined = f.decision(ConsentScope.CONTACT_FOR_RESEARCH, Decision.DECLINED, on=LATER)
    record = f.record(
        results=(f.result(),),
        requests=(f.request(RequestKind.RESEARCHER_COLLABORATION),),
        decisions=(*f.baseline_consent(), declined),
    )
    with pytest.raises(ConsentRefused, match="No research contact"):
        generator.generate(record, LetterSpec(LetterKind.COLLABORATION), generated_by="t")
    # ... but the participant still receives the results of their own clinical testing.
    assert generator.generate(record, RESULT, generated_by="t").pdf


def test_trial_letter_refused_when_research_contact_declined(generator: LetterGenerator) -> None:
    declined = f.decision(ConsentScope.CONTACT_FOR_RESEARCH, Decision.DECLINED, on=LATER)
    record = f.record(
        requests=(f.request(RequestKind.PATIENT_REGISTRY),),
        decisions=(*f.baseline_consent(), declined),
    )
    with pytest.raises(ConsentRefused, match="No research contact"):
        generator.generate(record, LetterSpec(LetterKind.TRIAL), generated_by="t")


def test_sample_letter_refused_without_a_grant_for_that_request(
    generator: LetterGenerator,
) -> None:
    record = f.record(requests=(f.request(RequestKind.SAMPLE_FRESH),))
    with pytest.raises(ConsentRefused, match="another request never covers"):
        generator.generate(record, LetterSpec(LetterKind.SAMPLE), generated_by="t")


def test_sample_letter_refused_when_the_grant_was_for_another_request(
    generator: LetterGenerator,
) -> None:
    other = f.decision(ConsentScope.FURTHER_SAMPLE, request_id="REQ-other", on=LATER)
    record = f.record(
        requests=(f.request(RequestKind.SAMPLE_STORED_DNA),),
        decisions=(*f.baseline_consent(), other),
    )
    with pytest.raises(ConsentRefused):
        generator.generate(record, LetterSpec(LetterKind.SAMPLE), generated_by="t")


def test_letters_held_while_a_consent_conflict_is_unresolved(generator: LetterGenerator) -> None:
    conflicted = f.decision(
        ConsentScope.CONTACT_FOR_RESEARCH, on=LATER, conflict=True, conflict_reason="overtaken"
    )
    record = f.record(results=(f.result(),), decisions=(*f.baseline_consent(), conflicted))
    with pytest.raises(ConsentRefused, match="conflict"):
        generator.generate(record, RESULT, generated_by="t")


def test_superseded_report_cannot_be_the_subject_of_a_new_letter(
    generator: LetterGenerator,
) -> None:
    old = f.result(result_id="RES-OLD", superseded_by="RES-NEW")
    new = f.result(result_id="RES-NEW", report_version=2, supersedes="RES-OLD")
    record = f.record(results=(old, new))
    with pytest.raises(DomainError, match="replaced by a later report"):
        generator.generate(record, replace(RESULT, result_id="RES-OLD"), generated_by="t")
    assert generator.generate(record, RESULT, generated_by="t").document.result_id == "RES-NEW"


def test_researcher_identified_variant_refused_until_the_report_is_reissued(
    generator: LetterGenerator,
) -> None:
    pending = f.result(
        ResultOutcome.CONFIRMED_DIAGNOSIS,
        ResultKind.RESEARCHER_IDENTIFIED,
        review_stage=ReviewStage.GLH_ASSESSMENT,
    )
    record = f.record(results=(pending,))
    with pytest.raises(DomainError, match="not been re-issued"):
        generator.generate(record, replace(RESULT, result_id=pending.result_id), generated_by="t")
    with pytest.raises(DomainError, match="no current result"):
        generator.generate(record, RESULT, generated_by="t")


def test_representative_letter_refused_when_no_representative_is_recorded(
    generator: LetterGenerator,
) -> None:
    record = f.record(results=(f.result(),))
    with pytest.raises(DomainError, match="No representative is recorded"):
        generator.generate(
            record, replace(RESULT, recipient=Recipient.REPRESENTATIVE), generated_by="t"
        )


def test_gp_copy_refused_when_no_gp_is_recorded(generator: LetterGenerator) -> None:
    record = f.record(f.participant(gp=None), results=(f.result(),))
    with pytest.raises(DomainError, match="No GP is recorded"):
        generator.generate(record, replace(RESULT, recipient=Recipient.GP), generated_by="t")


def test_letter_to_a_young_child_directly_is_refused(generator: LetterGenerator) -> None:
    record = f.record(f.child(), results=(f.result(),))
    with pytest.raises(DomainError, match="under 16"):
        generator.generate(
            record, replace(RESULT, recipient=Recipient.PARTICIPANT), generated_by="t"
        )


def test_parent_no_longer_written_to_once_the_young_person_is_16(
    generator: LetterGenerator,
) -> None:
    person = f.child(date_of_birth=dt.date(2009, 1, 1))
    record = f.record(person, results=(f.result(),))
    with pytest.raises(DomainError, match="16 or over"):
        generator.generate(
            record, replace(RESULT, recipient=Recipient.REPRESENTATIVE), generated_by="t"
        )


def test_invitation_refused_for_a_closed_request(generator: LetterGenerator) -> None:
    closed = f.request(RequestKind.RESEARCHER_COLLABORATION, status=RequestStatus.CLOSED)
    record = f.record(requests=(closed,))
    with pytest.raises(DomainError, match="closed"):
        generator.generate(
            record,
            LetterSpec(LetterKind.COLLABORATION, request_id=closed.request_id),
            generated_by="t",
        )


def test_result_of_another_case_is_refused(generator: LetterGenerator) -> None:
    stray = f.result(result_id="RES-STRAY", case_id="C-9999")
    record = f.record(results=(f.result(), stray))
    with pytest.raises(DomainError, match="does not belong to case"):
        generator.generate(record, replace(RESULT, result_id="RES-STRAY"), generated_by="t")


# ----------------------------------------------------------------------------- identity (H3)


def _tampered(generator: LetterGenerator, **identity_changes: object) -> None:
    record = f.record(results=(f.result(),))
    document = generator.prepare(record, RESULT)
    bad = replace(document, identity=replace(document.identity, **identity_changes))
    with pytest.raises(IdentityMismatch) as caught:
        generator.render(bad, record)
    message = str(caught.value)
    assert record.participant.full_name not in message
    assert record.participant.nhs_number not in message


def test_letter_refused_when_the_name_differs_from_the_case(generator: LetterGenerator) -> None:
    _tampered(generator, name="Someone Else")


def test_letter_refused_when_the_nhs_number_differs(generator: LetterGenerator) -> None:
    _tampered(generator, nhs_number=f.nhs(5555))


def test_letter_refused_when_the_date_of_birth_differs(generator: LetterGenerator) -> None:
    _tampered(generator, date_of_birth=dt.date(1990, 1, 1))


def test_letter_refused_when_the_address_differs(generator: LetterGenerator) -> None:
    _tampered(generator, address=("1 Other Road", "OT1 1ER"))


def test_letter_refused_when_the_envelope_address_is_another_persons(
    generator: LetterGenerator,
) -> None:
    record = f.record(results=(f.result(),))
    document = generator.prepare(record, RESULT)
    part = document.parts[0]
    wrong = replace(part, addressee=replace(part.addressee, address=("9 Elm Row", "EL9 9MR")))
    with pytest.raises(IdentityMismatch, match="participant address"):
        generator.render(replace(document, parts=(wrong,)), record)


def test_letter_refused_when_rendered_against_another_case_record(
    generator: LetterGenerator,
) -> None:
    record = f.record(results=(f.result(),))
    document = generator.prepare(record, RESULT)
    other = f.record(
        f.participant(
            given_name="Zoë",
            nhs_number=f.nhs(777),
            address=Address(("1 Hill Top",), "HT1 1AA"),
        ),
        results=(f.result(),),
    )
    with pytest.raises(IdentityMismatch, match="name, NHS number"):
        generator.render(document, other)


# ----------------------------------------------------------------------------- confirmations


def _withdrawn(level: WithdrawalLevel) -> tuple[f.CaseRecord, f.ConsentDecision]:
    w = withdrawal(level)
    return f.record(decisions=(*f.baseline_consent(), w)), w


@pytest.mark.parametrize("level", list(WithdrawalLevel))
def test_withdrawal_is_confirmed_once_to_a_living_participant(
    generator: LetterGenerator, level: WithdrawalLevel
) -> None:
    # Allowed on purpose: the one letter that confirms the withdrawal itself, so the person can
    # check it was recorded right; it says that nothing more will follow (rules.py explains).
    record, w = _withdrawn(level)
    spec = LetterSpec(LetterKind.CONSENT_CONFIRMATION, decision_id=w.decision_id)
    assert generator.generate(record, spec, generated_by="t").document.decision_id == w.decision_id
    with pytest.raises(ConsentRefused, match="already been sent"):
        generator.generate(record, spec, generated_by="t", confirmed_decisions={w.decision_id})


def test_withdrawn_participant_gets_no_confirmation_of_an_older_decision(
    generator: LetterGenerator,
) -> None:
    record, _ = _withdrawn(WithdrawalLevel.NO_FURTHER_CONTACT)
    older = record.decisions[2]
    with pytest.raises(ConsentRefused, match="no further contact"):
        generator.generate(
            record,
            LetterSpec(LetterKind.CONSENT_CONFIRMATION, decision_id=older.decision_id),
            generated_by="t",
        )


def test_withdrawal_confirmation_refused_for_a_deceased_participant(
    generator: LetterGenerator,
) -> None:
    w = withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)
    person = f.participant(life_status=LifeStatus.DECEASED, date_of_death=dt.date(2026, 11, 26))
    record = f.record(person, decisions=(*f.baseline_consent(), w))
    with pytest.raises(ConsentRefused, match="deceased"):
        generator.generate(
            record,
            LetterSpec(LetterKind.CONSENT_CONFIRMATION, decision_id=w.decision_id),
            generated_by="t",
        )


def test_withdrawal_confirmation_held_by_an_unresolved_conflict(
    generator: LetterGenerator,
) -> None:
    w = withdrawal(WithdrawalLevel.NO_FURTHER_CONTACT)
    conflicted = f.decision(
        ConsentScope.ADDITIONAL_FINDINGS, on=LATER, conflict=True, given_by=GivenBy.SELF
    )
    record = f.record(decisions=(*f.baseline_consent(), conflicted, w))
    with pytest.raises(ConsentRefused, match="conflict"):
        generator.generate(
            record,
            LetterSpec(LetterKind.CONSENT_CONFIRMATION, decision_id=w.decision_id),
            generated_by="t",
        )


def test_confirmation_of_a_corrected_decision_is_refused(generator: LetterGenerator) -> None:
    wrong = f.decision(ConsentScope.CARRIER_STATUS, on=LATER)
    fixed = f.decision(
        ConsentScope.CARRIER_STATUS, Decision.DECLINED, on=LATER, supersedes=wrong.decision_id
    )
    record = f.record(decisions=(*f.baseline_consent(), wrong, fixed))
    with pytest.raises(DomainError, match="corrected by a later one"):
        generator.generate(
            record,
            LetterSpec(LetterKind.CONSENT_CONFIRMATION, decision_id=wrong.decision_id),
            generated_by="t",
        )


def test_default_subject_skips_unconfirmed_findings_and_results_already_told(
    generator: LetterGenerator,
) -> None:
    told = f.result(
        ResultOutcome.NO_CAUSATIVE_VARIANT,
        result_id="RES-TOLD",
        counsellor_state=CounsellorState.PATIENT_INFORMED,
    )
    pending = f.result(
        ResultOutcome.UNCERTAIN,
        ResultKind.RESEARCHER_IDENTIFIED,
        result_id="RES-PENDING",
        review_stage=ReviewStage.CLINICAL_REVIEW,
    )
    fresh = f.result(ResultOutcome.CONFIRMED_DIAGNOSIS, ResultKind.REANALYSIS, result_id="RES-NEW")
    record = f.record(results=(told, pending, fresh))
    assert generator.prepare(record, RESULT).result_id == "RES-NEW"
    with pytest.raises(DomainError, match="choose one with --result"):
        generator.prepare(f.record(results=(fresh, replace(fresh, result_id="RES-2"))), RESULT)
