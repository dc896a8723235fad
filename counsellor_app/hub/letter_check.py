"""The hub's own check of a letter record against the consent rules (H1, H2, H4, rule 1-3, 5).

The client checks before it renders; the hub checks again before it accepts the record, so a
letter that should never have been written is refused where every team can see it.
"""

from __future__ import annotations

from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.errors import ConsentRefused
from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.hub.errors import Invalid
from counsellor_app.hub.records import Records
from counsellor_app.protocol.entities import LetterRecordWire, ParticipantWire

RESEARCH_LETTERS = frozenset({LetterKind.COLLABORATION, LetterKind.TRIAL, LetterKind.SAMPLE})


def check_letter(records: Records, participant: ParticipantWire, letter: LetterRecordWire) -> None:
    """Raise ConsentRefused or Invalid, with a reason, for a letter the rules forbid."""
    case = records.case(letter.case_id)
    if case is None or case.participant_id != participant.participant_id:
        raise Invalid("The letter names a case that is not this participant's.")
    on = letter.generated_at.date()
    ledger: ConsentLedger = records.ledger(participant)
    if letter.recipient is not Recipient.CLINICIAN:
        contact = ledger.may_contact_for_results(on)
        if not contact:
            raise ConsentRefused(f"The letter record is refused. {contact.reason}")
    if letter.kind is LetterKind.ADDITIONAL_FINDINGS:
        allowed = ledger.may_share_additional_findings(on)
        if not allowed:
            raise ConsentRefused(f"An additional-findings letter is refused. {allowed.reason}")
    if letter.kind in (LetterKind.RESULT, LetterKind.ADDITIONAL_FINDINGS) and letter.result_id:
        result = records.result(letter.result_id)
        if result is None or result.participant_id != participant.participant_id:
            raise Invalid("The letter names a result that is not this participant's.")
        if result.superseded_by is not None:
            raise ConsentRefused(
                "The letter is about a report that a later version has replaced: write about "
                "the current report instead."
            )
        if result.kind.value == "additional_finding":
            allowed = ledger.may_share_additional_findings(on)
            if not allowed:
                raise ConsentRefused(
                    f"A letter about an additional finding is refused. {allowed.reason}"
                )
    elif letter.kind is LetterKind.RESULT:
        raise Invalid("A result letter must name the result it is about.")
    if letter.kind in RESEARCH_LETTERS:
        if not letter.request_id:
            raise Invalid("A letter about a request must name the request.")
        request = records.request(letter.request_id)
        if request is None or request.participant_id != participant.participant_id:
            raise Invalid("The letter names a request that is not this participant's.")
        contact = ledger.may_contact_about_request(request.kind, on)
        if not contact:
            raise ConsentRefused(f"The letter record is refused. {contact.reason}")
