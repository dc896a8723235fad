"""Wire models of what a team records: consent decisions and letter metadata."""

from __future__ import annotations

from pydantic import AwareDatetime

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.letter import LetterKind, LetterRecord, LetterStatus, Recipient
from counsellor_app.domain.participant import (
    LetterFormat,
)
from counsellor_app.protocol.wire import WireModel, aware


class ConsentDecisionWire(WireModel):
    decision_id: str
    participant_id: str
    scope: ConsentScope
    decision: Decision
    given_by: GivenBy
    given_by_name: str | None
    method: Method
    recorded_by: str
    recorded_at: AwareDatetime
    effective_from: AwareDatetime
    withdrawal_level: WithdrawalLevel | None = None
    request_id: str | None = None
    note: str | None = None
    supersedes: str | None = None
    conflict: bool = False
    conflict_reason: str | None = None
    conflict_resolved: bool = False

    @classmethod
    def from_domain(cls, d: ConsentDecision) -> ConsentDecisionWire:
        return cls(
            decision_id=d.decision_id,
            participant_id=d.participant_id,
            scope=d.scope,
            decision=d.decision,
            given_by=d.given_by,
            given_by_name=d.given_by_name,
            method=d.method,
            recorded_by=d.recorded_by,
            recorded_at=aware(d.recorded_at),
            effective_from=aware(d.effective_from),
            withdrawal_level=d.withdrawal_level,
            request_id=d.request_id,
            note=d.note,
            supersedes=d.supersedes,
            conflict=d.conflict,
            conflict_reason=d.conflict_reason,
            conflict_resolved=d.conflict_resolved,
        )

    def to_domain(self) -> ConsentDecision:
        return ConsentDecision(
            decision_id=self.decision_id,
            participant_id=self.participant_id,
            scope=self.scope,
            decision=self.decision,
            given_by=self.given_by,
            given_by_name=self.given_by_name,
            method=self.method,
            recorded_by=self.recorded_by,
            recorded_at=self.recorded_at,
            effective_from=self.effective_from,
            withdrawal_level=self.withdrawal_level,
            request_id=self.request_id,
            note=self.note,
            supersedes=self.supersedes,
            conflict=self.conflict,
            conflict_reason=self.conflict_reason,
            conflict_resolved=self.conflict_resolved,
        )


class LetterRecordWire(WireModel):
    """A letter's metadata only: the PDF never leaves the encrypted cache."""

    letter_id: str
    case_id: str
    participant_id: str
    kind: LetterKind
    recipient: Recipient
    format: LetterFormat
    language: str
    sha256: str
    generated_by: str
    generated_at: AwareDatetime
    status: LetterStatus
    result_id: str | None = None
    request_id: str | None = None
    decision_id: str | None = None

    @classmethod
    def from_domain(cls, r: LetterRecord) -> LetterRecordWire:
        return cls(
            letter_id=r.letter_id,
            case_id=r.case_id,
            participant_id=r.participant_id,
            kind=r.kind,
            recipient=r.recipient,
            format=r.format,
            language=r.language,
            sha256=r.sha256,
            generated_by=r.generated_by,
            generated_at=aware(r.generated_at),
            status=r.status,
            result_id=r.result_id,
            request_id=r.request_id,
            decision_id=r.decision_id,
        )

    def to_domain(self) -> LetterRecord:
        return LetterRecord(
            letter_id=self.letter_id,
            case_id=self.case_id,
            participant_id=self.participant_id,
            kind=self.kind,
            recipient=self.recipient,
            format=self.format,
            language=self.language,
            sha256=self.sha256,
            generated_by=self.generated_by,
            generated_at=self.generated_at,
            status=self.status,
            result_id=self.result_id,
            request_id=self.request_id,
            decision_id=self.decision_id,
        )
