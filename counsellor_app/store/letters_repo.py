"""Letters in the encrypted cache: the PDF, its SHA-256 and metadata, status, outbox and audit.

A generated letter lives only inside the cache; it reaches the disk only through
``export_letter``, which the user asks for (export or print).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counsellor_app.domain.errors import DomainError, InvalidTransition
from counsellor_app.domain.letter import LetterKind, LetterRecord, LetterStatus
from counsellor_app.store.audit_log import add_audit
from counsellor_app.store.errors import NotFound
from counsellor_app.store.mapping import to_letter_record
from counsellor_app.store.outbox import OutboxKind, enqueue, utc_now
from counsellor_app.store.paths import write_private_file
from counsellor_app.store.tables import CaseEntityRow, LetterRow

log = logging.getLogger(__name__)

# draft → final → sent; nothing goes back (a wrong letter is replaced by a new one).
_NEXT: dict[LetterStatus, frozenset[LetterStatus]] = {
    LetterStatus.DRAFT: frozenset({LetterStatus.FINAL}),
    LetterStatus.FINAL: frozenset({LetterStatus.SENT}),
    LetterStatus.SENT: frozenset(),
}


def letter_payload(record: LetterRecord) -> dict[str, Any]:
    """The letter's metadata for the hub (the wire's LetterRecord fields); never the PDF."""
    return {
        "letter_id": record.letter_id,
        "case_id": record.case_id,
        "participant_id": record.participant_id,
        "kind": record.kind.value,
        "recipient": record.recipient.value,
        "format": record.format.value,
        "language": record.language,
        "sha256": record.sha256,
        "generated_by": record.generated_by,
        "generated_at": record.generated_at.isoformat(),
        "status": record.status.value,
        "result_id": record.result_id,
        "request_id": record.request_id,
        "decision_id": record.decision_id,
    }


def save_letter(
    session: Session,
    record: LetterRecord,
    pdf: bytes,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> LetterRecord:
    """Store a generated letter with its outbox item and audit row in the caller's transaction.

    Use inside ``cache.write()`` so the three rows commit together or not at all.
    """
    if hashlib.sha256(pdf).hexdigest() != record.sha256:
        raise DomainError(
            "The letter was not stored: its PDF does not match its checksum. Generate it again."
        )
    owner = session.execute(
        select(CaseEntityRow.participant_id).where(CaseEntityRow.case_id == record.case_id)
    ).scalar_one_or_none()
    if owner is None:
        raise NotFound("The letter's case is not in the cache. Sync, then generate it again.")
    if owner != record.participant_id:
        raise DomainError(
            "The letter was not stored: its case belongs to another participant. "
            "Generate it again from the case record."
        )
    at = now or utc_now()
    session.add(
        LetterRow(
            letter_id=record.letter_id,
            case_id=record.case_id,
            participant_id=record.participant_id,
            kind=record.kind.value,
            recipient=record.recipient.value,
            format=record.format.value,
            language=record.language,
            pdf=pdf,
            sha256=record.sha256,
            generated_by=record.generated_by,
            generated_at=record.generated_at,
            status=record.status.value,
            result_id=record.result_id,
            request_id=record.request_id,
            decision_id=record.decision_id,
        )
    )
    _report(session, record, actor=actor, action="letter.generated", at=at)
    session.flush()
    log.info(
        "letter %s stored for case %s: %s, to %s, %s (sha256 %s)", record.letter_id,
        record.case_id, record.kind.value, record.recipient.value, record.format.value,
        record.sha256[:16],
    )
    return record


def set_letter_status(
    session: Session,
    letter_id: str,
    status: LetterStatus,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> LetterRecord:
    """Move a letter draft → final → sent, with its outbox item and audit row."""
    row = _row(session, letter_id)
    current = LetterStatus(row.status)
    if status not in _NEXT[current]:
        raise InvalidTransition(
            f"Letter {letter_id} is {current.value}; it cannot become {status.value}. "
            "A letter goes draft → final → sent."
        )
    row.status = status.value
    record = replace(to_letter_record(row), status=status)
    _report(session, record, actor=actor, action=f"letter.{status.value}", at=now or utc_now())
    session.flush()
    return record


def list_letters(session: Session, case_id: str) -> list[LetterRecord]:
    """The letters of one case, newest first (metadata only)."""
    rows = session.scalars(
        select(LetterRow)
        .where(LetterRow.case_id == case_id)
        .order_by(LetterRow.generated_at.desc(), LetterRow.letter_id)
    )
    return [to_letter_record(row) for row in rows]


def letter_pdf(session: Session, letter_id: str) -> bytes:
    """The PDF bytes of a stored letter, checked against their SHA-256."""
    row = _row(session, letter_id)
    if hashlib.sha256(row.pdf).hexdigest() != row.sha256:
        raise DomainError(
            f"Letter {letter_id} is damaged in the cache (its checksum does not match). "
            "Generate it again."
        )
    return bytes(row.pdf)


def confirmed_decisions(session: Session, participant_id: str) -> frozenset[str]:
    """Decisions that already have a final or sent consent-confirmation letter."""
    rows = session.scalars(
        select(LetterRow.decision_id).where(
            LetterRow.participant_id == participant_id,
            LetterRow.kind == LetterKind.CONSENT_CONFIRMATION.value,
            LetterRow.status.in_((LetterStatus.FINAL.value, LetterStatus.SENT.value)),
            LetterRow.decision_id.is_not(None),
        )
    )
    return frozenset(decision for decision in rows if decision is not None)


def export_letter(
    session: Session,
    letter_id: str,
    path: Path,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> Path:
    """Write a stored letter to ``path`` (mode 0600) because the user asked; audited."""
    pdf = letter_pdf(session, letter_id)
    row = _row(session, letter_id)
    write_private_file(path, pdf)
    add_audit(
        session,
        actor=actor,
        action="letter.exported",
        record_type="letter",
        record_id=letter_id,
        participant_id=row.participant_id,
        at=now or utc_now(),
    )
    return path


def _row(session: Session, letter_id: str) -> LetterRow:
    row = session.get(LetterRow, letter_id)
    if row is None:
        raise NotFound(f"Letter {letter_id} is not in the cache.")
    return row


def _report(
    session: Session, record: LetterRecord, *, actor: str, action: str, at: dt.datetime
) -> None:
    enqueue(
        session,
        OutboxKind.LETTER_RECORD,
        letter_payload(record),
        record_type="letter",
        record_id=record.letter_id,
        participant_id=record.participant_id,
        now=at,
    )
    add_audit(
        session,
        actor=actor,
        action=action,
        record_type="letter",
        record_id=record.letter_id,
        participant_id=record.participant_id,
        detail=f"{record.kind.value}, {record.recipient.value}, {record.format.value}",
        at=at,
    )
