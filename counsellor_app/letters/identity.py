"""Hazard H3: the identity on a letter must be that of the one case record it was built from."""

from __future__ import annotations

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import Recipient
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.document import Addressee, LetterDocument
from counsellor_app.letters.phrasing import participant_name_line


class IdentityMismatch(DomainError):
    """The letter names, numbers or addresses someone other than the case's participant."""


def verify_identity(document: LetterDocument, record: CaseRecord) -> None:
    """Compare every identifying value on the letter with the case record; refuse on any
    difference. Called immediately before the identity block is drawn.

    The message says which field differed, never the values themselves.
    """
    participant = record.participant
    identity = document.identity
    problems: list[str] = []
    if document.case_id != record.case.case_id or record.case.participant_id != (
        participant.participant_id
    ):
        problems.append("case")
    if document.participant_id != participant.participant_id:
        problems.append("participant id")
    if identity.name != participant.full_name:
        problems.append("name")
    if identity.nhs_number != participant.nhs_number:
        problems.append("NHS number")
    if identity.date_of_birth != participant.date_of_birth:
        problems.append("date of birth")
    if tuple(identity.address) != participant.address.as_lines():
        problems.append("address")
    for part in document.parts:
        if not _addressee_matches(part.addressee, record):
            problems.append(f"{part.addressee.role.value} address")
    problems += _subject_problems(document, record)
    if problems:
        fields = ", ".join(dict.fromkeys(problems))
        raise IdentityMismatch(
            f"The letter was not written: its {fields} did not match case {record.case.case_id}. "
            "Generate the letter again from the case record."
        )


def _addressee_matches(addressee: Addressee, record: CaseRecord) -> bool:
    participant = record.participant
    if addressee.role is Recipient.PARTICIPANT:
        return (
            addressee.name == participant_name_line(participant)
            and addressee.address == participant.address.as_lines()
        )
    if addressee.role is Recipient.REPRESENTATIVE:
        rep = next(
            (
                r
                for r in participant.representatives
                if r.representative_id == addressee.representative_id
            ),
            None,
        )
        return (
            rep is not None
            and addressee.name == rep.name
            and addressee.address == rep.address.as_lines()
        )
    if addressee.role is Recipient.GP:
        gp = participant.gp
        return (
            gp is not None
            and addressee.name == gp.name
            and addressee.address == (gp.practice, *gp.address.as_lines())
        )
    return False


def _subject_problems(document: LetterDocument, record: CaseRecord) -> list[str]:
    problems: list[str] = []
    if document.result_id is not None:
        result = record.result(document.result_id)
        if result is None or (result.case_id, result.participant_id) != (
            record.case.case_id,
            record.participant.participant_id,
        ):
            problems.append("result")
    if document.request_id is not None:
        request = record.request(document.request_id)
        if request is None or (request.case_id, request.participant_id) != (
            record.case.case_id,
            record.participant.participant_id,
        ):
            problems.append("request")
    if document.decision_id is not None:
        decision = record.decision(document.decision_id)
        if decision is None or decision.participant_id != record.participant.participant_id:
            problems.append("consent decision")
    return problems
