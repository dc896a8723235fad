"""Letter metadata (the PDF bytes live in the encrypted cache)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from counsellor_app.domain.participant import LetterFormat


class LetterKind(StrEnum):
    RESULT = "result"
    ADDITIONAL_FINDINGS = "additional-findings"
    COLLABORATION = "collaboration"
    TRIAL = "trial"
    SAMPLE = "sample"
    CONSENT_CONFIRMATION = "consent-confirmation"


class Recipient(StrEnum):
    PARTICIPANT = "participant"
    REPRESENTATIVE = "representative"
    GP = "gp"
    CLINICIAN = "clinician"


class LetterStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    SENT = "sent"


@dataclass(frozen=True, slots=True)
class LetterRecord:
    letter_id: str
    case_id: str
    participant_id: str
    kind: LetterKind
    recipient: Recipient
    format: LetterFormat
    language: str
    sha256: str
    generated_by: str
    generated_at: dt.datetime
    status: LetterStatus
    result_id: str | None = None
    request_id: str | None = None
    decision_id: str | None = None


__all__ = ["LetterFormat", "LetterKind", "LetterRecord", "LetterStatus", "Recipient"]
