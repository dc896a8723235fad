"""What the user asked for: the kind of letter, its subject, recipient, format and signer."""

from __future__ import annotations

from dataclasses import dataclass

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.domain.request import RequestKind

RESULT_KINDS = frozenset({LetterKind.RESULT, LetterKind.ADDITIONAL_FINDINGS})
REQUEST_KINDS = frozenset({LetterKind.COLLABORATION, LetterKind.TRIAL, LetterKind.SAMPLE})

# Which requests each request letter may be about.
REQUESTS_FOR_KIND: dict[LetterKind, frozenset[RequestKind]] = {
    LetterKind.COLLABORATION: frozenset(
        {
            RequestKind.RESEARCHER_COLLABORATION,
            RequestKind.PUBLICATION,
            RequestKind.EXPERT_OPINION,
            RequestKind.SAMPLE_STORED_DNA,
            RequestKind.SAMPLE_FRESH,
        }
    ),
    LetterKind.TRIAL: frozenset({RequestKind.CLINICAL_TRIAL, RequestKind.PATIENT_REGISTRY}),
    LetterKind.SAMPLE: frozenset({RequestKind.SAMPLE_STORED_DNA, RequestKind.SAMPLE_FRESH}),
}


@dataclass(frozen=True, slots=True)
class LetterSpec:
    """A letter to make. ``None`` means "choose the sensible default from the case record":
    the recipient from age and representatives, the format from communication needs, the
    subject when the case has exactly one that fits."""

    kind: LetterKind
    recipient: Recipient | None = None
    letter_format: LetterFormat | None = None
    result_id: str | None = None
    request_id: str | None = None
    decision_id: str | None = None
    representative_id: str | None = None
    signer_name: str | None = None
    signer_role: str | None = None
    language: str = "en"
