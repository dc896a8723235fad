"""Every letter kind × format × recipient the rules allow, read back from the PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest

from counsellor_app.domain.consent import ConsentScope, Decision, WithdrawalLevel
from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.participant import LetterFormat, Participant
from counsellor_app.domain.request import RequestKind
from counsellor_app.domain.result import ResultKind, ResultOutcome
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.spec import LetterSpec

from . import factory as f
from .conftest import pdf_text


@dataclass(frozen=True)
class Subject:
    name: str
    kind: LetterKind
    build: object  # Callable[[Participant], CaseRecord]
    spec: dict[str, str]
    wording: dict[LetterFormat, str]


def _consent_for(person: Participant) -> tuple:
    given = f.GivenBy.PARENT_OR_GUARDIAN if person.age_on(f.TODAY) < 16 else f.GivenBy.SELF
    return tuple(replace(d, given_by=given) for d in f.baseline_consent())


def _result_record(outcome: ResultOutcome):
    return lambda person: f.record(
        person, results=(f.result(outcome),), decisions=_consent_for(person)
    )


def _request_record(kind: RequestKind, granted: bool = False):
    def build(person: Participant) -> CaseRecord:
        req = f.request(kind)
        consent = _consent_for(person)
        if granted:
            consent += (
                f.decision(
                    kind.consent_scope,
                    request_id=req.request_id,
                    on=f.dt.date(2026, 11, 20),
                    given_by=consent[0].given_by,
                ),
            )
        return f.record(person, requests=(req,), decisions=consent)

    return build


def _confirmation_record(person: Participant) -> CaseRecord:
    consent = _consent_for(person) + (
        f.decision(
            ConsentScope.ADDITIONAL_FINDINGS,
            Decision.DECLINED,
            on=f.dt.date(2026, 11, 20),
            given_by=_consent_for(person)[0].given_by,
            given_by_name="Ffion Jones",
        ),
    )
    return f.record(person, decisions=consent)


STANDARD, LARGE, EASY = LetterFormat.STANDARD, LetterFormat.LARGE_PRINT, LetterFormat.EASY_READ

SUBJECTS = [
    Subject(
        "result-confirmed",
        LetterKind.RESULT,
        _result_record(ResultOutcome.CONFIRMED_DIAGNOSIS),
        {},
        {STANDARD: "confirmed genetic diagnosis", EASY: "This is called a diagnosis."},
    ),
    Subject(
        "result-partial",
        LetterKind.RESULT,
        _result_record(ResultOutcome.PARTIAL_EXPLANATION),
        {},
        {STANDARD: "This is called a partial explanation.", EASY: "It does not explain all"},
    ),
    Subject(
        "result-none",
        LetterKind.RESULT,
        _result_record(ResultOutcome.NO_CAUSATIVE_VARIANT),
        {},
        {STANDARD: "did not find a genetic change", EASY: "We did not find a change"},
    ),
    Subject(
        "result-uncertain",
        LetterKind.RESULT,
        _result_record(ResultOutcome.UNCERTAIN),
        {},
        {STANDARD: "variant of uncertain significance", EASY: "We do not know yet"},
    ),
    Subject(
        "additional-findings",
        LetterKind.ADDITIONAL_FINDINGS,
        lambda person: f.record(
            person, results=(f.additional_finding(),), decisions=_consent_for(person)
        ),
        {},
        {STANDARD: "a gene called BRCA2", EASY: "a gene called BRCA2"},
    ),
    Subject(
        "collaboration",
        LetterKind.COLLABORATION,
        _request_record(RequestKind.RESEARCHER_COLLABORATION),
        {},
        {STANDARD: "Saying no will not change", EASY: "Saying no will not change"},
    ),
    Subject(
        "trial",
        LetterKind.TRIAL,
        _request_record(RequestKind.CLINICAL_TRIAL),
        {},
        {STANDARD: "A clinical trial tests", EASY: "A trial tests a new medicine"},
    ),
    Subject(
        "registry",
        LetterKind.TRIAL,
        _request_record(RequestKind.PATIENT_REGISTRY),
        {},
        {STANDARD: "A patient registry collects", EASY: "A registry is a list"},
    ),
    Subject(
        "sample-stored",
        LetterKind.SAMPLE,
        _request_record(RequestKind.SAMPLE_STORED_DNA, granted=True),
        {},
        {STANDARD: "Nobody needs to take a new sample", EASY: "We already have some of"},
    ),
    Subject(
        "sample-fresh",
        LetterKind.SAMPLE,
        _request_record(RequestKind.SAMPLE_FRESH, granted=True),
        {},
        {STANDARD: "The research needs a new sample", EASY: "The research needs a new sample"},
    ),
    Subject(
        "consent-confirmation",
        LetterKind.CONSENT_CONFIRMATION,
        _confirmation_record,
        {},
        {STANDARD: "we will not tell you about additional findings", EASY: "extra findings"},
    ),
]

PEOPLE = {
    Recipient.PARTICIPANT: f.participant,
    "child": f.child,
    "attorney": f.adult_lacking_capacity,
}
# Every kind in every format to every recipient (the participant, a parent, the GP); the other
# outcomes and request kinds (same layout, different wording) in every format to the participant.
EVERY_KIND = (
    "result-confirmed",
    "additional-findings",
    "collaboration",
    "trial",
    "sample-stored",
    "consent-confirmation",
)
RECIPIENTS = (
    (Recipient.PARTICIPANT, Recipient.PARTICIPANT),
    (Recipient.REPRESENTATIVE, "child"),
    (Recipient.REPRESENTATIVE, "attorney"),
    (Recipient.GP, Recipient.PARTICIPANT),
)
CASES = [
    (subject, fmt, recipient, person)
    for subject in SUBJECTS
    for fmt in LetterFormat
    for recipient, person in (RECIPIENTS if subject.name in EVERY_KIND else RECIPIENTS[:1])
    # An attorney's letters differ from a parent's only in phrasing: checked in standard print.
    if person != "attorney" or fmt is LetterFormat.STANDARD
]


@pytest.mark.parametrize(
    ("subject", "fmt", "recipient", "person_key"),
    CASES,
    ids=[f"{s.name}-{fmt.value}-{r.value}-{p}" for s, fmt, r, p in CASES],
)
def test_letter_names_the_right_person_and_says_the_right_thing(
    generator: LetterGenerator,
    subject: Subject,
    fmt: LetterFormat,
    recipient: Recipient,
    person_key: str,
) -> None:
    person = PEOPLE[person_key]()
    record = subject.build(person)  # type: ignore[operator]
    letter = generator.generate(
        record,
        LetterSpec(subject.kind, recipient=recipient, letter_format=fmt),
        generated_by="tester",
    )
    pages = pdf_text(letter.pdf)
    text = " ".join(pages)
    assert person.full_name in text
    assert format_nhs_number(person.nhs_number) in text
    assert "9 March 1984" in text or str(person.date_of_birth.year) in text
    wording = subject.wording[LetterFormat.EASY_READ if fmt is EASY else STANDARD]
    assert wording.lower() in text.lower()
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert person.full_name in page and format_nhs_number(person.nhs_number) in page
    assert not re.search(r"[{}$]", text), "an unresolved placeholder is left in the letter"
    if person_key == "child" and recipient is not Recipient.GP:
        assert "your child" in text.lower() and f.PARENT.name in text
    if person_key == "attorney" and recipient is not Recipient.GP:
        assert "the person you care for" in text.lower() and f.ATTORNEY.name in text
    if recipient is Recipient.GP:
        assert f.GP.name in pages[0] and "For information" in pages[0]
        assert "Copy for the GP" in text
    elif person.gp is not None:
        assert "Copy to" in text or "We sent a copy to" in text
    if subject.kind in (LetterKind.COLLABORATION, LetterKind.TRIAL):
        assert "☐" in text


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        (ResultKind.REANALYSIS, "This is called a reanalysis."),
        (ResultKind.RESEARCHER_IDENTIFIED, "A researcher studying this kind of condition found"),
        (ResultKind.PIPELINE_IMPROVEMENT, "improved the computer methods"),
    ],
)
def test_new_analysis_letter_says_a_new_analysis_was_done_and_what_changed(
    generator: LetterGenerator, kind: ResultKind, said: str
) -> None:
    earlier = f.result(
        ResultOutcome.NO_CAUSATIVE_VARIANT,
        result_id="RES-OLD",
        issued_on=f.dt.date(2021, 4, 6),
        superseded_by="RES-NEW",
    )
    newer = f.result(
        ResultOutcome.CONFIRMED_DIAGNOSIS,
        kind,
        result_id="RES-NEW",
        report_version=2,
        supersedes="RES-OLD",
    )
    record = f.record(results=(earlier, newer))
    text = " ".join(
        pdf_text(generator.generate(record, LetterSpec(LetterKind.RESULT), generated_by="t").pdf)
    )
    assert said in text
    assert "replaces the report dated 6 April 2021" in text
    assert "The earlier report did not find a genetic cause of the condition." in text
    assert "The new report found the genetic cause of the condition." in text
    assert "c.2836C>T" in text and "SCN1A" in text


def test_format_defaults_to_the_recorded_communication_need(generator: LetterGenerator) -> None:
    record = f.record(f.with_needs(large_print=True), results=(f.result(),))
    document = generator.prepare(record, LetterSpec(LetterKind.RESULT))
    assert document.letter_format is LetterFormat.LARGE_PRINT
    easy = f.record(f.with_needs(easy_read=True), results=(f.result(),))
    assert generator.prepare(easy, LetterSpec(LetterKind.RESULT)).letter_format is EASY


def test_child_letters_go_to_the_parent_by_default(generator: LetterGenerator) -> None:
    record = f.record(f.child(), results=(f.result(),))
    document = generator.prepare(record, LetterSpec(LetterKind.RESULT))
    assert document.recipient is Recipient.REPRESENTATIVE
    assert document.parts[0].addressee.name == f.PARENT.name


def test_withdrawal_confirmation_says_no_more_letters_will_follow(
    generator: LetterGenerator,
) -> None:
    withdrawal = f.decision(
        ConsentScope.PROGRAMME,
        Decision.WITHDRAWN,
        level=WithdrawalLevel.NO_FURTHER_CONTACT,
        on=f.dt.date(2026, 11, 25),
    )
    record = f.record(decisions=(*f.baseline_consent(), withdrawal))
    letter = generator.generate(
        record, LetterSpec(LetterKind.CONSENT_CONFIRMATION), generated_by="t"
    )
    text = " ".join(pdf_text(letter.pdf))
    assert "Withdrawn: no further contact" in text
    assert "we will not contact you again about the research programme" in text
    assert "We will not write again about the research" in text
    assert letter.document.decision_id == withdrawal.decision_id
