"""The outbox: local writes the hub must learn about, each with a UUID idempotency key."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from counsellor_app.store.errors import NotFound
from counsellor_app.store.tables import OutboxRow


class OutboxKind(StrEnum):
    """What an outbox item tells the hub."""

    CONSENT_DECISION = "consent_decision"
    CONFLICT_RESOLVED = "conflict_resolved"
    RESULT_STATE = "result_state"
    REQUEST_RESPONSE = "request_response"
    LETTER_RECORD = "letter_record"


class OutboxState(StrEnum):
    """pending → sent → applied | duplicate | rejected | conflict (network errors stay pending)."""

    PENDING = "pending"
    SENT = "sent"
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    CONFLICT = "conflict"

    @property
    def needs_attention(self) -> bool:
        """Rejected and conflicting items are shown to a person, never dropped silently."""
        return self in (OutboxState.REJECTED, OutboxState.CONFLICT)

    @property
    def is_final(self) -> bool:
        return self in (OutboxState.APPLIED, OutboxState.DUPLICATE, *_ATTENTION)


_ATTENTION = (OutboxState.REJECTED, OutboxState.CONFLICT)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: str
    kind: OutboxKind
    payload: dict[str, Any]
    created_at: dt.datetime
    attempts: int
    state: OutboxState
    last_error: str | None
    answer_reason: str | None
    next_attempt_at: dt.datetime | None
    record_type: str | None
    record_id: str | None
    participant_id: str | None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def enqueue(
    session: Session,
    kind: OutboxKind,
    payload: Mapping[str, Any],
    *,
    record_type: str | None = None,
    record_id: str | None = None,
    participant_id: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Add an item in the caller's transaction (beside the write it reports); its new UUID."""
    at = now or utc_now()
    item_id = str(uuid.uuid4())
    session.add(
        OutboxRow(
            id=item_id,
            kind=OutboxKind(kind).value,
            payload=json.dumps(dict(payload), sort_keys=True, default=str),
            created_at=at,
            updated_at=at,
            attempts=0,
            state=OutboxState.PENDING.value,
            record_type=record_type,
            record_id=record_id,
            participant_id=participant_id,
        )
    )
    return item_id


def to_item(row: OutboxRow) -> OutboxItem:
    payload = json.loads(row.payload)
    return OutboxItem(
        id=row.id,
        kind=OutboxKind(row.kind),
        payload=payload if isinstance(payload, dict) else {"value": payload},
        created_at=row.created_at,
        attempts=row.attempts,
        state=OutboxState(row.state),
        last_error=row.last_error,
        answer_reason=row.answer_reason,
        next_attempt_at=row.next_attempt_at,
        record_type=row.record_type,
        record_id=row.record_id,
        participant_id=row.participant_id,
    )


def due_items(
    session: Session, *, now: dt.datetime | None = None, limit: int = 100
) -> list[OutboxItem]:
    """Items to send now, oldest first: pending (or sent, unanswered) and past their backoff."""
    at = now or utc_now()
    statement = (
        select(OutboxRow)
        .where(OutboxRow.state.in_((OutboxState.PENDING.value, OutboxState.SENT.value)))
        .where((OutboxRow.next_attempt_at.is_(None)) | (OutboxRow.next_attempt_at <= at))
        .order_by(OutboxRow.created_at, OutboxRow.id)
        .limit(limit)
    )
    return [to_item(row) for row in session.scalars(statement)]


def mark_sent(session: Session, ids: Sequence[str], *, now: dt.datetime | None = None) -> None:
    """These items went out (an answer is awaited); counts an attempt."""
    at = now or utc_now()
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(list(ids)))
        .where(OutboxRow.state.in_((OutboxState.PENDING.value, OutboxState.SENT.value)))
        .values(state=OutboxState.SENT.value, attempts=OutboxRow.attempts + 1, updated_at=at)
    )


def record_answer(
    session: Session,
    item_id: str,
    state: OutboxState,
    *,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The hub's answer for one item: applied, duplicate, rejected or conflict (with reason)."""
    answer = OutboxState(state)
    if not answer.is_final:
        raise ValueError("The hub's answer is applied, duplicate, rejected or conflict.")
    row = session.get(OutboxRow, item_id)
    if row is None:
        raise NotFound("That outbox item is not in the cache.")
    row.state = answer.value
    row.answer_reason = reason
    row.updated_at = now or utc_now()
    row.next_attempt_at = None


def record_failure(
    session: Session,
    ids: Sequence[str],
    error: str,
    *,
    retry_at: dt.datetime,
    now: dt.datetime | None = None,
) -> None:
    """A network or server error: the items stay to be sent again at ``retry_at``."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(list(ids)))
        .where(OutboxRow.state.in_((OutboxState.PENDING.value, OutboxState.SENT.value)))
        .values(
            state=OutboxState.PENDING.value,
            last_error=error[:2000],
            next_attempt_at=retry_at,
            updated_at=now or utc_now(),
        )
    )


def needing_attention(session: Session, *, limit: int = 500) -> list[OutboxItem]:
    """Rejected and conflicting items, newest first (the inbox shows them)."""
    statement = (
        select(OutboxRow)
        .where(OutboxRow.state.in_([s.value for s in _ATTENTION]))
        .order_by(OutboxRow.updated_at.desc(), OutboxRow.id)
        .limit(limit)
    )
    return [to_item(row) for row in session.scalars(statement)]


def waiting_count(session: Session) -> int:
    """How many items have not yet been answered by the hub (for "3 changes waiting to sync")."""
    statement = select(func.count()).where(
        OutboxRow.state.in_((OutboxState.PENDING.value, OutboxState.SENT.value))
    )
    return int(session.execute(statement).scalar_one())
