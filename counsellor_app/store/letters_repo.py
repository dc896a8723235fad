"""Letters in the encrypted cache: the PDF, its SHA-256 and metadata, status, outbox and audit.

A generated letter lives only inside the cache; it reaches the disk only through
``export_letter``, which the user asks for (export or print).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from counsellor_app.domain.case import Case
from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.errors import DomainError, InvalidTransition
from counsellor_app.domain.letter import LetterKind, LetterRecord, LetterStatus
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import Result
from counsellor_app.store.audit_log import add_audit
from counsellor_app.store.errors import NotFound
from counsellor_app.store.mapping import (
    to_case,
    to_decision,
    to_letter_record,
    to_participant,
    to_request,
    to_result,
)
from counsellor_app.store.outbox import OutboxKind, enqueue, utc_now
from counsellor_app.store.paths import write_private_file
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    LetterRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
)

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
    _check(record, pdf, _owners(session, [record.case_id]).get(record.case_id))
    _add(session, record, pdf, actor=actor, at=now or utc_now())
    session.flush()
    _log_stored(record)
    return record


def save_letters(
    session: Session,
    letters: Sequence[tuple[LetterRecord, bytes]],
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> list[LetterRecord | Exception]:
    """Store several letters in the caller's transaction, each all-or-nothing.

    Each letter goes in with its outbox item and audit row or not at all: one that fails (a
    DomainError such as its case having left the cache, or anything else) leaves no row
    behind and is returned in its place, and the others are still stored. The letters that
    pass their checks are written together in one savepoint; should that fail, each is
    written again in a savepoint of its own, so only the failing one is left out.
    """
    at = now or utc_now()
    owners = _owners(session, [record.case_id for record, _ in letters])
    outcomes: list[LetterRecord | Exception] = []
    passed: list[tuple[int, LetterRecord, bytes]] = []
    for index, (record, pdf) in enumerate(letters):
        try:
            _check(record, pdf, owners.get(record.case_id))
        except DomainError as refusal:
            outcomes.append(refusal)
            continue
        outcomes.append(record)
        passed.append((index, record, pdf))
    try:
        with session.begin_nested():
            for _, record, pdf in passed:
                _add(session, record, pdf, actor=actor, at=at)
    except Exception:  # rolled back to the savepoint: find the letter that failed
        for index, record, pdf in passed:
            try:
                with session.begin_nested():
                    _add(session, record, pdf, actor=actor, at=at)
            except Exception as exc:  # this letter only; the caller decides
                outcomes[index] = exc
    for outcome in outcomes:
        if isinstance(outcome, LetterRecord):
            _log_stored(outcome)
    return outcomes


def _owners(session: Session, case_ids: Sequence[str]) -> dict[str, str]:
    """The participant each case belongs to (cases not in the cache are absent)."""
    rows = session.execute(
        select(CaseEntityRow.case_id, CaseEntityRow.participant_id).where(
            CaseEntityRow.case_id.in_(sorted(set(case_ids)))
        )
    )
    return {case_id: participant_id for case_id, participant_id in rows}


def _check(record: LetterRecord, pdf: bytes, owner: str | None) -> None:
    """Refuse a letter whose bytes are not what was checked, or whose case is not its own."""
    if hashlib.sha256(pdf).hexdigest() != record.sha256:
        raise DomainError(
            "The letter was not stored: its PDF does not match its checksum. Generate it again."
        )
    if owner is None:
        raise NotFound("The letter's case is not in the cache. Sync, then generate it again.")
    if owner != record.participant_id:
        raise DomainError(
            "The letter was not stored: its case belongs to another participant. "
            "Generate it again from the case record."
        )


def _add(
    session: Session, record: LetterRecord, pdf: bytes, *, actor: str, at: dt.datetime
) -> None:
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


def _log_stored(record: LetterRecord) -> None:
    log.info(
        "letter %s stored for case %s: %s, to %s, %s (sha256 %s)", record.letter_id,
        record.case_id, record.kind.value, record.recipient.value, record.format.value,
        record.sha256[:16],
    )


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


@dataclass(frozen=True, slots=True)
class LetterCase:
    """What a letter about one case may use, as the cache holds it: the participant, the case,
    its results (by report version) and requests, the participant's consent decisions (in the
    ledger's fold order) and the decisions that already have a confirmation letter."""

    participant: Participant
    case: Case
    results: tuple[Result, ...]
    requests: tuple[CollaborationRequest, ...]
    decisions: tuple[ConsentDecision, ...]
    confirmed: frozenset[str]


def load_letter_cases(session: Session, case_ids: Sequence[str]) -> dict[str, LetterCase]:
    """Several cases for letters in a fixed number of queries (a batch reads a group at once).

    The same records as ``case_detail.load_case`` narrowed to one case; a case id that is not
    in the cache is absent from the answer. Call inside ``cache.read()`` for one snapshot.
    """
    wanted = sorted(set(case_ids))
    cases = {
        row.case_id: to_case(row)
        for row in session.scalars(select(CaseEntityRow).where(CaseEntityRow.case_id.in_(wanted)))
    }
    owners = sorted({case.participant_id for case in cases.values()})
    people = {
        row.participant_id: to_participant(row)
        for row in session.scalars(
            select(ParticipantRow)
            .options(selectinload(ParticipantRow.representatives))
            .where(ParticipantRow.participant_id.in_(owners))
        )
    }
    results: dict[str, list[Result]] = defaultdict(list)
    for result_row in session.scalars(
        select(ResultRow)
        .options(selectinload(ResultRow.variants))
        .where(ResultRow.case_id.in_(wanted), ResultRow.participant_id.in_(owners))
        .order_by(ResultRow.case_id, ResultRow.report_version, ResultRow.issued_on)
    ):
        results[result_row.case_id].append(to_result(result_row))
    requests: dict[str, list[CollaborationRequest]] = defaultdict(list)
    for request_row in session.scalars(
        select(RequestRow)
        .where(RequestRow.case_id.in_(wanted), RequestRow.participant_id.in_(owners))
        .order_by(RequestRow.received_on, RequestRow.request_id)
    ):
        requests[request_row.case_id].append(to_request(request_row))
    decisions: dict[str, list[ConsentDecision]] = defaultdict(list)
    for decision_row in session.scalars(
        select(ConsentDecisionRow).where(ConsentDecisionRow.participant_id.in_(owners))
    ):
        decisions[decision_row.participant_id].append(to_decision(decision_row))
    confirmed: dict[str, set[str]] = defaultdict(set)
    for participant_id, decision_id in session.execute(
        select(LetterRow.participant_id, LetterRow.decision_id).where(
            LetterRow.participant_id.in_(owners),
            LetterRow.kind == LetterKind.CONSENT_CONFIRMATION.value,
            LetterRow.status.in_((LetterStatus.FINAL.value, LetterStatus.SENT.value)),
            LetterRow.decision_id.is_not(None),
        )
    ):
        if decision_id is not None:
            confirmed[participant_id].add(decision_id)
    found: dict[str, LetterCase] = {}
    for case_id, case in cases.items():
        person = people.get(case.participant_id)
        if person is None:
            continue
        found[case_id] = LetterCase(
            participant=person,
            case=case,
            results=tuple(results[case_id]),
            requests=tuple(requests[case_id]),
            decisions=tuple(
                sorted(decisions[case.participant_id], key=lambda d: d.sort_key())
            ),
            confirmed=frozenset(confirmed[case.participant_id]),
        )
    return found


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
